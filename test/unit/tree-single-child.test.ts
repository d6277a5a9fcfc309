import { describe, expect, it } from 'vitest'
import { childCount, childNodes, childOf, pathOf } from '../../electron/core/tree/topic-node'
import { TopicTree } from '../../electron/core/tree/topic-tree'

const live = { qos: 0, retain: false } as const
const retained = { qos: 0, retain: true } as const

describe('one-child nodes', () => {
  it('keeps a lone child without a Map, switches to a Map at the second and back when one is left', () => {
    const tree = new TopicTree()
    tree.insert('a/b/c', Buffer.from('1'), retained)
    const a = tree.get('a')!
    // The lone child is held directly: no Map, no wrapper object.
    expect(a.children).toBe(tree.get('a/b'))
    expect(childOf(a, 'b')).toBe(tree.get('a/b'))
    expect(childOf(a, 'x')).toBeUndefined()
    expect([...childNodes(a)].map((n) => n.name)).toEqual(['b'])
    expect(childCount(a)).toBe(1)
    tree.insert('a/x', Buffer.from('2'), retained)
    expect(a.children).toBeInstanceOf(Map)
    expect([...childNodes(a)].map((n) => n.name)).toEqual(['b', 'x'])
    expect(childOf(a, 'x')).toBe(tree.get('a/x'))
    // The broker deletes a/b/c: its empty branch goes and `a` has one child again.
    tree.insert('a/b/c', Buffer.alloc(0), retained)
    expect(a.children).toBe(tree.get('a/x'))
    expect(tree.get('a/x')?.ownCount).toBe(1)
    expect(tree.get('a/b')).toBeUndefined()
    expect(tree.root.subtreeTopics).toBe(1)
    tree.insert('a/x', Buffer.alloc(0), retained)
    expect(tree.root.children).toBeNull()
    expect([...childNodes(tree.root)]).toEqual([])
    expect(childCount(tree.root)).toBe(0)
    expect(tree.nodeCount).toBe(0)
    tree.insert('a/y/z', Buffer.from('3'), live)
    expect(pathOf(tree.get('a/y/z')!)).toBe('a/y/z')
  })
})
