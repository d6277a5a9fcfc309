/**
 * The library list every window gets on a change: two changes whose lists finish out of order
 * (an old summary being rebuilt makes one slow) must leave the windows with the newer list, not
 * the one that happened to finish last.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { RecordingInfo } from '../../electron/api'
import { RecordingManager } from '../../electron/core/recording/recording-manager'

let dataDir: string | undefined

afterEach(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true })
})

describe('recordings.changed', () => {
  it('sends the newest list, and not an older one that finishes after it', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'mqtts-library-order-'))
    const sent: string[][] = []
    const manager = new RecordingManager({
      dataDir,
      emit: (name, payload) => {
        if (name === 'recordings.changed') sent.push((payload as RecordingInfo[]).map((r) => r.id))
      },
      profile: async () => undefined,
      connectionState: () => undefined,
    })
    let finishOld: (list: RecordingInfo[]) => void = () => {}
    const info = (id: string) => ({ id }) as RecordingInfo
    vi.spyOn(manager.store, 'list')
      .mockImplementationOnce(() => new Promise((resolve) => (finishOld = resolve)))
      .mockImplementationOnce(async () => [info('part-1'), info('part-2')])
    const older = manager.changed()
    const newer = manager.changed()
    await newer
    expect(sent).toEqual([['part-1', 'part-2']])
    finishOld([info('part-1')])
    await older
    expect(sent).toEqual([['part-1', 'part-2']])
  })
})
