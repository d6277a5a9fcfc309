/**
 * MessagePack via @msgpack/msgpack: 64-bit integers exact (numbers when a double holds them, else text),
 * extension types as {"$ext": type, "base64": …} (the timestamp extension, -1, as ISO text),
 * map keys that are not strings or numbers as their JSON text. Detected when the whole payload
 * is one map or array.
 */
import type { Decoder } from '@msgpack/msgpack'
import { jsonSafeInPlace, toJsonSafe, TooDeepError } from '../json-safe'
import type { JsonValue } from '../types'
import type { Format, FormatOutcome } from './format'
import { REASON_MSGPACK_ARRAY, REASON_MSGPACK_MAP } from '../sentences'
import { invalid, invalidBecause, messageOf, tooDeep } from './format'
import { jsonSafeDecoder, needsFixUp } from './msgpack-decoder'
import { scanMsgpack } from './msgpack-scan'

const mapKeyConverter = (key: unknown) => (typeof key === 'string' || typeof key === 'number' ? key : JSON.stringify(toJsonSafe(key)))
const decoder = jsonSafeDecoder({ mapKeyConverter })

/**
 * Payloads up to this size are tried without the scan, by a decoder whose lengths are capped at
 * the same size: the library allocates `new Array(count)` from a header before reading the
 * entries, and the cap keeps a lying header to 64 K slots. The scan costs about a third of a
 * small decode, which the per-message path (charts) pays for every message.
 */
export const MSGPACK_TRY_MAX_BYTES = 64 * 1024
const bounded = jsonSafeDecoder({
  mapKeyConverter,
  maxArrayLength: MSGPACK_TRY_MAX_BYTES,
  maxMapLength: MSGPACK_TRY_MAX_BYTES,
  maxStrLength: MSGPACK_TRY_MAX_BYTES,
  maxBinLength: MSGPACK_TRY_MAX_BYTES,
  maxExtLength: MSGPACK_TRY_MAX_BYTES,
})

const decoderFixUp = needsFixUp(decoder)
const boundedFixUp = needsFixUp(bounded)

/** The decoded value of `b` (JSON-safe as it is read, see msgpack-decoder.ts), or "Not valid MessagePack". */
function decodeWith(d: Decoder, fixUp: boolean, b: Buffer, topLevel: boolean): FormatOutcome {
  let value: unknown
  try {
    value = d.decode(b)
    if (fixUp) value = jsonSafeInPlace(value)
  } catch (err) {
    return err instanceof TooDeepError ? tooDeep('MessagePack', err) : invalid('MessagePack', messageOf(err))
  }
  // Tried only on a map or array head byte, so this guards a library surprise, not user data.
  if (topLevel && (value === null || typeof value !== 'object')) return invalidBecause('MessagePack', 'not a map or an array', 'invalidNotMapOrArray')
  return { kind: 'final', result: { kind: 'value', value: value as JsonValue } }
}

/**
 * The length-capped try of a small payload that opens with a map or array head (detection's
 * leading pick): the pipeline calls it from a call site of its own, which stays monomorphic where
 * the shared `format.decode` site sees every format.
 */
export function tryMsgpack(b: Buffer): FormatOutcome {
  return decodeWith(bounded, boundedFixUp, b, true)
}

export const msgpackFormat: Format = {
  id: 'msgpack',
  label: 'MessagePack',
  detect(b) {
    const first = b[0]
    if (b.length < 2 || !((first >= 0x80 && first <= 0x9f) || (first >= 0xdc && first <= 0xdf))) return null
    const scan = scanMsgpack(b)
    return !scan.ok || scan.top === 'other' ? null : scan.top === 'map' ? REASON_MSGPACK_MAP : REASON_MSGPACK_ARRAY
  },
  decode(b, _context, options) {
    if (options.tryOnly === true && b.length <= MSGPACK_TRY_MAX_BYTES) return tryMsgpack(b)
    // Detection has just scanned these bytes; a forced or ruled decode scans them here.
    if (options.prechecked !== true) {
      const scan = scanMsgpack(b)
      if (!scan.ok) return invalid('MessagePack', scan.error)
    }
    return decodeWith(decoder, decoderFixUp, b, false)
  },
}
