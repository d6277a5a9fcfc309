import { gzipSync } from 'node:zlib'
import avro from 'avsc'
import { describe, expect, it } from 'vitest'
import { automaticPicks, leadingPick } from '../../electron/core/decode/detect'
import { decodePayload, formatDecoded, previewDecoded } from '../../electron/core/decode/pipeline'
import { compileSchemaFiles } from '../../electron/core/decode/schemas'
import type { DecodeContext } from '../../electron/core/decode/types'
import { decodeContext } from '../fixtures/decode-tools'

const h = (hex: string) => Buffer.from(hex.replace(/ /g, ''), 'hex')
const t = (text: string) => Buffer.from(text, 'utf8')
const u32be = (n: number) => {
  const b = Buffer.alloc(4)
  b.writeUInt32BE(n)
  return b
}
const PNG = Buffer.concat([h('89504e470d0a1a0a 0000000d 49484452'), u32be(640), u32be(480), h('0806000000'), Buffer.alloc(20)])
const JPEG = h('ffd8ffe0 0010 4a46494600010100000100010000 ffdb 0004 0000 ffc0 0011 08 01e0 0280 03 012200 021101 031101 ffda')
const GIF = Buffer.concat([t('GIF89a'), h('4000 2000'), Buffer.alloc(10)])
const WEBP_LOSSY = Buffer.concat([t('RIFF'), h('00000000'), t('WEBPVP8 '), h('00000000 000000 9d012a 4001 f000'), Buffer.alloc(8)])
const WEBP_LOSSLESS = Buffer.concat([t('RIFF'), h('00000000'), t('WEBPVP8L'), h('00000000 2f'), (() => { const b = Buffer.alloc(4); b.writeUInt32LE((99) | (49 << 14)); return b })(), Buffer.alloc(8)])

