import { describe, expect, it } from 'vitest'
import { historyLength, pathOf, type TopicNode } from '../../electron/core/tree/topic-node'
import { TopicTree } from '../../electron/core/tree/topic-tree'

const live = { qos: 0, retain: false } as const
const retained = { qos: 0, retain: true } as const

describe('topics found by walking until their second message', () => {
  it('puts every later message of a topic on the node its first one made', () => {
    const tree = new TopicTree()
    const first = tree.insert('a/b/c', Buffer.from('1'), live)
    expect(tree.get('a/b/c')).toBe(first)
    expect(tree.insert('a/b/c', Buffer.from('2'), live)).toBe(first)
    expect(tree.insert('a/b/c', Buffer.from('3'), live)).toBe(first)
    expect(first?.ownCount).toBe(3)
    expect(historyLength(first!)).toBe(3)
    expect(tree.topicCount).toBe(1)
    expect(tree.nodeCount).toBe(3)
  })

  it('makes an intermediate level a topic without a second node, and a topic below a topic', () => {
    const tree = new TopicTree()
    tree.insert('a/b/c', Buffer.from('1'), live)
    const b = tree.get('a/b')!
    expect(tree.insert('a/b', Buffer.from('2'), live)).toBe(b)
    expect(tree.insert('a/b', Buffer.from('3'), live)).toBe(b)
    const d = tree.insert('a/b/c/d', Buffer.from('4'), live)!
    expect(d.parent).toBe(tree.get('a/b/c'))
    expect(pathOf(d)).toBe('a/b/c/d')
    expect(tree.topicCount).toBe(3)
    expect(tree.nodeCount).toBe(4)
  })

  it('deletes a retained topic seen once, and one seen twice', () => {
    const tree = new TopicTree()
    tree.insert('r/once', Buffer.from('1'), retained)
    tree.insert('r/twice', Buffer.from('1'), retained)
    tree.insert('r/twice', Buffer.from('2'), retained)
    expect(tree.insert('r/once', Buffer.alloc(0), retained)).toBeNull()
    expect(tree.insert('r/twice', Buffer.alloc(0), retained)).toBeNull()
    expect(tree.get('r/once')).toBeUndefined()
    expect(tree.get('r/twice')).toBeUndefined()
    expect(tree.topicCount).toBe(0)
    // A new message there is a new topic again, on a new node.
    const again = tree.insert('r/twice', Buffer.from('3'), retained)!
    expect(again.ownCount).toBe(1)
    expect(tree.get('r/twice')).toBe(again)
  })

  it('lists every topic once, and skips what was removed while the listing was paused', () => {
    const tree = new TopicTree()
    const paths = ['x/1', 'x/2', 'x', 'y/1/2', 'y/1', 'z', 'x/1']
    for (const p of paths) tree.insert(p, Buffer.from(p), retained)
    expect([...tree.nodes()].map(pathOf).sort()).toEqual(['x', 'x/1', 'x/2', 'y/1', 'y/1/2', 'z'])
    const listing = tree.nodes()
    const first = pathOf(listing.next().value as TopicNode)
    const removed = ['y', 'x/2'].filter((r) => first !== r && !first.startsWith(`${r}/`))
    for (const r of removed) tree.delete(r)
    const rest = [...listing].map(pathOf)
    const kept = ['x', 'x/1', 'x/2', 'y/1', 'y/1/2', 'z'].filter((p) => p === first || !removed.some((r) => p === r || p.startsWith(`${r}/`)))
    expect([first, ...rest].sort()).toEqual(kept)
  })

  it('lists topics in the order of their first message, also after most of them were removed', () => {
    const tree = new TopicTree()
    for (let i = 0; i < 3000; i++) tree.insert(`${i % 3 === 0 ? 'keep' : 'drop'}/t${i}`, Buffer.from('x'), retained)
    const paused = tree.nodes()
    paused.next()
    expect(tree.delete('drop')).toBe(2000)
    const expected = Array.from({ length: 1000 }, (_, k) => `keep/t${k * 3}`)
    expect([...tree.nodes()].map(pathOf)).toEqual(expected)
    // The listing begun before the removal goes on without the removed topics.
    expect([...paused].map(pathOf)).toEqual(expected.slice(1))
    tree.insert('late/one', Buffer.from('y'), live)
    expect([...tree.nodes()].map(pathOf)).toEqual([...expected, 'late/one'])
  })

  it('lists topics across the topic list’s pages in order, visiting those that arrive while a listing waits at a page’s end', () => {
    const tree = new TopicTree()
    const page = 8192
    for (let i = 0; i < 2 * page; i++) tree.insert(`p/t${i}`, Buffer.from('x'), live)
    const listing = tree.nodes()
    let seen = 0
    while (seen < 2 * page) {
      expect(pathOf(listing.next().value as TopicNode)).toBe(`p/t${seen}`)
      seen++
    }
    // Paused at the end of a full page: the topic that opens the next page is still visited.
    tree.insert('p/late', Buffer.from('y'), live)
    expect(pathOf(listing.next().value as TopicNode)).toBe('p/late')
    expect(listing.next().done).toBe(true)
    expect([...tree.nodes()].length).toBe(2 * page + 1)
  })
})
