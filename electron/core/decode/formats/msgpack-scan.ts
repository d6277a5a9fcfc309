/**
 * A MessagePack well-formedness scan that builds nothing: whether the bytes are exactly one
 * object, its top-level kind, or the first error and its byte offset (like cbor-scan.ts). It
 * also keeps @msgpack/msgpack from being handed a header that claims billions of entries (the
 * library allocates `new Array(size)` before reading them). Table-driven: it runs per message.
 */
import { MAX_DEPTH } from '../json-safe'
import type { ScanResult } from './cbor-scan'
import { remaining } from './format'

const fail = (error: string): ScanResult => ({ ok: false, error })

// Per head byte: what follows it. FIXED = bytes of payload; LEN = bytes of a length field (then
// EXTRA bytes the length does not count, the ext type); CONTAINER = 1 array, 2 map (with LEN
// bytes of count, or the count in the head for fixarray/fixmap).
const FIXED = new Int8Array(256).fill(-1)
const LEN = new Int8Array(256)
const EXTRA = new Int8Array(256)
const CONTAINER = new Int8Array(256)
for (let h = 0; h <= 0x7f; h++) FIXED[h] = 0
for (let h = 0xe0; h <= 0xff; h++) FIXED[h] = 0
for (const h of [0xc0, 0xc2, 0xc3]) FIXED[h] = 0
for (let h = 0xa0; h <= 0xbf; h++) FIXED[h] = h & 0x1f
for (const [h, n] of [[0xca, 4], [0xcb, 8], [0xcc, 1], [0xcd, 2], [0xce, 4], [0xcf, 8], [0xd0, 1], [0xd1, 2], [0xd2, 4], [0xd3, 8], [0xd4, 2], [0xd5, 3], [0xd6, 5], [0xd7, 9], [0xd8, 17]]) FIXED[h] = n
for (const [h, n, extra] of [[0xc4, 1, 0], [0xc5, 2, 0], [0xc6, 4, 0], [0xc7, 1, 1], [0xc8, 2, 1], [0xc9, 4, 1], [0xd9, 1, 0], [0xda, 2, 0], [0xdb, 4, 0]]) {
  LEN[h] = n
  EXTRA[h] = extra
}
for (let h = 0x80; h <= 0x8f; h++) CONTAINER[h] = 2
for (let h = 0x90; h <= 0x9f; h++) CONTAINER[h] = 1
for (const [h, kind, n] of [[0xdc, 1, 2], [0xdd, 1, 4], [0xde, 2, 2], [0xdf, 2, 4]]) {
  CONTAINER[h] = kind
  LEN[h] = n
}

export function scanMsgpack(b: Uint8Array): ScanResult {
  const n = b.length
  // Items still expected per open container (the bottom one is the single top-level object).
  let need = new Float64Array(16)
  let depth = 1
  need[0] = 1
  let top: 'map' | 'array' | 'other' | null = null
  let pos = 0
  while (depth > 0) {
    if (need[depth - 1] === 0) {
      depth--
      if (depth > 0) need[depth - 1]--
      continue
    }
    if (pos >= n) return fail(`the data ends at byte ${n}, inside an object that needs more bytes`)
    const start = pos
    const h = b[pos++]
    const container = CONTAINER[h]
    if (container !== 0) {
      let count: number
      const lenBytes = LEN[h]
      if (lenBytes === 0) count = h & 0x0f
      else {
        if (pos + lenBytes > n) return fail(`the data ends at byte ${n}, inside the length of the object at byte ${start}`)
        count = lenBytes === 2 ? b[pos] * 256 + b[pos + 1] : ((b[pos] * 256 + b[pos + 1]) * 256 + b[pos + 2]) * 256 + b[pos + 3]
        pos += lenBytes
      }
      const kind = container === 2 ? 'map' : 'array'
      if (top === null) top = kind
      const items = container === 2 ? count * 2 : count
      if (items > n - pos) return fail(`${container === 2 ? 'a map' : 'an array'} of ${count} entries at byte ${start}, but only ${remaining(n - pos)}`)
      if (items === 0) {
        need[depth - 1]--
        continue
      }
      if (depth > MAX_DEPTH) return fail(`nested deeper than ${MAX_DEPTH} levels at byte ${start}`)
      if (depth === need.length) {
        const grown = new Float64Array(need.length * 2)
        grown.set(need)
        need = grown
      }
      need[depth++] = items
      continue
    }
    if (top === null) top = 'other'
    let skip = FIXED[h]
    if (skip < 0) {
      const lenBytes = LEN[h]
      if (lenBytes === 0) return fail(`the never-used byte c1 at byte ${start}`)
      if (pos + lenBytes > n) return fail(`the data ends at byte ${n}, inside the length of the object at byte ${start}`)
      let len = 0
      for (let k = 0; k < lenBytes; k++) len = len * 256 + b[pos + k]
      skip = lenBytes + EXTRA[h] + len
    }
    if (skip > n - pos) return fail(`the object at byte ${start} needs ${skip} more bytes, but only ${remaining(n - pos)}`)
    pos += skip
    need[depth - 1]--
  }
  if (pos !== n) return fail(`extra data after the object, at byte ${pos}`)
  return { ok: true, top: top ?? 'other' }
}
