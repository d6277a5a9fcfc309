import { describe, expect, it } from 'vitest'
import { compileSchemaFiles } from '../../electron/core/decode/schemas'
import { decodePayload } from '../../electron/core/decode/pipeline'
import { decodeContext, parseDecodeRaw, protocDecodeRaw, protocEncode } from '../fixtures/decode-tools'

const COMMON = `syntax = "proto3";
package plant.common;
message Reading { string name = 1; double value = 2; }
`
const TELEMETRY = `syntax = "proto3";
package plant;
import "common.proto";

message Telemetry {
  enum Status { UNKNOWN = 0; OK = 1; FAULT = 2; }
  message Location { string site = 1; int32 floor = 2; }
  string device = 1;
  int64 counter = 2;
  uint64 big = 3;
  sint32 delta = 4;
  fixed32 f32 = 5;
  fixed64 f64 = 6;
  float temp = 7;
  bytes blob = 8;
  repeated plant.common.Reading readings = 9;
  Status status = 10;
  oneof payload { string note = 11; int32 code = 12; }
  repeated int32 packed = 13;
  bool on = 14;
  Location location = 15;
}
`
const FILES = { 'common.proto': COMMON, 'telemetry.proto': TELEMETRY }
const TEXT = `device: "pump-7"
counter: -5
big: 18446744073709551615
delta: -3
f32: 7
f64: 9
temp: 21.5
blob: "\\001\\002\\377"
readings { name: "a" value: 1.5 }
readings { name: "b" value: 2 }
status: FAULT
code: 42
packed: [1, 2, 300]
on: true
location { site: "north" floor: -2 }
`

describe('Protobuf with an imported schema, bytes from protoc --encode', () => {
  const bytes = protocEncode(FILES, 'telemetry.proto', 'plant.Telemetry', TEXT)
  const compiled = compileSchemaFiles([{ name: 'telemetry.proto', text: TELEMETRY }, { name: 'common.proto', text: COMMON }])

  it('lists what each file defines, imports resolved among the files by name', () => {
    expect(compiled.files).toEqual([
      { name: 'telemetry.proto', kind: 'proto', types: ['plant.Telemetry', 'plant.Telemetry.Location'], error: null },
      { name: 'common.proto', kind: 'proto', types: ['plant.common.Reading'], error: null },
    ])
    expect(compiled.lookup.protobufTypes?.()).toEqual(expect.arrayContaining(['plant.Telemetry', 'plant.common.Reading']))
  })

  it('decodes by a rule: 64-bit as exact text, bytes as base64, enums by name, the oneof named', () => {
    const out = decodePayload(bytes, decodeContext({ topic: 'plant/1/telemetry', schemas: compiled.lookup, rule: { filter: 'plant/+/telemetry', decoder: 'protobuf', protobufType: 'plant.Telemetry' } }))
    expect(out.error).toBeNull()
    expect(out.detected).toBe('protobuf')
    expect(out.reason).toBe('rule plant/+/telemetry')
    expect(out.layers).toEqual([{ decoder: 'protobuf', note: 'type plant.Telemetry', noteCode: 'protobufType', noteParams: { type: 'plant.Telemetry' } }])
    expect(out.result).toEqual({
      kind: 'value',
      value: {
        device: 'pump-7', counter: '-5', big: '18446744073709551615', delta: -3, f32: 7, f64: '9', temp: 21.5,
        blob: Buffer.from([1, 2, 255]).toString('base64'),
        readings: [{ name: 'a', value: 1.5 }, { name: 'b', value: 2 }],
        status: 'FAULT', code: 42, payload: 'code', packed: [1, 2, 300], on: true, location: { site: 'north', floor: -2 },
      },
    })
  })

  it('an unknown type says so and shows the schema-less decode, not hex', () => {
    const out = decodePayload(bytes, decodeContext({ schemas: compiled.lookup, forced: { decoder: 'protobuf', protobufType: 'plant.Nope' } }))
    expect(out.error).toBe('Type plant.Nope is not in any imported schema; shown without a schema.')
    expect(out.result.kind).toBe('value')
    expect(out.result.kind === 'value' && (out.result.value as Record<string, unknown>)['1']).toBe('pump-7')
  })

  it('offers protobuf as a candidate once a schema defines types', () => {
    expect(decodePayload(bytes, decodeContext({ schemas: compiled.lookup })).candidates).toContain('protobuf')
    expect(decodePayload(bytes, decodeContext()).candidates).not.toContain('protobuf')
  })

  it('a content type naming the message type picks it', () => {
    const out = decodePayload(bytes, decodeContext({ schemas: compiled.lookup, contentType: 'application/x-protobuf; messageType=plant.Telemetry' }))
    expect(out.detected).toBe('protobuf')
    expect(out.result.kind === 'value' && (out.result.value as Record<string, unknown>).device).toBe('pump-7')
  })
})

