/**
 * JSON as UTF-8 bytes, without building the value: a strict validator (RFC 8259) and a
 * single-pass re-indenter that copies strings and numbers byte for byte as sent. Both work on
 * the bytes with plain loops (no closures, no string pieces), for payloads too big to parse fast:
 * JSON.parse of 16 MB builds millions of objects only to be printed again.
 */

const SPACE = 0x20, TAB = 0x09, LF = 0x0a, CR = 0x0d, QUOTE = 0x22, BACKSLASH = 0x5c, COMMA = 0x2c, COLON = 0x3a
const OPEN_BRACE = 0x7b, CLOSE_BRACE = 0x7d, OPEN_BRACKET = 0x5b, CLOSE_BRACKET = 0x5d, MINUS = 0x2d, PLUS = 0x2b, DOT = 0x2e

/** Character classes: 1 whitespace, 2 digit, 4 hex digit, 8 a valid escape letter after "\". */
const CLASS = new Uint8Array(256)
for (const c of [SPACE, TAB, LF, CR]) CLASS[c] |= 1
for (let c = 0x30; c <= 0x39; c++) CLASS[c] |= 2 | 4
for (const c of 'abcdefABCDEF') CLASS[c.charCodeAt(0)] |= 4
for (const c of '"\\/bfnrtu') CLASS[c.charCodeAt(0)] |= 8

/** 1 for bytes a string holds as they are (not a quote, a backslash or a control character). */
const STRING_PLAIN = new Uint8Array(256).fill(1)
for (let c = 0; c < 0x20; c++) STRING_PLAIN[c] = 0
STRING_PLAIN[QUOTE] = 0
STRING_PLAIN[BACKSLASH] = 0

/** End (after the closing quote) of the string whose opening quote is at `i`, or -1. */
function skipString(b: Uint8Array, i: number, n: number): number {
  i++
  while (i < n) {
    // Plain characters: one table lookup each.
    while (i < n && STRING_PLAIN[b[i]] === 1) i++
    if (i >= n) return -1
    const c = b[i]
    if (c === QUOTE) return i + 1
    if (c === BACKSLASH) {
      const e = b[i + 1]
      if (e === 0x75) {
        if (i + 5 >= n || !(CLASS[b[i + 2]] & CLASS[b[i + 3]] & CLASS[b[i + 4]] & CLASS[b[i + 5]] & 4)) return -1
        i += 6
      } else if (i + 1 < n && CLASS[e] & 8) i += 2
      else return -1
    } else if (c < 0x20) return -1
    else i++
  }
  return -1
}

function skipDigits(b: Uint8Array, i: number, n: number): number {
  while (i < n && CLASS[b[i]] & 2) i++
  return i
}

/** End of the number, literal or string starting at `i`, or -1. */
function skipScalar(b: Uint8Array, i: number, n: number): number {
  const c = b[i]
  if (c === QUOTE) return skipString(b, i, n)
  if (c === MINUS || CLASS[c] & 2) {
    if (c === MINUS) i++
    if (b[i] === 0x30) i++
    else if (i < n && CLASS[b[i]] & 2) i = skipDigits(b, i, n)
    else return -1
    if (b[i] === DOT) {
      if (!(i + 1 < n && CLASS[b[i + 1]] & 2)) return -1
      i = skipDigits(b, i + 1, n)
    }
    if (b[i] === 0x65 || b[i] === 0x45) {
      i++
      if (b[i] === PLUS || b[i] === MINUS) i++
      if (!(i < n && CLASS[b[i]] & 2)) return -1
      i = skipDigits(b, i, n)
    }
    return i
  }
  // true, false, null
  if (c === 0x74 && b[i + 1] === 0x72 && b[i + 2] === 0x75 && b[i + 3] === 0x65) return i + 4
  if (c === 0x66 && b[i + 1] === 0x61 && b[i + 2] === 0x6c && b[i + 3] === 0x73 && b[i + 4] === 0x65) return i + 5
  if (c === 0x6e && b[i + 1] === 0x75 && b[i + 2] === 0x6c && b[i + 3] === 0x6c) return i + 4
  return -1
}

/** Whether `b` (UTF-8, a leading BOM allowed) is exactly one JSON value of any type. */
export function isJsonBytes(b: Uint8Array): boolean {
  return jsonBytesLayout(b) >= 0
}

/**
 * -1 when `b` is not exactly one JSON value (isJsonBytes), else the length in UTF-8 bytes of
 * reindentJsonBytes(b), counted in the same pass, so a document can tell its size before (or
 * without) making the re-indented text.
 */
export function jsonBytesLayout(b: Uint8Array): number {
  const n = b.length
  let out = 0
  let i = b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0
  // One bit per open container: 1 = object, 0 = array (a Uint8Array stack, grown by doubling).
  let stack = new Uint8Array(64)
  let depth = 0
  for (;;) {
    // Expect a value.
    while (i < n && CLASS[b[i]] & 1) i++
    let c = b[i]
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      i++
      while (i < n && CLASS[b[i]] & 1) i++
      if (b[i] === (c === OPEN_BRACE ? CLOSE_BRACE : CLOSE_BRACKET)) {
        i++
        out += 2
      } else {
        if (depth === stack.length) {
          const grown = new Uint8Array(stack.length * 2)
          grown.set(stack)
          stack = grown
        }
        stack[depth++] = c === OPEN_BRACE ? 1 : 0
        out += 2 + depth * 2
        if (c === OPEN_BRACE) {
          if (b[i] !== QUOTE) return -1
          const key = i
          i = skipString(b, i, n)
          if (i < 0) return -1
          out += i - key + 2
          while (i < n && CLASS[b[i]] & 1) i++
          if (b[i] !== COLON) return -1
          i++
        }
        continue
      }
    } else {
      const start = i
      i = skipScalar(b, i, n)
      if (i < 0) return -1
      out += i - start
    }
    // After a value: commas and closers.
    for (;;) {
      while (i < n && CLASS[b[i]] & 1) i++
      if (depth === 0) return i === n ? out : -1
      c = b[i]
      const inObject = stack[depth - 1] === 1
      if (c === COMMA) {
        i++
        out += 2 + depth * 2
        if (inObject) {
          while (i < n && CLASS[b[i]] & 1) i++
          if (b[i] !== QUOTE) return -1
          const key = i
          i = skipString(b, i, n)
          if (i < 0) return -1
          out += i - key + 2
          while (i < n && CLASS[b[i]] & 1) i++
          if (b[i] !== COLON) return -1
          i++
        }
        break
      }
      if (c === (inObject ? CLOSE_BRACE : CLOSE_BRACKET)) {
        depth--
        out += 2 + depth * 2
        i++
        continue
      }
      return -1
    }
  }
}

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
