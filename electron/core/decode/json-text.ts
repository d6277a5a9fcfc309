/**
 * JSON as UTF-8 bytes, re-indented without building the value: a single-pass re-indenter that
 * copies strings and numbers byte for byte as sent, for payloads too big to parse fast (JSON.parse
 * of 16 MB builds millions of objects only to be printed again). It is only ever fed bytes the
 * validator (json-check.ts) accepted, or a prefix of them it accepted so far: on invalid JSON its
 * loop could spin.
 */
import { CLASS, CLOSE_BRACE, CLOSE_BRACKET, COLON, COMMA, LF, OPEN_BRACE, OPEN_BRACKET, QUOTE, SPACE, skipString } from './json-lex'

export { isJsonBytes, jsonBytesLayout } from './json-check'

/**
 * Valid JSON bytes (isJsonBytes) re-indented with 2 spaces per level, as JSON.stringify(value,
 * null, 2) lays it out, strings and numbers kept byte for byte.
 */
export function reindentJsonBytes(b: Uint8Array): string {
  return reindentUpTo(b, Infinity)
}

/**
 * The start of reindentJsonBytes(b): at least `minBytes` bytes of its UTF-8 output (all of it
 * when shorter), cut between tokens. A 16 MB document's first page needs only this much.
 */
export function reindentJsonPrefix(b: Uint8Array, minBytes: number): string {
  return reindentUpTo(b, minBytes)
}

function reindentUpTo(b: Uint8Array, limit: number): string {
  const n = b.length
  let out: Buffer = Buffer.allocUnsafe(Math.max(64, Math.min(n, limit) * 2))
  let o = 0
  let depth = 0
  let i = b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0
  // Plain locals only (no closure over `o` or `out`): this loop runs once per byte.
  while (i < n && o < limit) {
    const c = b[i]
    if (CLASS[c] & 1) {
      i++
      continue
    }
    if (c === QUOTE) {
      const end = skipString(b, i, n)
      if (o + (end - i) > out.length) out = grow(out, o, end - i)
      if (end - i > 32) {
        out.set(b.subarray(i, end), o)
        o += end - i
      } else for (let k = i; k < end; k++) out[o++] = b[k]
      i = end
      continue
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      let j = i + 1
      while (j < n && CLASS[b[j]] & 1) j++
      if (b[j] === (c === OPEN_BRACE ? CLOSE_BRACE : CLOSE_BRACKET)) {
        if (o + 2 > out.length) out = grow(out, o, 2)
        out[o++] = c
        out[o++] = b[j]
        i = j + 1
        continue
      }
      depth++
      if (o + 2 + depth * 2 > out.length) out = grow(out, o, 2 + depth * 2)
      out[o++] = c
      out[o++] = LF
      for (let k = depth * 2; k > 0; k--) out[o++] = SPACE
      i++
      continue
    }
    if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--
      if (o + 2 + depth * 2 > out.length) out = grow(out, o, 2 + depth * 2)
      out[o++] = LF
      for (let k = depth * 2; k > 0; k--) out[o++] = SPACE
      out[o++] = c
      i++
      continue
    }
    if (c === COMMA) {
      if (o + 2 + depth * 2 > out.length) out = grow(out, o, 2 + depth * 2)
      out[o++] = COMMA
      out[o++] = LF
      for (let k = depth * 2; k > 0; k--) out[o++] = SPACE
      i++
      continue
    }
    if (c === COLON) {
      if (o + 2 > out.length) out = grow(out, o, 2)
      out[o++] = COLON
      out[o++] = SPACE
      i++
      continue
    }
    // A number or literal: copy up to the next delimiter.
    let j = i
    while (j < n) {
      const d = b[j]
      if (CLASS[d] & 1 || d === COMMA || d === CLOSE_BRACE || d === CLOSE_BRACKET || d === COLON) break
      j++
    }
    if (o + (j - i) > out.length) out = grow(out, o, j - i)
    for (let k = i; k < j; k++) out[o++] = b[k]
    i = j
  }
  return out.toString('utf8', 0, o)
}

function grow(out: Buffer, used: number, extra: number): Buffer {
  const grown = Buffer.allocUnsafe(Math.max(out.length * 2, used + extra))
  out.copy(grown, 0, 0, used)
  return grown
}
