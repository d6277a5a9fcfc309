import { describe, expect, it } from 'vitest'
import { ENTRY_OVERHEAD_BYTES } from '../../electron/core/tree/history'
import { historyOf } from '../../electron/core/tree/rows'
import { payloadOf } from '../../electron/core/tree/topic-node'
import { TopicTree } from '../../electron/core/tree/topic-tree'

const live = { qos: 0, retain: false } as const
const text = (node: ReturnType<TopicTree['get']>) => historyOf(node!, 0, 1000).map((m) => payloadOf(m).toString())
const sized = (n: number, fill: string) => Buffer.alloc(n, fill)

describe('topic history', () => {
  it('keeps the last messages of a topic newest first, up to the per-topic count', () => {
    const tree = new TopicTree({ history: { maxMessagesPerTopic: 3, maxBytesPerTopic: 1e9, budgetBytes: 1e9 } })
    for (let i = 1; i <= 5; i++) tree.insert('t', Buffer.from(String(i)), live)
    expect(text(tree.get('t'))).toEqual(['5', '4', '3'])
    expect(tree.get('t')!.ownCount).toBe(5)
  })

  it('keeps only the latest message when history is off', () => {
    const tree = new TopicTree({ history: { maxMessagesPerTopic: 1, maxBytesPerTopic: 1e9, budgetBytes: 1e9 } })
    for (let i = 1; i <= 3; i++) tree.insert('t', Buffer.from(String(i)), live)
    expect(text(tree.get('t'))).toEqual(['3'])
    expect(tree.history.bytes).toBe(0)
  })

  it('drops the oldest entries of a topic over its byte limit but never the latest message', () => {
    const cost = 100 + ENTRY_OVERHEAD_BYTES
    const tree = new TopicTree({ history: { maxMessagesPerTopic: 100, maxBytesPerTopic: 2 * cost, budgetBytes: 1e9 } })
    for (const fill of 'abcde') tree.insert('t', sized(100, fill), live)
    expect(text(tree.get('t')).map((s) => s[0])).toEqual(['e', 'd', 'c'])
    tree.insert('huge', sized(10_000, 'x'), live)
    tree.insert('huge', sized(10_000, 'y'), live)
    expect(text(tree.get('huge')).map((s) => s[0])).toEqual(['y'])
  })

  it('evicts the oldest history across topics when the global budget is exceeded, keeping every latest message', () => {
    const cost = 100 + ENTRY_OVERHEAD_BYTES
    const tree = new TopicTree({ history: { maxMessagesPerTopic: 100, maxBytesPerTopic: 1e9, budgetBytes: 3 * cost } })
    tree.insert('a', sized(100, '1'), live)
    tree.insert('b', sized(100, '1'), live)
    tree.insert('a', sized(100, '2'), live) // history: a1
    tree.insert('b', sized(100, '2'), live) // history: a1 b1
    tree.insert('a', sized(100, '3'), live) // history: a1 b1 a2
    tree.insert('b', sized(100, '3'), live) // a1 is the oldest across topics and goes
    expect(text(tree.get('a')).map((s) => s[0])).toEqual(['3', '2'])
    expect(text(tree.get('b')).map((s) => s[0])).toEqual(['3', '2', '1'])
    expect(tree.history.bytes).toBeLessThanOrEqual(3 * cost)
    expect(tree.history.evictedByBudget).toBe(1)
    expect(tree.get('a')!.ownCount + tree.get('b')!.ownCount).toBe(6)
  })

  it('stays within the budget over a long run with per-topic and global eviction mixed', () => {
    const budget = 50_000
    const tree = new TopicTree({ history: { maxMessagesPerTopic: 20, maxBytesPerTopic: 5_000, budgetBytes: budget } })
    for (let i = 0; i < 50_000; i++) tree.insert(`t/${i % 37}`, sized(10 + (i % 90), 'z'), live)
    expect(tree.history.bytes).toBeLessThanOrEqual(budget)
    let sum = 0
    for (const node of tree.nodes()) sum += node.history?.bytes ?? 0
    expect(sum).toBe(tree.history.bytes)
    expect(tree.messageCount).toBe(50_000)
    for (let i = 0; i < 37; i++) expect(tree.get(`t/${i}`)!.last).not.toBeNull()
  })

  it('pages through history with an offset', () => {
    const tree = new TopicTree()
    for (let i = 1; i <= 10; i++) tree.insert('t', Buffer.from(String(i)), live)
    expect(historyOf(tree.get('t')!, 2, 3).map((m) => payloadOf(m).toString())).toEqual(['8', '7', '6'])
  })
})
