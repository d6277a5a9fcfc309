/**
 * Fetching a stored message for copy and save, against the real tree and inspector engines (the
 * real decode pipeline) behind a client that validates params as the RPC server does.
 */
import type { IPublishPacket } from 'mqtt'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { methods, type MethodName } from '../../electron/api'
import { InspectManager } from '../../electron/core/inspect/inspect-manager'
import { treeService } from '../../electron/core/tree/service'
import { TreeManager } from '../../electron/core/tree/tree-manager'
import type { ApiClient } from '../../renderer/src/api/client'
import { fetchDecoded, fetchStored, resolveIndex } from '../../renderer/src/lib/history/message-fetch'

const packet = { cmd: 'publish', qos: 0, retain: false, dup: false } as unknown as IPublishPacket
let trees: TreeManager
let inspect: InspectManager
let client: ApiClient
const calls: string[] = []

beforeEach(() => {
  trees = new TreeManager({ emit: () => {}, emitTo: () => {} })
  inspect = new InspectManager({ trees, schemas: { lookup: { protobuf: () => undefined, avro: () => undefined }, generation: 1 } })
  const tree = treeService(trees)
  const handlers: Record<string, (params: never) => Promise<unknown>> = {
    'tree.topic.history': tree['tree.topic.history'] as never,
    'inspect.decode': async (p) => inspect.decode(p),
    'inspect.text': async (p) => inspect.text(p),
    'inspect.release': async (p: { docId: string }) => (inspect.release(p.docId), { released: true }),
  }
  calls.length = 0
  client = {
    async call(method: MethodName, params?: unknown) {
      calls.push(method)
      return handlers[method]((methods[method] as unknown as { parse(v: unknown): never }).parse(params)) as never
    },
    on: () => () => {},
  } as ApiClient
})
afterEach(() => trees.close())

const put = (payload: string | Buffer, time: number) => trees.onMessage('c1', 'lab/t', Buffer.from(payload), packet, time)

describe('fetching a stored message for copy and save', () => {
  it('finds a message again by its arrival time after newer messages moved it', async () => {
    put('first', 1000)
    put('second', 2000)
    const ref = { index: 1, time: 1000 }
    put('third', 3000)
    put('fourth', 4000)
    expect(await resolveIndex(client, 'c1', 'lab/t', ref)).toBe(3)
    const stored = await fetchStored(client, 'c1', 'lab/t', ref)
    expect(Buffer.from(stored!.bytes).toString()).toBe('first')
    expect(await resolveIndex(client, 'c1', 'lab/t', { index: 0, time: 1500 })).toBeNull()
  })

  it('fetches a payload whole, however big, past the history page limit', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024, 0x61)
    put(big, 1000)
    const stored = await fetchStored(client, 'c1', 'lab/t', { index: 0, time: 1000 })
    expect(stored!.bytes.length).toBe(big.length)
    expect(stored!.entry.payloadCut).toBeUndefined()
  })

  it('joins every page of a big decoded document and leaves the document to the inspector that shares it', async () => {
    const value = { items: Array.from({ length: 60_000 }, (_, i) => ({ i, name: `item-${i}` })) }
    put(JSON.stringify(value), 1000)
    // The inspector shows the message: it holds the same document (same message, same way).
    const shown = inspect.decode(methods['inspect.decode'].parse({ message: { connectionId: 'c1', path: 'lab/t', index: 0, time: 1000 }, firstPageChars: 1000 }))
    const decoded = await fetchDecoded(client, 'c1', 'lab/t', { index: 0, time: 1000 })
    expect(decoded.refusal).toBeNull()
    if (decoded.refusal !== null) return
    expect(decoded.json).toBe(true)
    expect(JSON.parse(decoded.text)).toEqual(value)
    expect(decoded.text.length).toBeGreaterThan(1024 * 1024)
    expect(calls.filter((c) => c === 'inspect.text').length).toBeGreaterThan(1)
    // Still there for the inspector's next page.
    expect(inspect.text(methods['inspect.text'].parse({ docId: shown.docId, offset: 1000 })).text.length).toBeGreaterThan(0)
  })

  it('says why a binary message has no decoded form instead of failing', async () => {
    // 0xc1 is unused in MessagePack, a bare tag in CBOR, an unfinished varint in Protobuf; not UTF-8 either.
    put(Buffer.from([0xc1, 0xff, 0xfe]), 1000)
    const decoded = await fetchDecoded(client, 'c1', 'lab/t', { index: 0, time: 1000 })
    expect(decoded.refusal).toMatch(/no decoded form.*hex or base64/)
  })
})
