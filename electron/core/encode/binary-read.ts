/**
 * CBOR and MessagePack bytes read back into the authored form (for "Edit and publish"), keeping
 * what the encoders need to write the same bytes again: float widths (`{"$float32": …}` when
 * not the format's preferred one), big integers exactly, bytes, tags, extensions, maps with
 * keys that are not plain strings as `$map`. Throws on malformed input (the decoder has already
 * accepted these bytes, so that is rare; the caller falls back to hex).
 */
import { notice, type Notice, type NoticeCode, type NoticeParams } from '../../api'
import { MAX_DEPTH } from '../decode/json-safe'
import { AuthoredFloat, type AuthoredValue } from './authored-json'
import { marker } from './authored-text'
import { halfBits } from './cbor'

/** Why bytes could not be read back, as a notice: the draft's note says it inside its own sentence. */
export class ReadError extends Error {
  readonly said: Notice
  constructor(code: NoticeCode, message: string, params?: NoticeParams) {
    super(message)
    this.said = notice(code, message, params)
  }
}

class Reader {
  i = 0
  constructor(readonly b: Buffer) {}
  need(n: number): void {
    if (this.i + n > this.b.length) throw new ReadError('READ_TRUNCATED', 'truncated')
  }
  u8(): number {
    this.need(1)
    return this.b[this.i++]
  }
  take(n: number): Buffer {
    this.need(n)
    const out = this.b.subarray(this.i, this.i + n)
    this.i += n
    return out
  }
}

const intValue = (n: bigint): number | bigint => (n >= -9007199254740991n && n <= 9007199254740991n ? Number(n) : n)
const base64 = (b: Buffer): AuthoredValue => marker('$base64', b.toString('base64'))

/** A float as authored: plain when `width` is the format's preferred one for it, else a width marker. */
function float(v: number, width: 16 | 32 | 64, preferred: 16 | 32 | 64): AuthoredValue {
  if (width === preferred) return new AuthoredFloat(v)
  return marker(width === 32 ? '$float32' : '$float64', Number.isFinite(v) ? new AuthoredFloat(v) : String(v))
}

/** Map entries as an object when every key is a string that cannot be mistaken for a marker. */
function mapValue(entries: Array<[AuthoredValue, AuthoredValue]>): AuthoredValue {
  const seen = new Set<string>()
  const plain = entries.every(([k]) => typeof k === 'string' && k.charCodeAt(0) !== 0x24 && !seen.has(k) && (seen.add(k), true))
  if (plain) return new Map(entries as Array<[string, AuthoredValue]>)
  return marker('$map', entries.map(([k, v]) => [k, v]))
}

function cborLength(r: Reader, info: number): bigint | null {
  if (info < 24) return BigInt(info)
  if (info === 24) return BigInt(r.u8())
  if (info === 25) return BigInt(r.take(2).readUInt16BE(0))
  if (info === 26) return BigInt(r.take(4).readUInt32BE(0))
  if (info === 27) return r.take(8).readBigUInt64BE(0)
  if (info === 31) return null
  throw new ReadError('READ_RESERVED_INFO', 'reserved additional information')
}

function cborItem(r: Reader, depth: number): AuthoredValue {
  if (depth > MAX_DEPTH) throw new ReadError('READ_TOO_DEEP', 'too deep')
  const first = r.u8()
  const major = first >> 5
  const info = first & 31
  if (major === 7) {
    if (info === 20) return false
    if (info === 21) return true
    if (info === 22) return null
    if (info === 23) return marker('$undefined', true)
    if (info === 24) return marker('$simple', r.u8())
    if (info < 20) return marker('$simple', info)
    const pref = (v: number): 16 | 32 | 64 => (halfBits(v) !== -1 ? 16 : Math.fround(v) === v ? 32 : 64)
    if (info === 25) {
      const h = r.take(2).readUInt16BE(0)
      const v = halfToNumber(h)
      // NaN payloads other than the canonical one would not come back: say so through the compare.
      return float(v, 16, pref(v))
    }
    if (info === 26) {
      const v = r.take(4).readFloatBE(0)
      return float(v, 32, pref(v))
    }
    if (info === 27) {
      const v = r.take(8).readDoubleBE(0)
      return float(v, 64, pref(v))
    }
    throw new ReadError('READ_UNEXPECTED_BREAK', 'unexpected break')
  }
  const n = cborLength(r, info)
  switch (major) {
    case 0:
      if (n === null) throw new ReadError('READ_INDEFINITE_INTEGER', 'indefinite integer')
      return intValue(n)
    case 1:
      if (n === null) throw new ReadError('READ_INDEFINITE_INTEGER', 'indefinite integer')
      return intValue(-1n - n)
    case 2:
    case 3: {
      let bytes: Buffer
      if (n === null) {
        const chunks: Buffer[] = []
        while (r.b[r.i] !== 0xff) chunks.push(cborChunk(r, major))
        r.i++
        bytes = Buffer.concat(chunks)
      } else bytes = r.take(Number(n))
      return major === 2 ? base64(bytes) : bytes.toString('utf8')
    }
    case 4: {
      const out: AuthoredValue[] = []
      if (n === null) {
        while (r.b[r.i] !== 0xff) out.push(cborItem(r, depth + 1))
        r.i++
      } else for (let k = 0n; k < n; k++) out.push(cborItem(r, depth + 1))
      return out
    }
    case 5: {
      const entries: Array<[AuthoredValue, AuthoredValue]> = []
      if (n === null) {
        while (r.b[r.i] !== 0xff) entries.push([cborItem(r, depth + 1), cborItem(r, depth + 1)])
        r.i++
      } else for (let k = 0n; k < n; k++) entries.push([cborItem(r, depth + 1), cborItem(r, depth + 1)])
      return mapValue(entries)
    }
    default: {
      if (n === null) throw new ReadError('READ_INDEFINITE_TAG', 'indefinite tag')
      return new Map<string, AuthoredValue>([['$tag', intValue(n)], ['value', cborItem(r, depth + 1)]])
    }
  }
}