describe('automatic detection', () => {
  it.each<[string, Buffer, string, string?]>([
    ['a JSON object', t('{"temp": 21.5}'), 'json', 'parses as JSON'],
    ['a JSON array', t('[1,2,3]'), 'json'],
    ['a JSON number', t('21.5'), 'json'],
    ['a JSON string', t('"on"'), 'json'],
    ['JSON true', t('true'), 'json'],
    ['JSON null', t('null'), 'json'],
    ['plain text', t('pump started'), 'text', 'valid UTF-8'],
    ['text with newlines', t('line 1\nline 2\n'), 'text'],
    ['a base64-looking word', t('Password'), 'text'],
    ['base64 of text', t(Buffer.from('just some words here').toString('base64')), 'text'],
    ['gzip', gzipSync(t('hello')), 'gzip', 'magic bytes 1f 8b'],
    ['zlib (78 9c)', h('789c cb48cdc9c90700 062c0215'), 'zlib'],
    ['text starting with a zlib-like header ("x^")', t('x^2 + y^2'), 'text'],
    ['PNG', PNG, 'image', 'PNG signature'],
    ['JPEG', JPEG, 'image', 'JPEG signature'],
    ['GIF', GIF, 'image', 'GIF signature'],
    ['WebP', WEBP_LOSSY, 'image', 'WEBP signature'],
    ['a CBOR map', h('a1 6161 01'), 'cbor', 'one CBOR map'],
    ['a MessagePack map', h('81 a161 01'), 'msgpack', 'one MessagePack map'],
    ['bytes that are both, opening with 80–8f (MessagePack {97: 98}, CBOR ["b"]): MessagePack', h('81 61 62'), 'msgpack'],
    ['a CBOR indefinite-length array (9f … ff)', h('9f 01 ff'), 'cbor'],
    ['a lone a1 byte (CBOR map head, MessagePack fixstr): a number', h('a1'), 'number'],
    ['Protobuf wire format', h('089601 1203616263'), 'protobuf-raw', 'parses as Protobuf wire format'],
    ['4 bytes that are nothing else', h('0000a041'), 'number', '4 bytes, nothing else fits'],
    ['8 bytes', h('000000000000f03f'), 'number'],
    ['3 random bytes', h('fffefd'), 'hex', 'binary'],
    ['text with a control character', t('abc\u0001d'), 'text', 'valid UTF-8 (with control characters)'],
  ])('%s → %s', (_what, bytes, detected, reason) => {
    const out = decodePayload(bytes, decodeContext())
    expect(out.detected).toBe(detected)
    if (reason !== undefined) expect(out.reason).toBe(reason)
    expect(out.error).toBeNull()
  })

  it('an empty payload is empty', () => {
    expect(decodePayload(Buffer.alloc(0), decodeContext({ forced: { decoder: 'cbor' } })).result).toEqual({ kind: 'empty' })
  })

  it('base64 of a PNG and of CBOR is decoded and detected again', () => {
    const png = decodePayload(t(PNG.toString('base64')), decodeContext())
    expect(png.layers.map((l) => l.decoder)).toEqual(['base64', 'image'])
    expect(png.result).toEqual({ kind: 'image', mime: 'image/png', width: 640, height: 480 })
    const cbor = decodePayload(t(h('a2 6161 01 6162 02').toString('base64')), decodeContext())
    expect(cbor.layers.map((l) => l.decoder)).toEqual(['base64', 'cbor'])
  })

  it('reads image sizes from PNG, JPEG, GIF and WebP headers, and null from a broken one', () => {
    expect(decodePayload(JPEG, decodeContext()).result).toEqual({ kind: 'image', mime: 'image/jpeg', width: 640, height: 480 })
    expect(decodePayload(GIF, decodeContext()).result).toEqual({ kind: 'image', mime: 'image/gif', width: 64, height: 32 })
    expect(decodePayload(WEBP_LOSSY, decodeContext()).result).toEqual({ kind: 'image', mime: 'image/webp', width: 320, height: 240 })
    expect(decodePayload(WEBP_LOSSLESS, decodeContext()).result).toEqual({ kind: 'image', mime: 'image/webp', width: 100, height: 50 })
    const broken = Buffer.from(PNG.subarray(0, 14))
    expect(decodePayload(broken, decodeContext()).result).toEqual({ kind: 'image', mime: 'image/png', width: null, height: null })
    const brokenJpeg = h('ffd8ffe0 0001')
    expect(decodePayload(brokenJpeg, decodeContext({ forced: { decoder: 'image' } })).result).toEqual({ kind: 'image', mime: 'image/jpeg', width: null, height: null })
  })

  it('forcing the image view on bytes that are no image says so', () => {
    const out = decodePayload(t('not an image'), decodeContext({ forced: { decoder: 'image' } }))
    expect(out.error).toBe('Not valid image: it starts with no PNG, JPEG, GIF or WebP signature')
    expect(out.result).toEqual({ kind: 'hex' })
    expect(out.detected).toBe('text')
  })
})

