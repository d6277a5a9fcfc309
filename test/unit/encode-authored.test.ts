import { describe, expect, it } from 'vitest'
import { PayloadFormat, type PayloadDraft } from '../../electron/api'
import { decodePayload } from '../../electron/core/decode/pipeline'
import { compileSchemaFiles } from '../../electron/core/decode/schemas'
import { encodeDraft } from '../../electron/core/encode'
import { AuthoredFloat, parseAuthoredJson } from '../../electron/core/encode/authored-json'
import { decodeContext } from '../fixtures/decode-tools'

const PROTO = `syntax = "proto3";
package t;
message Item { string id = 1; repeated Part parts = 2; }
message Part { int32 n = 1; }
`
const schemas = compileSchemaFiles([{ name: 't.proto', text: PROTO }]).lookup
const draft = (format: PayloadDraft['format'], body: string, over: Partial<PayloadDraft> = {}): PayloadDraft => ({ format, body, gzip: false, placeholders: false, ...over })
const encode = (d: PayloadDraft) => encodeDraft(d, { schemas })

describe('the authored JSON parser', () => {
  it('keeps big integers exact, floats as floats, keys in the order written', () => {
    const parsed = parseAuthoredJson('{"b": 18446744073709551615, "1": 2.0, "__proto__": -9007199254740993, "s": "a\\u00e9\\n"}')
    if (!parsed.ok) throw new Error(parsed.problem.message)
    const v = parsed.value as Map<string, unknown>
    expect([...v.keys()]).toEqual(['b', '1', '__proto__', 's'])
    expect(v.get('b')).toBe(18446744073709551615n)
    expect(v.get('1')).toEqual(new AuthoredFloat(2))
    expect(v.get('__proto__')).toBe(-9007199254740993n)
    expect(v.get('s')).toBe('aé\n')
  })

  it('refuses nesting deeper than 500 levels with a sentence, not a stack overflow', () => {
    const out = encode(draft('cbor', '['.repeat(100_000) + ']'.repeat(100_000)))
    expect(out).toMatchObject({ ok: false, problem: { message: expect.stringMatching(/deeper than 500 levels/), line: 1 } })
  })

  it('says how to write NaN', () => {
    expect(encode(draft('msgpack', '{"x": NaN}'))).toMatchObject({ ok: false, problem: { line: 1, column: 7, message: expect.stringMatching(/\$float64/) } })
  })
})

describe('Protobuf pointers reach into nested lists', () => {
  it('points at the wrong value inside a repeated message', () => {
    const out = encode(draft('protobuf', '{"id": "a", "parts": [{"n": 1}, {"n": "x"}]}', { protobufType: 't.Item' }))
    expect(out).toMatchObject({ ok: false, problem: { pointer: '/parts/1/n', message: expect.stringMatching(/int32/) } })
  })

  it('escapes ~ and / in pointers (RFC 6901)', () => {
    const out = encode(draft('protobuf', '{"a/b~c": 1}', { protobufType: 't.Item' }))
    expect(out).toMatchObject({ ok: false, problem: { pointer: '/a~1b~0c' } })
  })
})

describe('Sparkplug B as our decoder reads it', () => {
  const decodeSparkplug = (bytes: Buffer) => decodePayload(bytes, decodeContext({ topic: 'spBv1.0/g/DDATA/e/d' })).sparkplug

  it('packs arrays little-endian as the specification says', () => {
    const out = encode(draft('sparkplug', JSON.stringify({ metrics: [
      { name: 'a', datatype: 'Int16Array', value: [-2, 3] },
      { name: 'b', datatype: 'BooleanArray', value: [true, false, true] },
      { name: 'c', datatype: 'StringArray', value: ['ab', 'c'] },
      { name: 'd', datatype: 'DoubleArray', value: [1.5] },
    ] })))
    if (!out.ok) throw new Error(out.problem.message)
    const metrics = decodeSparkplug(out.bytes)?.metrics ?? []
    const raw = (i: number) => Buffer.from((metrics[i].value as { $base64: string }).$base64, 'base64').toString('hex')
    expect(metrics.map((m) => m.datatype)).toEqual(['Int16Array', 'BooleanArray', 'StringArray', 'DoubleArray'])
    expect(raw(0)).toBe('feff0300')
    expect(raw(1)).toBe('03000000' + 'a0')
    expect(raw(2)).toBe('616200' + '6300')
    expect(raw(3)).toBe('000000000000f83f')
  })

  it('writes DataSet values in their protobuf JSON form', () => {
    const out = encode(draft('sparkplug', JSON.stringify({ metrics: [{ name: 'ds', datatype: 'DataSet', value: { num_of_columns: 1, columns: ['x'], types: [3], rows: [{ elements: [{ int_value: 7 }] }] } }] })))
    if (!out.ok) throw new Error(out.problem.message)
    expect(decodeSparkplug(out.bytes)?.metrics[0]).toMatchObject({ name: 'ds', datatype: 'DataSet', value: { columns: ['x'], rows: [{ elements: [{ int_value: 7 }] }] } })
  })

  it('points into a DataSet that is wrong', () => {
    const out = encode(draft('sparkplug', JSON.stringify({ metrics: [{ name: 'ds', datatype: 'DataSet', value: { columns: 'x' } }] })))
    expect(out).toMatchObject({ ok: false, problem: { pointer: '/metrics/0/value/columns', message: expect.stringMatching(/repeated/) } })
  })
})

describe('hostile input never throws', () => {
  it('answers every format for odd bodies with bytes or a problem', () => {
    const bodies = ['', ' ', '\u0000', '\ud800', '{"$base64": 1}', '{"$map": [[1]]}', '{"$tag": -1, "value": 0}', '[1e999]', '-', '0x', '==', '{"metrics": [null]}', '{"a":'.repeat(50), '"\\u12"', '1'.repeat(5000)]
    for (const format of PayloadFormat.options) {
      for (const body of bodies) {
        const out = encodeDraft(draft(format, body, { protobufType: 't.Item' }), { schemas })
        expect(typeof out.ok).toBe('boolean')
        if (!out.ok) expect(out.problem.message.length).toBeGreaterThan(10)
      }
    }
  })
})
