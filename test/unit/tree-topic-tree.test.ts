import { describe, expect, it } from 'vitest'
import { childNodes, depthOf, pathOf, payloadOf, subtreeUpdateOf } from '../../electron/core/tree/topic-node'
import { TopicTree } from '../../electron/core/tree/topic-tree'

const json = (v: unknown) => Buffer.from(JSON.stringify(v))
const live = { qos: 0, retain: false } as const
const retained = { qos: 1, retain: true } as const

describe('topic tree', () => {
  it('counts messages per topic and per subtree, and topics per subtree', () => {
    const tree = new TopicTree()
    tree.insert('home/kitchen/temp', json(21), live)
    tree.insert('home/kitchen/temp', json(22), live)
    tree.insert('home/kitchen/humidity', json(40), live)
    tree.insert('home/garage', json('open'), live)
    tree.insert('home', json('root level topic'), live)

    const home = tree.get('home')!
    expect(home.ownCount).toBe(1)
    expect(home.subtreeCount).toBe(5)
    expect(home.subtreeTopics).toBe(4)
    const kitchen = tree.get('home/kitchen')!
    expect(kitchen.ownCount).toBe(0)
    expect(kitchen.subtreeCount).toBe(3)
    expect(kitchen.subtreeTopics).toBe(2)
    expect(tree.get('home/kitchen/temp')!.ownCount).toBe(2)
    expect(tree.messageCount).toBe(5)
    expect(tree.topicCount).toBe(4)
  })

  it('keeps the latest message whole, with qos, retain flag, time, size and MQTT 5 properties', () => {
    const tree = new TopicTree()
    const properties = { contentType: 'application/json', userProperties: { a: '1' } }
    const node = tree.insert('a/b', json({ v: 1 }), { qos: 2, retain: true, time: 1234, properties })!
    expect(node.last).toMatchObject({ qos: 2, retain: true, time: 1234, size: 7, truncated: false, properties })
    expect(payloadOf(node.last!).toString()).toBe('{"v":1}')
  })

  it('keeps levels exactly: empty levels, a leading slash and $SYS as its own top-level branch', () => {
    const tree = new TopicTree()
    tree.insert('/leading', json(1), live)
    tree.insert('a//b', json(1), live)
    tree.insert('$SYS/broker/uptime', json(1), live)
    const top = [...childNodes(tree.root)].map((n) => n.name).sort()
    expect(top).toEqual(['', '$SYS', 'a'])
    expect(tree.get('a/')!.name).toBe('')
    expect(depthOf(tree.get('a//b')!)).toBe(2)
    expect(pathOf(tree.get('/leading')!.parent!)).toBe('')
    expect(tree.get('$SYS')!.subtreeTopics).toBe(1)
  })

  it('copies payloads that are views into a socket chunk, so the chunk is not pinned', () => {
    const tree = new TopicTree()
    const chunk = Buffer.alloc(65536, 0x41)
    for (const [start, end] of [[100, 164], [1000, 11000]]) {
      const view = chunk.subarray(start, end)
      const stored = tree.insert(`t/${start}`, view, live)!.last!
      expect(payloadOf(stored).equals(view)).toBe(true)
      expect(stored.data.buffer).not.toBe(chunk.buffer)
    }
    chunk.fill(0x42)
    expect(payloadOf(tree.get('t/100')!.last!)[0]).toBe(0x41)
  })

  it('keeps a big payload that is a whole buffer without copying it', () => {
    const tree = new TopicTree()
    const whole = Buffer.alloc(100_000, 1)
    expect(tree.insert('u', whole, live)!.last!.data).toBe(whole)
  })

  it('cuts payloads above the cap and records the original size', () => {
    const tree = new TopicTree({ payloadCapBytes: 10 })
    const node = tree.insert('big', Buffer.alloc(25, 1), live)!
    expect(node.last).toMatchObject({ size: 25, truncated: true })
    expect(payloadOf(node.last!).length).toBe(10)
    expect(tree.insert('small', Buffer.alloc(10, 1), live)!.last!.truncated).toBe(false)
  })

  it('marks retained topics and keeps the marker through later live messages', () => {
    const tree = new TopicTree()
    tree.insert('dev/1/state', json('on'), retained)
    expect(tree.get('dev/1/state')!.retained).toBe(true)
    tree.insert('dev/1/state', json('off'), live)
    expect(tree.get('dev/1/state')!.retained).toBe(true)
  })

  it('removes a retained leaf when its retained message is deleted, with its counts and empty ancestors', () => {
    const tree = new TopicTree()
    tree.insert('dev/1/state', json('on'), retained)
    tree.insert('dev/1/state', json('on'), live)
    tree.insert('other', json(1), live)
    // A 3.1.1 broker forwards the deletion to live subscribers with retain=0.
    expect(tree.insert('dev/1/state', Buffer.alloc(0), live)).toBeNull()
    expect(tree.get('dev/1/state')).toBeUndefined()
    expect(tree.get('dev')).toBeUndefined()
    expect(tree.messageCount).toBe(1)
    expect(tree.topicCount).toBe(1)
  })

  it('keeps a cleared retained topic that has children, recording the empty message', () => {
    const tree = new TopicTree()
    tree.insert('a', json(1), retained)
    tree.insert('a/b', json(2), live)
    const a = tree.insert('a', Buffer.alloc(0), retained)!
    expect(a.retained).toBe(false)
    expect(a.ownCount).toBe(2)
    expect(a.last!.size).toBe(0)
  })

  it('does not create a topic for a retained deletion of a topic it never saw', () => {
    const tree = new TopicTree()
    expect(tree.insert('x/y', Buffer.alloc(0), retained)).toBeNull()
    expect(tree.nodeCount).toBe(0)
  })

  it('records an empty live message on a topic that is not retained', () => {
    const tree = new TopicTree()
    tree.insert('ping', json(1), live)
    expect(tree.insert('ping', Buffer.alloc(0), live)!.ownCount).toBe(2)
  })

  it('keeps cleared retained topics when asked to', () => {
    const tree = new TopicTree({ keepClearedRetained: true })
    tree.insert('k', json(1), retained)
    const node = tree.insert('k', Buffer.alloc(0), retained)!
    expect(node.retained).toBe(false)
    expect(node.ownCount).toBe(2)
  })

  it('deletes a subtree, subtracts its counts from the ancestors and releases its history', () => {
    const tree = new TopicTree()
    for (let i = 0; i < 3; i++) tree.insert('a/b/c', json(i), live)
    tree.insert('a/b/d', json(1), live)
    tree.insert('a/e', json(1), live)
    const removedNode = tree.get('a/b')!
    expect(tree.history.liveEntries).toBe(2)
    expect(tree.delete('a/b')).toBe(2)
    expect(removedNode.attached).toBe(false)
    expect(tree.get('a/b/c')).toBeUndefined()
    expect(tree.get('a')!.subtreeCount).toBe(1)
    expect(tree.get('a')!.subtreeTopics).toBe(1)
    expect(tree.history.liveEntries).toBe(0)
    expect(tree.history.bytes).toBe(0)
    expect(tree.delete('nope')).toBe(0)
  })

  it('clears everything and starts again with new node ids', () => {
    const tree = new TopicTree()
    const before = tree.insert('a/b', json(1), live)!
    tree.clear()
    expect(tree.messageCount).toBe(0)
    expect(tree.get('a/b')).toBeUndefined()
    const after = tree.insert('a/b', json(1), live)!
    expect(after.id).not.toBe(before.id)
    expect(tree.messageCount).toBe(1)
  })

  it('reports each changed topic once per drain while tracking', () => {
    const tree = new TopicTree()
    tree.insert('untracked', json(1), live)
    const stop = tree.trackChanges()
    tree.insert('a', json(1), live)
    tree.insert('a', json(2), live)
    tree.insert('b', json(1), live)
    expect(tree.drainChanges().map((n) => pathOf(n))).toEqual(['a', 'b'])
    tree.insert('a', json(3), live)
    expect(tree.drainChanges().map((n) => pathOf(n))).toEqual(['a'])
    // A topic that changed before tracking started is reported when it changes again.
    tree.insert('untracked', json(2), live)
    expect(tree.drainChanges().map((n) => pathOf(n))).toEqual(['untracked'])
    stop()
    tree.insert('a', json(4), live)
    expect(tree.drainChanges()).toEqual([])
  })

  it('keeps update times exact and builds the paths of intermediate levels when asked', () => {
    const tree = new TopicTree()
    expect(subtreeUpdateOf(tree.root)).toBe(0)
    tree.insert('site/hall//dev', json(1), { ...live, time: 1_700_000_000_123 })
    expect(subtreeUpdateOf(tree.get('site')!)).toBe(1_700_000_000_123)
    tree.insert('site/other', json(2), { ...live, time: 5 })
    expect(subtreeUpdateOf(tree.get('site')!)).toBe(5)
    expect(subtreeUpdateOf(tree.get('site/hall')!)).toBe(1_700_000_000_123)
    const empty = tree.get('site/hall/')!
    expect(empty.name).toBe('')
    expect(pathOf(empty)).toBe('site/hall/')
    expect(depthOf(empty)).toBe(2)
    expect(tree.get('site/hall//dev')!.parent).toBe(empty)
    expect(depthOf(tree.root)).toBe(-1)
  })
})
