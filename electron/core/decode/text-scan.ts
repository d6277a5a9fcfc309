/**
 * One pass over bytes that says whether they are valid UTF-8 and whether they read as text (no C0
 * control characters other than tab, newline, carriage return, form feed). Binary formats are
 * often valid UTF-8 by accident (a small CBOR map of ASCII keys is), so "text" needs both.
 */
import { isUtf8 } from 'node:buffer'

export interface TextScan {
  validUtf8: boolean
  /** Valid UTF-8 without control characters (other than \t \n \r \f). */
  looksLikeText: boolean
}

/**
 * Up to this size the scan is a JS loop; above, the native UTF-8 check (simdutf) and a scan of
 * four bytes at a time, with no string made: a 16 MB payload costs a few ms here, where decoding
 * it to a string and testing a regex took 25 ms or more, and JSON's inspector view never needs
 * the whole string.
 */
const SMALL = 64 * 1024
const strict = new TextDecoder('utf-8', { fatal: true })
const bigText = new WeakMap<Uint8Array, string | null>()
const bigScan = new WeakMap<Uint8Array, BigScan>()

interface BigScan extends TextScan {
  /** Every byte is below 0x80 (so the text has one UTF-16 unit per byte). */
  ascii: boolean
}

/** 1 for the control bytes that make bytes binary rather than text. */
const CONTROL = new Uint8Array(256)
for (let c = 0; c < 0x20; c++) CONTROL[c] = 1
CONTROL[0x09] = CONTROL[0x0a] = CONTROL[0x0c] = CONTROL[0x0d] = 0
CONTROL[0x7f] = 1

/**
 * Whether valid UTF-8 `b` has a control byte, and whether it is all ASCII. Four bytes at a time:
 * "some byte < 0x20" and "some byte is 0x7f" are each one subtraction and two masks on a 32-bit
 * word (exact as "any", the classic has-less/has-zero tests); only a word that may hold one
 * (tab and newline do too) is looked at byte by byte.
 */
function controlsAndAscii(b: Uint8Array): { controls: boolean; ascii: boolean } {
  const n = b.length
  let high = 0
  let i = 0
  // Head bytes up to 4-byte alignment, then words, then the tail.
  for (; i < n && (b.byteOffset + i) % 4 !== 0; i++) {
    if (CONTROL[b[i]] === 1) return { controls: true, ascii: false }
    high |= b[i]
  }
  const words = new Uint32Array(b.buffer, b.byteOffset + i, (n - i) >>> 2)
  for (let k = 0; k < words.length; k++) {
    const x = words[k]
    high |= x
    const y = x ^ 0x7f7f7f7f
    if ((((x - 0x20202020) & ~x) | ((y - 0x01010101) & ~y)) & 0x80808080) {
      const at = i + k * 4
      if (CONTROL[b[at]] | CONTROL[b[at + 1]] | CONTROL[b[at + 2]] | CONTROL[b[at + 3]]) return { controls: true, ascii: false }
    }
  }
  for (i += words.length * 4; i < n; i++) {
    if (CONTROL[b[i]] === 1) return { controls: true, ascii: false }
    high |= b[i]
  }
  return { controls: false, ascii: (high & 0x80808080) === 0 }
}

function bigScanOf(bytes: Uint8Array): BigScan {
  let scan = bigScan.get(bytes)
  if (scan === undefined) {
    if (!isUtf8(bytes)) scan = { validUtf8: false, looksLikeText: false, ascii: false }
    else {
      const { controls, ascii } = controlsAndAscii(bytes)
      scan = { validUtf8: true, looksLikeText: !controls, ascii }
    }
    bigScan.set(bytes, scan)
  }
  return scan
}

/**
 * The bytes as a string if they are valid UTF-8 (a leading BOM dropped, as TextDecoder does),
 * else null. Big payloads are decoded once per Buffer (detection, the JSON check and the text
 * view all ask), and only once known valid.
 */
export function utf8Text(bytes: Uint8Array): string | null {
  if (bytes.length <= SMALL) {
    try {
      return strict.decode(bytes)
    } catch {
      return null
    }
  }
  let text = bigText.get(bytes)
  if (text === undefined) {
    text = bigScanOf(bytes).validUtf8 ? strict.decode(bytes) : null
    bigText.set(bytes, text)
  }
  return text
}

/**
 * utf8Text(bytes).length (the BOM not counted), without making the string when the bytes are
 * all ASCII; null when they are not valid UTF-8.
 */
export function utf16Length(bytes: Uint8Array): number | null {
  if (bytes.length > SMALL) {
    const scan = bigScanOf(bytes)
    if (!scan.validUtf8) return null
    if (scan.ascii) return bytes.length
  }
  return utf8Text(bytes)?.length ?? null
}

// The three answers, shared (read-only): the scan runs for every message detected.
const NOT_UTF8: TextScan = Object.freeze({ validUtf8: false, looksLikeText: false })
const UTF8_WITH_CONTROLS: TextScan = Object.freeze({ validUtf8: true, looksLikeText: false })
const TEXT: TextScan = Object.freeze({ validUtf8: true, looksLikeText: true })

export function scanText(bytes: Uint8Array): TextScan {
  if (bytes.length > SMALL) {
    const scan = bigScanOf(bytes)
    return scan.validUtf8 ? (scan.looksLikeText ? TEXT : UTF8_WITH_CONTROLS) : NOT_UTF8
  }
  let controls = false
  const n = bytes.length
  let i = 0
  while (i < n) {
    const b = bytes[i]
    if (b < 0x80) {
      if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) controls = true
      else if (b === 0x7f) controls = true
      i++
      continue
    }
    let need: number
    let min: number
    if (b >= 0xc2 && b <= 0xdf) { need = 1; min = 0x80 }
    else if (b >= 0xe0 && b <= 0xef) { need = 2; min = 0x800 }
    else if (b >= 0xf0 && b <= 0xf4) { need = 3; min = 0x10000 }
    else return NOT_UTF8
    if (i + need >= n) return NOT_UTF8
    let cp = b & (need === 1 ? 0x1f : need === 2 ? 0x0f : 0x07)
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k]
      if ((c & 0xc0) !== 0x80) return NOT_UTF8
      cp = (cp << 6) | (c & 0x3f)
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return NOT_UTF8
    i += need + 1
  }
  return controls ? UTF8_WITH_CONTROLS : TEXT
}

const lossy = new TextDecoder('utf-8', { fatal: false })
const REPLACEMENT = Buffer.from([0xef, 0xbf, 0xbd])

function countOccurrences(haystack: Buffer, needle: Buffer): number {
  let count = 0
  let at = haystack.indexOf(needle)
  while (at !== -1) {
    count++
    at = haystack.indexOf(needle, at + needle.length)
  }
  return count
}

/**
 * UTF-8 text with invalid bytes replaced by U+FFFD (the WHATWG decoder's rule: one per maximal
 * invalid subsequence), and how many were replaced: the U+FFFD in the output minus those that
 * were genuinely in the input.
 */
export function decodeUtf8Lossy(bytes: Buffer): { text: string; invalidUtf8: number } {
  const valid = utf8Text(bytes)
  if (valid !== null) return { text: valid, invalidUtf8: 0 }
  const text = lossy.decode(bytes)
  let inText = 0
  for (let at = text.indexOf('\uFFFD'); at !== -1; at = text.indexOf('\uFFFD', at + 1)) inText++
  if (inText === 0) return { text, invalidUtf8: 0 }
  return { text, invalidUtf8: inText - countOccurrences(bytes, REPLACEMENT) }
}
