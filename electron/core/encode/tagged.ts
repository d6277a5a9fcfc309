/**
 * The markers MessagePack and CBOR payloads are authored with, for what plain JSON cannot say.
 * A marker is an object whose only keys are the marker's (see the README for the list):
 *
 *   {"$base64": "3q2+7w=="}            bytes (also what the inspector shows for bytes)
 *   {"$bigint": "18446744073709551615"} an integer as decimal text (plain big literals work too)
 *   {"$float32": 1.5} / {"$float64": 2} a float of that width ("NaN", "Infinity", "-Infinity" as text)
 *   {"$float": "NaN"}                  a float of the format's preferred width (2.5 alone is one too)
 *   {"$map": [[key, value], …]}        a map with keys that are not strings, or in any order
 *   {"$tag": 1, "value": …}            CBOR: a tagged item
 *   {"$simple": 7} / {"$undefined": true} CBOR: a simple value, undefined
 *   {"$ext": 5, "base64": "…"}         MessagePack: an extension type
 *
 * Any other object is a map with string keys, in the order written.
 */
import { notice, type Notice, type NoticeCode, type NoticeParams, type PayloadProblem } from '../../api'
import { AuthoredFloat, type AuthoredObject, type AuthoredValue } from './authored-json'
import { encodeBase64 } from './text-formats'
import { childPointer, nestedProblem, pointerOf, problemAtPointer, type Path } from './problem'

export type Tagged =
  | { kind: 'bytes'; bytes: Buffer }
  | { kind: 'int'; value: bigint }
  /** `width` null: the format's preferred width (CBOR: the shortest that is exact; MessagePack: 64). */
  | { kind: 'float'; width: 32 | 64 | null; value: number }
  | { kind: 'map'; entries: Array<[AuthoredValue, AuthoredValue]> }
  | { kind: 'tag'; tag: bigint; value: AuthoredValue }
  | { kind: 'simple'; value: number }
  | { kind: 'undefined' }
  | { kind: 'ext'; type: number; bytes: Buffer }

/** A value MessagePack or CBOR cannot hold as written, at `pointer`, said as a notice. */
export class TaggedError extends Error {
  readonly said: Notice
  constructor(readonly pointer: string, code: NoticeCode, message: string, params?: NoticeParams) {
    super(message)
    this.said = notice(code, message, params)
  }
}

export const problemOf = (err: TaggedError): PayloadProblem => problemAtPointer(err.pointer, err.said)

const keysAre = (o: AuthoredObject, ...keys: string[]): boolean => o.size === keys.length && keys.every((k) => o.has(k))

function floatOf(v: AuthoredValue | undefined, pointer: string, marker: string): number {
  if (typeof v === 'number') return v
  if (typeof v === 'bigint') return Number(v)
  if (v instanceof AuthoredFloat) return v.value
  if (v === 'NaN') return NaN
  if (v === 'Infinity') return Infinity
  if (v === '-Infinity') return -Infinity
  throw new TaggedError(pointer, 'MARKER_TAKES_NUMBER', `${marker} takes a number, or "NaN", "Infinity" or "-Infinity".`, { marker })
}

/** The bytes of `$base64`, or of an extension's `base64` (`marker` null): each has its own sentences. */
function bytesOf(v: AuthoredValue | undefined, pointer: string, marker: '$base64' | null): Buffer {
  if (typeof v !== 'string') {
    if (marker === null) throw new TaggedError(pointer, 'MARKER_EXT_TAKES_BASE64', "The extension's base64 takes the bytes as base64 text.")
    throw new TaggedError(pointer, 'MARKER_TAKES_BASE64', `${marker} takes the bytes as base64 text.`, { marker })
  }
  const out = encodeBase64(v)
  if (out.ok) return out.bytes
  const inner = nestedProblem('problem', out.problem)
  if (marker === null) throw new TaggedError(pointer, 'MARKER_EXT_BASE64_INVALID', `The extension's base64: ${out.problem.message}`, inner)
  throw new TaggedError(pointer, 'MARKER_BASE64_INVALID', `${marker}: ${out.problem.message}`, { marker, ...inner })
}