describe('Schema-less Protobuf, compared with protoc --decode_raw', () => {
  const bytes = protocEncode(FILES, 'telemetry.proto', 'plant.Telemetry', TEXT)

  it('gives the same fields and values as protoc --decode_raw', () => {
    const out = decodePayload(bytes, decodeContext())
    expect(out.detected).toBe('protobuf-raw')
    expect(out.result).toEqual({ kind: 'value', value: parseDecodeRaw(protocDecodeRaw(bytes)) })
  })

  it.each([
    ['a short text that also parses as a message', '0a0568656c6c6f120268691a00'],
    ['groups', '0b08011002 0c 1003'.replace(/ /g, '')],
    ['a 10-byte varint', '08ffffffffffffffffff01'],
  ])('matches protoc for %s', (_what, h) => {
    const b = Buffer.from(h, 'hex')
    const out = decodePayload(b, decodeContext({ forced: { decoder: 'protobuf-raw' } }))
    expect(out.result).toEqual({ kind: 'value', value: parseDecodeRaw(protocDecodeRaw(b)) })
  })
})

describe('Protobuf that is not valid', () => {
  it.each([
    ['08ffffffffffffffffffff01', 'a varint longer than 10 bytes at byte 1'],
    ['08', 'the data ends inside a varint at byte 1'],
    ['0a05abcd', 'a length of 5 at byte 1, but only 2 bytes remain'],
    ['0f01', 'wire type 7 (there are only 0–5) at byte 0'],
    ['0c', 'an end-group tag for field 1 at byte 0 without its start'],
    ['0001', 'field number 0 at byte 0'],
  ])('%s → "Not valid Protobuf: %s" and hex', (h, why) => {
    const out = decodePayload(Buffer.from(h, 'hex'), decodeContext({ forced: { decoder: 'protobuf-raw' } }))
    expect(out.error).toBe(`Not valid Protobuf: ${why}`)
    expect(out.result).toEqual({ kind: 'hex' })
  })

  it('bytes that do not fit the schema type give "Not valid Protobuf (type): …" and hex', () => {
    const compiled = compileSchemaFiles([{ name: 'common.proto', text: COMMON }])
    const out = decodePayload(Buffer.from('0a05abcd', 'hex'), decodeContext({ schemas: compiled.lookup, rule: { filter: 't', decoder: 'protobuf', protobufType: 'plant.common.Reading' } }))
    expect(out.error).toMatch(/^Not valid Protobuf \(plant\.common\.Reading\): /)
    expect(out.result).toEqual({ kind: 'hex' })
  })
})

describe('compileSchemaFiles', () => {
  it('names the file and line of a syntax error', () => {
    const out = compileSchemaFiles([{ name: 'bad.proto', text: 'syntax = "proto3";\nmessage A {\n  string x = ;\n}\n' }])
    expect(out.files[0].types).toEqual([])
    expect(out.files[0].error).toMatch(/^bad\.proto:3: /)
  })

  it('says which import is missing', () => {
    const out = compileSchemaFiles([{ name: 'telemetry.proto', text: TELEMETRY }])
    expect(out.files[0].error).toBe('telemetry.proto imports common.proto, which is not imported: import that file too.')
    expect(out.lookup.protobuf('plant.Telemetry')).toBeUndefined()
  })

  it('resolves the well-known google/protobuf imports', () => {
    const text = 'syntax = "proto3";\nimport "google/protobuf/timestamp.proto";\nmessage Stamped { google.protobuf.Timestamp at = 1; }\n'
    const out = compileSchemaFiles([{ name: 'stamped.proto', text }])
    expect(out.files[0]).toEqual({ name: 'stamped.proto', kind: 'proto', types: ['Stamped'], error: null })
    const bytes = protocEncode({ 'stamped.proto': text }, 'stamped.proto', 'Stamped', 'at { seconds: 1700000000 nanos: 5 }')
    expect(out.lookup.protobuf('Stamped')?.(bytes)).toEqual({ at: { seconds: '1700000000', nanos: 5 } })
  })

  it('reports an unknown field type', () => {
    const out = compileSchemaFiles([{ name: 'x.proto', text: 'syntax = "proto3";\nmessage A { Missing m = 1; }\n' }])
    expect(out.files[0].error).toMatch(/^x\.proto: .*Missing/)
  })
})
