/**
 * The inspector over the browser-mode WebSocket, as the renderer reaches it (the built host,
 * out/main/web.js, against a real mosquitto): a decode and its pages cross the wire, a 16 MB
 * payload comes in bounded pages, errors arrive as {code, message}, the contract's page bounds
 * are enforced before the service sees the request, and a schema import is announced to every
 * window with `schemas.changed`. Needs `npm run build` first.
 */
import mqtt, { type MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAX_INSPECT_BYTES_PAGE, MAX_INSPECT_PAGE_CHARS, type DecodedMessage, type Profile, type SchemaFileInfo } from '../../electron/api'
import { startMosquitto, type MosquittoBroker } from '../fixtures/mosquitto'
import { openRpcSocket, type RpcSocket } from '../fixtures/rpc-socket'
import { waitUntil } from '../fixtures/wait-for-line'
import { startWebApp, type WebApp } from '../fixtures/web-app'

let app: WebApp
let broker: MosquittoBroker
let client: RpcSocket
let publisher: MqttClient
let connectionId: string

async function stored(path: string): Promise<void> {
  await waitUntil(`a message on ${path}`, async () => ((await client.result<unknown[]>('tree.topic.history', { connectionId, path, limit: 1, maxPayloadBytes: 1 })).length > 0 ? true : undefined), 30_000)
}

beforeAll(async () => {
  broker = await startMosquitto({ listeners: [{}] })
  app = await startWebApp()
  client = await openRpcSocket(app)
  const profile = await client.result<Profile>('profiles.create', { spec: { name: 'rpc inspect', scheme: 'mqtt', host: '127.0.0.1', port: broker.port, reconnect: { enabled: false }, subscriptions: [{ filter: 'rpc/#', qos: 1 }] } })
  connectionId = profile.id
  await client.result('connections.connect', { profileId: profile.id })
  publisher = await mqtt.connectAsync({ host: '127.0.0.1', port: broker.port, protocolVersion: 5, clientId: 'inspect-rpc-publisher', reconnectPeriod: 0 })
}, 90_000)

afterAll(async () => {
  client?.ws.close()
  await publisher?.endAsync()
  await app?.stop()
  await broker?.stop()
})

describe('the inspector over the browser-mode WebSocket', () => {
  it('decodes a message and pages it, with user properties in order', async () => {
    await publisher.publishAsync('rpc/json', '{"b":2,"a":1}', { qos: 1, properties: { userProperties: { k: ['1', '2'] } } })
    await stored('rpc/json')
    const decoded = await client.result<DecodedMessage>('inspect.decode', { message: { connectionId, path: 'rpc/json' }, sortKeys: true })
    expect(decoded.detected).toBe('json')
    expect(decoded.message.userProperties).toEqual([['k', '1'], ['k', '2']])
    const page = await client.result<{ text: string; totalChars: number }>('inspect.text', { docId: decoded.docId, offset: 0 })
    expect(JSON.parse(page.text)).toEqual({ a: 1, b: 2 })
  })

  it('sends a 16 MB payload in bounded pages and refuses pages beyond the contract’s limits', async () => {
    const size = 16 * 1024 * 1024
    await publisher.publishAsync('rpc/big', Buffer.alloc(size, 0xab), { qos: 1 })
    await stored('rpc/big')
    const decoded = await client.result<DecodedMessage>('inspect.decode', { message: { connectionId, path: 'rpc/big' } })
    expect(decoded.view).toEqual({ kind: 'hex', totalBytes: size })
    const last = await client.result<{ offset: number; base64: string; totalBytes: number }>('inspect.bytes', { docId: decoded.docId, offset: size - MAX_INSPECT_BYTES_PAGE, length: MAX_INSPECT_BYTES_PAGE })
    // Buffer.equals, not toEqual: a deep compare of 4 MiB element by element takes a minute.
    expect(Buffer.from(last.base64, 'base64').equals(Buffer.alloc(MAX_INSPECT_BYTES_PAGE, 0xab))).toBe(true)

    const tooLong = await client.call('inspect.bytes', { docId: decoded.docId, offset: 0, length: MAX_INSPECT_BYTES_PAGE + 1 })
    expect(tooLong).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } })
    const tooMany = await client.call('inspect.text', { docId: decoded.docId, offset: 0, maxChars: MAX_INSPECT_PAGE_CHARS + 1 })
    expect(tooMany).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } })
    expect(await client.call('inspect.release', { docId: decoded.docId })).toMatchObject({ ok: true })
    expect(await client.call('inspect.bytes', { docId: decoded.docId, offset: 0, length: 1 })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'This decoded message is no longer cached; select it again.' },
    })
  }, 120_000)

  it('answers NOT_FOUND with a sentence for a message that is not stored', async () => {
    const res = await client.call('inspect.decode', { message: { connectionId, path: 'rpc/never' } })
    expect(res).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    if (!res.ok) expect(res.error.message).toMatch(/No message is stored for rpc\/never/)
  })

  it('announces a schema import to every window with schemas.changed', async () => {
    const other = await openRpcSocket(app)
    try {
      await client.result<SchemaFileInfo>('schemas.import', { name: 'waiting.proto', text: 'syntax = "proto3";\nimport "later.proto";\n' })
      const event = await waitUntil('schemas.changed in the other window', () => other.events.find((e) => e.name === 'schemas.changed'), 10_000)
      expect((event.payload as SchemaFileInfo[]).map((f) => f.name)).toEqual(['waiting.proto'])
      const bad = await client.call('schemas.import', { name: 'bad.proto', text: 'message {' })
      expect(bad).toMatchObject({ ok: false, error: { code: 'SCHEMA_BAD_FILE' } })
    } finally {
      other.ws.close()
    }
  })
})
