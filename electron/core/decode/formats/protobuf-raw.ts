/**
 * Schema-less Protobuf, like `protoc --decode_raw`: JSON keyed by field number, a field seen more
 * than once as an array. Varints as unsigned integers (exact: beyond 2^53 as text), fixed64 and
 * fixed32 as hex text ("0x…", as protoc prints them), length-delimited fields as a nested message
 * when they parse as one, else as UTF-8 text, else as {"$base64": …}; groups as nested messages.
 */
import { bigintToJson, bytesToJson, setKey } from '../json-safe'
import type { JsonValue } from '../types'
import type { Format } from './format'
import { REASON_PROTOBUF_WIRE } from '../sentences'
import { invalid, remaining } from './format'

const MAX_FIELD = 536_870_911
/** Field numbers a real schema is likely to use; detection wants the whole buffer within them. */
const PLAUSIBLE_FIELD = 65_535
/** Nested messages are tried this deep (protoc's default recursion limit is 100). */
const MAX_NESTING = 64

class WireError extends Error {}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true })

interface Reader { b: Uint8Array; pos: number; end: number }

function varint(r: Reader): bigint | number {
  let result = 0
  let shift = 0
  const start = r.pos
  // Fast path: up to 7 bytes (49 bits) stay exact in a double.
  while (r.pos < r.end && shift < 49) {
    const byte = r.b[r.pos++]
    result += (byte & 0x7f) * 2 ** shift
    if (byte < 0x80) return result
    shift += 7
  }
  let big = BigInt(result)
  while (r.pos < r.end) {
    const byte = r.b[r.pos++]
    if (shift >= 64) throw new WireError(`a varint longer than 10 bytes at byte ${start}`)
    big |= BigInt(byte & 0x7f) << BigInt(shift)
    if (byte < 0x80) return BigInt.asUintN(64, big)
    shift += 7
  }
  throw new WireError(`the data ends inside a varint at byte ${start}`)
}

const hex = (b: Uint8Array, at: number, len: number) => {
  let s = '0x'
  for (let i = at + len - 1; i >= at; i--) s += b[i].toString(16).padStart(2, '0')
  return s
}

/**
 * Reads fields from r.pos to r.end (or to the end-group tag of `group`). `build` false only
 * checks the wire format (detection). Returns the message, or throws WireError.
 */
function readMessage(r: Reader, depth: number, maxField: number, build: boolean, group = 0): { [key: string]: JsonValue } {
  const out: { [key: string]: JsonValue } = {}
  while (r.pos < r.end) {
    const tagAt = r.pos
    const key = varint(r)
    const k = typeof key === 'bigint' ? Number(key) : key
    const wire = k % 8
    const field = Math.floor(k / 8)
    if (field < 1 || field > maxField) throw new WireError(`field number ${field} at byte ${tagAt}`)
    let value: JsonValue
    switch (wire) {
      case 0: {
        const v = varint(r)
        value = typeof v === 'bigint' ? bigintToJson(v) : v
        break
      }
      case 1:
        if (r.end - r.pos < 8) throw new WireError(`the data ends inside a fixed64 at byte ${r.pos}`)
        value = build ? hex(r.b, r.pos, 8) : null
        r.pos += 8
        break
      case 5:
        if (r.end - r.pos < 4) throw new WireError(`the data ends inside a fixed32 at byte ${r.pos}`)
        value = build ? hex(r.b, r.pos, 4) : null
        r.pos += 4
        break
      case 2: {
        const lenAt = r.pos
        const lv = varint(r)
        const len = typeof lv === 'bigint' ? Number(lv) : lv
        if (len > r.end - r.pos) throw new WireError(`a length of ${len} at byte ${lenAt}, but only ${remaining(r.end - r.pos)}`)
        const start = r.pos
        r.pos += len
        value = build ? lengthDelimited(r.b, start, start + len, depth, maxField) : null
        break
      }
      case 3: {
        if (depth >= MAX_NESTING) throw new WireError(`groups nested deeper than ${MAX_NESTING} at byte ${tagAt}`)
        value = readMessage(r, depth + 1, maxField, build, field)
        break
      }
      case 4:
        if (field !== group) throw new WireError(`an end-group tag for field ${field} at byte ${tagAt} without its start`)
        return out
      default:
        throw new WireError(`wire type ${wire} (there are only 0–5) at byte ${tagAt}`)
    }
    if (!build) continue
    const name = String(field)
    // Values are never arrays themselves, so an array here is the list of a repeated field.
    if (!Object.hasOwn(out, name)) setKey(out, name, value)
    else {
      const prev = out[name]
      if (Array.isArray(prev)) prev.push(value)
      else out[name] = [prev, value]
    }
  }
  if (group !== 0) throw new WireError(`the data ends inside the group of field ${group}`)
  return out
}

function lengthDelimited(b: Uint8Array, start: number, end: number, depth: number, maxField: number): JsonValue {
  if (end > start && depth < MAX_NESTING) {
    try {
      return readMessage({ b, pos: start, end }, depth + 1, maxField, true)
    } catch (err) {
      if (!(err instanceof WireError)) throw err
    }
  }
  const slice = b.subarray(start, end)
  try {
    return strictUtf8.decode(slice)
  } catch {
    return bytesToJson(slice)
  }
}

/** The schema-less decode of a whole buffer, or the wire-format error. */
export function decodeProtobufRaw(b: Uint8Array): { ok: true; value: { [key: string]: JsonValue } } | { ok: false; error: string } {
  try {
    return { ok: true, value: readMessage({ b, pos: 0, end: b.length }, 0, MAX_FIELD, true) }
  } catch (err) {
    if (err instanceof WireError) return { ok: false, error: err.message }
    throw err
  }
}

/** Whether the whole buffer is Protobuf wire format with field numbers ≤ 65,535 (top level only). */
export function looksLikeProtobuf(b: Uint8Array): boolean {
  if (b.length === 0) return false
  try {
    readMessage({ b, pos: 0, end: b.length }, 0, PLAUSIBLE_FIELD, false)
    return true
  } catch (err) {
    if (err instanceof WireError) return false
    throw err
  }
}

export const protobufRawFormat: Format = {
  id: 'protobuf-raw',
  label: 'Protobuf',
  detect: (b) => (looksLikeProtobuf(b) ? REASON_PROTOBUF_WIRE : null),
  decode(b) {
    const raw = decodeProtobufRaw(b)
    return raw.ok ? { kind: 'final', result: { kind: 'value', value: raw.value } } : invalid('Protobuf', raw.error)
  },
}
