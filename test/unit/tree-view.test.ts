import { describe, expect, it } from 'vitest'
import type { TreeViewFrame } from '../../electron/api/tree'
import { ChildOrderCache } from '../../electron/core/tree/child-order'
import { naturalCompare } from '../../electron/core/tree/natural-compare'
import { previewOf } from '../../electron/core/tree/payload'
import { TopicTree } from '../../electron/core/tree/topic-tree'
import { ViewManager } from '../../electron/core/tree/view-manager'

const live = { qos: 0, retain: false } as const
const msg = (text: string) => Buffer.from(text)

function setup(topics: string[] = []) {
  const tree = new TopicTree()
  for (const t of topics) tree.insert(t, msg('1'), live)
  const emitted: TreeViewFrame[] = []
  const manager = new ViewManager({ connectionId: 'c1', tree, emit: (f) => emitted.push(f), intervalMs: 1_000_000 })
  const first = manager.open({ window: { offset: 0, count: 50 }, sort: 'name', expanded: [], selected: null })
  const view = manager.get(first.viewId)!
  return { tree, manager, view, first, emitted }
}

/** Applies frames the way a renderer would and returns the visible paths. */
function rendererOf(first: TreeViewFrame) {
  const rows = new Map(first.rows.map((r) => [r.id, r]))
  let ids = first.ids
  let seq = first.seq
  return {
    apply(frame: TreeViewFrame) {
      expect(frame.baseSeq === 0 || frame.baseSeq === seq).toBe(true)
      for (const r of frame.rows) rows.set(r.id, r)
      ids = frame.ids
      seq = frame.seq
    },
    paths: () => ids.map((id) => rows.get(id)!.path),
    row: (path: string) => [...rows.values()].find((r) => r.path === path),
  }
}

describe('natural order and previews', () => {
  it('sorts digit runs as numbers and letters without case', () => {
    const names = ['sensor10', 'Sensor2', 'sensor1', 'alpha', 'sensor02', 'Beta', '']
    // Equal as numbers and letters (Sensor2, sensor02): raw code units decide, so the order is total.
    expect([...names].sort(naturalCompare)).toEqual(['', 'alpha', 'Beta', 'sensor1', 'Sensor2', 'sensor02', 'sensor10'])
  })

  it('makes one-line previews: text and JSON shortened, binary as hex', () => {
    expect(previewOf(msg('{\n  "a": 1,\n  "b": 2\n}'))).toEqual({ text: '{ "a": 1, "b": 2 }', kind: 'json' })
    const long = previewOf(msg('x'.repeat(500)))
    expect(long.text.length).toBe(100)
    expect(long.text.endsWith('…')).toBe(true)
    const bin = previewOf(Buffer.from([0, 1, 2, 255]))
    expect(bin).toEqual({ text: '00 01 02 ff', kind: 'hex' })
    expect(previewOf(Buffer.alloc(200, 7)).text.length).toBeLessThanOrEqual(100)
    expect(previewOf(Buffer.alloc(0))).toEqual({ text: '', kind: 'empty' })
    expect(previewOf(msg('grüße 温度')).kind).toBe('text')
  })
})

