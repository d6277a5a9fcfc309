/**
 * "Edit and publish": a received payload and its decode outcome (decode/pipeline.ts) → an
 * editor draft in the decoded format, written so that publishing it unchanged sends the same
 * bytes. Each structured draft is encoded again here and compared with what was received;
 * when they differ (a sender's non-shortest lengths, indefinite CBOR lengths, unknown Protobuf
 * fields, gzip's header), the note says so. Layers other than one outer gzip (base64, zlib,
 * deflate, nested layers) keep the payload as received (text, hex or base64).
 */
import { notice, type Notice, type PayloadDraft } from '../../api'
import { SPARKPLUG_DATATYPES, sparkplugPayloadType } from '../decode/sparkplug/schema'
import { decodePayload } from '../decode/pipeline'
import type { DecodeContext, DecodeOutcome, SchemaLookup } from '../decode/types'
import { AuthoredFloat, type AuthoredValue } from './authored-json'
import { authoredText, marker } from './authored-text'
import { readCbor, readMsgpack, ReadError } from './binary-read'
import { encodeDraft } from './encode-draft'
import { bytesText, nestedParams, nestedProblem } from './problem'

/** Binary payloads up to this size are shown as hex, bigger ones as base64 (hex would pass the body's cap). */
export const HEX_DRAFT_MAX_BYTES = 1024 * 1024

export interface DecodedDraft {
  payload: PayloadDraft
  /** What the user should know: the decoded format, or why it fell back, or that bytes may differ. */
  note?: string
  /** The note's sentences with their codes, when every one of them has a code (`note` is their English joined). */
  notes?: Notice[]
}

const draft = (format: PayloadDraft['format'], body: string, extra: Partial<PayloadDraft> = {}): PayloadDraft => ({ format, body, gzip: false, placeholders: false, ...extra })

/** Valid UTF-8 without control characters other than tab, CR, LF → its text, else null. */
function plainText(bytes: Buffer): string | null {
  const text = bytes.toString('utf8')
  if (!Buffer.from(text, 'utf8').equals(bytes)) return null
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text)) return null
  return text
}

/**
 * The payload as received: text when it is plain text, else hex (≤ 1 MiB) or base64. The note is
 * one English sentence of two parts, why and how; with a coded `why` both parts travel as
 * notices (each translation is a sentence of its own), with the decoder's own words only the
 * English note does.
 */
function rawDraft(payload: Buffer, why: string | Notice): DecodedDraft {
  const reason = typeof why === 'string' ? why : why.message
  const text = plainText(payload)
  const held =
    text !== null
      ? { payload: draft('text', text), how: notice('DRAFT_AS_TEXT', 'the editor holds the payload as received, as text.') }
      : payload.length <= HEX_DRAFT_MAX_BYTES
        ? { payload: draft('hex', hexLines(payload)), how: notice('DRAFT_AS_HEX', 'the editor holds the payload as received, as hex.') }
        : { payload: draft('base64', payload.toString('base64')), how: notice('DRAFT_AS_BASE64', `the editor holds the payload as received, as base64 (${bytesText(payload.length)} is too big to edit as hex).`, { bytes: payload.length }) }
  const out: DecodedDraft = { payload: held.payload, note: `${reason}; ${held.how.message}` }
  if (typeof why !== 'string') out.notes = [why, held.how]
  return out
}

/** Hex in lines of 32 bytes, bytes separated by spaces. */
function hexLines(b: Buffer): string {
  const hex = b.toString('hex')
  const lines: string[] = []
  for (let i = 0; i < hex.length; i += 64) lines.push(hex.slice(i, i + 64).replace(/(..)(?!$)/g, '$1 '))
  return lines.join('\n')
}

const LABELS: Readonly<Record<string, string>> = { msgpack: 'MessagePack', cbor: 'CBOR', protobuf: 'Protobuf', sparkplug: 'Sparkplug B', json: 'JSON', text: 'text' }

