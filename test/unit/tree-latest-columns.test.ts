import { describe, expect, it } from 'vitest'
import { hasLast, lastPayloadOf, lastTimeOf, payloadOf } from '../../electron/core/tree/topic-node'
import { TopicTree } from '../../electron/core/tree/topic-tree'

const live = { qos: 0, retain: false } as const

describe("the tree's latest-message columns", () => {
  it('gives the same StoredMessage on every read until the next message replaces it', () => {
    const tree = new TopicTree()
    const node = tree.insert('a/b', Buffer.from('one'), { qos: 1, retain: false, time: 1000 })!
    const first = node.last
    expect(node.last).toBe(first)
    tree.insert('a/b', Buffer.from('two'), { qos: 2, retain: false, time: 2000 })
    expect(node.last).not.toBe(first)
    expect(node.last).toMatchObject({ qos: 2, time: 2000, size: 3 })
    // The replaced object is the one history keeps, not a copy.
    expect(node.history?.at(0)).toBe(first)
    expect(payloadOf(first!).toString()).toBe('one')
  })

  it('answers time and payload from the columns without building the message', () => {
    const tree = new TopicTree()
    const node = tree.insert('t', Buffer.from('payload'), { ...live, time: 1234 })!
    expect(hasLast(node)).toBe(true)
    expect(lastTimeOf(node)).toBe(1234)
    expect(lastPayloadOf(node)?.toString()).toBe('payload')
    expect(node.lastObject).toBeNull()
    expect(hasLast(tree.root)).toBe(false)
  })

  it('keeps a removed topic’s latest message readable, while its slot serves a new topic', () => {
    const tree = new TopicTree()
    const gone = tree.insert('x/gone', Buffer.from('old'), live)!
    tree.insert('x/gone', Buffer.alloc(0), { qos: 0, retain: true })
    expect(gone.attached).toBe(false)
    expect(gone.slot).toBe(-1)
    const fresh = tree.insert('y/new', Buffer.from('new'), live)!
    expect(payloadOf(gone.last!).toString()).toBe('old')
    expect(payloadOf(fresh.last!).toString()).toBe('new')
  })

  it('gives back every slot on clear, so a topic of the old tree reads no other topic’s message', () => {
    const tree = new TopicTree()
    const old = tree.insert('p/q', Buffer.from('before clear'), live)!
    tree.clear()
    const now = tree.insert('r/s', Buffer.from('after clear'), live)!
    expect(old.slot).toBe(-1)
    expect(old.last).toBeNull()
    expect(payloadOf(now.last!).toString()).toBe('after clear')
  })

  it('keeps MQTT 5 properties per topic and drops them when a message without any follows', () => {
    const tree = new TopicTree()
    const properties = { contentType: 'text/plain' }
    const node = tree.insert('props', Buffer.from('a'), { ...live, properties })!
    const other = tree.insert('plain', Buffer.from('b'), live)!
    expect(node.last?.properties).toBe(properties)
    expect(other.last?.properties).toBeUndefined()
    tree.insert('props', Buffer.from('c'), live)
    expect(node.last?.properties).toBeUndefined()
  })

  it('keeps every topic’s message apart across the columns’ pages, and a freed slot’s page serves the next topic', () => {
    const tree = new TopicTree()
    // Well over two pages of 8,192 slots (the store is shared, so other tests' slots come first).
    const count = 20_000
    for (let i = 0; i < count; i++) tree.insert(`c/t${i}`, Buffer.from(`m${i}`), { qos: (i % 3) as 0 | 1 | 2, retain: false, time: 10_000 + i })
    for (const i of [0, 8191, 8192, 16_383, 16_384, count - 1]) {
      const node = tree.get(`c/t${i}`)!
      expect(lastPayloadOf(node)?.toString()).toBe(`m${i}`)
      expect(lastTimeOf(node)).toBe(10_000 + i)
      expect(node.last).toMatchObject({ qos: i % 3, size: `m${i}`.length, truncated: false })
    }
    const freed = tree.get('c/t8192')!.slot
    tree.delete('c/t8192')
    const next = tree.insert('d/next', Buffer.from('reused'), live)!
    expect(next.slot).toBe(freed)
    expect(lastPayloadOf(next)?.toString()).toBe('reused')
    expect(lastPayloadOf(tree.get('c/t8193')!)?.toString()).toBe('m8193')
  })
})
