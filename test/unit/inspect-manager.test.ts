/**
 * The inspector's engine with the decoders replaced by a recorder, so what this engine owns is
 * pinned apart from them: the context each decode gets (the first matching rule, the MQTT 5
 * hints, the forced decoder, schemas, other topics' latest payloads), when a cached document is
 * reused and when not, how a decoder's failure degrades, inline images and their cap, the schema
 * offer, a 32,768-level topic, and the tree's decoded previews (and that other rows never call
 * the decoders).
 */
import type { IPublishPacket } from 'mqtt'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiError, methods, type DecoderRule, type TreeRow } from '../../electron/api'
import type { DecodeContext, DecodeOutcome, SchemaLookup } from '../../electron/core/decode/types'
import { InspectManager } from '../../electron/core/inspect/inspect-manager'
import { TreeManager } from '../../electron/core/tree/tree-manager'

const calls = vi.hoisted(() => ({
  decode: [] as Array<{ payload: Buffer; context: unknown }>,
  preview: [] as Array<{ payload: Buffer; context: unknown }>,
  outcome: null as null | ((payload: Buffer) => unknown),
  formatThrows: false,
}))

vi.mock('../../electron/core/decode/pipeline', () => ({
  decodePayload: (payload: Buffer, context: unknown) => {
    calls.decode.push({ payload, context })
    if (calls.outcome !== null) return calls.outcome(payload)
    return { detected: 'text', reason: 'test', reasonCode: 'binary', layers: [{ decoder: 'text' }], candidates: ['text', 'hex'], error: null, errorCode: null, bytes: payload, result: { kind: 'text', text: payload.toString(), invalidUtf8: 0 } }
  },
  formatDecoded: (outcome: { result: { kind: string; text?: string } }) => {
    if (calls.formatThrows) throw new RangeError('Invalid string length')
    return outcome.result.kind === 'text' ? { text: outcome.result.text, language: 'plaintext', formatted: true } : null
  },
  reindentedJsonLength: () => null,
  previewDecoded: (payload: Buffer, context: { topic: string }) => {
    calls.preview.push({ payload, context })
    return `decoded ${context.topic} (${payload.length} bytes)`
  },
}))

const packet = (properties?: Record<string, unknown>) => ({ cmd: 'publish', qos: 0, retain: false, dup: false, properties }) as unknown as IPublishPacket
const lookup: SchemaLookup = { protobuf: () => undefined, avro: () => undefined }
const schemas = { lookup, generation: 1 }

let trees: TreeManager
let inspect: InspectManager

function put(topic: string, payload: Buffer | string, properties?: Record<string, unknown>, connectionId = 'c1', time = Date.now()): void {
  trees.onMessage(connectionId, topic, Buffer.from(payload), packet(properties), time)
}

const decode = (path: string, extra: Record<string, unknown> = {}, connectionId = 'c1') => inspect.decode(methods['inspect.decode'].parse({ message: { connectionId, path }, ...extra }))
const lastContext = () => calls.decode.at(-1)?.context as DecodeContext

function setRules(rules: DecoderRule[], connectionId = 'c1'): void {
  inspect.profilesChanged([{ id: connectionId, decoderRules: rules }])
}

beforeEach(() => {
  calls.decode.length = 0
  calls.preview.length = 0
  calls.outcome = null
  calls.formatThrows = false
  schemas.generation = 1
  trees?.close()
  trees = new TreeManager({ emit: () => {}, emitTo: () => {}, previewFor: (c, p, payload, props) => inspect.previewFor(c, p, payload, props) })
  inspect = new InspectManager({ trees, schemas })
})