/** The note for a structured draft, after encoding it again and comparing with `bytes`. */
function checked(payload: PayloadDraft, bytes: Buffer, schemas: SchemaLookup, label: string): DecodedDraft {
  const again = encodeDraft({ ...payload, gzip: false }, { schemas })
  const noted = (n: Notice): DecodedDraft => ({ payload, note: n.message, notes: [n] })
  if (!again.ok) return noted(notice('DRAFT_DECODED_NOT_AGAIN', `Decoded as ${label}, but it does not encode again as written (${again.problem.message}).`, { label, problem: again.problem.message, ...nestedProblem('problem', again.problem) }))
  if (again.bytes.equals(bytes)) return noted(notice('DRAFT_DECODED_SAME', `Decoded as ${label}; it is encoded again when published (the same bytes, unless you edit it).`, { label }))
  return noted(notice('DRAFT_DECODED_DIFFERENT', `Decoded as ${label}; encoding it again gives different bytes (${bytesText(again.bytes.length)} instead of ${bytesText(bytes.length)}: the sender's encoding differs from ours, e.g. in lengths, order or unknown fields). The content is the same.`, { label, bytes: again.bytes.length, original: bytes.length }))
}

// ---- Sparkplug B -----------------------------------------------------------------------------

type Long = { low: number; high: number; unsigned?: boolean } | number
const longBig = (v: Long): bigint => (typeof v === 'number' ? BigInt(v) : (BigInt(v.high >>> 0) << 32n) | BigInt(v.low >>> 0))
const exact = (n: bigint): number | bigint => (n >= -9007199254740991n && n <= 9007199254740991n ? Number(n) : n)

interface PbMessage {
  [field: string]: unknown
}

const TO_JSON = { longs: String, enums: String, bytes: String, json: true } as const

/** A protobufjs JSON object as an authored value (keys in order). */
function plainToAuthored(v: unknown): AuthoredValue {
  if (v === null || v === undefined) return null
  if (Array.isArray(v)) return v.map(plainToAuthored)
  if (typeof v === 'object') return new Map(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, plainToAuthored(x)]))
  if (typeof v === 'number') return Number.isInteger(v) ? v : new AuthoredFloat(v)
  return v as string | boolean
}

function sparkplugValue(m: PbMessage, code: number, path: string): AuthoredValue {
  const v = m[path]
  switch (path) {
    case 'int_value': {
      const n = v as number
      if (code === 1) return (n << 24) >> 24
      if (code === 2) return (n << 16) >> 16
      if (code === 3) return n | 0
      return n >>> 0
    }
    case 'long_value': {
      const n = longBig(v as Long)
      return exact(code === 4 ? BigInt.asIntN(64, n) : n)
    }
    case 'float_value':
    case 'double_value':
      return Number.isFinite(v as number) ? (v as number) : String(v)
    case 'bytes_value':
      return marker('$base64', Buffer.from(v as Uint8Array).toString('base64'))
    case 'boolean_value':
    case 'string_value':
      return v as boolean | string
    default: {
      const sub = sparkplugPayloadType().lookupType(path === 'dataset_value' ? 'DataSet' : 'Template')
      return plainToAuthored(sub.toObject(v as never, TO_JSON))
    }
  }
}

const VALUE_PATHS = ['int_value', 'long_value', 'float_value', 'double_value', 'boolean_value', 'string_value', 'bytes_value', 'dataset_value', 'template_value']
/** A datatype for a value field when the metric carries none (Sparkplug 3.0 DATA may omit it). */
const DEFAULT_CODE: Readonly<Record<string, number>> = { int_value: 3, long_value: 8, float_value: 9, double_value: 10, boolean_value: 11, string_value: 12, bytes_value: 17, dataset_value: 16, template_value: 19 }

function valuePath(m: PbMessage): string | undefined {
  return VALUE_PATHS.find((p) => Object.hasOwn(m, p))
}

