/**
 * CBOR (RFC 8949) from the authored JSON, in preferred serialization: integers and lengths in
 * their shortest head, floats in the shortest width that holds the value exactly (`2.5` → half,
 * `{"$float64": 2.5}` forces double), definite lengths, keys in the order written. Integers
 * beyond 64 bits become bignums (tags 2/3). Markers: see tagged.ts.
 */
import { AuthoredFloat, isAuthoredObject, type AuthoredValue } from './authored-json'
import { ByteWriter } from './byte-writer'
import { pointerOf, type Path } from './problem'
import { readTagged, TaggedError } from './tagged'

const U64_MAX = 0xffffffffffffffffn

function head(w: ByteWriter, major: number, n: number | bigint): void {
  const m = major << 5
  if (typeof n === 'bigint') {
    if (n <= 0xffffffffn) return head(w, major, Number(n))
    w.u8(m | 27)
    w.u64(n)
    return
  }
  if (n < 24) w.u8(m | n)
  else if (n < 0x100) {
    w.u8(m | 24)
    w.u8(n)
  } else if (n < 0x10000) {
    w.u8(m | 25)
    w.u16(n)
  } else if (n < 0x100000000) {
    w.u8(m | 26)
    w.u32(n)
  } else {
    w.u8(m | 27)
    w.u64(BigInt(n))
  }
}

function integer(w: ByteWriter, v: bigint): void {
  if (v >= 0n) {
    if (v <= U64_MAX) return head(w, 0, v)
    w.u8(0xc2)
    return bytes(w, bigBytes(v))
  }
  const n = -1n - v
  if (n <= U64_MAX) return head(w, 1, n)
  w.u8(0xc3)
  bytes(w, bigBytes(n))
}

function bigBytes(v: bigint): Buffer {
  const hex = v.toString(16)
  return Buffer.from(hex.length % 2 === 1 ? '0' + hex : hex, 'hex')
}

function bytes(w: ByteWriter, b: Uint8Array): void {
  head(w, 2, b.length)
  w.bytes(b)
}

const f32 = new Float32Array(1)
const u32 = new Uint32Array(f32.buffer)

/** The IEEE half-precision bits of `v`, or -1 when a half does not hold it exactly. */
export function halfBits(v: number): number {
  if (Number.isNaN(v)) return 0x7e00
  if (Math.fround(v) !== v) return -1
  f32[0] = v
  const bits = u32[0]
  const sign = (bits >>> 16) & 0x8000
  const exp = (bits >>> 23) & 0xff
  const mant = bits & 0x7fffff
  if (exp === 0xff) return sign | 0x7c00
  if (exp === 0 && mant === 0) return sign
  const e = exp - 112
  if (e >= 31) return -1
  if (e <= 0) {
    if (e < -10) return -1
    const m = mant | 0x800000
    const shift = 14 - e
    if ((m & ((1 << shift) - 1)) !== 0) return -1
    return sign | (m >>> shift)
  }
  if ((mant & 0x1fff) !== 0) return -1
  return sign | (e << 10) | (mant >>> 13)
}

/** A float in `width` bits, or the shortest exact one (null). */
export function cborFloat(w: ByteWriter, v: number, width: 32 | 64 | null): void {
  if (width === null) {
    const half = halfBits(v)
    if (half !== -1) {
      w.u8(0xf9)
      w.f16bits(half)
      return
    }
    width = Math.fround(v) === v ? 32 : 64
  }
  if (width === 32) {
    w.u8(0xfa)
    w.f32(v)
  } else {
    w.u8(0xfb)
    w.f64(v)
  }
}

function item(w: ByteWriter, v: AuthoredValue, path: Path): void {
  if (v === null) return w.u8(0xf6)
  if (v === true) return w.u8(0xf5)
  if (v === false) return w.u8(0xf4)
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) return cborFloat(w, v, null)
    // The parser gives safe integers as numbers: their head needs no bigint.
    return v >= 0 ? head(w, 0, v) : head(w, 1, -1 - v)
  }
  if (typeof v === 'bigint') return integer(w, v)
  if (v instanceof AuthoredFloat) return cborFloat(w, v.value, null)
  if (typeof v === 'string') {
    // The head needs the UTF-8 length: short strings are measured, long ones written first.
    const n = ByteWriter.byteLength(v)
    head(w, 3, n)
    w.string(v, n)
    return
  }
  if (Array.isArray(v)) {
    head(w, 4, v.length)
    for (let i = 0; i < v.length; i++) {
      path.push(i)
      item(w, v[i], path)
      path.pop()
    }
    return
  }
  if (!isAuthoredObject(v)) return
  // Only objects with a `$` key can be markers: the pointer string is made for those alone.
  const tagged = readTagged(v, path)
  if (tagged === null) {
    head(w, 5, v.size)
    for (const [key, value] of v) {
      path.push(key)
      item(w, key, path)
      item(w, value, path)
      path.pop()
    }
    return
  }
  switch (tagged.kind) {
    case 'bytes':
      return bytes(w, tagged.bytes)
    case 'int':
      return integer(w, tagged.value)
    case 'float':
      return cborFloat(w, tagged.value, tagged.width)
    case 'map':
      head(w, 5, tagged.entries.length)
      path.push('$map')
      tagged.entries.forEach(([key, value], i) => {
        path.push(i, 0)
        item(w, key, path)
        path[path.length - 1] = 1
        item(w, value, path)
        path.pop()
        path.pop()
      })
      path.pop()
      return
    case 'tag':
      head(w, 6, tagged.tag)
      path.push('value')
      item(w, tagged.value, path)
      path.pop()
      return
    case 'simple':
      if (tagged.value < 24) w.u8(0xe0 | tagged.value)
      else {
        w.u8(0xf8)
        w.u8(tagged.value)
      }
      return
    case 'undefined':
      return w.u8(0xf7)
    case 'ext':
      throw new TaggedError(pointerOf(path), 'CBOR_MSGPACK_MARKER', '$ext is a MessagePack extension: CBOR has tags instead, e.g. {"$tag": 40, "value": …}.')
  }
}

/** The CBOR bytes of an authored value; throws TaggedError (with a pointer) for a malformed marker. */
export function encodeCborValue(value: AuthoredValue): Buffer {
  const w = new ByteWriter()
  item(w, value, [])
  return w.result()
}
