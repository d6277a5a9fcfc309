/**
 * The tree's walks are loops with their own stacks, not recursion: a topic may have 32,768 levels
 * (65,535 bytes, the MQTT limit), and a recursive walk that deep overflows the stack. These tests
 * pin that the loops give exactly what the plain recursive definitions give (rows, order, counts)
 * on trees of every shape, and that the deepest topic goes through every walk.
 */
import { describe, expect, it } from 'vitest'
import type { TreeSort } from '../../electron/api/tree'
import { ChildOrderCache } from '../../electron/core/tree/child-order'
import { compileFilter } from '../../electron/core/tree/filters'
import { childNodes, depthOf, pathOf, type TopicNode } from '../../electron/core/tree/topic-node'
import { TopicTree } from '../../electron/core/tree/topic-tree'
import { TreeView } from '../../electron/core/tree/tree-view'
import { countRetained, retainedTopics } from '../../electron/core/tree/tree-queries'
import { deepTopic } from '../fixtures/raw-broker'

const live = { qos: 0, retain: false } as const

/** A small deterministic random generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

/** A tree of mixed shapes: wide levels, chains, empty levels, topics at intermediate levels. */
function randomTree(seed: number): { tree: TopicTree; paths: string[] } {
  const next = random(seed)
  const tree = new TopicTree()
  const names = ['a', 'b', 'c10', 'c9', '', 'Z', 'x', 'dev2', 'dev10']
  for (let i = 0; i < 400; i++) {
    const depth = 1 + Math.floor(next() * 6)
    const levels = Array.from({ length: depth }, () => names[Math.floor(next() * names.length)])
    const messages = 1 + Math.floor(next() * 3)
    for (let m = 0; m < messages; m++) tree.insert(levels.join('/'), Buffer.from('v'), { qos: 0, retain: next() < 0.3 }, 1000 + i * 10 + m)
  }
  const paths: string[] = []
  const stack: TopicNode[] = [...childNodes(tree.root)]
  while (stack.length > 0) {
    const n = stack.pop() as TopicNode
    paths.push(pathOf(n))
    stack.push(...childNodes(n))
  }
  return { tree, paths }
}

/** The rows a view shows, by the recursive definition: visible children in sort order, depth first. */
function referenceRows(view: TreeView, order: ChildOrderCache, sort: TreeSort, node: TopicNode, out: TopicNode[] = []): TopicNode[] {
  for (const child of order.children(node, sort)) {
    if (view.scan !== null && !view.scan.visible.has(child)) continue
    out.push(child)
    if (child.children !== null && view.isExpanded(child)) referenceRows(view, order, sort, child, out)
  }
  return out
}

function allRows(view: TreeView, total: number): TopicNode[] {
  const out: TopicNode[] = []
  for (let offset = 0; offset < total; offset += 500) {
    view.setWindow({ offset, count: 500 })
    out.push(...view.windowNodes())
  }
  return out
}

describe('walks without recursion', () => {
  it('lists the same rows in the same order as the recursive definition, for every sort, expansion and filter', async () => {
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const { tree, paths } = randomTree(seed)
      const next = random(seed * 7919)
      const order = new ChildOrderCache()
      for (const sort of ['name', 'messages', 'topics', 'recent'] as const) {
        const expanded = paths.filter(() => next() < 0.6)
        const view = new TreeView('v', 'c', tree, order, { window: { offset: 0, count: 500 }, sort, expanded, selected: null })
        if (seed % 2 === 0) {
          view.setFilter({ mode: 'substring', text: seed % 4 === 0 ? 'dev' : 'c1', matchPayload: false, caseSensitive: false })
          await view.scan?.run()
          // A node the user collapsed while the filter shows everything.
          view.collapse(paths[seed])
        }
        const expected = referenceRows(view, order, sort, tree.root)
        expect(view.rowsBelow(tree.root)).toBe(expected.length)
        expect(allRows(view, expected.length).map(pathOf)).toEqual(expected.map(pathOf))
        // Type-ahead visits the same rows: the first row named `b` after row 3.
        const firstB = expected.findIndex((n, i) => i > 3 && n.name.toLowerCase().startsWith('b'))
        const wrapped = firstB === -1 ? expected.findIndex((n) => n.name.toLowerCase().startsWith('b')) : firstB
        expect(view.find('b', 3)?.index ?? -1).toBe(wrapped)
      }
    }
  })

  it('builds the same paths as joining the levels, for levels asked in any order', () => {
    const tree = new TopicTree()
    tree.insert('x//y/z/', Buffer.from('1'), live)
    tree.insert(deepTopic(50), Buffer.from('1'), live)
    const mid = tree.get(deepTopic(25)) as TopicNode
    expect(pathOf(mid)).toBe(deepTopic(25))
    let n = tree.get(deepTopic(50)) as TopicNode
    for (let level = 50; level > 0; level--, n = n.parent as TopicNode) expect(pathOf(n)).toBe(deepTopic(level))
    expect(pathOf(tree.get('x//y') as TopicNode)).toBe('x//y')
    expect(pathOf(tree.get('x/') as TopicNode)).toBe('x/')
    expect(pathOf(tree.root)).toBe('')
  })

  it('takes a 32,768-level topic through paths, rows, expand-subtree, type-ahead, filters and retained queries', async () => {
    const deepest = deepTopic(32_768)
    expect(Buffer.byteLength(deepest)).toBe(65_535)
    const tree = new TopicTree()
    tree.insert(deepest, Buffer.from('deep'), { qos: 1, retain: true })
    tree.insert(deepTopic(16_384), Buffer.from('middle'), { qos: 1, retain: true })
    tree.insert('b', Buffer.from('b'), live)
    const order = new ChildOrderCache()
    const view = new TreeView('v', 'c', tree, order, { window: { offset: 32_766, count: 10 }, sort: 'name', expanded: [], selected: deepest })

    expect(pathOf(tree.get(deepTopic(30_000)) as TopicNode)).toBe(deepTopic(30_000))
    view.expandSubtree('a')
    expect(view.expanded.size).toBe(32_767)
    const frame = view.frame(true)
    expect(frame?.totalRows).toBe(32_769)
    expect(frame?.rows.map((r) => [r.depth, r.path.length])).toEqual([
      [32_766, 65_533],
      [32_767, 65_535],
      [0, 1],
    ])
    expect(frame?.selection).toMatchObject({ path: deepest, exists: true, ownCount: 1, retained: true })
    expect(view.find('b', 10)).toEqual({ index: 32_768, path: 'b' })
    expect(depthOf(tree.get(deepest) as TopicNode)).toBe(32_767)

    view.expandToDepth(1000)
    expect(view.rowsBelow(tree.root)).toBe(1001)

    for (const [mode, text] of [['mqtt', 'a/#'], ['regex', 'a$'], ['substring', 'a/a']] as const) {
      const compiled = compileFilter({ mode, text, matchPayload: false, caseSensitive: false })
      expect(compiled.ok && compiled.filter.test(tree.get(deepest) as TopicNode)).toBe(true)
      view.setFilter({ mode, text, matchPayload: false, caseSensitive: false })
      await view.scan?.run()
      expect(view.scan?.matched).toBe(2)
      expect(view.rowsBelow(tree.root)).toBe(32_768)
    }

    expect(countRetained(tree.get('a'), true)).toBe(2)
    expect(retainedTopics(tree.get('a'), true)).toEqual([deepTopic(16_384), deepest])
    expect(tree.delete('a')).toBe(2)
    expect(tree.topicCount).toBe(1)
  })
})