describe('the decode context', () => {
  it('carries the first rule that matches the topic, MQTT wildcards included', () => {
    setRules([
      { filter: 'plant/+/telemetry', decoder: 'protobuf', protobufType: 'plant.Telemetry' },
      { filter: 'plant/#', decoder: 'cbor' },
      { filter: '#', decoder: 'msgpack' },
    ])
    put('plant/line1/telemetry', 'x')
    put('plant/line1/status', 'x')
    put('plant', 'x')
    put('$SYS/broker/uptime', 'x')
    put('other', 'x')
    decode('plant/line1/telemetry')
    expect(lastContext().rule).toEqual({ filter: 'plant/+/telemetry', decoder: 'protobuf', protobufType: 'plant.Telemetry' })
    decode('plant/line1/status')
    expect(lastContext().rule?.decoder).toBe('cbor')
    decode('plant') // 'plant/#' matches its parent level too
    expect(lastContext().rule?.decoder).toBe('cbor')
    decode('$SYS/broker/uptime') // a filter starting with a wildcard never matches a $ topic
    expect(lastContext().rule).toBeUndefined()
    decode('other')
    expect(lastContext().rule?.decoder).toBe('msgpack')
  })

  it('lets a rule whose filter breaks the wildcard rules match nothing, and the next rule decide', () => {
    setRules([
      { filter: 'plant/#/raw', decoder: 'hex' },
      { filter: 'plant/l+', decoder: 'hex' },
      { filter: 'plant/#', decoder: 'cbor' },
    ])
    put('plant/l1/raw', 'x')
    put('plant/l+', 'x')
    decode('plant/l1/raw')
    expect(lastContext().rule?.decoder).toBe('cbor')
    decode('plant/l+')
    expect(lastContext().rule?.decoder).toBe('cbor')
  })

  it('uses only the rules of the message’s own profile, and follows rule changes', () => {
    inspect.profilesChanged([{ id: 'c1', decoderRules: [] }, { id: 'c2', decoderRules: [{ filter: 'a', decoder: 'hex' }] }])
    put('a', 'x', undefined, 'c1')
    put('a', 'x', undefined, 'c2')
    decode('a', {}, 'c1')
    expect(lastContext().rule).toBeUndefined()
    decode('a', {}, 'c2')
    expect(lastContext().rule?.decoder).toBe('hex')
    setRules([{ filter: 'a', decoder: 'cbor' }])
    decode('a', {}, 'c1')
    expect(lastContext().rule?.decoder).toBe('cbor')
  })

  it('passes the content type, the payload format indicator, the forced decoder and the schemas', () => {
    put('t', 'x', { contentType: 'application/cbor', payloadFormatIndicator: false })
    decode('t', { decoder: 'protobuf', protobufType: 'a.B' })
    const context = lastContext()
    expect(context).toMatchObject({ topic: 't', contentType: 'application/cbor', utf8Hint: false, forced: { decoder: 'protobuf', protobufType: 'a.B' } })
    expect(context.schemas).toBe(lookup)
    put('u', 'y')
    decode('u')
    expect(lastContext().contentType).toBeUndefined()
    expect(lastContext().utf8Hint).toBeUndefined()
    expect(lastContext().forced).toBeUndefined()
  })

  it('reads other topics’ latest payloads of the same connection only (Sparkplug BIRTH aliases)', () => {
    put('spBv1.0/g/NBIRTH/n', 'birth-c1', undefined, 'c1')
    put('spBv1.0/g/NBIRTH/n', 'birth-c2', undefined, 'c2')
    put('spBv1.0/g/NDATA/n', 'data', undefined, 'c1')
    decode('spBv1.0/g/NDATA/n')
    expect(lastContext().latestPayload('spBv1.0/g/NBIRTH/n')?.toString()).toBe('birth-c1')
    expect(lastContext().latestPayload('spBv1.0/g/NBIRTH/none')).toBeUndefined()
  })
})

describe('documents', () => {
  it('reuses the document for the same message and options, and decodes again after a rule or schema change', () => {
    put('t', 'hello')
    const a = decode('t')
    expect(decode('t').docId).toBe(a.docId)
    expect(calls.decode).toHaveLength(1)
    setRules([{ filter: 't', decoder: 'hex' }])
    const ruled = decode('t')
    expect(ruled.docId).not.toBe(a.docId)
    schemas.generation = 2
    expect(decode('t').docId).not.toBe(ruled.docId)
    expect(calls.decode).toHaveLength(3)
    // A new message is another document, even with the same bytes.
    put('t', 'hello')
    expect(decode('t').docId).not.toBe(a.docId)
  })

  it('copies a small payload out of the tree’s slab, so a cached document pins only its own bytes', () => {
    put('small', 'tiny')
    const d = decode('small')
    const raw = calls.decode.at(-1)?.payload as Buffer
    expect(raw.buffer.byteLength).toBeLessThan(256 * 1024)
    expect(Buffer.from(inspect.bytes(methods['inspect.bytes'].parse({ docId: d.docId, offset: 0, length: 10 })).base64, 'base64').toString()).toBe('tiny')
  })

  it('shows the bytes with a sentence when the decoder throws or the text cannot be built', () => {
    put('t', 'x')
    calls.outcome = () => {
      throw new Error('decoder bug')
    }
    const failed = decode('t')
    expect(failed.view).toEqual({ kind: 'hex', totalBytes: 1 })
    expect(failed.error).toBe('This message could not be decoded (decoder bug); its bytes are shown instead.')
    calls.outcome = null
    calls.formatThrows = true
    const unformatted = decode('t', { sortKeys: true })
    expect(unformatted.view).toEqual({ kind: 'hex', totalBytes: 1 })
    expect(unformatted.error).toMatch(/could not be shown as text \(Invalid string length\)/)
  })

  it('sends an image inline up to 8 MiB and as hex with a note above', () => {
    const image = (bytes: Buffer): DecodeOutcome => ({ detected: 'image', reason: 'magic bytes', reasonCode: 'imageSignature', layers: [{ decoder: 'image' }], candidates: ['image', 'hex'], error: null, errorCode: null, bytes, result: { kind: 'image', mime: 'image/png', width: 2, height: 3 } })
    calls.outcome = (payload) => image(payload)
    put('cam/small', Buffer.from([0x89, 0x50, 0x4e, 0x47]))
    expect(decode('cam/small').view).toEqual({ kind: 'image', mime: 'image/png', dataBase64: Buffer.from([0x89, 0x50, 0x4e, 0x47]).toString('base64'), width: 2, height: 3 })
    put('cam/big', Buffer.alloc(8 * 1024 * 1024 + 1))
    const big = decode('cam/big')
    expect(big.view).toEqual({ kind: 'hex', totalBytes: 8 * 1024 * 1024 + 1 })
    expect(big.layers.at(-1)?.note).toMatch(/over the 8 MiB shown inline/)
  })

  it('offers a text payload on a .proto or .avsc topic as a schema file', () => {
    put('schemas/plant telemetry.proto', 'syntax = "proto3";')
    expect(decode('schemas/plant telemetry.proto').schemaOffer).toEqual({ name: 'plant_telemetry.proto' })
    put('schemas/bin.avsc', Buffer.from([0xff, 0xfe]))
    expect(decode('schemas/bin.avsc').schemaOffer).toBeUndefined()
    put('schemas/readme', 'text')
    expect(decode('schemas/readme').schemaOffer).toBeUndefined()
  })

  it('decodes a message on a 32,768-level topic, with its path cut in errors', () => {
    const deep = Array.from({ length: 32_768 }, () => 'a').join('/').slice(0, 65_535)
    put(deep, 'deep')
    expect(decode(deep).view).toMatchObject({ kind: 'text', firstPage: { text: 'deep' } })
    const err = (() => {
      try {
        decode(deep.slice(0, -1) + 'b')
      } catch (e) {
        return e as ApiError
      }
    })()
    expect(err?.code).toBe('NOT_FOUND')
    expect(err?.message.length).toBeLessThan(200)
  })
})

