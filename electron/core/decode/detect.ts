/**
 * Automatic detection as an ordered list of picks, tried in turn by the pipeline: the Sparkplug
 * topic, MQTT 5 hints (content type, payload format indicator), magic bytes, then text (JSON,
 * base64 of something binary, plain text) or binary (CBOR, MessagePack, Protobuf wire format, a
 * fixed-width number, hex). A strict pick that fails is the answer (with its error); a soft
 * pick that fails gives way to the next.
 */
import type { DecoderId } from '../../api/inspect'
import { isStrictBase64 } from './formats/base64'
import { isGzip, isZlib, zlibHeaderReason } from './formats/compressed'
import type { FormatOptions } from './formats/format'
import { FORMATS } from './formats/index'
import { imageMime, SIGNATURE_REASONS } from './formats/image'
import { MSGPACK_TRY_MAX_BYTES } from './formats/msgpack'
import { numberReason } from './formats/number'
import { parseSparkplugTopic } from './formats/sparkplug'
import { scanText } from './text-scan'
import {
  reason as coded, REASON_BASE64_OF_BINARY, REASON_BINARY, REASON_GZIP_MAGIC, REASON_JSON, REASON_MSGPACK_ARRAY, REASON_MSGPACK_MAP,
  REASON_SPARKPLUG_TOPIC, REASON_UTF8_HINT, REASON_UTF8_HINT_JSON, REASON_VALID_UTF8, REASON_VALID_UTF8_CONTROL,
} from './sentences'
import { NO_SCHEMAS, type DecodeContext, type DecodeReason } from './types'

export interface Pick {
  id: DecoderId
  reason: DecodeReason
  strict: boolean
  options?: FormatOptions
}

const PRECHECKED = { prechecked: true }
const TRY_ONLY = { tryOnly: true }
// Picks with nothing of their own, made once (detection runs for every message of a chart).
const TRY_MSGPACK_MAP: Pick = { id: 'msgpack', reason: REASON_MSGPACK_MAP, strict: false, options: TRY_ONLY }
const TRY_MSGPACK_ARRAY: Pick = { id: 'msgpack', reason: REASON_MSGPACK_ARRAY, strict: false, options: TRY_ONLY }
const SPARKPLUG_TOPIC: Pick = { id: 'sparkplug', reason: REASON_SPARKPLUG_TOPIC, strict: true }
const GZIP_MAGIC: Pick = { id: 'gzip', reason: REASON_GZIP_MAGIC, strict: true }
const UTF8_HINT_JSON: Pick = { id: 'json', reason: REASON_UTF8_HINT_JSON, strict: false }
const UTF8_HINT_TEXT: Pick = { id: 'text', reason: REASON_UTF8_HINT, strict: false }
const JSON_TEXT: Pick = { id: 'json', reason: REASON_JSON, strict: false }
const BASE64_OF_BINARY: Pick = { id: 'base64', reason: REASON_BASE64_OF_BINARY, strict: false }
const VALID_UTF8: Pick = { id: 'text', reason: REASON_VALID_UTF8, strict: false }
const VALID_UTF8_CONTROL: Pick = { id: 'text', reason: REASON_VALID_UTF8_CONTROL, strict: false }
const HEX_LAST: Pick = { id: 'hex', reason: REASON_BINARY, strict: false }
const CBOR_FIRST = ['cbor', 'msgpack', 'protobuf-raw'] as const
const MSGPACK_FIRST = ['msgpack', 'cbor', 'protobuf-raw'] as const

/** Layers (base64, gzip, zlib, deflate) applied at most this many times. */
export const MAX_LAYERS = 4

