/**
 * TopicTree.undoLast: taking inserts back leaves the tree exactly as a fresh tree fed only the
 * messages before them (counts, latest message, every history entry, retained flags, times),
 * also when the topics' own limits and the global budget evicted entries on the way; and the
 * message taken back, inserted again, gives the tree it had.
 */
import { describe, expect, it } from 'vitest'
import { TopicTree } from '../../electron/core/tree/topic-tree'
import { historyLength, pathOf, payloadOf } from '../../electron/core/tree/topic-node'

interface Message { topic: string; payload: Buffer; qos: 0 | 1 | 2; retain: boolean; time: number; properties?: Record<string, unknown> }

/** Seeded messages on 12 topics, sizes 0–300 bytes, some retained, some with properties. */
function messages(count: number, seed = 7): Message[] {
  let x = seed
  const next = () => (x = (x * 1103515245 + 12345) & 0x7fffffff)
  return Array.from({ length: count }, (_, i) => ({
    topic: `u/${next() % 4}/${next() % 3}`,
    payload: Buffer.alloc(1 + (next() % 300), i & 0xff),
    qos: (next() % 3) as 0 | 1 | 2,
    retain: next() % 5 === 0,
    time: 1_000_000 + i * 10,
    ...(i % 7 === 0 && { properties: { contentType: `t${i}` } }),
  }))
}

function state(tree: TopicTree) {
  const topics: Record<string, unknown> = {}
  for (const node of tree.nodes()) {
    if (!node.attached) continue
    const history: string[] = []
    for (let i = 0; i < historyLength(node) - 1; i++) history.push(payloadOf(node.history!.at(i)!).toString('hex') + node.history!.at(i)!.time)
    topics[pathOf(node)] = { count: node.ownCount, retained: node.retained, last: payloadOf(node.last!).toString('hex'), time: node.last!.time, qos: node.last!.qos, props: node.last!.properties, history, updated: node.updatedAfterBase }
  }
  // The levels above the topics: their subtree counts and times.
  for (const path of ['u', 'u/0', 'u/1', 'u/2', 'u/3']) {
    const n = tree.get(path)
    if (n !== undefined) topics[`branch ${path}`] = { count: n.subtreeCount, topics: n.subtreeTopics, updated: n.updatedAfterBase }
  }
  return { topics, messages: tree.messageCount, topicCount: tree.topicCount, historyBytes: tree.history.bytes, live: tree.history.liveEntries, evicted: tree.history.evictedByBudget }
}

const limits = { maxMessagesPerTopic: 4, maxBytesPerTopic: 100_000, budgetBytes: 2_000 }

function fresh(list: Message[]): TopicTree {
  const tree = new TopicTree({ history: limits })
  for (const m of list) tree.insert(m.topic, m.payload, m, m.time)
  return tree
}

describe('taking inserts back', () => {
  it('leaves the tree a fresh tree of the messages before them, with history limits and the budget at work', () => {
    const list = messages(600)
    const tree = new TopicTree({ history: limits })
    tree.recordUndo(200)
    for (const m of list) tree.insert(m.topic, m.payload, m, m.time)
    expect(tree.history.evictedByBudget).toBeGreaterThan(0)
    let position = list.length
    let undone = 0
    const redo: { topic: string; message: ReturnType<TopicTree['undoLast']> }[] = []
    while (undone < 150) {
      const back = tree.undoLast()
      if (back === null) break
      redo.push({ topic: back.topic, message: back })
      position--
      undone++
      if (undone % 10 === 1) expect(state(tree), `after ${undone} back`).toEqual(state(fresh(list.slice(0, position))))
    }
    // Compactions of the FIFO may stop it early, never at once for this load.
    expect(undone).toBeGreaterThan(20)
    expect(state(tree)).toEqual(state(fresh(list.slice(0, position))))
    // Inserting the messages taken back again gives the tree it had.
    for (let i = redo.length - 1; i >= 0; i--) {
      const { topic, message } = redo[i].message!
      tree.insert(topic, payloadOf(message), message, message.time)
    }
    expect(state(tree)).toEqual(state(fresh(list)))
  })

  it('stops at a topic\'s first message and at a retained deletion, changing nothing', () => {
    const tree = new TopicTree({ history: limits })
    tree.recordUndo(10)
    tree.insert('a', Buffer.from('1'), { qos: 0, retain: true }, 1)
    expect(tree.undoLast()).toBeNull()
    tree.insert('a', Buffer.from('2'), { qos: 0, retain: true }, 2)
    expect(tree.undoLast()?.topic).toBe('a')
    tree.insert('b', Buffer.from('1'), { qos: 0, retain: true }, 3)
    tree.insert('b', Buffer.alloc(0), { qos: 0, retain: true }, 4)
    const before = state(tree)
    expect(tree.undoLast()).toBeNull()
    expect(state(tree)).toEqual(before)
  })
})
