/**
 * Finding the message a ref names while new arrivals move it, when two messages of the topic
 * arrived in the same millisecond (the time alone cannot tell them apart).
 */
import { describe, expect, it } from 'vitest'
import { findMessage, type MessageSource } from '../../electron/core/inspect/message-lookup'
import type { StoredMessage } from '../../electron/core/tree/topic-node'

function stored(text: string, time: number): StoredMessage {
  const data = Buffer.from(text)
  return { data, offset: 0, length: data.length, qos: 0, retain: false, time, size: data.length, truncated: false, properties: undefined, evicted: false }
}

/** Newest first, like the tree's history; one object per tree, as the TreeManager is. */
function source(history: StoredMessage[]): MessageSource {
  return { storedMessages: (_c, _p, offset, limit) => history.slice(offset, offset + limit) }
}

describe('finding a pinned message', () => {
  it('follows the message it answered with, not another of the same millisecond, as new ones arrive', () => {
    const [m0, m1, m2] = [stored('m0', 1000), stored('m1', 1000), stored('m2', 1000)]
    const history = [m2, m1, m0]
    const tree = source(history)
    const first = findMessage(tree, { connectionId: 'lookup-c', path: 'same/ms', index: 1 })
    expect(first.message).toBe(m1)
    history.unshift(stored('m3', 1001), stored('m4', 1002))
    const moved = findMessage(tree, { connectionId: 'lookup-c', path: 'same/ms', index: 1, time: first.message.time })
    expect(moved.index).toBe(3)
    expect(moved.message).toBe(m1)
  })

  it('still finds a message by its time when no answer pinned it', () => {
    const m1 = stored('m1', 2000)
    const history = [stored('m3', 2002), stored('m2', 2001), m1]
    expect(findMessage(source(history), { connectionId: 'lookup-c', path: 'unpinned', index: 0, time: 2000 })).toMatchObject({ message: m1, index: 2 })
  })
})
