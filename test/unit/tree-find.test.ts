/**
 * Type-ahead over every visible row (`tree.view.find`): the main side walks the view's rows in
 * display order, the renderer answers from its window only when that answer is certain.
 */
import type { IPublishPacket } from 'mqtt'
import { afterEach, describe, expect, it } from 'vitest'
import { methods, type EventName, type EventPayloads, type MethodParams, type MethodResult } from '../../electron/api'
import { prefixMatcher } from '../../electron/core/tree/name-prefix'
import { TopicTree } from '../../electron/core/tree/topic-tree'
import { treeService } from '../../electron/core/tree/service'
import { TreeManager } from '../../electron/core/tree/tree-manager'
import type { TreeView } from '../../electron/core/tree/tree-view'
import { ViewManager } from '../../electron/core/tree/view-manager'
import { findByPrefix, findByPrefixIfCertain } from '../../renderer/src/lib/tree/tree-keys'

const live = { qos: 0, retain: false } as const

function setup(topics: string[], expanded: string[] = []) {
  const tree = new TopicTree()
  for (const t of topics) tree.insert(t, Buffer.from('1'), live)
  const manager = new ViewManager({ connectionId: 'c1', tree, emit: () => {}, intervalMs: 1_000_000 })
  const first = manager.open({ window: { offset: 0, count: 50 }, sort: 'name', expanded, selected: null })
  return { tree, manager, view: manager.get(first.viewId) as TreeView }
}

/** The path the view's window shows at `index`: find's index must mean the same row. */
function pathAt(view: TreeView, index: number): string | undefined {
  const saved = view.window
  view.setWindow({ offset: index, count: 1 })
  const node = view.windowNodes()[0]
  view.setWindow(saved)
  if (node === undefined) return undefined
  const names: string[] = []
  for (let n: typeof node | null = node; n !== null && n.parent !== null; n = n.parent) names.unshift(n.name)
  return names.join('/')
}

describe('type-ahead on the main side', () => {
  it('finds the next row after the given one whose name starts with the prefix, wrapping to the top', () => {
    const { view } = setup(['apple', 'banana', 'avocado', 'cherry'])
    // Natural order: apple 0, avocado 1, banana 2, cherry 3.
    expect(view.find('a', -1)).toEqual({ index: 0, path: 'apple' })
    expect(view.find('a', 0)).toEqual({ index: 1, path: 'avocado' })
    expect(view.find('a', 1)).toEqual({ index: 0, path: 'apple' })
    expect(view.find('a', 3)).toEqual({ index: 0, path: 'apple' })
    // The focused row itself matches only after a full round.
    expect(view.find('cherry', 3)).toEqual({ index: 3, path: 'cherry' })
    expect(view.find('BAN', 0)).toEqual({ index: 2, path: 'banana' })
    expect(view.find('kiwi', -1)).toBeNull()
    expect(view.find('kiwi', 2)).toBeNull()
  })

  it('walks children of expanded nodes depth first and never enters collapsed ones', () => {
    const { view } = setup(['a/x', 'a/y', 'b/devX/deep', 'c/devY'], ['a', 'c'])
    // Rows: a 0, a/x 1, a/y 2, b 3 (collapsed), c 4, c/devY 5.
    expect(view.find('dev', -1)).toEqual({ index: 5, path: 'c/devY' })
    expect(view.find('deep', -1)).toBeNull()
    view.expand('b')
    // Rows: … b 3, b/devX 4 (collapsed), c 5, c/devY 6.
    expect(view.find('dev', -1)).toEqual({ index: 4, path: 'b/devX' })
    expect(view.find('dev', 4)).toEqual({ index: 6, path: 'c/devY' })
    expect(view.find('deep', -1)).toBeNull()
    view.collapse('a')
    expect(view.find('y', -1)).toBeNull()
    expect(view.find('dev', -1)).toEqual({ index: 2, path: 'b/devX' })
    for (const [prefix, after] of [['dev', -1], ['dev', 2], ['c', 0]] as const) {
      const hit = view.find(prefix, after)
      expect(pathAt(view, hit!.index)).toBe(hit!.path)
    }
  })

  it('counts rows in natural order, as the view shows them', () => {
    const { view } = setup(['wide/dev10', 'wide/dev2', 'wide/dev1', 'wide/Dev3'], ['wide'])
    // Rows: wide 0, dev1 1, dev2 2, Dev3 3, dev10 4.
    expect(view.find('dev1', 0)).toEqual({ index: 1, path: 'wide/dev1' })
    expect(view.find('dev1', 1)).toEqual({ index: 4, path: 'wide/dev10' })
    expect(view.find('dev3', -1)).toEqual({ index: 3, path: 'wide/Dev3' })
  })

  it('follows the view’s sort', () => {
    const { tree, view } = setup(['s/alpha', 's/beta', 's/alto'], ['s'])
    for (let i = 0; i < 5; i++) tree.insert('s/alto', Buffer.from('1'), live)
    expect(view.find('al', 0)).toEqual({ index: 1, path: 's/alpha' })
    view.setSort('messages')
    // By messages: alto (6) first, then alpha and beta (1 each, by name).
    expect(view.find('al', 0)).toEqual({ index: 1, path: 's/alto' })
    expect(view.find('al', 1)).toEqual({ index: 2, path: 's/alpha' })
  })

  it('searches only the rows the filter leaves, in the filter’s row numbering', async () => {
    const { manager, view } = setup(['home/kitchen/temp', 'home/kitchen/tv', 'office/temp', 'garage/tank'])
    expect(view.find('t', -1)).toBeNull() // everything collapsed
    manager.setFilter(view.id, { mode: 'substring', text: 'temp', matchPayload: false, caseSensitive: false })
    await new Promise((r) => setImmediate(r))
    // Rows: home 0, kitchen 1, temp 2, office 3, temp 4 — tv and garage/tank are filtered out.
    expect(view.find('t', -1)).toEqual({ index: 2, path: 'home/kitchen/temp' })
    expect(view.find('t', 2)).toEqual({ index: 4, path: 'office/temp' })
    expect(view.find('tv', -1)).toBeNull()
    expect(view.find('garage', -1)).toBeNull()
    expect(pathAt(view, 4)).toBe('office/temp')
  })

  it('finds a row far outside the window among 100,000 siblings, in the window’s index space', () => {
    const topics = ['aaa/x']
    for (let i = 0; i < 100_000; i++) topics.push(`wide/dev${i}`)
    const { view } = setup(topics, ['wide'])
    // Rows: aaa 0 (collapsed), wide 1, dev0 2, dev1 3, …, devN N+2.
    expect(view.find('dev9', 2)).toEqual({ index: 11, path: 'wide/dev9' })
    expect(view.find('dev99999', 2)).toEqual({ index: 100_001, path: 'wide/dev99999' })
    expect(view.find('dev4000', 100_001)).toEqual({ index: 4002, path: 'wide/dev4000' })
    expect(pathAt(view, 100_001)).toBe('wide/dev99999')
    expect(view.find('dev100000', -1)).toBeNull()
  })

  it('matches names without case exactly as the renderer’s rule does', () => {
    const names = ['Dev1', 'dev', 'de', 'DEVICE', '\u212Aelvin', 'kelvin', 'Ärger', 'ärger', '\u0130stanbul', 'istanbul', '', 'dév']
    for (const prefix of ['d', 'dev', 'DEV', 'k', 'ä', 'Ä', 'i', 'is', 'dé', 'x']) {
      const match = prefixMatcher(prefix)
      const lower = prefix.toLowerCase()
      for (const name of names) expect([prefix, name, match(name)]).toEqual([prefix, name, name.toLowerCase().startsWith(lower)])
    }
  })
})