describe('hints, rules and the override', () => {
  const json = t('{"a":1}')

  it.each<[string, Partial<DecodeContext>, Buffer, string, string]>([
    ['application/cbor', { contentType: 'application/cbor' }, h('a1 6161 01'), 'cbor', 'content type application/cbor'],
    ['application/vnd.msgpack', { contentType: 'application/vnd.msgpack' }, h('81 a161 01'), 'msgpack', 'content type application/vnd.msgpack'],
    ['application/json; charset=utf-8', { contentType: 'Application/JSON; charset=utf-8' }, json, 'json', 'content type application/json'],
    ['text/plain on JSON', { contentType: 'text/plain' }, json, 'text', 'content type text/plain'],
    ['application/x-protobuf', { contentType: 'application/x-protobuf' }, h('0801'), 'protobuf-raw', 'content type application/x-protobuf'],
    ['image/png', { contentType: 'image/png' }, PNG, 'image', 'content type image/png'],
    ['application/json on text that is not JSON falls back to detection', { contentType: 'application/json' }, t('hello'), 'text', 'valid UTF-8'],
    ['an unknown content type is ignored', { contentType: 'application/octet-stream' }, json, 'json', 'parses as JSON'],
    ['the UTF-8 payload format indicator', { utf8Hint: true }, json, 'json', 'payload format indicator: UTF-8, parses as JSON'],
    ['the indicator on text with control characters', { utf8Hint: true }, t('a\u0001b'), 'text', 'payload format indicator: UTF-8'],
  ])('%s', (_what, over, bytes, detected, reason) => {
    const out = decodePayload(bytes, decodeContext(over))
    expect([out.detected, out.reason]).toEqual([detected, reason])
    expect(out.error).toBeNull()
  })

  it('a rule wins over detection and names itself', () => {
    const out = decodePayload(json, decodeContext({ rule: { filter: 'plant/#', decoder: 'hex' } }))
    expect([out.detected, out.reason, out.result.kind]).toEqual(['hex', 'rule plant/#', 'hex'])
  })

  it('a rule that fails gives its error, the hex view, and what detection alone picks', () => {
    const out = decodePayload(json, decodeContext({ rule: { filter: 'plant/#', decoder: 'msgpack' } }))
    expect(out.error).toMatch(/^Not valid MessagePack: /)
    expect(out.result).toEqual({ kind: 'hex' })
    expect(out.detected).toBe('json')
  })

  it('the override wins over the rule; detected still says what detection picks', () => {
    const out = decodePayload(json, decodeContext({ rule: { filter: 'plant/#', decoder: 'hex' }, forced: { decoder: 'text' } }))
    expect(out.result).toEqual({ kind: 'text', text: '{"a":1}', invalidUtf8: 0 })
    expect([out.detected, out.reason]).toEqual(['hex', 'rule plant/#'])
    expect(decodePayload(json, decodeContext({ forced: { decoder: 'cbor' } })).detected).toBe('json')
  })

  it('offers candidates: the detected decoder first, then what fits, text and hex always', () => {
    expect(decodePayload(json, decodeContext()).candidates).toEqual(['json', 'text', 'hex'])
    expect(decodePayload(h('0000a041'), decodeContext()).candidates).toEqual(['number', 'text', 'hex'])
    expect(decodePayload(h('81 61 62'), decodeContext()).candidates).toEqual(['msgpack', 'cbor', 'text', 'hex'])
    expect(decodePayload(gzipSync(json), decodeContext()).candidates).toEqual(['gzip', 'text', 'hex'])
  })
})