function integerOf(v: AuthoredValue | undefined, pointer: string, what: string): bigint {
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v)
  if (typeof v === 'bigint') return v
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return BigInt(v)
  throw new TaggedError(pointer, 'MARKER_TAKES_INTEGER', `${what} takes an integer (a number, or decimal text for big ones).`, { marker: what })
}

/** The marker `value` is, or null for plain values and ordinary objects; throws TaggedError for a malformed marker. */
export function readTagged(value: AuthoredObject, path: Path): Tagged | null {
  if (value.size === 0 || value.size > 2) return null
  let marked = false
  for (const k of value.keys()) if (k.charCodeAt(0) === 0x24) marked = true
  if (!marked) return null
  const pointer = pointerOf(path)
  const get = (k: string) => value.get(k)
  if (keysAre(value, '$base64')) return { kind: 'bytes', bytes: bytesOf(get('$base64'), childPointer(pointer, '$base64'), '$base64') }
  if (keysAre(value, '$bigint')) return { kind: 'int', value: integerOf(get('$bigint'), childPointer(pointer, '$bigint'), '$bigint') }
  if (keysAre(value, '$float')) return { kind: 'float', width: null, value: floatOf(get('$float'), childPointer(pointer, '$float'), '$float') }
  if (keysAre(value, '$float32')) return { kind: 'float', width: 32, value: floatOf(get('$float32'), childPointer(pointer, '$float32'), '$float32') }
  if (keysAre(value, '$float64')) return { kind: 'float', width: 64, value: floatOf(get('$float64'), childPointer(pointer, '$float64'), '$float64') }
  if (keysAre(value, '$undefined')) return { kind: 'undefined' }
  if (keysAre(value, '$simple')) {
    const n = get('$simple')
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 255 || (n >= 20 && n <= 31)) throw new TaggedError(childPointer(pointer, '$simple'), 'MARKER_SIMPLE_RANGE', '$simple takes 0–19 or 32–255 (20–31 are false, true, null, undefined and reserved).')
    return { kind: 'simple', value: n }
  }
  if (keysAre(value, '$map')) {
    const list = get('$map')
    const at = childPointer(pointer, '$map')
    if (!Array.isArray(list)) throw new TaggedError(at, 'MARKER_MAP_LIST', '$map takes a list of [key, value] pairs.')
    const entries: Array<[AuthoredValue, AuthoredValue]> = []
    list.forEach((pair, i) => {
      if (!Array.isArray(pair) || pair.length !== 2) throw new TaggedError(childPointer(at, i), 'MARKER_MAP_PAIR', 'Each $map entry is a [key, value] pair.')
      entries.push([pair[0], pair[1]])
    })
    return { kind: 'map', entries }
  }
  if (keysAre(value, '$tag', 'value')) {
    const tag = integerOf(get('$tag'), childPointer(pointer, '$tag'), '$tag')
    if (tag < 0n || tag > 0xffffffffffffffffn) throw new TaggedError(childPointer(pointer, '$tag'), 'CBOR_TAG_RANGE', 'A CBOR tag is 0 to 18446744073709551615.')
    return { kind: 'tag', tag, value: get('value') ?? null }
  }
  if (keysAre(value, '$ext', 'base64')) {
    const type = get('$ext')
    if (typeof type !== 'number' || !Number.isInteger(type) || type < -128 || type > 127) throw new TaggedError(childPointer(pointer, '$ext'), 'MSGPACK_EXT_TYPE_RANGE', 'A MessagePack extension type is an integer from -128 to 127.')
    return { kind: 'ext', type, bytes: bytesOf(get('base64'), childPointer(pointer, 'base64'), null) }
  }
  return null
}