describe('tree views', () => {
  it('opens with a snapshot of the top level and the total row count', () => {
    const { first } = setup(['b/1', 'a/1', 'a/2', '$SYS/x'])
    expect(first.kind).toBe('snapshot')
    expect(first.rows.map((r) => r.path)).toEqual(['$SYS', 'a', 'b'])
    expect(first.totalRows).toBe(3)
    expect(first.rows[1]).toMatchObject({ name: 'a', depth: 0, messages: 2, topics: 2, hasChildren: true, expanded: false })
  })

  it('shows children of expanded nodes in natural order, depth first', () => {
    const { view, manager, first } = setup(['a/x10', 'a/x2', 'a/x1/deep', 'b'])
    const r = rendererOf(first)
    view.expand('a')
    view.expand('a/x1')
    r.apply(manager.tick()[0])
    expect(r.paths()).toEqual(['a', 'a/x1', 'a/x1/deep', 'a/x2', 'a/x10', 'b'])
    expect(r.row('a')!.expanded).toBe(true)
  })

  it('returns only the window, with the total for the scrollbar', () => {
    const topics = Array.from({ length: 1000 }, (_, i) => `wide/c${i}`)
    const { view, manager } = setup(topics)
    view.expand('wide')
    view.setWindow({ offset: 500, count: 10 })
    const frame = manager.tick()[0]
    expect(frame.totalRows).toBe(1001)
    expect(frame.ids.length).toBe(10)
    expect(frame.rows.map((r) => r.name)).toEqual(Array.from({ length: 10 }, (_, i) => `c${499 + i}`))
  })

  it('sends only rows that changed, marks new messages as changed, and nothing when idle', () => {
    const { tree, view, manager, first } = setup(['a/1', 'a/2', 'b/1'])
    const r = rendererOf(first)
    view.expand('a')
    r.apply(manager.tick()[0])
    expect(manager.tick()).toEqual([])
    tree.insert('a/2', msg('22'), live)
    const delta = manager.tick()[0]
    r.apply(delta)
    expect(delta.kind).toBe('delta')
    expect(delta.rows.map((x) => [x.path, x.changed])).toEqual([
      ['a', false],
      ['a/2', true],
    ])
    expect(r.row('a/2')).toMatchObject({ ownCount: 2, preview: '22' })
    expect(r.row('a')!.messages).toBe(3)
  })

  it('bounds frames by ticks, not by messages', () => {
    const { tree, view, manager } = setup(['a/1'])
    view.expand('a')
    manager.tick()
    for (let i = 0; i < 50_000; i++) tree.insert(`a/${i % 100}`, msg(String(i)), live)
    const frames = manager.tick()
    expect(frames.length).toBe(1)
    expect(frames[0].rows.length).toBeLessThanOrEqual(50)
    expect(frames[0].totals.messages).toBe(50_001)
  })

  it('sorts by message count, topic count and most recent', () => {
    const tree = new TopicTree()
    const ins = (t: string, n: number, time: number) => {
      for (let i = 0; i < n; i++) tree.insert(t, msg('x'), { ...live, time })
    }
    ins('few', 1, 300)
    ins('many', 5, 100)
    ins('wide/1', 1, 200)
    ins('wide/2', 1, 200)
    ins('wide/3', 1, 200)
    const manager = new ViewManager({ connectionId: 'c', tree, emit: () => {}, intervalMs: 1e6 })
    const names = (sort: 'messages' | 'topics' | 'recent') => manager.open({ window: { offset: 0, count: 10 }, sort, expanded: [], selected: null }).rows.map((r) => r.name)
    expect(names('messages')).toEqual(['many', 'wide', 'few'])
    expect(names('topics')).toEqual(['wide', 'few', 'many'])
    expect(names('recent')).toEqual(['few', 'wide', 'many'])
  })

  it('keeps the sorted order of a node with 100k children and merges new children without a full sort', () => {
    const tree = new TopicTree()
    for (let i = 0; i < 100_000; i++) tree.insert(`big/n${i}`, msg('1'), live)
    const order = new ChildOrderCache()
    const big = tree.get('big')!
    expect(order.children(big, 'name')[2].name).toBe('n2')
    tree.insert('big/n00', msg('1'), live)
    const again = order.children(big, 'name')
    expect(again.length).toBe(100_001)
    expect(again[1].name).toBe('n00')
    expect(order.fullSorts).toBe(1)
    order.children(big, 'messages', 0)
    tree.insert('big/n5', msg('1'), live)
    order.children(big, 'messages', 10) // big list, re-sorted at most once per second
    expect(order.fullSorts).toBe(2)
    expect(order.children(big, 'messages', 5000)[0].name).toBe('n5')
    expect(order.fullSorts).toBe(3)
  })

  it('expands to a depth, expands a subtree and collapses', () => {
    const { view, manager } = setup(['a/b/c/d', 'x/y/z'])
    view.expandToDepth(2)
    expect(manager.tick()[0].totalRows).toBe(4) // a, a/b, x, x/y
    view.expandSubtree('a')
    expect(manager.tick()[0].totalRows).toBe(6)
    view.collapse('a')
    expect(manager.tick()[0].totalRows).toBe(3)
    view.toggle('a')
    expect(manager.tick()[0].totalRows).toBe(6)
  })

  it('freezes while paused, keeps counting, and catches up on resume', () => {
    const { tree, view, manager, first } = setup(['a'])
    const r = rendererOf(first)
    view.setPaused(true)
    r.apply(manager.tick()[0])
    for (let i = 0; i < 10; i++) tree.insert('a', msg(String(i)), live)
    tree.insert('b', msg('new'), live)
    expect(manager.tick()).toEqual([])
    expect(tree.get('a')!.ownCount).toBe(11)
    view.setPaused(false)
    const frame = manager.tick()[0]
    r.apply(frame)
    expect(frame.paused).toBe(false)
    expect(r.paths()).toEqual(['a', 'b'])
    expect(r.row('a')!.ownCount).toBe(11)
  })

  it('shows filter matches with their ancestors, expanded, and adds matching topics that arrive later', async () => {
    const { tree, view, manager } = setup(['home/kitchen/temp', 'home/kitchen/light', 'office/temp', 'garage/door'])
    manager.setFilter(view.id, { mode: 'substring', text: 'temp', matchPayload: false, caseSensitive: false })
    await new Promise((r) => setImmediate(r))
    let frame = manager.tick()[0]
    expect(frame.filter).toMatchObject({ state: 'done', matched: 2 })
    expect(frame.rows.map((r) => r.path)).toEqual(['home', 'home/kitchen', 'home/kitchen/temp', 'office', 'office/temp'])
    tree.insert('garage/temp', msg('5'), live)
    frame = manager.tick()[0]
    expect(frame.totalRows).toBe(7)
    manager.setFilter(view.id, null)
    expect(manager.tick()[0].totalRows).toBe(3)
  })

  it('reports an invalid regular expression in the frame and keeps showing the tree', () => {
    const { view, manager } = setup(['a', 'b'])
    manager.setFilter(view.id, { mode: 'regex', text: '(', matchPayload: false, caseSensitive: false })
    const frame = manager.tick()[0]
    expect(frame.filter.state).toBe('error')
    expect(frame.filter.error).toMatch(/regular expression/)
    expect(frame.totalRows).toBe(2)
  })

  it('sends the selection when it changes or its topic gets a message', () => {
    const { tree, view, manager } = setup(['s/t'])
    view.select('s/t')
    let frame = manager.tick()[0]
    expect(frame.selection).toMatchObject({ path: 's/t', exists: true, ownCount: 1, historyLength: 1 })
    tree.insert('other', msg('1'), live)
    expect(manager.tick()[0].selection).toBeUndefined()
    tree.insert('s/t', msg('{"v":2}'), { qos: 1, retain: true, properties: { contentType: 'application/json' } })
    frame = manager.tick()[0]
    expect(frame.selection).toMatchObject({
      ownCount: 2,
      retained: true,
      preview: '{"v":2}',
      previewKind: 'json',
      last: { qos: 1, retain: true, size: 7, properties: { contentType: 'application/json' } },
    })
  })

  it('keeps expanded paths across a clear and drops deleted rows', () => {
    const { tree, view, manager } = setup(['a/1', 'a/2'])
    view.expand('a')
    expect(manager.tick()[0].totalRows).toBe(3)
    tree.delete('a/1')
    expect(manager.tick()[0].totalRows).toBe(2)
    tree.clear()
    const empty = manager.tick()[0]
    expect(empty.kind).toBe('snapshot')
    expect(empty.totalRows).toBe(0)
    tree.insert('a/3', msg('1'), live)
    expect(manager.tick()[0].totalRows).toBe(2)
  })
})