describe('text, numbers and formatting', () => {
  it('marks and counts invalid UTF-8 (a real U+FFFD in the text is not counted)', () => {
    const bytes = Buffer.concat([t('caf'), h('e9'), t(' \uFFFD ok '), h('ff fe')])
    const out = decodePayload(bytes, decodeContext({ forced: { decoder: 'text' } }))
    expect(out.result).toEqual({ kind: 'text', text: 'caf\uFFFD \uFFFD ok \uFFFD\uFFFD', invalidUtf8: 3 })
    expect(out.layers).toEqual([{ decoder: 'text', note: '3 invalid UTF-8 sequences', noteCode: 'invalidUtf8', noteParams: { n: 3 } }])
    expect(decodePayload(bytes, decodeContext()).candidates).toContain('text')
  })

  it('reads every fixed-width number that fits, 64-bit values exact', () => {
    const out = decodePayload(h('ffffffffffffff7f'), decodeContext())
    expect(out.result).toEqual({
      kind: 'numbers',
      readings: [
        { format: 'int64le', value: '9223372036854775807' }, { format: 'int64be', value: '-129' },
        { format: 'uint64le', value: '9223372036854775807' }, { format: 'uint64be', value: '18446744073709551487' },
        { format: 'float64le', value: 'NaN' }, { format: 'float64be', value: 'NaN' },
      ],
    })
    const f = decodePayload(h('cdcccc3d'), decodeContext())
    expect(f.result.kind === 'numbers' && f.result.readings.find((r) => r.format === 'float32le')?.value).toBe('0.1')
    expect(decodePayload(h('010203'), decodeContext({ forced: { decoder: 'number' } })).error).toBe('Not valid number: 3 bytes is not 1, 2, 4 or 8')
  })

  it('pretty-prints values with 2 spaces, keys sorted on request', () => {
    const out = decodePayload(t('{"b":1,"a":{"d":[3,{"z":1,"y":2}],"c":null}}'), decodeContext())
    expect(formatDecoded(out, { sortKeys: false })?.text).toBe(JSON.stringify({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } }, null, 2))
    expect(formatDecoded(out, { sortKeys: true })).toEqual({ text: JSON.stringify({ a: { c: null, d: [3, { y: 2, z: 1 }] }, b: 1 }, null, 2), language: 'json', formatted: true, sorted: true })
  })

  it('keeps JSON over 1 MiB as text and re-indents it exactly like JSON.stringify would', () => {
    const value = { rows: Array.from({ length: 20_000 }, (_, i) => ({ id: i, name: `row "${i}" \\ é`, tags: i % 3 === 0 ? [] : ['a', { deep: [i, -i / 7, true, null] }], empty: {} })) }
    const bytes = t(JSON.stringify(value))
    expect(bytes.length).toBeGreaterThan(1024 * 1024)
    const out = decodePayload(bytes, decodeContext())
    expect(out.result.kind).toBe('json-text')
    expect(formatDecoded(out, { sortKeys: false })).toEqual({ text: JSON.stringify(value, null, 2), language: 'json', formatted: true, sorted: false })
    const broken = Buffer.concat([bytes.subarray(0, bytes.length - 1)])
    expect(decodePayload(broken, decodeContext()).detected).toBe('text')
  })

  it('keeps JSON nested too deep for a value as text rather than failing', () => {
    const deep = t('['.repeat(2000) + ']'.repeat(2000))
    const out = decodePayload(deep, decodeContext())
    expect(out.detected).toBe('json')
    expect(out.result.kind).toBe('json-text')
    expect(formatDecoded(out, { sortKeys: true })?.text.split('\n').length).toBe(3999)
  })
})

describe('tree previews', () => {
  it('cost nothing without a rule, outside spBv1.0/, for payloads that are not gzip', () => {
    expect(previewDecoded(t('{"a":1}'), decodeContext())).toBeNull()
  })

  it('give compact JSON of a ruled topic, cut to 100 characters', () => {
    const cbor = h('a2 6161 01 6162 82 02 03')
    expect(previewDecoded(cbor, decodeContext({ rule: { filter: 't', decoder: 'cbor' } }))).toBe('{"a":1,"b":[2,3]}')
    const long = t(JSON.stringify({ text: 'x'.repeat(500) }))
    const p = previewDecoded(long, decodeContext({ rule: { filter: 't', decoder: 'json' } }))
    expect(p?.length).toBe(100)
    expect(p?.endsWith('…')).toBe(true)
  })

  it('show what a gzip payload holds', () => {
    expect(previewDecoded(gzipSync(t('{"on": true}')), decodeContext())).toBe('{"on":true}')
  })
})

