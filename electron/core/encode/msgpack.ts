/**
 * MessagePack from the authored JSON: integers and lengths in their shortest form, floats as
 * float64 (`{"$float32": 1.5}` for float32, as most libraries do by default), keys in the order
 * written, `{"$ext": type, "base64": …}` for extension types. Markers: see tagged.ts.
 */
import { AuthoredFloat, isAuthoredObject, type AuthoredValue } from './authored-json'
import { ByteWriter } from './byte-writer'
import { pointerOf, type Path } from './problem'
import { readTagged, TaggedError } from './tagged'

const I64_MIN = -(2n ** 63n)
const U64_MAX = 2n ** 64n - 1n

function integer(w: ByteWriter, v: bigint | number, path: Path): void {
  if (typeof v === 'number') {
    // Safe integers (what the parser gives as numbers) need no bigint below 2^32.
    if (v >= 0 && v < 0x80) return w.u8(v)
    if (v < 0 && v >= -32) return w.u8(v & 0xff)
    if (v >= 0x100000000 || v < -2147483648) v = BigInt(v)
  }
  if (typeof v === 'bigint' && (v > U64_MAX || v < I64_MIN)) throw new TaggedError(pointerOf(path), 'MSGPACK_INT_RANGE', 'MessagePack integers are 64-bit: from -9223372036854775808 to 18446744073709551615. Write bigger ones as text or bytes.')
  if (v >= 0) {
    const n = Number(v)
    if (n < 0x80) w.u8(n)
    else if (n < 0x100) {
      w.u8(0xcc)
      w.u8(n)
    } else if (n < 0x10000) {
      w.u8(0xcd)
      w.u16(n)
    } else if (n < 0x100000000) {
      w.u8(0xce)
      w.u32(n)
    } else {
      w.u8(0xcf)
      w.u64(BigInt(v))
    }
    return
  }
  const n = Number(v)
  if (n >= -32) w.u8(n & 0xff)
  else if (n >= -128) {
    w.u8(0xd0)
    w.u8(n & 0xff)
  } else if (n >= -32768) {
    w.u8(0xd1)
    w.u16(n & 0xffff)
  } else if (n >= -2147483648) {
    w.u8(0xd2)
    w.u32(n)
  } else {
    w.u8(0xd3)
    w.u64(BigInt(v))
  }
}

function float(w: ByteWriter, v: number, width: 32 | 64 | null): void {
  if (width === 32) {
    w.u8(0xca)
    w.f32(v)
  } else {
    w.u8(0xcb)
    w.f64(v)
  }
}

function length(w: ByteWriter, n: number, fix: number | null, fixMax: number, op8: number | null, op16: number, op32: number): void {
  if (fix !== null && n <= fixMax) w.u8(fix | n)
  else if (op8 !== null && n < 0x100) {
    w.u8(op8)
    w.u8(n)
  } else if (n < 0x10000) {
    w.u8(op16)
    w.u16(n)
  } else {
    w.u8(op32)
    w.u32(n)
  }
}

const FIXEXT: Readonly<Record<number, number>> = { 1: 0xd4, 2: 0xd5, 4: 0xd6, 8: 0xd7, 16: 0xd8 }

function item(w: ByteWriter, v: AuthoredValue, path: Path): void {
  if (v === null) return w.u8(0xc0)
  if (v === true) return w.u8(0xc3)
  if (v === false) return w.u8(0xc2)
  if (typeof v === 'number') return Number.isInteger(v) ? integer(w, v, path) : float(w, v, null)
  if (typeof v === 'bigint') return integer(w, v, path)
  if (v instanceof AuthoredFloat) return float(w, v.value, null)
  if (typeof v === 'string') {
    const n = ByteWriter.byteLength(v)
    length(w, n, 0xa0, 31, 0xd9, 0xda, 0xdb)
    w.string(v, n)
    return
  }
  if (Array.isArray(v)) {
    length(w, v.length, 0x90, 15, null, 0xdc, 0xdd)
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
    length(w, v.size, 0x80, 15, null, 0xde, 0xdf)
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
      length(w, tagged.bytes.length, null, 0, 0xc4, 0xc5, 0xc6)
      return w.bytes(tagged.bytes)
    case 'int':
      return integer(w, tagged.value, path)
    case 'float':
      return float(w, tagged.value, tagged.width)
    case 'map':
      length(w, tagged.entries.length, 0x80, 15, null, 0xde, 0xdf)
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
    case 'ext': {
      const fix = FIXEXT[tagged.bytes.length]
      if (fix !== undefined) w.u8(fix)
      else length(w, tagged.bytes.length, null, 0, 0xc7, 0xc8, 0xc9)
      w.u8(tagged.type & 0xff)
      return w.bytes(tagged.bytes)
    }
    case 'tag':
    case 'simple':
    case 'undefined':
      throw new TaggedError(pointerOf(path), 'MSGPACK_CBOR_MARKER', `$${tagged.kind} is CBOR's: MessagePack has extension types instead, {"$ext": type, "base64": "…"}.`, { marker: `$${tagged.kind}` })
  }
}

/** The MessagePack bytes of an authored value; throws TaggedError (with a pointer) for what MessagePack cannot hold. */
export function encodeMsgpackValue(value: AuthoredValue): Buffer {
  const w = new ByteWriter()
  item(w, value, [])
  return w.result()
}
