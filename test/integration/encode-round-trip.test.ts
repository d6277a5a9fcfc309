/**
 * "Edit and publish": payloads made by other encoders are decoded (decode/pipeline.ts), turned
 * into an editor draft and encoded again; unchanged, the draft publishes the same bytes.
 */
import { gunzipSync } from 'node:zlib'
import { encode as cborEncode } from 'cbor2'
import { Packr } from 'msgpackr'
import { describe, expect, it } from 'vitest'
import { decodePayload } from '../../electron/core/decode/pipeline'
import { compileSchemaFiles } from '../../electron/core/decode/schemas'
import type { DecodeContext } from '../../electron/core/decode/types'
import { draftFromDecoded, encodeDraft } from '../../electron/core/encode'
import { decodeContext, gzipCommand, protocEncode } from '../fixtures/decode-tools'

// eslint-disable-next-line @typescript-eslint/no-require-imports
const tahu = (require('sparkplug-payload') as { get(ns: string): { encodePayload(p: object): Uint8Array } }).get('spBv1.0')

const PROTO = `syntax = "proto3";
package plant;
message Reading { string name = 1; double value = 2; int64 at = 3; bytes raw = 4; enum Kind { A = 0; B = 1; } Kind kind = 5; repeated uint64 big = 6; }
`
const schemas = compileSchemaFiles([{ name: 'reading.proto', text: PROTO }]).lookup

function roundTrip(bytes: Buffer, context: Partial<DecodeContext> = {}, protobufType?: string) {
  const ctx = decodeContext({ schemas, ...context })
  const outcome = decodePayload(bytes, ctx)
  const drafted = draftFromDecoded(bytes, outcome, { schemas, protobufType })
  const again = encodeDraft(drafted.payload, { schemas })
  if (!again.ok) throw new Error(`${again.problem.message} (${JSON.stringify(again.problem)}) for ${drafted.payload.body}`)
  return { drafted, again: again.bytes }
}

