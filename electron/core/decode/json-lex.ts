/**
 * The lexical pieces JSON's byte validator (json-check.ts) and re-indenter (json-text.ts) share:
 * byte classes and the skips over one string or scalar token. Plain loops over the bytes, no
 * closures and no string pieces: they run once per byte of a 16 MB document.
 */

export const SPACE = 0x20, TAB = 0x09, LF = 0x0a, CR = 0x0d, QUOTE = 0x22, BACKSLASH = 0x5c, COMMA = 0x2c, COLON = 0x3a
export const OPEN_BRACE = 0x7b, CLOSE_BRACE = 0x7d, OPEN_BRACKET = 0x5b, CLOSE_BRACKET = 0x5d, MINUS = 0x2d, PLUS = 0x2b, DOT = 0x2e

/** Character classes: 1 whitespace, 2 digit, 4 hex digit, 8 a valid escape letter after "\". */
export const CLASS = new Uint8Array(256)
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
export function skipString(b: Uint8Array, i: number, n: number): number {
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
export function skipScalar(b: Uint8Array, i: number, n: number): number {
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