describe('tree previews', () => {
  function rows(): TreeRow[] {
    const frame = trees.openView(methods['tree.view.open'].parse({ connectionId: 'c1', expanded: ['plant', 'plant/l1', 'other', 'spBv1.0', 'spBv1.0/g', 'spBv1.0/g/NDATA'] }), { peerId: 'w' })
    return frame.rows
  }

  it('decodes the preview of a ruled topic and of Sparkplug B topics, and never calls the decoders for others', () => {
    setRules([{ filter: 'plant/+/raw', decoder: 'cbor' }])
    put('plant/l1/raw', Buffer.from([0xa1, 0x61, 0x61, 0x01]))
    put('plant/l1/text', 'plain text')
    put('spBv1.0/g/NDATA/n', Buffer.from([0x08, 0x01]))
    put('other/x', 'hello')
    const byPath = Object.fromEntries(rows().map((r) => [r.path, r]))
    expect(byPath['plant/l1/raw']).toMatchObject({ preview: 'decoded plant/l1/raw (4 bytes)', previewKind: 'text' })
    expect(byPath['spBv1.0/g/NDATA/n'].preview).toBe('decoded spBv1.0/g/NDATA/n (2 bytes)')
    expect(byPath['plant/l1/text']).toMatchObject({ preview: 'plain text', previewKind: 'text' })
    expect(calls.preview.map((c) => (c.context as DecodeContext).topic).sort()).toEqual(['plant/l1/raw', 'spBv1.0/g/NDATA/n'])
    expect((calls.preview[0].context as DecodeContext).rule?.decoder).toBe('cbor')
  })

  it('decodes each stored payload once however often its row is sent, and again when a new one arrives', () => {
    setRules([{ filter: 'plant/#', decoder: 'cbor' }])
    put('plant/l1/raw', Buffer.from([1]))
    rows()
    rows()
    expect(calls.preview).toHaveLength(1)
    put('plant/l1/raw', Buffer.from([2]))
    rows()
    expect(calls.preview).toHaveLength(2)
  })

  it('sends the open view’s rows again when the rules change, so previews follow without new messages', () => {
    put('plant/l1/raw', Buffer.from([0xa1, 0x61, 0x61, 0x01]))
    const opened = trees.openView(methods['tree.view.open'].parse({ connectionId: 'c1', expanded: ['plant', 'plant/l1'] }), { peerId: 'w' })
    expect(opened.rows.find((r) => r.path === 'plant/l1/raw')?.preview).toBe('a1 61 61 01')
    const view = trees.view(opened.viewId, { peerId: 'w' })
    expect(view.frame()).toBeNull() // nothing changed yet
    setRules([{ filter: 'plant/#', decoder: 'cbor' }])
    trees.previewsChanged()
    const next = view.frame()
    expect(next?.kind).toBe('delta')
    expect(next?.rows.find((r) => r.path === 'plant/l1/raw')?.preview).toBe('decoded plant/l1/raw (4 bytes)')
  })

  it('costs a connection without rules no decode at all', () => {
    for (let i = 0; i < 50; i++) put(`other/t${i}`, `v${i}`)
    rows()
    expect(calls.preview).toHaveLength(0)
  })
})
