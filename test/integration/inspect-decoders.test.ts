/**
 * The inspector service with the real decoders against a real mosquitto, on payloads made by
 * tools we did not write: gzip from the `gzip` command (its inflated bytes paged as `decoded`),
 * Protobuf from `protoc --encode` decoded with an imported .proto through a decoder rule,
 * Sparkplug B from the Eclipse Tahu encoder with DATA aliases resolved from the stored BIRTH
 * (and the tree's preview decoded under spBv1.0/ without any rule), MessagePack from a second
 * encoder picked by its MQTT 5 content type, and a forced decoder that fails degrading to hex.
 *
 * [real decoders]: skipped, and named so, while core/decode is still the stub.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import mqtt, { type MqttClient } from 'mqtt'
import { pack } from 'msgpackr'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type DecodedMessage, type MethodName, type MethodParams, type MethodResult } from '../../electron/api'
import { decodePayload } from '../../electron/core/decode/pipeline'
import { NO_SCHEMAS } from '../../electron/core/decode/types'
import { createService, type Service } from '../../electron/core/service'
import { callService } from '../fixtures/service-call'
import { gzipCommand, protocEncode } from '../fixtures/decode-tools'
import { startMosquitto, type MosquittoBroker } from '../fixtures/mosquitto'
import { waitUntil } from '../fixtures/wait-for-line'

const realDecoders = decodePayload(Buffer.from([0xa1, 0x61, 0x61, 0x01]), { topic: 't', schemas: NO_SCHEMAS, latestPayload: () => undefined, forced: { decoder: 'cbor' } }).result.kind === 'value'
const tahu = createRequire(import.meta.url)('sparkplug-payload').get('spBv1.0') as { encodePayload(p: unknown): Uint8Array }

const TELEMETRY_PROTO = 'syntax = "proto3";\npackage plant;\nmessage Telemetry {\n  string line = 1;\n  double temp = 2;\n  repeated int32 codes = 3;\n}\n'

let dir: string
let broker: MosquittoBroker
let service: Service
let connectionId: string
let publisher: MqttClient

async function call<M extends MethodName>(method: M, params?: MethodParams<M>): Promise<MethodResult<M>> {
  return callService(service, method, params)
}

async function publishAndWait(topic: string, payload: Buffer | string, options: mqtt.IClientPublishOptions = {}): Promise<void> {
  const before = (await call('tree.topic.history', { connectionId, path: topic, limit: 1000, maxPayloadBytes: 1 })).length
  await publisher.publishAsync(topic, payload, { qos: 1, ...options })
  await waitUntil(`a new message on ${topic}`, async () => ((await call('tree.topic.history', { connectionId, path: topic, limit: 1000, maxPayloadBytes: 1 })).length > before ? true : undefined), 30_000)
}

const decode = (path: string, extra: Partial<MethodParams<'inspect.decode'>> = {}): Promise<DecodedMessage> => call('inspect.decode', { message: { connectionId, path }, ...extra })

function textOf(decoded: DecodedMessage): string {
  if (decoded.view.kind !== 'text') throw new Error(`expected a text view, got ${decoded.view.kind}`)
  return decoded.view.firstPage.text
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mqtts-inspect-decoders-'))
  broker = await startMosquitto({ listeners: [{}] })
  service = await createService({ dataDir: join(dir, 'data'), mode: 'browser', version: 'test', emit: () => {}, emitTo: () => {} })
  const profile = await call('profiles.create', {
    spec: {
      name: 'decoders', scheme: 'mqtt', host: '127.0.0.1', port: broker.port, reconnect: { enabled: false },
      subscriptions: [{ filter: 'dec/#', qos: 1 }, { filter: 'spBv1.0/#', qos: 1 }],
      decoderRules: [{ filter: 'dec/plant/+/telemetry', decoder: 'protobuf', protobufType: 'plant.Telemetry' }],
    },
  })
  connectionId = profile.id
  await call('connections.connect', { profileId: profile.id })
  publisher = await mqtt.connectAsync({ host: '127.0.0.1', port: broker.port, protocolVersion: 5, clientId: 'inspect-decoders-publisher', reconnectPeriod: 0 })
}, 60_000)

afterAll(async () => {
  await publisher?.endAsync()
  await service?.close()
  await broker?.stop()
  await rm(dir, { recursive: true, force: true })
})

describe.skipIf(!realDecoders)('[real decoders] the inspector service', () => {
  it('inflates gzip from the gzip command, detects the JSON inside, and pages raw and inflated bytes apart', async () => {
    const json = Buffer.from(JSON.stringify({ readings: Array.from({ length: 200 }, (_, i) => ({ i, v: i * 0.5 })) }))
    const gz = gzipCommand(json)
    await publishAndWait('dec/gzip', gz)
    const decoded = await decode('dec/gzip')
    expect(decoded.layers.map((l) => l.decoder)).toEqual(['gzip', 'json'])
    expect(decoded.decodedBytes).toBe(json.length)
    expect(JSON.parse(textOf(decoded))).toEqual(JSON.parse(json.toString()))
    const raw = await call('inspect.bytes', { docId: decoded.docId, offset: 0, length: 4 * 1024 * 1024 })
    expect(Buffer.from(raw.base64, 'base64')).toEqual(gz)
    const inflated = await call('inspect.bytes', { docId: decoded.docId, offset: 0, length: 4 * 1024 * 1024, source: 'decoded' })
    expect(Buffer.from(inflated.base64, 'base64')).toEqual(json)
  })

  it('decodes protoc-made bytes with an imported .proto through the profile’s rule, and again once the file is gone', async () => {
    await call('schemas.import', { name: 'telemetry.proto', text: TELEMETRY_PROTO })
    const bytes = protocEncode({ 'telemetry.proto': TELEMETRY_PROTO }, 'telemetry.proto', 'plant.Telemetry', 'line: "L1" temp: 21.5 codes: [3, 7]')
    await publishAndWait('dec/plant/l1/telemetry', bytes)
    const decoded = await decode('dec/plant/l1/telemetry')
    expect(decoded.error).toBeNull()
    expect(decoded.layers.at(-1)?.decoder).toBe('protobuf')
    expect(JSON.parse(textOf(decoded))).toEqual({ line: 'L1', temp: 21.5, codes: [3, 7] })

    // Deleting the schema changes the answer at once: the cached document is not reused.
    await call('schemas.delete', { name: 'telemetry.proto' })
    const without = await decode('dec/plant/l1/telemetry')
    expect(without.docId).not.toBe(decoded.docId)
    expect(without.error).toMatch(/plant\.Telemetry/)
    // …and falls back to the schema-less decode, fields by number.
    expect(JSON.parse(textOf(without))).toMatchObject({ 1: 'L1' })
  })

  it('resolves Sparkplug B DATA aliases from the stored BIRTH, and previews spBv1.0 rows decoded without a rule', async () => {
    const birth = Buffer.from(tahu.encodePayload({ timestamp: 1_700_000_000_000, seq: 0, metrics: [{ name: 'Temperature', alias: 10, type: 'Float', value: 21.5 }, { name: 'Label', alias: 13, type: 'String', value: 'pump' }] }))
    const data = Buffer.from(tahu.encodePayload({ timestamp: 1_700_000_001_000, seq: 1, metrics: [{ alias: 10, type: 'Float', value: 22.25 }] }))
    await publishAndWait('spBv1.0/plant/NBIRTH/edge1', birth)
    await publishAndWait('spBv1.0/plant/NDATA/edge1', data)
    const decoded = await decode('spBv1.0/plant/NDATA/edge1')
    expect(decoded.detected).toBe('sparkplug')
    expect(decoded.sparkplug).toMatchObject({ group: 'plant', messageType: 'NDATA', edgeNode: 'edge1', device: null, seq: 1, unresolvedAliases: 0 })
    expect(decoded.sparkplug?.metrics).toEqual([expect.objectContaining({ name: 'Temperature', alias: 10, value: 22.25, nameFromBirth: true })])

    const view = await call('tree.view.open', { connectionId, expanded: ['spBv1.0', 'spBv1.0/plant', 'spBv1.0/plant/NDATA'] })
    const row = view.rows.find((r) => r.path === 'spBv1.0/plant/NDATA/edge1')
    expect(row?.preview).toMatch(/Temperature/)
    await call('tree.view.close', { viewId: view.viewId })
  })

  it('decodes MessagePack from a second encoder when the MQTT 5 content type says so', async () => {
    // A lone positive fixint: one byte that detection alone reads as a number, not MessagePack.
    await publishAndWait('dec/msgpack', pack(5), { properties: { contentType: 'application/msgpack' } })
    const decoded = await decode('dec/msgpack')
    expect(decoded.reason).toMatch(/content type application\/msgpack/)
    expect(textOf(decoded)).toBe('5')
    await publishAndWait('dec/msgpack-map', pack({ temp: 21.5, ok: true }), { properties: { contentType: 'application/msgpack' } })
    expect(JSON.parse(textOf(await decode('dec/msgpack-map')))).toEqual({ temp: 21.5, ok: true })
  })

  it('answers a forced decoder that does not fit with its error and the hex view, and offers the others', async () => {
    await publishAndWait('dec/not-cbor', 'plain words')
    const forced = await decode('dec/not-cbor', { decoder: 'cbor' })
    expect(forced.error).toMatch(/^Not valid CBOR/)
    expect(forced.view).toEqual({ kind: 'hex', totalBytes: 11 })
    expect(forced.detected).toBe('text')
    expect(forced.candidates[0]).toBe('text')
  })
})