function properties(set: PbMessage): AuthoredValue {
  const keys = (set.keys as string[] | undefined) ?? []
  const values = (set.values as PbMessage[] | undefined) ?? []
  const out = new Map<string, AuthoredValue>()
  keys.forEach((key, i) => {
    const pv = values[i] ?? {}
    const code = (pv.type as number | undefined) ?? 0
    const entry = new Map<string, AuthoredValue>([['type', SPARKPLUG_DATATYPES[code] ?? code]])
    if (pv.is_null === true) entry.set('isNull', true)
    else if (Object.hasOwn(pv, 'propertyset_value')) entry.set('value', properties(pv.propertyset_value as PbMessage))
    else if (Object.hasOwn(pv, 'propertysets_value')) entry.set('value', (((pv.propertysets_value as PbMessage).propertyset as PbMessage[] | undefined) ?? []).map(properties))
    else {
      const path = valuePath(pv)
      if (path !== undefined) entry.set('value', sparkplugValue(pv, code, path))
    }
    out.set(key, entry)
  })
  return out
}

/** Sparkplug B bytes → the authored JSON (every field the encoder takes). */
export function sparkplugAuthored(bytes: Buffer): AuthoredValue {
  const type = sparkplugPayloadType()
  const p = type.decode(bytes) as unknown as PbMessage
  const out = new Map<string, AuthoredValue>()
  if (Object.hasOwn(p, 'timestamp')) out.set('timestamp', exact(longBig(p.timestamp as Long)))
  if (Object.hasOwn(p, 'seq')) out.set('seq', exact(longBig(p.seq as Long)))
  if (Object.hasOwn(p, 'uuid')) out.set('uuid', p.uuid as string)
  if (Object.hasOwn(p, 'body')) out.set('body', marker('$base64', Buffer.from(p.body as Uint8Array).toString('base64')))
  out.set('metrics', ((p.metrics as PbMessage[] | undefined) ?? []).map((m) => {
    const metric = new Map<string, AuthoredValue>()
    if (Object.hasOwn(m, 'name')) metric.set('name', m.name as string)
    if (Object.hasOwn(m, 'alias')) metric.set('alias', exact(longBig(m.alias as Long)))
    if (Object.hasOwn(m, 'timestamp')) metric.set('timestamp', exact(longBig(m.timestamp as Long)))
    const path = valuePath(m)
    const code = Object.hasOwn(m, 'datatype') ? (m.datatype as number) : path !== undefined ? DEFAULT_CODE[path] : 0
    metric.set('datatype', SPARKPLUG_DATATYPES[code] ?? code)
    if (Object.hasOwn(m, 'is_historical')) metric.set('isHistorical', m.is_historical as boolean)
    if (Object.hasOwn(m, 'is_transient')) metric.set('isTransient', m.is_transient as boolean)
    if (Object.hasOwn(m, 'metadata')) metric.set('metadata', plainToAuthored(type.lookupType('MetaData').toObject(m.metadata as never, TO_JSON)))
    if (Object.hasOwn(m, 'properties')) metric.set('properties', properties(m.properties as PbMessage))
    if (m.is_null === true || path === undefined) metric.set('isNull', true)
    else metric.set('value', sparkplugValue(m, code, path))
    return metric
  }))
  return out
}

// ---- The reverse ------------------------------------------------------------------------------

export interface DraftFromDecodedOptions {
  schemas: SchemaLookup
  /** The Protobuf type the payload was decoded with (the forced decoder's or the rule's). */
  protobufType?: string
}

/** The editor draft for a received payload, in the format it was decoded as. Never throws. */
export function draftFromDecoded(payload: Buffer, outcome: DecodeOutcome, options: DraftFromDecodedOptions): DecodedDraft {
  try {
    return fromDecoded(payload, outcome, options)
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err)
    // Our readers' reasons have codes; a library's (protobufjs') own words stay as they came.
    const coded = err instanceof ReadError ? nestedParams('error', err.said) : {}
    return rawDraft(payload, notice('DRAFT_UNEDITABLE', `It could not be turned into an editable form (${error})`, { error, ...coded }))
  }
}

/**
 * The editor draft for a received payload, decoded here with the inspector's context (its rule,
 * forced decoder, schemas, Sparkplug BIRTHs): one call for publish.draftFromMessage. The
 * Protobuf type is the forced decoder's or the rule's. Never throws.
 */