describe('a received payload opens in its decoded format and publishes the same bytes', () => {
  it('JSON: the body as received, not reformatted', () => {
    const bytes = Buffer.from('{"b": 1,\n "a": [1.50, 2e3]}')
    const { drafted, again } = roundTrip(bytes)
    expect(drafted.payload).toMatchObject({ format: 'json', body: '{"b": 1,\n "a": [1.50, 2e3]}', gzip: false })
    expect(again).toEqual(bytes)
  })

  it('text', () => {
    const bytes = Buffer.from('pump 7 is on ✓')
    const { drafted, again } = roundTrip(bytes)
    expect(drafted.payload.format).toBe('text')
    expect(again).toEqual(bytes)
  })

  it('CBOR made by cbor2: maps, big integers, bytes, floats, tags', () => {
    const value = new Map<unknown, unknown>([['b', 1], ['1', -2], ['big', 2n ** 64n - 1n], ['f', 1.5], ['d', 0.1], ['bytes', new Uint8Array([1, 2, 255])], ['when', new Date(1700000000000)], [7, 'int key'], ['list', [null, true, 'é']]])
    const bytes = Buffer.from(cborEncode(value))
    const { drafted, again } = roundTrip(bytes, { contentType: 'application/cbor' })
    expect(drafted.payload.format).toBe('cbor')
    expect(drafted.note).toMatch(/the same bytes/)
    expect(again.toString('hex')).toBe(bytes.toString('hex'))
  })

  it('MessagePack made by msgpackr: every integer width, float32 and float64, bin, nested maps', () => {
    const packr = new Packr({ useRecords: false, variableMapSize: true, useFloat32: 0 })
    const value = { z: 0, n: -1, u16: 60000, u32: 4000000000, i64: -(2n ** 62n), f64: 0.1, half: 2.5, bin: Buffer.from([1, 2]), nested: { list: [1, 'a', null, false] }, s: 'x'.repeat(40) }
    const bytes = Buffer.from(packr.pack(value))
    const { drafted, again } = roundTrip(bytes, { contentType: 'application/msgpack' })
    expect(drafted.payload.format).toBe('msgpack')
    expect(again.toString('hex')).toBe(bytes.toString('hex'))
  })

  it('Protobuf made by protoc, with the type it was decoded as', () => {
    const bytes = protocEncode({ 'reading.proto': PROTO }, 'reading.proto', 'plant.Reading', 'name: "t" value: 21.5 at: -5 raw: "\\001\\377" kind: B big: [18446744073709551615, 1]')
    const { drafted, again } = roundTrip(bytes, { forced: { decoder: 'protobuf', protobufType: 'plant.Reading' } }, 'plant.Reading')
    expect(drafted.payload).toMatchObject({ format: 'protobuf', protobufType: 'plant.Reading' })
    expect(again).toEqual(bytes)
  })

  it('Protobuf: the type is read from the decode when the caller does not pass it', () => {
    const bytes = protocEncode({ 'reading.proto': PROTO }, 'reading.proto', 'plant.Reading', 'name: "t"')
    const { drafted, again } = roundTrip(bytes, { forced: { decoder: 'protobuf', protobufType: 'plant.Reading' } })
    expect(drafted.payload.protobufType).toBe('plant.Reading')
    expect(again).toEqual(bytes)
  })

  it('Sparkplug B made by the Tahu encoder', () => {
    const bytes = Buffer.from(tahu.encodePayload({
      timestamp: 1700000000000,
      seq: 4,
      metrics: [
        { name: 'temp', type: 'Double', value: 21.5, timestamp: 1700000000001 },
        { name: 'count', type: 'Int32', value: -5 },
        { name: 'on', type: 'Boolean', value: true },
        { name: 'label', type: 'String', value: 'north' },
        { name: 'total', type: 'UInt64', value: 12345678901 },
        { name: 'unit', type: 'Float', value: 0.5, properties: { engUnit: { type: 'String', value: '°C' } } },
      ],
    }))
    const { drafted, again } = roundTrip(bytes, { topic: 'spBv1.0/plant/DDATA/edge/dev' })
    expect(drafted.payload.format).toBe('sparkplug')
    expect(JSON.parse(drafted.payload.body).metrics[1]).toMatchObject({ name: 'count', datatype: 'Int32', value: -5 })
    expect(again.toString('hex')).toBe(bytes.toString('hex'))
  })

  it('gzip: the inner format with gzip on, the content the same', () => {
    const inner = Buffer.from('{"a": 1}')
    const bytes = gzipCommand(inner)
    const { drafted, again } = roundTrip(bytes)
    expect(drafted.payload).toMatchObject({ format: 'json', body: '{"a": 1}', gzip: true })
    expect(drafted.note).toMatch(/gzipped again/)
    expect(gunzipSync(again)).toEqual(inner)
  })

  it('binary it cannot edit structurally: hex, exactly the bytes', () => {
    const bytes = Buffer.from([0x00, 0xff, 0x10, 0x80, 0x7f])
    const { drafted, again } = roundTrip(bytes)
    expect(drafted.payload.format).toBe('hex')
    expect(again).toEqual(bytes)
  })

  it('binary over 1 MiB: base64, exactly the bytes', () => {
    const bytes = Buffer.alloc(1024 * 1024 + 1)
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919) & 0xff
    const { drafted, again } = roundTrip(bytes, { forced: { decoder: 'hex' } })
    expect(drafted.payload.format).toBe('base64')
    expect(again.equals(bytes)).toBe(true)
  })

  it('a base64 layer keeps the payload as received (text)', () => {
    const bytes = Buffer.from(Buffer.from('{"a": 1}').toString('base64'))
    const { drafted, again } = roundTrip(bytes, { forced: { decoder: 'base64' } })
    expect(drafted.payload.format).toBe('text')
    expect(again).toEqual(bytes)
  })

  it('says so when encoding again changes the bytes (a sender that does not use shortest lengths)', () => {
    // CBOR: the integer 1 with a one-byte argument (18 01) instead of the shortest (01).
    const bytes = Buffer.from('a1616118' + '01', 'hex')
    const { drafted, again } = roundTrip(bytes, { contentType: 'application/cbor' })
    expect(drafted.payload.format).toBe('cbor')
    expect(drafted.note).toMatch(/different bytes/)
    expect(again.toString('hex')).toBe('a1616101')
  })
})
