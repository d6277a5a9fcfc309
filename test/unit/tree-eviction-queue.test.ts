import { describe, expect, it } from 'vitest'
import { EvictionQueue } from '../../electron/core/tree/eviction-queue'
import { createNode, type StoredMessage } from '../../electron/core/tree/topic-node'

function message(n: number): StoredMessage {
  return { data: Buffer.alloc(0), offset: 0, length: 0, qos: 0, retain: false, time: n, size: 0, truncated: false, properties: undefined, evicted: false }
}

/** The queue's pairs oldest first, as [time, node path], by shifting a copy's worth out. */
function drain(queue: EvictionQueue): [number, string][] {
  const out: [number, string][] = []
  while (queue.size > 0) {
    out.push([queue.oldestEntry()!.time, queue.oldestNode()!.path])
    queue.shift()
  }
  return out
}

describe('EvictionQueue', () => {
  it('is a FIFO of pairs across wrap-arounds and growth, with unshift and pop taking back shift and push', () => {
    const queue = new EvictionQueue()
    const node = createNode('t', null)
    const model: number[] = []
    let next = 0
    // Push more than shifted, so the ring wraps many times and grows past its first capacity.
    for (let round = 0; round < 300; round++) {
      for (let i = 0; i < 37; i++) {
        queue.push(message(next), node)
        model.push(next++)
      }
      for (let i = 0; i < 29; i++) {
        expect(queue.oldestEntry()!.time).toBe(model[0])
        queue.shift()
        model.shift()
      }
      expect(queue.size).toBe(model.length)
      expect(queue.newestEntry()!.time).toBe(model.at(-1))
    }
    // Taking back: a shift (unshift) and a push (pop).
    const oldest = queue.oldestEntry()!
    queue.shift()
    queue.unshift(oldest, node)
    queue.pop()
    model.pop()
    expect(drain(queue).map(([time]) => time)).toEqual(model)
    expect(queue.oldestEntry()).toBeUndefined()
    expect(queue.newestEntry()).toBeUndefined()
  })

  it('compacts in place, keeping order and each message with its node, also when wrapped', () => {
    const queue = new EvictionQueue()
    const nodes = [createNode('a', null), createNode('b', null), createNode('c', null)]
    for (let i = 0; i < 1000; i++) queue.push(message(i), nodes[i % 3])
    for (let i = 0; i < 900; i++) queue.shift()
    // Wrapped now: 100 held near the end of the array, then 1000 more across its start.
    for (let i = 1000; i < 2000; i++) queue.push(message(i), nodes[i % 3])
    queue.compact((entry) => entry.time % 7 === 0)
    const expected: [number, string][] = []
    for (let i = 900; i < 2000; i++) if (i % 7 === 0) expected.push([i, nodes[i % 3].path])
    expect(queue.size).toBe(expected.length)
    expect(drain(queue)).toEqual(expected)
    // Usable after: push, then shift in order.
    queue.push(message(5), nodes[0])
    expect(drain(queue)).toEqual([[5, 'a']])
  })

  it('gives room back once it holds under a quarter of it, and not while it breathes around one size', () => {
    const queue = new EvictionQueue()
    const node = createNode('t', null)
    for (let i = 0; i < 100_000; i++) queue.push(message(i), node)
    expect(queue.capacity).toBe(131_072)
    // Down to 40,000 of 131,072: more than a quarter, so it keeps its room.
    for (let i = 0; i < 60_000; i++) queue.shift()
    queue.fit()
    expect(queue.capacity).toBe(131_072)
    // Down to 1,000: it shrinks, keeping order.
    for (let i = 0; i < 39_000; i++) queue.shift()
    queue.fit()
    expect(queue.capacity).toBeLessThanOrEqual(4096)
    expect(queue.capacity).toBeGreaterThanOrEqual(2000)
    expect(drain(queue).map(([time]) => time)).toEqual(Array.from({ length: 1000 }, (_, i) => 99_000 + i))
  })

  it('is empty after clear', () => {
    const queue = new EvictionQueue()
    for (let i = 0; i < 5000; i++) queue.push(message(i), createNode('x', null))
    queue.clear()
    expect(queue.size).toBe(0)
    queue.shift()
    queue.pop()
    expect(queue.size).toBe(0)
  })
})