describe('Avro with an imported schema', () => {
  const POINT = JSON.stringify({ type: 'record', name: 'geo.Point', fields: [{ name: 'x', type: 'double' }, { name: 'y', type: 'double' }] })
  const TRACK = JSON.stringify({ type: 'record', name: 'geo.Track', fields: [{ name: 'id', type: 'long' }, { name: 'points', type: { type: 'array', items: 'geo.Point' } }, { name: 'raw', type: 'bytes' }] })

  it('decodes by rule with a named type from another file', () => {
    const compiled = compileSchemaFiles([{ name: 'track.avsc', text: TRACK }, { name: 'point.avsc', text: POINT }])
    expect(compiled.files).toEqual([
      { name: 'track.avsc', kind: 'avsc', types: ['geo.Track'], error: null },
      { name: 'point.avsc', kind: 'avsc', types: ['geo.Point'], error: null },
    ])
    const registry = {}
    avro.Type.forSchema(JSON.parse(POINT), { registry })
    const bytes = avro.Type.forSchema(JSON.parse(TRACK), { registry }).toBuffer({ id: 7, points: [{ x: 1.5, y: -2 }], raw: Buffer.from([9]) })
    const out = decodePayload(bytes, decodeContext({ schemas: compiled.lookup, rule: { filter: 't', decoder: 'avro', avroSchema: 'track.avsc' } }))
    expect(out.error).toBeNull()
    expect(out.result).toEqual({ kind: 'value', value: { id: 7, points: [{ x: 1.5, y: -2 }], raw: { $base64: 'CQ==' } } })
  })

  it('an unknown schema and bad bytes give clear errors and hex', () => {
    const compiled = compileSchemaFiles([{ name: 'point.avsc', text: POINT }, { name: 'bad.avsc', text: '{"type": "record"' }])
    expect(compiled.files[1].error).toMatch(/^bad\.avsc: not JSON/)
    const unknown = decodePayload(h('01'), decodeContext({ schemas: compiled.lookup, forced: { decoder: 'avro', avroSchema: 'nope.avsc' } }))
    expect(unknown.error).toBe('Avro schema nope.avsc is not imported: import its .avsc file, or pick another schema.')
    expect(unknown.result).toEqual({ kind: 'hex' })
    const truncated = decodePayload(h('0000'), decodeContext({ schemas: compiled.lookup, forced: { decoder: 'avro', avroSchema: 'point.avsc' } }))
    expect(truncated.error).toMatch(/^Not valid Avro \(point\.avsc\): /)
  })
})

describe('the leading pick the pipeline runs before detection', () => {
  // leadingPick claims that for these bytes automaticPicks would try this pick first: check it
  // against automaticPicks for every first byte, with random tails, content types and topics.
  const contexts: DecodeContext[] = [
    decodeContext({ topic: 'plant/1/msgpack' }),
    decodeContext({ topic: 'plant/1/msgpack', utf8Hint: true }),
    decodeContext({ topic: 'spBv1.0/plant/DDATA/edge-1/pump' }),
    decodeContext({ topic: 'plant/1/msgpack', contentType: 'application/cbor' }),
  ]
  let seed = 7
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) % 256
  it('is what automatic detection would try first, or nothing', () => {
    let claimed = 0
    for (let first = 0; first < 256; first++) {
      const samples = [1, 2, 3, 16, 200].map((length) => Buffer.from(Array.from({ length }, (_, i) => (i === 0 ? first : random()))))
      // Real signatures too, so a first byte they share with a fixmap head (PNG's 89) is caught.
      if (first === 0) samples.push(PNG, JPEG, GIF, WEBP_LOSSY, gzipSync(t('{"a":1}')))
      for (const bytes of samples) {
        for (const context of contexts) {
          const lead = leadingPick(bytes, context)
          if (lead === null) continue
          claimed++
          let firstTried: string | null = null
          automaticPicks(bytes, context, 0, (pick) => {
            firstTried ??= `${pick.id} ${pick.reason}`
            return true
          })
          expect(firstTried, `first byte ${bytes[0].toString(16)}, ${bytes.length} bytes, topic ${context.topic}`).toBe(`${lead.id} ${lead.reason}`)
        }
      }
    }
    // Fixmap heads at 2 bytes or more (random tails, none of them PNG's), on the two plain contexts.
    expect(claimed).toBe(16 * 4 * 2)
  })

  it('decodes to the same outcome as detection alone would', () => {
    const bytes = h('82 a1 61 01 a1 62 cb 400921fb54442d18')
    const out = decodePayload(bytes, decodeContext({ topic: 'plant/1/msgpack' }))
    expect(out.detected).toBe('msgpack')
    expect(out.reason).toBe('one MessagePack map')
    expect(out.layers).toEqual([{ decoder: 'msgpack' }])
    expect(out.result).toEqual({ kind: 'value', value: { a: 1, b: Math.PI } })
    // A fixmap head that is not MessagePack falls through to the rest of detection.
    const notMsgpack = decodePayload(h('83 01'), decodeContext({ topic: 'plant/1/msgpack' }))
    expect(notMsgpack.detected).not.toBe('msgpack')
    expect(notMsgpack.error).toBeNull()
  })
})
