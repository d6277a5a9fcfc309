import { describe, expect, it } from 'vitest'
import { ChildOrderCache } from '../../electron/core/tree/child-order'
import { naturalCompare } from '../../electron/core/tree/natural-compare'
import { childOf, nameStart, subtreeUpdateOf } from '../../electron/core/tree/topic-node'
import { TopicTree } from '../../electron/core/tree/topic-tree'

const live = { qos: 0, retain: false } as const

describe('the thin tree node', () => {
  it('keeps a leaf without a Branch, its subtree counters being its own', () => {
    const tree = new TopicTree()
    const leaf = tree.insert('a/b', Buffer.from('1'), { ...live, time: 5000 })!
    tree.insert('a/b', Buffer.from('2'), { ...live, time: 6000 })
    expect(leaf.branch).toBeNull()
    expect(leaf.subtreeCount).toBe(2)
    expect(leaf.subtreeTopics).toBe(1)
    expect(leaf.gen).toBe(leaf.ownGen)
    expect(subtreeUpdateOf(leaf)).toBe(6000)
    expect(tree.get('a')!.branch).not.toBeNull()
  })

  it('starts a topic’s Branch from its own counts when it gets its first child', () => {
    const tree = new TopicTree()
    tree.insert('a', Buffer.from('1'), { ...live, time: 1000 })
    tree.insert('a', Buffer.from('2'), { ...live, time: 2000 })
    const a = tree.get('a')!
    const genBefore = a.gen
    tree.insert('a/b', Buffer.from('3'), { ...live, time: 3000 })
    expect(a.ownCount).toBe(2)
    expect(a.subtreeCount).toBe(3)
    expect(a.subtreeTopics).toBe(2)
    expect(a.gen).toBeGreaterThan(genBefore)
    expect(subtreeUpdateOf(a)).toBe(3000)
    expect(a.childVersion).toBe(1)
  })

  it('keeps exact counters on a node whose children all left, and when new ones come', () => {
    const tree = new TopicTree()
    tree.insert('p', Buffer.from('own'), live)
    tree.insert('p/x', Buffer.from('x'), live)
    tree.insert('p/y', Buffer.from('y'), live)
    const p = tree.get('p')!
    tree.delete('p/x')
    tree.delete('p/y')
    expect(p.children).toBeNull()
    expect(p.subtreeCount).toBe(1)
    expect(p.subtreeTopics).toBe(1)
    tree.insert('p/z', Buffer.from('z'), live)
    expect(p.subtreeCount).toBe(2)
    expect(p.subtreeTopics).toBe(2)
    expect(childOf(p, 'z')).toBe(tree.get('p/z'))
  })

  it('reads every level’s name from its path, empty levels included', () => {
    const tree = new TopicTree()
    tree.insert('/lead', Buffer.from('1'), live)
    tree.insert('mid//end', Buffer.from('2'), live)
    tree.insert('trail/', Buffer.from('3'), live)
    expect(tree.get('')!.name).toBe('')
    expect(tree.get('/lead')!.name).toBe('lead')
    expect(tree.get('mid/')!.name).toBe('')
    expect(tree.get('mid//end')!.name).toBe('end')
    expect(tree.get('trail/')!.name).toBe('')
    expect(tree.get('trail')!.name).toBe('trail')
    expect(tree.root.name).toBe('')
  })

  it('sorts siblings by name in natural order, comparing the ends of their paths', () => {
    const tree = new TopicTree()
    for (const name of ['dev10', 'Dev2', 'dev1', 'alpha', 'dev02']) tree.insert(`site/${name}`, Buffer.from('v'), live)
    const sorted = new ChildOrderCache().children(tree.get('site')!, 'name').map((n) => n.name)
    expect(sorted).toEqual(['alpha', 'dev1', 'Dev2', 'dev02', 'dev10'])
  })

  it('compares names at an offset as it compares the names themselves', () => {
    const pairs: [string, string][] = [
      ['a/dev10', 'a/dev9'],
      ['x/y/Temp', 'x/y/temp'],
      ['q/007', 'q/7'],
      ['r/', 'r/a'],
    ]
    for (const [a, b] of pairs) {
      const inPlace = Math.sign(naturalCompare(a, b, nameStart(a), nameStart(b)))
      expect(inPlace).toBe(Math.sign(naturalCompare(a.slice(nameStart(a)), b.slice(nameStart(b)))))
    }
  })
})