function cborChunk(r: Reader, major: number): Buffer {
  const first = r.u8()
  if (first >> 5 !== major) throw new ReadError('READ_BAD_CHUNK', 'bad chunk')
  const n = cborLength(r, first & 31)
  if (n === null) throw new ReadError('READ_NESTED_INDEFINITE_CHUNK', 'nested indefinite chunk')
  return r.take(Number(n))
}

function halfToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1
  const exp = (h >> 10) & 0x1f
  const mant = h & 0x3ff
  if (exp === 0) return sign * mant * 2 ** -24
  if (exp === 31) return mant === 0 ? sign * Infinity : NaN
  return sign * (1 + mant / 1024) * 2 ** (exp - 15)
}

/** CBOR bytes (one item) → the authored form. */
export function readCbor(bytes: Buffer): AuthoredValue {
  const r = new Reader(bytes)
  const v = cborItem(r, 0)
  if (r.i !== bytes.length) throw new ReadError('READ_TRAILING_BYTES', 'trailing bytes')
  return v
}

function msgpackItem(r: Reader, depth: number): AuthoredValue {
  if (depth > MAX_DEPTH) throw new ReadError('READ_TOO_DEEP', 'too deep')
  const c = r.u8()
  if (c < 0x80) return c
  if (c >= 0xe0) return c - 0x100
  if (c >= 0xa0 && c <= 0xbf) return r.take(c & 31).toString('utf8')
  if (c >= 0x90 && c <= 0x9f) return msgpackArray(r, c & 15, depth)
  if (c >= 0x80 && c <= 0x8f) return msgpackMap(r, c & 15, depth)
  const b = (n: number) => r.take(n)
  switch (c) {
    case 0xc0:
      return null
    case 0xc2:
      return false
    case 0xc3:
      return true
    case 0xc4:
      return base64(b(r.u8()))
    case 0xc5:
      return base64(b(b(2).readUInt16BE(0)))
    case 0xc6:
      return base64(b(b(4).readUInt32BE(0)))
    case 0xca:
      return float(b(4).readFloatBE(0), 32, 64)
    case 0xcb:
      return new AuthoredFloat(b(8).readDoubleBE(0))
    case 0xcc:
      return r.u8()
    case 0xcd:
      return b(2).readUInt16BE(0)
    case 0xce:
      return b(4).readUInt32BE(0)
    case 0xcf:
      return intValue(b(8).readBigUInt64BE(0))
    case 0xd0:
      return b(1).readInt8(0)
    case 0xd1:
      return b(2).readInt16BE(0)
    case 0xd2:
      return b(4).readInt32BE(0)
    case 0xd3:
      return intValue(b(8).readBigInt64BE(0))
    case 0xd9:
      return b(r.u8()).toString('utf8')
    case 0xda:
      return b(b(2).readUInt16BE(0)).toString('utf8')
    case 0xdb:
      return b(b(4).readUInt32BE(0)).toString('utf8')
    case 0xdc:
      return msgpackArray(r, b(2).readUInt16BE(0), depth)
    case 0xdd:
      return msgpackArray(r, b(4).readUInt32BE(0), depth)
    case 0xde:
      return msgpackMap(r, b(2).readUInt16BE(0), depth)
    case 0xdf:
      return msgpackMap(r, b(4).readUInt32BE(0), depth)
    default: {
      const fixed: Readonly<Record<number, number>> = { 0xd4: 1, 0xd5: 2, 0xd6: 4, 0xd7: 8, 0xd8: 16 }
      let n = fixed[c]
      if (n === undefined) {
        if (c === 0xc7) n = r.u8()
        else if (c === 0xc8) n = b(2).readUInt16BE(0)
        else if (c === 0xc9) n = b(4).readUInt32BE(0)
        else throw new ReadError('READ_NOT_MSGPACK_TYPE', `0x${c.toString(16)} is not a MessagePack type`, { byte: `0x${c.toString(16)}` })
      }
      const type = b(1).readInt8(0)
      return new Map<string, AuthoredValue>([['$ext', type], ['base64', b(n).toString('base64')]])
    }
  }
}

function msgpackArray(r: Reader, n: number, depth: number): AuthoredValue[] {
  const out: AuthoredValue[] = []
  for (let k = 0; k < n; k++) out.push(msgpackItem(r, depth + 1))
  return out
}

function msgpackMap(r: Reader, n: number, depth: number): AuthoredValue {
  const entries: Array<[AuthoredValue, AuthoredValue]> = []
  for (let k = 0; k < n; k++) entries.push([msgpackItem(r, depth + 1), msgpackItem(r, depth + 1)])
  return mapValue(entries)
}

/** MessagePack bytes (one value) → the authored form. */
export function readMsgpack(bytes: Buffer): AuthoredValue {
  const r = new Reader(bytes)
  const v = msgpackItem(r, 0)
  if (r.i !== bytes.length) throw new ReadError('READ_TRAILING_BYTES', 'trailing bytes')
  return v
}
