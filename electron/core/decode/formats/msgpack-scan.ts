/**
 * A MessagePack well-formedness scan that builds nothing: whether the bytes are exactly one
 * object, its top-level kind, or the first error and its byte offset (like cbor-scan.ts).
 */
import { remaining } from './format'
import { MAX_DEPTH } from '../json-safe'
import type { ScanResult } from './cbor-scan'

const fail = (error: string): ScanResult => ({ ok: false, error })

/** Heads with a length field: [bytes of the length, bytes after it the length does not count (ext type)]. */
const SIZED: Partial<Record<number, [number, number]>> = { 0xc4: [1, 0], 0xc5: [2, 0], 0xc6: [4, 0], 0xc7: [1, 1], 0xc8: [2, 1], 0xc9: [4, 1], 0xd9: [1, 0], 0xda: [2, 0], 0xdb: [4, 0] }
/** Heads followed by a fixed number of bytes (numbers, fixext with their type byte). */
const FIXED: Partial<Record<number, number>> = { 0xca: 4, 0xcb: 8, 0xcc: 1, 0xcd: 2, 0xce: 4, 0xcf: 8, 0xd0: 1, 0xd1: 2, 0xd2: 4, 0xd3: 8, 0xd4: 2, 0xd5: 3, 0xd6: 5, 0xd7: 9, 0xd8: 17 }

export function scanMsgpack(b: Uint8Array): ScanResult {
  const n = b.length
  const need: number[] = [1]
  let top: 'map' | 'array' | 'other' | null = null
  let pos = 0
  const be = (at: number, len: number) => {
    let v = 0
    for (let k = 0; k < len; k++) v = v * 256 + b[at + k]
    return v
  }
  while (need.length > 0) {
    const d = need.length - 1
    if (need[d] === 0) {
      need.pop()
      if (need.length > 0) need[need.length - 1]--
      continue
    }
    if (pos >= n) return fail(`the data ends at byte ${n}, inside an object that needs more bytes`)
    const start = pos
    const h = b[pos++]
    let skip = 0
    let container = -1
    let kind: 'map' | 'array' | 'other' = 'other'
    if (h <= 0x7f || h >= 0xe0 || h === 0xc0 || h === 0xc2 || h === 0xc3) skip = 0
    else if (h <= 0x8f) { container = (h & 0x0f) * 2; kind = 'map' }
    else if (h <= 0x9f) { container = h & 0x0f; kind = 'array' }
    else if (h <= 0xbf) skip = h & 0x1f
    else if (h === 0xc1) return fail(`the never-used byte c1 at byte ${start}`)
    else {
      const fixed = FIXED[h]
      const sized = SIZED[h]
      if (fixed !== undefined) skip = fixed
      else if (sized !== undefined) {
        const [lenBytes, extra] = sized
        if (pos + lenBytes > n) return fail(`the data ends at byte ${n}, inside the length of the object at byte ${start}`)
        skip = lenBytes + extra + be(pos, lenBytes)
      } else {
        const lenBytes = h === 0xdc || h === 0xde ? 2 : 4
        if (pos + lenBytes > n) return fail(`the data ends at byte ${n}, inside the length of the object at byte ${start}`)
        const count = be(pos, lenBytes)
        pos += lenBytes
        kind = h === 0xde || h === 0xdf ? 'map' : 'array'
        container = kind === 'map' ? count * 2 : count
      }
    }
    if (top === null) top = kind
    if (container >= 0) {
      if (container > n - pos) return fail(`${kind === 'map' ? 'a map' : 'an array'} of ${kind === 'map' ? container / 2 : container} entries at byte ${start}, but only ${remaining(n - pos)}`)
      if (container === 0) need[d]--
      else {
        if (need.length > MAX_DEPTH) return fail(`nested deeper than ${MAX_DEPTH} levels at byte ${start}`)
        need.push(container)
      }
      continue
    }
    if (skip > n - pos) return fail(`the object at byte ${start} needs ${skip} more bytes, but only ${remaining(n - pos)}`)
    pos += skip
    need[d]--
  }
  if (pos !== n) return fail(`extra data after the object, at byte ${pos}`)
  return { ok: true, top: top ?? 'other' }
}
