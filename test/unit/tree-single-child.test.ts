import { describe, expect, it } from 'vitest'
import { SingleChild } from '../../electron/core/tree/topic-node'
import { TopicTree } from '../../electron/core/tree/topic-tree'

const live = { qos: 0, retain: false } as const
const retained = { qos: 0, retain: true } as const

describe('one-child nodes', () => {
  it('keeps a lone child without a Map, switches to a Map at the second and back when one is left', () => {
    const tree = new TopicTree()
    tree.insert('a/b/c', Buffer.from('1'), retained)
    const a = tree.get('a')!
    expect(a.children).toBeInstanceOf(SingleChild)
    expect([...a.children!.keys()]).toEqual(['b'])
    tree.insert('a/x', Buffer.from('2'), retained)
    expect(a.children).toBeInstanceOf(Map)
    expect([...a.children!.values()].map((n) => n.name)).toEqual(['b', 'x'])
    // The broker deletes a/b/c: its empty branch goes and `a` has one child again.
    tree.insert('a/b/c', Buffer.alloc(0), retained)
    expect(a.children).toBeInstanceOf(SingleChild)
    expect(tree.get('a/x')?.ownCount).toBe(1)
    expect(tree.get('a/b')).toBeUndefined()
    expect(tree.root.subtreeTopics).toBe(1)
    tree.insert('a/x', Buffer.alloc(0), retained)
    expect(tree.root.children).toBeNull()
    expect(tree.nodeCount).toBe(0)
    tree.insert('a/y/z', Buffer.from('3'), live)
    expect(tree.get('a/y/z')?.path).toBe('a/y/z')
  })
})
