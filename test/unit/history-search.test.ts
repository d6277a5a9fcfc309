import { describe, expect, it } from 'vitest'
import { historyEntries } from '../../electron/core/tree/tree-queries'
import { TopicTree } from '../../electron/core/tree/topic-tree'

const live = { qos: 0, retain: false } as const

function treeWith(payloads: Array<string | Buffer>): TopicTree {
  const tree = new TopicTree({ history: { maxMessagesPerTopic: 1000, maxBytesPerTopic: 1e9, budgetBytes: 1e9 } })
  for (const p of payloads) tree.insert('t', typeof p === 'string' ? Buffer.from(p) : p, live)
  return tree
}
const texts = (entries: Array<{ payloadBase64: string }>) => entries.map((e) => Buffer.from(e.payloadBase64, 'base64').toString())

describe('history search on the main side', () => {
  it('finds matches in the whole kept history, newest first, with each one’s history index', () => {
    // 300 messages: more than any page the list loads, the match far back in the history.
    const tree = treeWith(Array.from({ length: 300 }, (_, i) => (i === 5 || i === 250 ? `{"alarm":"OVERHEAT","n":${i}}` : `{"n":${i}}`)))
    const found = historyEntries(tree.get('t'), 0, 50, 512, 'overheat')
    expect(texts(found)).toEqual(['{"alarm":"OVERHEAT","n":250}', '{"alarm":"OVERHEAT","n":5}'])
    // Index 0 is the latest (n = 299).
    expect(found.map((e) => e.index)).toEqual([49, 294])
  })

  it('counts offset and limit in matches, so "load older" pages through the results', () => {
    const tree = treeWith(Array.from({ length: 20 }, (_, i) => `v${i % 2 === 0 ? 'even' : 'odd'}${i}`))
    const page1 = historyEntries(tree.get('t'), 0, 3, 512, 'even')
    const page2 = historyEntries(tree.get('t'), 3, 3, 512, 'even')
    expect(texts(page1)).toEqual(['veven18', 'veven16', 'veven14'])
    expect(texts(page2)).toEqual(['veven12', 'veven10', 'veven8'])
  })

  it('ignores case, reads binary payloads as UTF-8 without failing, and leaves entries without search unindexed', () => {
    const tree = treeWith([Buffer.from([0xff, 0xfe, 0x00]), 'Hello World', 'nothing'])
    expect(texts(historyEntries(tree.get('t'), 0, 10, 512, 'WORLD'))).toEqual(['Hello World'])
    expect(historyEntries(tree.get('t'), 0, 10, 512, 'absent')).toEqual([])
    expect(historyEntries(tree.get('t'), 0, 10).every((e) => e.index === undefined)).toBe(true)
  })
})
