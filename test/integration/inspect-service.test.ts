/**
 * The message inspector through the whole service (createService, as both shells run it) against
 * a real mosquitto: JSON, text and binary payloads decoded and paged, MQTT 5 content type and
 * user properties (duplicates kept), a message pinned by its time while new ones arrive, a 16 MB
 * payload decoded, paged and released, clear NOT_FOUND errors for what is not there, and two
 * decoded messages diffed trimmed to their changes (inspect.diff).
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import mqtt, { type MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ApiError, methods, type DecodedMessage, type MethodName, type MethodParams, type MethodResult } from '../../electron/api'
import { createService, type Service } from '../../electron/core/service'
import { callService } from '../fixtures/service-call'
import { startMosquitto, type MosquittoBroker } from '../fixtures/mosquitto'
import { waitUntil } from '../fixtures/wait-for-line'

let dir: string
let broker: MosquittoBroker
let service: Service
let connectionId: string
let publisher: MqttClient

async function call<M extends MethodName>(method: M, params?: MethodParams<M>): Promise<MethodResult<M>> {
  return callService(service, method, params)
}

/** The error a call fails with (the test fails if it succeeds). */
async function failure<M extends MethodName>(method: M, params?: MethodParams<M>): Promise<ApiError> {
  try {
    await call(method, params)
  } catch (err) {
    if (err instanceof ApiError) return err
    throw err
  }
  throw new Error(`${method} succeeded where it should fail`)
}

/** Waits until the topic has `count` stored messages (30 s: these suites share the machine). */
async function stored(path: string, count = 1): Promise<void> {
  await waitUntil(`${count} message(s) on ${path.slice(0, 40)}`, async () => {
    const history = await call('tree.topic.history', { connectionId, path, offset: 0, limit: count, maxPayloadBytes: 1 })
    return history.length >= count ? true : undefined
  }, 30_000)
}

async function publishAndWait(topic: string, payload: Buffer | string, options: mqtt.IClientPublishOptions = {}, count = 1): Promise<void> {
  await publisher.publishAsync(topic, payload, { qos: 1, ...options })
  await stored(topic, count)
}

const decode = (path: string, extra: Partial<MethodParams<'inspect.decode'>> = {}, index = 0, time?: number): Promise<DecodedMessage> =>
  call('inspect.decode', { message: { connectionId, path, index, ...(time === undefined ? {} : { time }) }, ...extra })

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mqtts-inspect-service-'))
  broker = await startMosquitto({ listeners: [{}] })
  service = await createService({ dataDir: join(dir, 'data'), mode: 'browser', version: 'test', emit: () => {} })
  const profile = await call('profiles.create', { spec: { name: 'inspect broker', scheme: 'mqtt', host: '127.0.0.1', port: broker.port, reconnect: { enabled: false }, subscriptions: [{ filter: 'inspect/#', qos: 1 }] } })
  connectionId = profile.id
  await call('connections.connect', { profileId: profile.id })
  publisher = await mqtt.connectAsync({ host: '127.0.0.1', port: broker.port, protocolVersion: 5, clientId: 'inspect-test-publisher', reconnectPeriod: 0 })
}, 60_000)

afterAll(async () => {
  await publisher?.endAsync()
  await service?.close()
  await broker?.stop()
  await rm(dir, { recursive: true, force: true })
})

