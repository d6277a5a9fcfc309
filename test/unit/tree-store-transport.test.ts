/**
 * The tree store when the backend link drops under a view call: the app-wide banner says so, the
 * tree pane does not say it a second time, and the view is opened again once the link is back.
 * Any other failure is still the pane's to show.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import type { TreeViewFrame } from '@api'
import { installFakeApi, Refusal } from '../fixtures/fake-channel'
import { useTreeStore } from '../../renderer/src/stores/tree'

const flush = () => new Promise((r) => setTimeout(r, 0))
const lostLink = new Refusal({ code: 'TRANSPORT_CLOSED', message: 'Lost contact with the app backend before it answered' })

// The settings store the tree store reads listens for the page going away; Node has no window.
beforeAll(() => {
  if (!('window' in globalThis)) Object.assign(globalThis, { window: new EventTarget() })
})

function snapshot(viewId: string): TreeViewFrame {
  return {
    connectionId: 'c1', viewId, seq: 1, baseSeq: 0, kind: 'snapshot', totalRows: 0, offset: 0, ids: [], rows: [], paused: false,
    totals: { messages: 0, topics: 0 }, filter: { state: 'off', matched: 0, scanned: 0, total: 0 },
  }
}

describe('the tree store over a dropped backend link', () => {
  it('shows no error of its own for an open cut short, and opens the view once the link is back', async () => {
    let lost = true
    const channel = installFakeApi({ 'tree.view.open': () => (lost ? lostLink : snapshot('v1')) })
    const tree = useTreeStore()
    const handle = await tree.open('c1')
    expect(handle.error.value).toBeNull()
    expect(handle.model.viewId).toBe('')
    lost = false
    channel.reconnect()
    await flush()
    expect(handle.model.viewId).toBe('v1')
    expect(channel.calls.filter((m) => m === 'tree.view.open')).toHaveLength(2)
  })

  it('leaves a view call cut short to the banner, but shows any other failure', async () => {
    let sortAnswer: unknown = lostLink
    installFakeApi({ 'tree.view.open': () => snapshot('v1'), 'tree.view.sort': () => sortAnswer })
    const tree = useTreeStore()
    const handle = await tree.open('c1')
    await tree.setSort(handle, 'recent')
    expect(handle.error.value).toBeNull()
    sortAnswer = new Refusal({ code: 'INTERNAL', message: 'The view is gone' })
    await tree.setSort(handle, 'name')
    expect(handle.error.value).toBe('The view is gone')
  })
})
