/**
 * The encoders checked by decoders we did not write: protoc --decode (Protobuf), the Eclipse
 * Tahu JS decoder (Sparkplug B), cbor2 (CBOR), msgpackr (MessagePack) and the gzip binary.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { decode as cborDecode, Tag } from 'cbor2'
import { addExtension, Unpackr } from 'msgpackr'
import { describe, expect, it } from 'vitest'
import type { PayloadDraft } from '../../electron/api'
import { compileSchemaFiles } from '../../electron/core/decode/schemas'
import { encodeDraft } from '../../electron/core/encode'
import { PROTOC } from '../fixtures/decode-tools'

// sparkplug-payload ships no types: the one call used here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const tahu = (require('sparkplug-payload') as { get(ns: string): { decodePayload(bytes: Uint8Array): TahuPayload } }).get('spBv1.0')
interface TahuPayload {
  timestamp?: unknown
  seq?: unknown
  metrics: Array<{ name?: string; alias?: unknown; type: string; value: unknown; isNull?: boolean; properties?: Record<string, { type: string; value: unknown }> }>
}

const TELEMETRY = `syntax = "proto3";
package plant;
message Telemetry {
  enum Status { UNKNOWN = 0; OK = 1; FAULT = 2; }
  message Location { string site = 1; int32 floor = 2; }
  string device = 1;
  int64 counter = 2;
  uint64 big = 3;
  sint32 delta = 4;
  float temp = 7;
  bytes blob = 8;
  Status status = 10;
  oneof payload { string note = 11; int32 code = 12; }
  repeated int32 packed = 13;
  bool on = 14;
  Location location = 15;
  map<string, int32> counts = 16;
  uint32 small = 17;
}
`
const schemas = compileSchemaFiles([{ name: 'telemetry.proto', text: TELEMETRY }]).lookup
const draft = (format: PayloadDraft['format'], body: string, over: Partial<PayloadDraft> = {}): PayloadDraft => ({ format, body, gzip: false, placeholders: false, ...over })

function encoded(d: PayloadDraft): Buffer {
  const out = encodeDraft(d, { schemas })
  if (!out.ok) throw new Error(`${out.problem.message} at ${out.problem.pointer ?? `${out.problem.line}:${out.problem.column}`}`)
  return out.bytes
}
function problem(d: PayloadDraft) {
  const out = encodeDraft(d, { schemas })
  if (out.ok) throw new Error('expected a problem')
  return out.problem
}

function protocDecode(bytes: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'encode-protoc-'))
  try {
    writeFileSync(join(dir, 'telemetry.proto'), TELEMETRY)
    return execFileSync(PROTOC, [`--proto_path=${dir}`, '--decode=plant.Telemetry', join(dir, 'telemetry.proto')], { input: bytes }).toString('utf8')
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

describe('Protobuf, read back by protoc --decode', () => {
  const pb = (body: string) => draft('protobuf', body, { protobufType: 'plant.Telemetry' })

  it('encodes every kind of field as protoc reads it, 64-bit values exact', () => {
    const bytes = encoded(pb(`{
      "device": "pump-7", "counter": "-9223372036854775808", "big": 18446744073709551615,
      "delta": -3, "temp": 21.5, "blob": "AQL/", "status": "FAULT", "code": 42,
      "packed": [1, 2, 300], "on": true, "location": {"site": "north", "floor": -2},
      "counts": {"a": 1, "b": 2}, "small": 4294967295
    }`))
    const text = protocDecode(bytes)
    expect(text).toContain('device: "pump-7"')
    expect(text).toContain('counter: -9223372036854775808')
    expect(text).toContain('big: 18446744073709551615')
    expect(text).toContain('delta: -3')
    expect(text).toContain('temp: 21.5')
    expect(text).toContain('blob: "\\001\\002\\377"')
    expect(text).toContain('status: FAULT')
    expect(text).toContain('code: 42')
    expect(text).toMatch(/packed: 1\s+packed: 2\s+packed: 300|packed: \[1, 2, 300\]/)
    expect(text).toContain('on: true')
    expect(text).toMatch(/location \{\s+site: "north"\s+floor: -2\s+\}/)
    expect(text).toMatch(/counts \{\s+key: "a"\s+value: 1\s+\}/)
    expect(text).toContain('small: 4294967295')
  })

  it('accepts lowerCamelCase names and null for "not set"', () => {
    const text = protocDecode(encoded(pb('{"device": null, "location": {"site": "s"}}')))
    expect(text.trim()).toMatch(/^location \{\s+site: "s"\s+\}$/)
  })

  it.each([
    ['{"devise": "x"}', '/devise', /plant.Telemetry has no field "devise": its fields are device, counter/],
    ['{"counter": "12a"}', '/counter', /int64: it takes a whole number/],
    ['{"small": -1}', '/small', /uint32: -1 is out of range \(0 to 4294967295\)/],
    ['{"big": 18446744073709551616}', '/big', /out of range/],
    ['{"location": {"floor": 2147483648}}', '/location/floor', /int32: 2147483648 is out of range/],
    ['{"location": {"floor": 1.5}}', '/location/floor', /whole number/],
    ['{"on": "yes"}', '/on', /bool: it takes true or false/],
    ['{"status": "BROKEN"}', '/status', /"BROKEN" is not one of its values \(UNKNOWN, OK, FAULT\)/],
    ['{"blob": "**"}', '/blob', /base64/],
    ['{"packed": 3}', '/packed', /repeated: it takes a list/],
    ['{"note": "a", "code": 1}', '/code', /both in the oneof "payload"/],
    ['{"counts": {"a": "x"}}', '/counts/a', /int32/],
    ['[1]', '', /written as a JSON object/],
  ])('refuses %s at its pointer', (body, pointer, message) => {
    expect(problem(pb(body))).toMatchObject({ pointer, message: expect.stringMatching(message) })
  })
})

describe('Sparkplug B, read back by the Eclipse Tahu decoder', () => {
  it('encodes every scalar datatype as Tahu reads it', () => {
    const bytes = encoded(draft('sparkplug', JSON.stringify({
      timestamp: 1700000000000,
      seq: 3,
      metrics: [
        { name: 'i8', datatype: 'Int8', value: -1 },
        { name: 'i16', datatype: 'Int16', value: -300 },
        { name: 'i32', datatype: 'Int32', value: -5 },
        { name: 'u8', datatype: 'UInt8', value: 255 },
        { name: 'u16', datatype: 'UInt16', value: 65535 },
        { name: 'u32', datatype: 'UInt32', value: 4294967295 },
        { name: 'i64', datatype: 'Int64', value: '-9000000000000000000' },
        { name: 'u64', datatype: 'UInt64', value: '18446744073709551615' },
        { name: 'f', datatype: 'Float', value: 0.5 },
        { name: 'd', type: 'Double', value: 1.25 },
        { name: 'b', datatype: 'Boolean', value: true },
        { name: 's', datatype: 'String', value: 'héllo' },
        { name: 't', datatype: 'Text', value: 'long text' },
        { name: 'uuid', datatype: 'UUID', value: '8c7a3f2e-0d1b-4c5a-9e6f-123456789abc' },
        { name: 'dt', datatype: 'DateTime', value: 1700000000123 },
        { name: 'bytes', datatype: 'Bytes', value: { $base64: 'AQL/' } },
        { name: 'none', alias: 7, datatype: 'Int32', isNull: true },
        { name: 'unit', datatype: 'Double', value: 2, properties: { engUnit: { type: 'String', value: '°C' } } },
      ],
    })))
    const p = tahu.decodePayload(bytes)
    expect(Number(p.timestamp)).toBe(1700000000000)
    expect(Number(p.seq)).toBe(3)
    const byName = new Map(p.metrics.map((m) => [m.name, m]))
    const value = (name: string) => byName.get(name)?.value
    const type = (name: string) => byName.get(name)?.type
    expect([type('i8'), type('i32'), type('u64'), type('d'), type('s'), type('dt'), type('bytes')]).toEqual(['Int8', 'Int32', 'UInt64', 'Double', 'String', 'DateTime', 'Bytes'])
    // Tahu hands small signed types back as the unsigned 32-bit field (two's complement): mask to compare.
    expect((value('i8') as number) & 0xff).toBe(0xff)
    expect((value('i16') as number) & 0xffff).toBe(-300 & 0xffff)
    expect((value('i32') as number) | 0).toBe(-5)
    expect([value('u8'), value('u16'), String(value('u32'))]).toEqual([255, 65535, '4294967295'])
    expect(BigInt.asIntN(64, BigInt(String(value('i64'))))).toBe(-9000000000000000000n)
    expect(BigInt.asUintN(64, BigInt(String(value('u64'))))).toBe(18446744073709551615n)
    expect([value('f'), value('d'), value('b'), value('s'), value('t'), value('uuid')]).toEqual([0.5, 1.25, true, 'héllo', 'long text', '8c7a3f2e-0d1b-4c5a-9e6f-123456789abc'])
    expect(Number(value('dt'))).toBe(1700000000123)
    expect(Buffer.from(value('bytes') as Uint8Array)).toEqual(Buffer.from([1, 2, 255]))
    expect(byName.get('none')).toMatchObject({ value: null, type: 'Int32' })
    expect(Number(byName.get('none')?.alias)).toBe(7)
    expect(byName.get('unit')?.properties?.engUnit).toMatchObject({ type: 'String', value: '°C' })
  })

  it.each([
    ['{"metrics": [{"name": "a", "datatype": "Int33", "value": 1}]}', '/metrics/0/datatype', /needs a datatype: one of Int8/],
    ['{"metrics": [{"name": "a", "datatype": "Int8", "value": 200}]}', '/metrics/0/value', /200 does not fit in Int8 \(-128 to 127\)/],
    ['{"metrics": [{"name": "a", "datatype": "UInt32", "value": -1}]}', '/metrics/0/value', /UInt32 value is uint32: -1 is out of range/],
    ['{"metrics": [{"name": "a", "datatype": "Boolean", "value": 1}]}', '/metrics/0/value', /true or false/],
    ['{"metrics": [{"name": "a", "datatype": "Double"}]}', '/metrics/0', /needs a value/],
    ['{"metrics": [{"datatype": "Double", "value": 1}]}', '/metrics/0', /name or an alias/],
    ['{"metrics": [{"name": "a", "datatype": "Double", "value": 1, "unit": "C"}]}', '/metrics/0/unit', /has no "unit"/],
    ['{"metric": []}', '/metric', /has no "metric"/],
  ])('refuses %s at its pointer', (body, pointer, message) => {
    expect(problem(draft('sparkplug', body))).toMatchObject({ pointer, message: expect.stringMatching(message) })
  })
})

describe('CBOR, read back by cbor2', () => {
  it('encodes maps in the order written, big integers, bytes, tags and floats', () => {
    const bytes = encoded(draft('cbor', `{"b": 1, "1": -2, "big": 18446744073709551615, "neg": -18446744073709551616,
      "huge": 18446744073709551616, "f": 2.0, "half": 1.5, "d": {"$float64": 1.5}, "bytes": {"$base64": "AQL/"},
      "when": {"$tag": 1, "value": 1700000000}, "map": {"$map": [[1, "one"], [[2], "list"]]}, "u": {"$undefined": true},
      "nan": {"$float": "NaN"}, "list": [null, true, false, "é"]}`))
    const v = cborDecode(bytes, { preferMap: true }) as Map<unknown, unknown>
    expect([...v.keys()]).toEqual(['b', '1', 'big', 'neg', 'huge', 'f', 'half', 'd', 'bytes', 'when', 'map', 'u', 'nan', 'list'])
    expect(v.get('big')).toBe(18446744073709551615n)
    expect(v.get('neg')).toBe(-18446744073709551616n)
    expect(v.get('huge')).toBe(18446744073709551616n)
    expect(v.get('f')).toBe(2)
    expect(v.get('d')).toBe(1.5)
    expect(Buffer.from(v.get('bytes') as Uint8Array)).toEqual(Buffer.from([1, 2, 255]))
    expect(v.get('u')).toBeUndefined()
    expect(Number.isNaN(v.get('nan'))).toBe(true)
    expect(v.get('list')).toEqual([null, true, false, 'é'])
    const map = v.get('map') as Map<unknown, unknown>
    expect([...map.values()]).toEqual(['one', 'list'])
    const when = v.get('when')
    expect(when instanceof Date || when instanceof Tag).toBe(true)
    // Preferred serialization: 2.0 and 1.5 as halves, {"$float64": 1.5} as a double.
    expect(bytes.includes(Buffer.from('f94000', 'hex'))).toBe(true)
    expect(bytes.includes(Buffer.from('f93e00', 'hex'))).toBe(true)
    expect(bytes.includes(Buffer.from('fb3ff8000000000000', 'hex'))).toBe(true)
  })

  it('refuses malformed JSON at its line and column, and a malformed marker at its pointer', () => {
    expect(problem(draft('cbor', '{\n  "a": tru\n}'))).toMatchObject({ line: 2, column: 8 })
    expect(problem(draft('cbor', '{"a": 1, "a": 2}'))).toMatchObject({ line: 1, column: 10, message: expect.stringMatching(/"a" appears twice/) })
    expect(problem(draft('cbor', '{"x": [{"$base64": 5}]}'))).toMatchObject({ pointer: '/x/0/$base64', message: expect.stringMatching(/base64 text/) })
    expect(problem(draft('cbor', '{"x": {"$ext": 1, "base64": ""}}'))).toMatchObject({ pointer: '/x', message: expect.stringMatching(/MessagePack extension/) })
  })
})

describe('MessagePack, read back by msgpackr', () => {
  addExtension({ type: 5, unpack: (data: Buffer) => ({ type: 5, data }) })
  const unpack = (b: Buffer) => new Unpackr({ useRecords: false, mapsAsObjects: false, int64AsType: 'bigint' }).unpack(b) as Map<unknown, unknown>

  it('encodes integers of every width, floats, bytes, extensions and maps in order', () => {
    const bytes = encoded(draft('msgpack', `{"z": 0, "1": -1, "u8": 200, "u16": 60000, "u32": 4000000000, "u64": 18446744073709551615,
      "i8": -100, "i16": -30000, "i32": -2000000000, "i64": -9223372036854775808, "f": 2.0, "f32": {"$float32": 1.5},
      "bin": {"$base64": "AQL/"}, "ext": {"$ext": 5, "base64": "AAE="}, "s": "${'x'.repeat(40)}", "list": [null, true]}`))
    const v = unpack(bytes)
    expect([...v.keys()]).toEqual(['z', '1', 'u8', 'u16', 'u32', 'u64', 'i8', 'i16', 'i32', 'i64', 'f', 'f32', 'bin', 'ext', 's', 'list'])
    expect([v.get('z'), v.get('1'), v.get('u8'), v.get('u16'), v.get('u32')]).toEqual([0, -1, 200, 60000, 4000000000])
    expect(v.get('u64')).toBe(18446744073709551615n)
    expect([v.get('i8'), v.get('i16'), v.get('i32')]).toEqual([-100, -30000, -2000000000])
    expect(v.get('i64')).toBe(-9223372036854775808n)
    expect([v.get('f'), v.get('f32')]).toEqual([2, 1.5])
    expect(Buffer.from(v.get('bin') as Uint8Array)).toEqual(Buffer.from([1, 2, 255]))
    expect(v.get('ext')).toEqual({ type: 5, data: Buffer.from([0, 1]) })
    expect(v.get('s')).toBe('x'.repeat(40))
    expect(v.get('list')).toEqual([null, true])
    expect(bytes.includes(Buffer.from('cb4000000000000000', 'hex'))).toBe(true)
    expect(bytes.includes(Buffer.from('ca3fc00000', 'hex'))).toBe(true)
  })

  it('refuses what MessagePack cannot hold at its pointer', () => {
    expect(problem(draft('msgpack', '{"a": [18446744073709551616]}'))).toMatchObject({ pointer: '/a/0', message: expect.stringMatching(/64-bit/) })
    expect(problem(draft('msgpack', '{"t": {"$tag": 1, "value": 0}}'))).toMatchObject({ pointer: '/t', message: expect.stringMatching(/CBOR's/) })
  })
})

describe('gzip, undone by the gzip binary', () => {
  it.each(['json', 'cbor'] as const)('gzips the encoded %s payload', (format) => {
    const plain = encoded(draft(format, '{"a": [1, 2, 3]}'))
    const zipped = encoded(draft(format, '{"a": [1, 2, 3]}', { gzip: true }))
    expect(zipped.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]))
    expect(execFileSync('gzip', ['-dc'], { input: zipped })).toEqual(plain)
  })
})
