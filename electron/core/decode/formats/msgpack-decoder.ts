/**
 * @msgpack/msgpack decoders that give the JSON-safe form directly: 64-bit integers as numbers
 * when a double holds them exactly (else decimal text, no BigInt made for the common case), bin
 * as {"$base64"}, extensions as {"$ext", "base64"} (the timestamp, -1, as ISO text), NaN and
 * Infinity as text, and nesting refused beyond MAX_DEPTH while decoding. That spares the
 * per-message walk over the decoded value that fixing bigints and byte arrays afterwards took
 * (charts decode every message of a series).
 *
 * It replaces a few of the library's own read steps on each instance (its TypeScript types mark
 * them private). `patched` checks they are still there; when a library update renames them the
 * decoders are left unpatched and `needsFixUp` tells msgpack.ts to walk the value as before.
 */
import { DecodeError, Decoder, type DecoderOptions } from '@msgpack/msgpack'
import { bigintToJson, bytesToJson, MAX_DEPTH, numberToJson, toJsonSafe, TooDeepError } from '../json-safe'

/** The library's read steps replaced here (see Decoder.mjs in @msgpack/msgpack 3.x). */
interface DecoderInternals {
  view: DataView
  pos: number
  stack: { length: number }
  maxExtLength: number
  extensionCodec: { decode(data: Uint8Array, type: number, context: unknown): unknown }
  context: unknown
  readU64AsBigInt(): unknown
  readI64AsBigInt(): unknown
  readF32(): unknown
  readF64(): unknown
  decodeBinary(byteLength: number, headOffset: number): unknown
  decodeExtension(size: number, headOffset: number): unknown
  pushMapState(size: number): void
  pushArrayState(size: number): void
}

const STEPS = ['readU64AsBigInt', 'readI64AsBigInt', 'readF32', 'readF64', 'decodeBinary', 'decodeExtension', 'pushMapState', 'pushArrayState'] as const
const base = Decoder.prototype as unknown as DecoderInternals
const canPatch = STEPS.every((name) => typeof base[name] === 'function')

function patch(decoder: Decoder): Decoder {
  const d = decoder as unknown as DecoderInternals
  if (typeof d.view !== 'object' || typeof d.pos !== 'number' || typeof d.stack !== 'object') return decoder
  d.readU64AsBigInt = function (this: DecoderInternals) {
    const hi = this.view.getUint32(this.pos)
    const lo = this.view.getUint32(this.pos + 4)
    // Below 2^53 a double is exact; above, the decimal text of the exact value.
    const value = hi < 0x200000 ? hi * 4294967296 + lo : bigintToJson(this.view.getBigUint64(this.pos))
    this.pos += 8
    return value
  }
  d.readI64AsBigInt = function (this: DecoderInternals) {
    const hi = this.view.getInt32(this.pos)
    const lo = this.view.getUint32(this.pos + 4)
    const value = hi > -0x200000 && hi < 0x200000 ? hi * 4294967296 + lo : bigintToJson(this.view.getBigInt64(this.pos))
    this.pos += 8
    return value
  }
  d.readF32 = function (this: DecoderInternals) {
    const value = this.view.getFloat32(this.pos)
    this.pos += 4
    return numberToJson(value)
  }
  d.readF64 = function (this: DecoderInternals) {
    const value = this.view.getFloat64(this.pos)
    this.pos += 8
    return numberToJson(value)
  }
  d.decodeBinary = function (this: DecoderInternals, byteLength: number, headOffset: number) {
    return bytesToJson(base.decodeBinary.call(this, byteLength, headOffset) as Uint8Array)
  }
  d.decodeExtension = function (this: DecoderInternals, size: number, headOffset: number) {
    if (size > this.maxExtLength) throw new DecodeError(`Max length exceeded: ext length (${size}) > maxExtLength (${this.maxExtLength})`)
    const type = this.view.getInt8(this.pos + headOffset)
    const data = base.decodeBinary.call(this, size, headOffset + 1) as Uint8Array
    return toJsonSafe(this.extensionCodec.decode(data, type, this.context))
  }
  // A container is pushed while `stack.length` others are open: that is its depth.
  d.pushMapState = function (this: DecoderInternals, size: number) {
    if (this.stack.length >= MAX_DEPTH) throw new TooDeepError()
    base.pushMapState.call(this, size)
  }
  d.pushArrayState = function (this: DecoderInternals, size: number) {
    if (this.stack.length >= MAX_DEPTH) throw new TooDeepError()
    base.pushArrayState.call(this, size)
  }
  patchedDecoders.add(decoder)
  return decoder
}

const patchedDecoders = new WeakSet<Decoder>()

/** A Decoder (64-bit integers read exactly) giving JSON-safe values when the library allows it. */
export function jsonSafeDecoder(options: DecoderOptions): Decoder {
  const decoder = new Decoder({ ...options, useBigInt64: true })
  return canPatch ? patch(decoder) : decoder
}

/** Whether `decoder`'s values still need the JSON-safe walk (an unpatched library). */
export const needsFixUp = (decoder: Decoder): boolean => !patchedDecoders.has(decoder)
