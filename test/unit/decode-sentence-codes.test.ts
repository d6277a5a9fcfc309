/**
 * The decoders' sentences carry their codes: every reason detection gives, every layer note and
 * every decode error is made with a stable code and the values it names, and English's message
 * for that code, filled with those values as main writes numbers, is main's sentence word for
 * word (so a translation has all it needs). Fixed sentences are shared, frozen objects: a chart's
 * messages decode with no new reason or note objects.
 */
import { deflateSync, gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { decodedAnswer } from '../../electron/core/inspect/decoded-answer'
import { diffExcerpt } from '../../electron/core/inspect/diff-excerpt'
import { decodePayload } from '../../electron/core/decode/pipeline'
import { compileSchemaFiles } from '../../electron/core/decode/schemas'
import { sparkplugPayloadType } from '../../electron/core/decode/sparkplug/schema'
import type { DecodeContext, DecodeOutcome } from '../../electron/core/decode/types'
import type { SentenceParams } from '../../electron/api'
import type { StoredMessage } from '../../electron/core/tree/topic-node'
import { en } from '../../renderer/src/lib/i18n/en'
import { decodeContext } from '../fixtures/decode-tools'

const h = (hex: string) => Buffer.from(hex.replace(/ /g, ''), 'hex')
const t = (text: string) => Buffer.from(text, 'utf8')

/** English's message for a code, filled as main writes values (en-US digits), the plural form chosen by `n`. */
function english(group: Record<string, string>, code: string, params: SentenceParams = {}): string {
  const message = group[code]
  if (message === undefined) throw new Error(`no English message for ${code}`)
  const forms = message.split(' | ')
  const form = forms.length === 1 || params.n === 1 ? forms[0] : forms[1]
  return form.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name]
    if (value === undefined) throw new Error(`${code} names {${name}}, which its params do not carry`)
    return typeof value === 'number' ? value.toLocaleString('en-US') : value
  })
}

const reasons = en.inspector.reasons as Record<string, string>
const notes = en.inspector.notes as Record<string, string>
const errors = en.inspector.decodeErrors as Record<string, string>

function expectCodedReason(out: DecodeOutcome, code: string): void {
  expect(out.reasonCode).toBe(code)
  expect(english(reasons, out.reasonCode, out.reasonParams)).toBe(out.reason)
}

function expectCodedNotes(out: DecodeOutcome): string[] {
  const codes: string[] = []
  for (const layer of out.layers) {
    if (layer.note === undefined) continue
    expect(layer.noteCode, layer.note).toBeDefined()
    codes.push(layer.noteCode!)
    if (layer.noteCode === 'sparkplugMetrics') {
      const p = layer.noteParams!
      const metrics = english(notes, 'sparkplugMetrics', { n: p.metrics })
      expect(p.unresolved === 0 ? metrics : english(notes, 'sparkplugUnresolved', { metrics, n: p.unresolved })).toBe(layer.note)
    } else expect(english(notes, layer.noteCode!, layer.noteParams)).toBe(layer.note)
  }
  return codes
}

function expectCodedError(out: DecodeOutcome, code: string): void {
  expect(out.errorCode, out.error ?? '').toBe(code)
  expect(out.error).not.toBeNull()
  expect(english(errors, out.errorCode!, out.errorParams)).toBe(out.error)
}

const PROTO = 'syntax = "proto3";\npackage plant;\nmessage Reading { double value = 1; }\n'
const AVSC = JSON.stringify({ type: 'record', name: 'Point', namespace: 'geo', fields: [{ name: 'x', type: 'int' }] })
const NODE_AVSC = JSON.stringify({ type: 'record', name: 'Node', namespace: 'geo', fields: [{ name: 'child', type: ['null', 'Node'] }] })
const schemas = compileSchemaFiles([{ name: 'reading.proto', text: PROTO }, { name: 'point.avsc', text: AVSC }, { name: 'node.avsc', text: NODE_AVSC }]).lookup
const PNG = Buffer.concat([h('89504e470d0a1a0a 0000000d 49484452 00000280 000001e0 0806000000'), Buffer.alloc(20)])
const sparkplug = sparkplugPayloadType()
const SPARKPLUG = Buffer.from(sparkplug.encode(sparkplug.fromObject({ seq: 1, metrics: [{ name: 'Temperature', datatype: 10, double_value: 21.5 }, { alias: 7, datatype: 10, double_value: 1 }] })).finish())
const decode = (bytes: Buffer, over: Partial<DecodeContext> = {}) => decodePayload(bytes, decodeContext(over))