describe('inspect.decode through the service', () => {
  it('decodes a JSON payload, pages its text and gives its raw bytes', async () => {
    const payload = JSON.stringify({ temp: 21.5, unit: 'C', tags: ['a', 'b'] })
    await publishAndWait('inspect/json', payload)
    const decoded = await decode('inspect/json', { firstPageChars: 10 })
    expect(decoded.detected).toBe('json')
    expect(decoded.view.kind).toBe('text')
    if (decoded.view.kind !== 'text') return
    const whole = JSON.stringify(JSON.parse(payload), null, 2)
    expect(decoded.view).toMatchObject({ language: 'json', totalChars: whole.length, firstPage: { offset: 0, text: whole.slice(0, 10), nextOffset: 10 } })
    expect(decoded.message).toMatchObject({ index: 0, size: Buffer.byteLength(payload), qos: 1, truncated: false })

    // The rest of the text, page by page, until nextOffset is null.
    let text = decoded.view.firstPage.text
    for (let offset: number | null = 10; offset !== null;) {
      const page: MethodResult<'inspect.text'> = await call('inspect.text', { docId: decoded.docId, offset, maxChars: 7 })
      expect(page.totalChars).toBe(whole.length)
      text += page.text
      offset = page.nextOffset
    }
    expect(text).toBe(whole)

    const bytes = await call('inspect.bytes', { docId: decoded.docId, offset: 0, length: 1024 })
    expect(Buffer.from(bytes.base64, 'base64').toString()).toBe(payload)
    expect(bytes.totalBytes).toBe(Buffer.byteLength(payload))
  })

  it('shows text as text and binary as hex, paged as bytes', async () => {
    await publishAndWait('inspect/text', 'hello inspector')
    const text = await decode('inspect/text')
    expect(text.view).toMatchObject({ kind: 'text', language: 'plaintext', firstPage: { text: 'hello inspector', nextOffset: null }, invalidUtf8: 0 })

    // 11 bytes: not a fixed-width number, not CBOR, MessagePack or Protobuf either.
    const binary = Buffer.from([0x00, 0xff, 0xfe, 0x10, 0x80, 0x01, 0x02, 0x03, 0x04, 0x05, 0xfa])
    await publishAndWait('inspect/binary', binary)
    const hex = await decode('inspect/binary')
    expect(hex.view).toEqual({ kind: 'hex', totalBytes: 11 })
    const page = await call('inspect.bytes', { docId: hex.docId, offset: 3, length: 4 })
    expect(Buffer.from(page.base64, 'base64')).toEqual(binary.subarray(3, 7))
    expect((await call('inspect.bytes', { docId: hex.docId, offset: 100, length: 4 })).base64).toBe('')
    // A hex document has no text to page: a clear error, not an empty answer that looks like one.
    expect((await failure('inspect.text', { docId: hex.docId, offset: 0 })).code).toBe('BAD_REQUEST')
  })

  it('reuses the document when the same message is decoded the same way, and makes another for another decoder', async () => {
    await publishAndWait('inspect/reuse', '{"a":1}')
    const first = await decode('inspect/reuse')
    const again = await decode('inspect/reuse')
    expect(again.docId).toBe(first.docId)
    const forced = await decode('inspect/reuse', { decoder: 'hex' })
    expect(forced.docId).not.toBe(first.docId)
    const sorted = await decode('inspect/reuse', { sortKeys: true })
    expect(sorted.docId).not.toBe(first.docId)
  })

  it('keeps MQTT 5 user properties with duplicates and passes the content type on', async () => {
    await publishAndWait('inspect/props', '{"v":1}', {
      properties: { contentType: 'application/json', payloadFormatIndicator: true, userProperties: { site: ['north', 'south', 'north'], line: '7' } },
    })
    const decoded = await decode('inspect/props')
    expect(decoded.message.userProperties).toEqual([['site', 'north'], ['site', 'south'], ['site', 'north'], ['line', '7']])
    expect(decoded.message.properties).toMatchObject({ contentType: 'application/json', payloadFormatIndicator: true })
  })

  it('follows a message pinned by its time while new messages move its index, and says when it is gone', async () => {
    for (let i = 0; i < 3; i++) await publishAndWait('inspect/moving', `m${i}`, {}, i + 1)
    const m1 = await decode('inspect/moving', {}, 1)
    expect(m1.view).toMatchObject({ firstPage: { text: 'm1' } })
    await publishAndWait('inspect/moving', 'm3', {}, 4)
    await publishAndWait('inspect/moving', 'm4', {}, 5)
    // Same ref as before (index 1, its time): the message is now at index 3.
    const moved = await decode('inspect/moving', {}, 1, m1.message.time)
    expect(moved.message.index).toBe(3)
    expect(moved.view).toMatchObject({ firstPage: { text: 'm1' } })
    expect(moved.docId).toBe(m1.docId)

    const gone = await failure('inspect.decode', { message: { connectionId, path: 'inspect/moving', index: 1, time: 1 } })
    expect(gone.code).toBe('NOT_FOUND')
    expect(gone.message).toMatch(/no longer stored/)
    const beyond = await failure('inspect.decode', { message: { connectionId, path: 'inspect/moving', index: 50 } })
    expect(beyond.code).toBe('NOT_FOUND')
  })

  it('answers NOT_FOUND for an unknown connection, topic or document', async () => {
    for (const message of [{ connectionId: 'no-such-connection', path: 'inspect/json' }, { connectionId, path: 'inspect/never-published' }]) {
      const err = await failure('inspect.decode', { message })
      expect(err.code).toBe('NOT_FOUND')
      expect(err.message).toMatch(/No message is stored/)
    }
    for (const method of ['inspect.text', 'inspect.bytes'] as const) {
      const err = await failure(method, { docId: 'no-such-doc', offset: 0, length: 1 })
      expect(err.code).toBe('NOT_FOUND')
      expect(err.message).toBe('This decoded message is no longer cached; select it again.')
    }
    expect(await call('inspect.release', { docId: 'no-such-doc' })).toEqual({ released: true })
  })

  it('decodes a 16 MB payload, pages its end, and forgets it once released', async () => {
    // 16 MiB of text, with a marker at the very end to prove the last page is the real end.
    const size = 16 * 1024 * 1024
    const big = Buffer.alloc(size, 'abcdefghij')
    big.write('THE-END', size - 7)
    await publishAndWait('inspect/big', big)
    const decoded = await decode('inspect/big', { firstPageChars: 1024 })
    expect(decoded.message).toMatchObject({ size, truncated: false })
    expect(decoded.view.kind).toBe('text')
    if (decoded.view.kind !== 'text') return
    expect(decoded.view.totalChars).toBe(size)
    expect(decoded.view.firstPage.text).toHaveLength(1024)
    const last = await call('inspect.text', { docId: decoded.docId, offset: size - 16, maxChars: 1024 })
    expect(last).toMatchObject({ offset: size - 16, nextOffset: null, totalChars: size })
    expect(last.text.endsWith('THE-END')).toBe(true)
    const tail = await call('inspect.bytes', { docId: decoded.docId, offset: size - 7, length: 4 * 1024 * 1024 })
    expect(Buffer.from(tail.base64, 'base64').toString()).toBe('THE-END')

    expect(await call('inspect.release', { docId: decoded.docId })).toEqual({ released: true })
    expect((await failure('inspect.text', { docId: decoded.docId, offset: 0 })).code).toBe('NOT_FOUND')
  }, 120_000)

  it('forgets a deleted profile’s documents', async () => {
    const other = await call('profiles.create', { spec: { name: 'short-lived', scheme: 'mqtt', host: '127.0.0.1', port: broker.port, reconnect: { enabled: false }, subscriptions: [{ filter: 'inspect/short/#', qos: 1 }] } })
    await call('connections.connect', { profileId: other.id })
    await publisher.publishAsync('inspect/short/a', 'bye', { qos: 1 })
    await waitUntil('the message on the short-lived connection', async () => ((await call('tree.topic.history', { connectionId: other.id, path: 'inspect/short/a', limit: 1 })).length > 0 ? true : undefined), 30_000)
    const decoded = await call('inspect.decode', { message: { connectionId: other.id, path: 'inspect/short/a' } })
    expect((await call('inspect.text', { docId: decoded.docId, offset: 0 })).text).toBe('bye')
    await call('profiles.delete', { id: other.id })
    expect((await failure('inspect.text', { docId: decoded.docId, offset: 0 })).code).toBe('NOT_FOUND')
  })

  it('diffs two decoded messages trimmed to their changes, with the full documents’ line numbers', async () => {
    // Sorted keys: the older message's keys come in another order, and only reading 1,500 changes.
    const readings = (changed: number) => JSON.stringify(Array.from({ length: 2000 }, (_, i) => (i % 2 === 0 ? { value: i === 1500 ? changed : i, id: i } : { id: i, value: i })))
    await publishAndWait('inspect/diff', readings(1500), {}, 1)
    await publishAndWait('inspect/diff', readings(-7), {}, 2)
    const older = await decode('inspect/diff', { sortKeys: true, firstPageChars: 0 }, 1)
    const newer = await decode('inspect/diff', { sortKeys: true, firstPageChars: 0 }, 0)
    const excerpt = await call('inspect.diff', { left: older.docId, right: newer.docId })
    expect(excerpt.trimmed).toBe(true)
    if (!excerpt.trimmed) return
    // Reading i's value is on line 4 + 4i of `[`, `{`, `"id": i,`, `"value": v`, `},` …
    const line = 4 + 4 * 1500
    expect(excerpt.right.totalLines).toBe(2 + 4 * 2000)
    expect(excerpt.right.blocks).toEqual([{ skipped: line - 4 }, { line: line - 3, count: 7 }, { skipped: excerpt.right.totalLines - line - 3 }])
    expect(excerpt.left.blocks).toEqual(excerpt.right.blocks)
    const lines = excerpt.right.text.split('\n')
    expect(lines[4]).toBe('    "value": -7')
    expect(excerpt.left.text.split('\n')[4]).toBe('    "value": 1500')
    expect(lines[0]).toMatch(/^⋯ 6,000 unchanged lines ⋯$/)

    // More context on request; a hex document has no text to diff; a released one is gone.
    const wider = await call('inspect.diff', { left: older.docId, right: newer.docId, contextLines: 10 })
    expect(wider.trimmed && wider.right.blocks[1]).toEqual({ line: line - 10, count: 21 })
    const hex = await decode('inspect/diff', { decoder: 'hex', firstPageChars: 0 }, 0)
    expect((await failure('inspect.diff', { left: older.docId, right: hex.docId })).code).toBe('BAD_REQUEST')
    // The contract bounds the context (the RPC server answers BAD_REQUEST before the service runs).
    expect(methods['inspect.diff'].safeParse({ left: older.docId, right: newer.docId, contextLines: 1000 }).success).toBe(false)
    await call('inspect.release', { docId: newer.docId })
    expect((await failure('inspect.diff', { left: older.docId, right: newer.docId })).code).toBe('NOT_FOUND')
  })
})