const CONTENT_TYPES: ReadonlyArray<[RegExp, DecoderId]> = [
  [/^(application|text)\/([\w.+-]*\+)?json$/, 'json'],
  [/^application\/cbor$/, 'cbor'],
  [/^application\/(x-|vnd\.)?msgpack$/, 'msgpack'],
  [/^application\/(x-|vnd\.google\.)?protobuf$/, 'protobuf-raw'],
  [/^application\/(x-)?avro(-binary)?$|^avro\/binary$/, 'avro'],
  [/^image\/(png|jpeg|gif|webp)$/, 'image'],
  [/^application\/(x-)?gzip$/, 'gzip'],
  [/^application\/zlib$/, 'zlib'],
  [/^text\//, 'text'],
]

/** The pick a content type hints at ("application/x-protobuf; messageType=pkg.Msg" names a type). */
function contentTypePick(contentType: string, context: DecodeContext): Pick | null {
  const [mediaType, ...params] = contentType.split(';').map((p) => p.trim())
  const media = mediaType.toLowerCase()
  const found = CONTENT_TYPES.find(([re]) => re.test(media))
  if (found === undefined) return null
  const reason = coded(`content type ${media}`, 'contentType', { contentType: media })
  const param = (names: string[]) => {
    for (const p of params) {
      const [k, v] = p.split('=')
      if (v !== undefined && names.includes(k.trim().toLowerCase())) return v.trim().replace(/^"|"$/g, '')
    }
    return undefined
  }
  if (found[1] === 'protobuf-raw') {
    const type = param(['messagetype', 'proto', 'type'])
    if (type !== undefined && context.schemas.protobuf(type) !== undefined) return { id: 'protobuf', reason, strict: false, options: { protobufType: type } }
  }
  if (found[1] === 'avro') {
    const schema = param(['schema', 'avroschema'])
    return schema === undefined ? null : { id: 'avro', reason, strict: false, options: { avroSchema: schema } }
  }
  return { id: found[1], reason, strict: false }
}

/** Base64 text worth decoding: its bytes are something binary we recognize, not more text. */
function base64OfBinary(bytes: Buffer): boolean {
  if (!isStrictBase64(bytes)) return false
  const inner = Buffer.from(bytes.toString('latin1'), 'base64')
  if (isGzip(inner) || isZlib(inner) || imageMime(inner) !== null) return true
  const ctx: DecodeContext = { topic: '', schemas: NO_SCHEMAS, latestPayload: () => undefined }
  if (scanText(inner).looksLikeText) return false
  if (FORMATS.cbor.detect?.(inner, ctx) || FORMATS.msgpack.detect?.(inner, ctx)) return true
  // Short words are valid base64 too; Protobuf by chance is likely for them, so want 16+ characters.
  return bytes.length >= 16 && FORMATS['protobuf-raw'].detect?.(inner, ctx) !== null
}

/**
 * Hands the automatic picks for `bytes` at layer `depth` (0 = the payload as received) to `take`
 * in order, until `take` says it is done (returns true). A visitor rather than a generator: this
 * runs for every message a chart or preview decodes, and resuming a generator per pick cost more
 * than the MessagePack decode's own bookkeeping. Later picks' checks (scans) still run only when
 * the earlier picks did not fit.
 */
export function automaticPicks(bytes: Buffer, context: DecodeContext, depth: number, take: (pick: Pick) => boolean): void {
  const layersLeft = depth < MAX_LAYERS
  if (depth === 0) {
    if (parseSparkplugTopic(context.topic) !== null && take(SPARKPLUG_TOPIC)) return
    if (context.contentType !== undefined) {
      const pick = contentTypePick(context.contentType, context)
      if (pick !== null && (layersLeft || !(pick.id === 'gzip' || pick.id === 'zlib')) && take(pick)) return
    }
  }
  if (layersLeft && isGzip(bytes) && take(GZIP_MAGIC)) return
  if (layersLeft && isZlib(bytes) && take({ id: 'zlib', reason: zlibHeaderReason(bytes), strict: false })) return
  const mime = imageMime(bytes)
  if (mime !== null && take({ id: 'image', reason: SIGNATURE_REASONS[mime], strict: false })) return
  const text = scanText(bytes)
  if (depth === 0 && context.utf8Hint === true && text.validUtf8) {
    if (take(UTF8_HINT_JSON)) return
    if (take(UTF8_HINT_TEXT)) return
  }
  if (text.looksLikeText) {
    if (take(JSON_TEXT)) return
    if (layersLeft && base64OfBinary(bytes) && take(BASE64_OF_BINARY)) return
    take(VALID_UTF8)
    return
  }
  // 80–8f opens a MessagePack map (fixmap) or a CBOR array: payloads are far more often maps, so
  // MessagePack is tried first there; CBOR first everywhere else (its maps are a0–bf).
  const order = bytes[0] >= 0x80 && bytes[0] <= 0x8f ? MSGPACK_FIRST : CBOR_FIRST
  for (let k = 0; k < order.length; k++) {
    const id = order[k]
    if (id === 'msgpack' && bytes.length <= MSGPACK_TRY_MAX_BYTES) {
      // Small payloads: tried directly by a length-capped decoder (see msgpack.ts), no scan.
      const first = bytes[0]
      if (bytes.length >= 2 && ((first >= 0x80 && first <= 0x9f) || (first >= 0xdc && first <= 0xdf)) && take(first <= 0x8f || first >= 0xde ? TRY_MSGPACK_MAP : TRY_MSGPACK_ARRAY)) return
      continue
    }
    const reason = FORMATS[id].detect?.(bytes, context) ?? null
    if (reason !== null && take({ id, reason, strict: false, options: PRECHECKED })) return
  }
  if (FORMATS.number.detect?.(bytes, context) && take({ id: 'number', reason: numberReason(bytes.length), strict: false })) return
  if (text.validUtf8 && take(VALID_UTF8_CONTROL)) return
  take(HEX_LAST)
}

/**
 * The pick detection would try first when nothing before it can apply, or null: a small payload
 * opening with a MessagePack fixmap head (80–8f; 89 only without PNG's signature) at the top level,
 * with no Sparkplug topic and no content type. Such bytes are never gzip, zlib (CINFO > 7) or an
 * image, and a UTF-8 continuation byte first means they are not text, so automaticPicks would
 * reach this same try. The pipeline runs it directly: a chart of MessagePack sensor payloads
 * pays for the decode, not the walk through the picks.
 */
export function leadingPick(bytes: Buffer, context: DecodeContext): Pick | null {
  const first = bytes[0]
  if (first < 0x80 || first > 0x8f || bytes.length < 2 || bytes.length > MSGPACK_TRY_MAX_BYTES) return null
  // 89 is also PNG's first byte (a nine-entry map is common: the signature decides).
  if (first === 0x89 && imageMime(bytes) !== null) return null
  if (context.contentType !== undefined || context.topic.startsWith('spBv1.0/')) return null
  return TRY_MSGPACK_MAP
}

/** Decoders worth offering as overrides, cheapest checks only (the detected one goes first). */
export function candidatesFor(bytes: Buffer, context: DecodeContext, detected: DecoderId): DecoderId[] {
  const out = new Set<DecoderId>([detected])
  if (parseSparkplugTopic(context.topic) !== null) out.add('sparkplug')
  if (isGzip(bytes)) out.add('gzip')
  if (isZlib(bytes)) out.add('zlib')
  if (imageMime(bytes) !== null) out.add('image')
  const text = scanText(bytes)
  if (text.looksLikeText) {
    // Detection already tried JSON when it settled on text; otherwise (a forced or ruled decoder) try it.
    if (detected !== 'text' && detected !== 'json' && FORMATS.json.decode(bytes, context, {}).kind !== 'error') out.add('json')
    if (isStrictBase64(bytes)) out.add('base64')
  } else if (bytes.length <= 16 * 1024 * 1024) {
    for (const id of CBOR_FIRST) if (FORMATS[id].detect?.(bytes, context)) out.add(id)
  }
  if (FORMATS.number.detect?.(bytes, context)) out.add('number')
  if ((context.schemas.protobufTypes?.() ?? []).length > 0) out.add('protobuf')
  if ((context.schemas.avroSchemas?.() ?? []).length > 0) out.add('avro')
  out.add('text')
  out.add('hex')
  return [...out]
}