describe('the reasons detection gives', () => {
  it.each<[string, Buffer, Partial<DecodeContext>]>([
    ['empty', Buffer.alloc(0), {}],
    ['rule', t('{"a":1}'), { rule: { filter: 'plant/+/json', decoder: 'json' } }],
    ['sparkplugTopic', SPARKPLUG, { topic: 'spBv1.0/plant/NDATA/edge-1' }],
    ['contentType', h('a1 61 61 01'), { contentType: 'application/cbor' }],
    ['utf8HintJson', t('{"a":1}'), { utf8Hint: true }],
    ['utf8Hint', t('hello'), { utf8Hint: true }],
    ['gzipMagic', gzipSync(t('{"a":1}')), {}],
    ['zlibHeader', deflateSync(t('{"a":1}')), {}],
    ['imageSignature', PNG, {}],
    ['json', t('{"a":1}'), {}],
    ['base64OfBinary', t(gzipSync(t('{"a":1}')).toString('base64')), {}],
    ['validUtf8', t('hello world'), {}],
    ['validUtf8Control', t('a\u0001b'), {}],
    ['cborMap', h('a1 61 61 01'), {}],
    ['cborArray', h('83 01 02 03'), {}],
    ['msgpackMap', h('81 a1 61 01'), {}],
    ['msgpackArray', h('92 01 02'), {}],
    ['protobufWire', h('08 96 01'), {}],
    ['numberBytes', h('ff ff ff 7f'), {}],
    ['binary', h('ff fe fd'), {}],
  ])('%s', (code, bytes, over) => {
    expectCodedReason(decode(bytes, over), code)
  })

  it('a forced decode keeps detection’s reason and its code', () => {
    const out = decode(t('{"a":1}'), { forced: { decoder: 'text' } })
    expectCodedReason(out, 'json')
  })

  it('fixed reasons and a rule’s are shared frozen objects, the same for every message', () => {
    const rule = { filter: 'plant/#', decoder: 'json' as const }
    const a = decode(t('{"a":1}'), { rule })
    const b = decode(t('{"a":2}'), { rule })
    expect(a.reasonParams).toBe(b.reasonParams)
    expect(Object.isFrozen(a.reasonParams)).toBe(true)
    const m1 = decode(h('81 a1 61 01'))
    const m2 = decode(h('81 a1 62 02'))
    expect([m1.reasonCode, m1.reasonParams, m1.layers]).toEqual(['msgpackMap', undefined, [{ decoder: 'msgpack' }]])
    expect(m2.layers).toBe(m1.layers)
    const s1 = decode(SPARKPLUG, { topic: 'spBv1.0/plant/NDATA/edge-1' })
    const s2 = decode(SPARKPLUG, { topic: 'spBv1.0/plant/NDATA/edge-1' })
    expect(s2.layers).toBe(s1.layers)
    expect(Object.isFrozen(s1.layers[0].noteParams)).toBe(true)
  })
})

