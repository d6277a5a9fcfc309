/**
 * Turns what the decoding libraries give (bigints, byte arrays, Maps with any keys, MessagePack
 * extensions, Dates, NaN, undefined) into the JSON-safe form every view
 * and chart reads. Nesting is bounded: a payload nested deeper than MAX_DEPTH is refused with a
 * clear error instead of blowing the stack here or in JSON.stringify later.
 */
import { ExtData } from '@msgpack/msgpack'
import type { JsonValue } from './types'

export const MAX_DEPTH = 500

export class TooDeepError extends Error {
  constructor() {
    super(`nested deeper than ${MAX_DEPTH} levels`)
  }
}

/** A bigint as a number when a double holds it exactly, else its decimal text. */
export function bigintToJson(value: bigint): number | string {
  return value >= -9007199254740991n && value <= 9007199254740991n ? Number(value) : value.toString()
}

export function numberToJson(value: number): number | string {
  return Number.isFinite(value) ? value : String(value)
}

export function bytesToJson(bytes: Uint8Array): { $base64: string } {
  return { $base64: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64') }
}

/** Sets a key even when it is `__proto__` (a plain assignment would change the prototype). */
export function setKey(target: { [key: string]: JsonValue }, key: string, value: JsonValue): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true })
  else target[key] = value
}

function keyText(key: unknown): string | null {
  return typeof key === 'string' ? key : null
}

/** The JSON-safe form of a decoded value (see the module comment); throws TooDeepError. */
export function toJsonSafe(value: unknown, depth = 0): JsonValue {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value
    case 'number':
      return Number.isFinite(value) ? value : String(value)
    case 'bigint':
      return bigintToJson(value)
    case 'undefined':
      return null
    case 'object':
      break
    default:
      return String(value)
  }
  if (value === null) return null
  if (depth >= MAX_DEPTH) throw new TooDeepError()
  if (Array.isArray(value)) {
    const out = new Array<JsonValue>(value.length)
    for (let i = 0; i < value.length; i++) out[i] = toJsonSafe(value[i], depth + 1)
    return out
  }
  if (value instanceof Uint8Array) return bytesToJson(value)
  if (value instanceof Map) {
    let allStrings = true
    for (const k of value.keys()) if (keyText(k) === null) { allStrings = false; break }
    if (allStrings) {
      const out: { [key: string]: JsonValue } = {}
      for (const [k, v] of value) setKey(out, k as string, toJsonSafe(v, depth + 1))
      return out
    }
    const pairs: JsonValue[] = []
    for (const [k, v] of value) pairs.push([toJsonSafe(k, depth + 1), toJsonSafe(v, depth + 1)])
    return { $map: pairs }
  }
  if (value instanceof ExtData) {
    const data = value.data instanceof Uint8Array ? value.data : new Uint8Array(0)
    return { $ext: value.type, base64: bytesToJson(data).$base64 }
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString()
  if (ArrayBuffer.isView(value)) return toJsonSafe(Array.from(value as unknown as ArrayLike<number>), depth)
  if (value instanceof Number || value instanceof String || value instanceof Boolean) return toJsonSafe(value.valueOf(), depth)
  if (value instanceof URL) return value.href
  if (value instanceof Set) return toJsonSafe([...value], depth)
  const out: { [key: string]: JsonValue } = {}
  for (const k of Object.keys(value)) setKey(out, k, toJsonSafe((value as Record<string, unknown>)[k], depth + 1))
  return out
}

const OK = 0
const CONVERT = 1
const DEEP = 2

/** Walks without allocating: OK when `value` already is JSON-safe, CONVERT when not, DEEP when nested too deep. */
function survey(value: unknown, depth: number): number {
  if (value === null) return OK
  const t = typeof value
  if (t === 'string' || t === 'boolean') return OK
  if (t === 'number') return Number.isFinite(value) ? OK : CONVERT
  if (t !== 'object') return CONVERT
  if (depth >= MAX_DEPTH) return DEEP
  let verdict = OK
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v = survey(value[i], depth + 1)
      if (v === DEEP) return DEEP
      verdict |= v
    }
    return verdict
  }
  const proto = Object.getPrototypeOf(value)
  if (proto !== Object.prototype && proto !== null) return CONVERT
  for (const k in value as object) {
    const v = survey((value as Record<string, unknown>)[k], depth + 1)
    if (v === DEEP) return DEEP
    verdict |= v
  }
  return verdict
}

/** Whether a JSON.parse result can be shown as a value (not nested beyond MAX_DEPTH). */
export function checkJsonSafe(value: unknown): boolean {
  return survey(value, 0) !== DEEP
}

/** `value` itself when it already is JSON-safe (no copy), else its JSON-safe copy; throws TooDeepError. */
export function jsonSafe(value: unknown): JsonValue {
  const verdict = survey(value, 0)
  if (verdict === DEEP) throw new TooDeepError()
  return verdict === OK ? (value as JsonValue) : toJsonSafe(value)
}