describe('tree.view.find through the service', () => {
  let service: TreeManager | undefined
  afterEach(() => service?.close())

  it('answers the window that owns the view with an index and a path, or nulls', async () => {
    const svc = (service = new TreeManager({ emit: () => {}, emitTo: <E extends EventName>(_p: string, _n: E, _f: EventPayloads[E]) => {} }))
    const handlers = treeService(svc)
    const call = async <M extends 'tree.view.open' | 'tree.view.find'>(method: M, params: MethodParams<M>, peerId = 'p1'): Promise<MethodResult<M>> => {
      const handler = handlers[method] as unknown as (p: unknown, c: { peerId: string }) => Promise<MethodResult<M>>
      return handler(methods[method].parse(params), { peerId })
    }
    const packet = { cmd: 'publish', qos: 0, retain: false, dup: false } as unknown as IPublishPacket
    for (const t of ['alpha', 'beta', 'bravo']) svc.onMessage('c1', t, Buffer.from('1'), packet)
    const { viewId } = await call('tree.view.open', { connectionId: 'c1' })
    expect(await call('tree.view.find', { viewId, prefix: 'b', after: 1 })).toEqual({ index: 2, path: 'bravo' })
    expect(await call('tree.view.find', { viewId, prefix: 'zulu', after: -1 })).toEqual({ index: null, path: null })
    await expect(call('tree.view.find', { viewId, prefix: 'b', after: -1 }, 'p2')).rejects.toMatchObject({ code: 'NOT_FOUND' })
    expect(() => methods['tree.view.find'].parse({ viewId, prefix: '', after: -1 })).toThrow()
    expect(() => methods['tree.view.find'].parse({ viewId, prefix: 'a', after: -2 })).toThrow()
  })
})

describe('type-ahead in the renderer’s window', () => {
  const win = (offset: number, names: string[]) => names.map((name, i) => ({ index: offset + i, name }))

  it('answers from the held rows only when no unseen row could come first', () => {
    const rows = win(100, ['dev1', 'dev2', 'gamma', 'dev3'])
    // Match after the focus with every row in between held: certain.
    expect(findByPrefixIfCertain(rows, 100, 'dev', 10_000)).toBe(101)
    expect(findByPrefixIfCertain(rows, 99, 'dev', 10_000)).toBe(100)
    // Past the window's end, before its start, or wrapping: rows outside could match first.
    expect(findByPrefixIfCertain(rows, 103, 'dev', 10_000)).toBeUndefined()
    expect(findByPrefixIfCertain(rows, 50, 'dev', 10_000)).toBeUndefined()
    expect(findByPrefixIfCertain(rows, 101, 'gam', 10_000)).toBe(102)
    expect(findByPrefixIfCertain(rows, 102, 'gam', 10_000)).toBeUndefined()
    expect(findByPrefixIfCertain(rows, 100, 'zzz', 10_000)).toBeUndefined()
    // A row missing from the window breaks the chain.
    expect(findByPrefixIfCertain([rows[0], rows[2], rows[3]], 100, 'dev', 10_000)).toBeUndefined()
    expect(findByPrefixIfCertain([], -1, 'dev', 10_000)).toBeUndefined()
  })

  it('answers everything, no match included, when the window holds every row', () => {
    const rows = win(0, ['alpha', 'beta', 'alps'])
    expect(findByPrefixIfCertain(rows, 2, 'al', 3)).toBe(0)
    expect(findByPrefixIfCertain(rows, 0, 'x', 3)).toBe(-1)
    expect(findByPrefixIfCertain(rows, 0, 'x', 3)).toBe(findByPrefix(rows, 0, 'x'))
    expect(findByPrefixIfCertain([], -1, 'x', 0)).toBe(-1)
  })
})