describe('the layer notes', () => {
  it.each<[string, Buffer, Partial<DecodeContext>, string[]]>([
    ['gzip', gzipSync(t('{"a":1}')), {}, ['resized']],
    ['base64 of zlib', t(deflateSync(t('{"a":1}')).toString('base64')), {}, ['resized', 'resized']],
    ['invalid UTF-8', h('61 ff 62 fe 63'), { forced: { decoder: 'text' } }, ['invalidUtf8']],
    ['an image with its size', PNG, {}, ['imageSize']],
    ['an image without one', h('89504e470d0a1a0a 00000000'), {}, ['imageSizeUnknown']],
    ['Protobuf without a type', h('09 000000000000f03f'), { forced: { decoder: 'protobuf' } }, ['withoutSchema']],
    ['Protobuf with its type', h('09 000000000000f03f'), { schemas, rule: { filter: 't', decoder: 'protobuf', protobufType: 'plant.Reading' } }, ['protobufType']],
    ['Avro with its schema', h('02'), { schemas, rule: { filter: 't', decoder: 'avro', avroSchema: 'point.avsc' } }, ['avroSchema']],
    ['Sparkplug metrics with an unresolved alias', SPARKPLUG, { topic: 'spBv1.0/plant/NDATA/edge-1' }, ['sparkplugMetrics']],
  ])('%s', (_name, bytes, over, codes) => {
    const out = decode(bytes, over)
    expect(expectCodedNotes(out)).toEqual(codes)
  })

  it('an image too big to send inline says so with its code', () => {
    const big = Buffer.concat([PNG, Buffer.alloc(8 * 1024 * 1024)])
    const outcome = decode(big)
    const message = { time: 0, qos: 0, retain: false, size: big.length, length: big.length, truncated: false } as unknown as StoredMessage
    const answer = decodedAnswer({ docId: 'd', message, index: 0, path: 't', payload: big, outcome, formatted: null, firstPageChars: 0 })
    const layer = answer.layers[answer.layers.length - 1]
    expect(layer.noteCode).toBe('imageTooBig')
    expect(english(notes, 'imageTooBig', layer.noteParams)).toBe(layer.note)
  })
})

describe('the decode errors', () => {
  // geo.Node nested 600 deep (each level the union's second branch, then null): avsc reads it,
  // the JSON-safe form refuses past 500 levels.
  const deep = Buffer.concat([Buffer.alloc(600, 0x02), h('00')])
  const bigBroken = Buffer.concat([t('['), Buffer.alloc(1024 * 1024 + 10, '1,'), t('1,}')])
  it.each<[string, Buffer, Partial<DecodeContext>]>([
    ['invalid', t('hello'), { forced: { decoder: 'cbor' } }],
    ['invalidNotUtf8', h('ff fe'), { forced: { decoder: 'json' } }],
    ['invalidBase64', t('!!!!'), { forced: { decoder: 'base64' } }],
    ['invalidImageSignature', t('abc'), { forced: { decoder: 'image' } }],
    ['invalidNumberLength', h('01 02 03'), { forced: { decoder: 'number' } }],
    ['invalidJsonStops', bigBroken, { forced: { decoder: 'json' } }],
    ['invalidTooDeep', deep, { schemas, forced: { decoder: 'avro', avroSchema: 'node.avsc' } }],
    ['protobufNoType', h('09 000000000000f03f'), { forced: { decoder: 'protobuf' } }],
    ['protobufUnknownType', h('09 000000000000f03f'), { forced: { decoder: 'protobuf', protobufType: 'plant.Missing' } }],
    ['protobufNoTypeInvalid', h('ff ff'), { forced: { decoder: 'protobuf' } }],
    ['protobufUnknownTypeInvalid', h('ff ff'), { forced: { decoder: 'protobuf', protobufType: 'plant.Missing' } }],
    ['avroNoSchema', h('02'), { forced: { decoder: 'avro' } }],
    ['avroUnknownSchema', h('02'), { forced: { decoder: 'avro', avroSchema: 'missing.avsc' } }],
    ['invalid', h('ff ff ff'), { topic: 'spBv1.0/plant/NDATA/edge-1' }],
  ])('%s', (code, bytes, over) => {
    expectCodedError(decode(bytes, over), code)
  })

  it('a decode without an error has no error code', () => {
    const out = decode(t('{"a":1}'))
    expect([out.error, out.errorCode, out.errorParams]).toEqual([null, null, undefined])
  })
})

describe('the diff’s reason to compare whole', () => {
  it('is coded when the documents are too different to trim', () => {
    const a = Array.from({ length: 400 }, (_, i) => `a${i}`).join('\n')
    const b = Array.from({ length: 400 }, (_, i) => `b${i}`).join('\n')
    const excerpt = diffExcerpt(a, b, 3, { maxEdits: 10, maxSteps: 1000 })
    if (excerpt.trimmed) throw new Error('trimmed')
    expect(excerpt.reasonCode).toBe('tooDifferent')
    expect(english(en.inspector.untrimmed, excerpt.reasonCode, excerpt.reasonParams)).toBe(excerpt.reason)
  })
})
