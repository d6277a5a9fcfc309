/**
 * A CBOR well-formedness scan (RFC 8949 §3, appendix C) that builds nothing: whether the bytes are
 * exactly one data item, its top-level major type, or the first error and its byte offset. It
 * gates detection cheaply and bounds nesting before cbor2 decodes anything.
 */
import { remaining } from './format'
import { MAX_DEPTH } from '../json-safe'

export type ScanResult = { ok: true; top: 'map' | 'array' | 'other' } | { ok: false; error: string }

const fail = (error: string): ScanResult => ({ ok: false, error })

export function scanCbor(b: Uint8Array): ScanResult {
  const n = b.length
  // Per open container: items still expected (definite) or -1 (indefinite, until a break).
  const need: number[] = [1]
  let top: 'map' | 'array' | 'other' | null = null
  let pos = 0
  const done = () => {
    const d = need.length - 1
    if (need[d] > 0) need[d]--
  }
  while (need.length > 0) {
    const d = need.length - 1
    if (need[d] === 0) {
      need.pop()
      if (need.length > 0) done()
      continue
    }
    if (pos >= n) return fail(`the data ends at byte ${n}, inside an item that needs more bytes`)
    const start = pos
    const ib = b[pos]
    const mt = ib >> 5
    const ai = ib & 0x1f
    if (ib === 0xff) {
      if (need[d] !== -1 || d === 0) return fail(`a break (ff) outside an indefinite-length item, at byte ${start}`)
      pos++
      need.pop()
      done()
      continue
    }
    let arg = ai
    let headLen = 1
    if (ai >= 24 && ai <= 27) {
      headLen = 1 + (1 << (ai - 24))
      if (pos + headLen > n) return fail(`the data ends at byte ${n}, inside the head of the item at byte ${start}`)
      arg = 0
      for (let k = 1; k < headLen; k++) arg = arg * 256 + b[pos + k]
    } else if (ai >= 28 && ai <= 30) return fail(`reserved additional information ${ai} at byte ${start}`)
    if (top === null) top = mt === 5 ? 'map' : mt === 4 ? 'array' : mt === 6 ? null : 'other'
    pos += headLen
    switch (mt) {
      case 0:
      case 1:
        if (ai === 31) return fail(`an indefinite-length integer at byte ${start}`)
        done()
        break
      case 2:
      case 3:
        if (ai === 31) {
          for (;;) {
            if (pos >= n) return fail(`the data ends at byte ${n}, inside the indefinite-length string at byte ${start}`)
            if (b[pos] === 0xff) { pos++; break }
            const chunk = scanChunk(b, pos, mt)
            if (typeof chunk === 'string') return fail(chunk)
            pos = chunk
          }
        } else {
          if (arg > n - pos) return fail(`a ${mt === 2 ? 'byte' : 'text'} string of ${arg} bytes at byte ${start}, but only ${remaining(n - pos)}`)
          pos += arg
        }
        done()
        break
      case 4:
      case 5:
        if (need.length > MAX_DEPTH) return fail(`nested deeper than ${MAX_DEPTH} levels at byte ${start}`)
        if (ai === 31) need.push(-1)
        else if (arg === 0) done()
        else {
          const items = mt === 5 ? arg * 2 : arg
          if (items > n - pos) return fail(`${mt === 5 ? 'a map' : 'an array'} of ${arg} entries at byte ${start}, but only ${remaining(n - pos)}`)
          need.push(items)
        }
        break
      case 6:
        if (ai === 31) return fail(`an indefinite-length tag at byte ${start}`)
        // The tagged item that follows counts as this item.
        break
      default:
        if (ai === 24 && arg < 32) return fail(`a simple value ${arg} in two bytes at byte ${start}`)
        if (ai === 31) return fail(`a break (ff) outside an indefinite-length item, at byte ${start}`)
        done()
    }
  }
  if (pos !== n) return fail(`extra data after the item, at byte ${pos}`)
  return { ok: true, top: top ?? 'other' }
}

/** One definite chunk of an indefinite string: the offset after it, or an error. */
function scanChunk(b: Uint8Array, pos: number, mt: number): number | string {
  const ib = b[pos]
  if (ib >> 5 !== mt) return `a chunk of another type inside an indefinite-length string, at byte ${pos}`
  const ai = ib & 0x1f
  if (ai > 27) return `an indefinite or reserved chunk inside an indefinite-length string, at byte ${pos}`
  let len = ai
  let headLen = 1
  if (ai >= 24) {
    headLen = 1 + (1 << (ai - 24))
    if (pos + headLen > b.length) return `the data ends at byte ${b.length}, inside a string chunk`
    len = 0
    for (let k = 1; k < headLen; k++) len = len * 256 + b[pos + k]
  }
  if (len > b.length - pos - headLen) return `a string chunk of ${len} bytes at byte ${pos}, but only ${remaining(b.length - pos - headLen)}`
  return pos + headLen + len
}
