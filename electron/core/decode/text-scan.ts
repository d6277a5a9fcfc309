/**
 * One pass over bytes that says whether they are valid UTF-8 and whether they read as text (no C0
 * control characters other than tab, newline, carriage return, form feed). Binary formats are
 * often valid UTF-8 by accident (a small CBOR map of ASCII keys is), so "text" needs both.
 */

export interface TextScan {
  validUtf8: boolean
  /** Valid UTF-8 without control characters (other than \t \n \r \f). */
  looksLikeText: boolean
}

/** Up to this size the scan is a JS loop; above, the native UTF-8 decoder and a regex do it. */
const SMALL = 64 * 1024
const CONTROL = /[\u0000-\u0008\u000b\u000e-\u001f\u007f]/
const strict = new TextDecoder('utf-8', { fatal: true })
const bigText = new WeakMap<Uint8Array, string | null>()
const bigScan = new WeakMap<Uint8Array, TextScan>()

/**
 * The bytes as a string if they are valid UTF-8, else null. Big payloads are decoded once per
 * Buffer (detection, the JSON check and the text view all need it).
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
    try {
      text = strict.decode(bytes)
    } catch {
      text = null
    }
    bigText.set(bytes, text)
  }
  return text
}

// The three answers, shared (read-only): the scan runs for every message detected.
const NOT_UTF8: TextScan = Object.freeze({ validUtf8: false, looksLikeText: false })
const UTF8_WITH_CONTROLS: TextScan = Object.freeze({ validUtf8: true, looksLikeText: false })
const TEXT: TextScan = Object.freeze({ validUtf8: true, looksLikeText: true })

export function scanText(bytes: Uint8Array): TextScan {
  if (bytes.length > SMALL) {
    let scan = bigScan.get(bytes)
    if (scan === undefined) {
      const text = utf8Text(bytes)
      scan = { validUtf8: text !== null, looksLikeText: text !== null && !CONTROL.test(text) }
      bigScan.set(bytes, scan)
    }
    return scan
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