export function draftFromPayload(payload: Buffer, context: DecodeContext): DecodedDraft {
  const protobufType = context.forced?.protobufType ?? (context.forced === undefined ? context.rule?.protobufType : undefined)
  return draftFromDecoded(payload, decodePayload(payload, context), protobufType === undefined ? { schemas: context.schemas } : { schemas: context.schemas, protobufType })
}

function fromDecoded(payload: Buffer, outcome: DecodeOutcome, options: DraftFromDecodedOptions): DecodedDraft {
  if (payload.length === 0) return { payload: draft('text', '') }
  if (outcome.error !== null) return rawDraft(payload, outcome.error)
  const layers = outcome.layers
  const final = layers.length > 0 ? layers[layers.length - 1].decoder : outcome.detected
  const wrappers = layers.slice(0, -1).map((l) => l.decoder)
  let gzip = false
  if (wrappers.length > 0) {
    if (wrappers.length !== 1 || wrappers[0] !== 'gzip') return rawDraft(payload, notice('DRAFT_LAYERS', `Received as ${wrappers.join(' → ')} → ${final}, which the editor cannot write back`, { layers: [...wrappers, final].join(' → ') }))
    gzip = true
  }
  const inner = outcome.bytes
  const result = (d: DecodedDraft): DecodedDraft => {
    if (!gzip) return d
    const gzipped = notice('DRAFT_GZIPPED', 'It was gzipped: it is gzipped again when published (the content is the same, the compressed bytes may differ).')
    const out: DecodedDraft = { payload: { ...d.payload, gzip: true }, note: `${d.note ?? ''} ${gzipped.message}`.trim() }
    // A note without codes stays English as a whole rather than half translated.
    if (d.notes || d.note === undefined) out.notes = [...(d.notes ?? []), gzipped]
    return out
  }
  const structured = (format: PayloadDraft['format'], value: AuthoredValue, extra: Partial<PayloadDraft> = {}): DecodedDraft =>
    result(checked(draft(format, authoredText(value), extra), inner, options.schemas, LABELS[format]))
  switch (final) {
    case 'json': {
      const text = plainText(inner) ?? inner.toString('utf8')
      if (!Buffer.from(text, 'utf8').equals(inner)) return rawDraft(payload, notice('DRAFT_JSON_NOT_UTF8', 'The JSON is not valid UTF-8'))
      return result(checked(draft('json', text), inner, options.schemas, 'JSON'))
    }
    case 'text': {
      const text = inner.toString('utf8')
      if (!Buffer.from(text, 'utf8').equals(inner)) {
        if (gzip) return rawDraft(payload, notice('DRAFT_GZIPPED_TEXT_NOT_UTF8', 'The gzipped text is not valid UTF-8'))
        return rawDraft(payload, notice('DRAFT_TEXT_NOT_UTF8', 'The text is not valid UTF-8'))
      }
      return result({ payload: draft('text', text) })
    }
    case 'msgpack':
      return structured('msgpack', readMsgpack(inner))
    case 'cbor':
      return structured('cbor', readCbor(inner))
    case 'sparkplug':
      return structured('sparkplug', sparkplugAuthored(inner))
    case 'protobuf': {
      const typeName = options.protobufType ?? /^type (.+)$/.exec(layers[layers.length - 1]?.note ?? '')?.[1]
      const type = typeName === undefined ? undefined : options.schemas.protobufType?.(typeName)
      if (typeName === undefined || type === undefined) return rawDraft(payload, notice('DRAFT_PROTOBUF_TYPE_UNKNOWN', 'Its Protobuf type is not known here'))
      const value = plainToAuthored(type.toObject(type.decode(inner), TO_JSON))
      return structured('protobuf', value, { protobufType: typeName })
    }
    default:
      return rawDraft(payload, notice('DRAFT_NOT_EDITOR_FORMAT', `Decoded as ${final}, which is not an editor format`, { format: final }))
  }
}
