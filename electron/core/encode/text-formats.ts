/**
 * The formats written as text: `text` (UTF-8 as typed), `json` (validated, the bytes are the
 * body as written — never reformatted), `hex` and `base64` (also `file`, whose body is the
 * file's bytes in base64). Hex and base64 are checked in one linear pass before Buffer.from,
 * so a 16 MB body costs milliseconds and a bad character is reported where it is.
 */
import { notice, type Notice, type NoticeCode, type PayloadProblem } from '../../api'
import { parseAuthoredJson, v8ErrorOffset } from './authored-json'
import { describeChar, problemAt, problemOfNotice } from './problem'

export type BytesOutcome = { ok: true; bytes: Buffer } | { ok: false; problem: PayloadProblem }

export function encodeText(body: string): BytesOutcome {
  return { ok: true, bytes: Buffer.from(body, 'utf8') }
}

/** JSON as written: validated by JSON.parse (fast), explained by our parser when it fails. */
export function encodeJson(body: string): BytesOutcome {
  try {
    JSON.parse(body)
    return { ok: true, bytes: Buffer.from(body, 'utf8') }
  } catch (err) {
    const parsed = parseAuthoredJson(body)
    if (!parsed.ok) return parsed
    // Our parser accepted what V8 refused (it should not happen): V8's own words and place.
    const error = err instanceof Error ? err.message : String(err)
    const offset = v8ErrorOffset(body, error)
    const said = notice('JSON_INVALID', `Not valid JSON: ${error}`, { error })
    return { ok: false, problem: offset === null ? problemOfNotice(said) : problemAt(body, offset, said) }
  }
}

const HEX_VALUE = new Int8Array(128).fill(-1)
for (let i = 0; i < 10; i++) HEX_VALUE[0x30 + i] = i
for (let i = 0; i < 6; i++) HEX_VALUE[0x41 + i] = HEX_VALUE[0x61 + i] = 10 + i

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0c
/** Between hex groups: whitespace, `:`, `,` and `-` (as in `de:ad:be:ef`, `de-ad`, `0xde, 0xad`). */
const isHexSeparator = (c: number) => isSpace(c) || c === 0x3a || c === 0x2c || c === 0x2d

/**
 * Hex digits with whitespace, `:`/`,`/`-` separators and `0x` prefixes (at the start of a group).
 * Bytes pair up across separators (`de ad` = `dead`), so an odd total is an error at the digit
 * left alone.
 */
export function encodeHex(body: string): BytesOutcome {
  // Digits alone: checked and converted in native code (tens of milliseconds for 16 MB). With
  // separators the scan below is faster than removing them with a regex (millions of matches),
  // and it finds the place of a mistake.
  if (body.length % 2 === 0 && HEX_ONLY.test(body)) return { ok: true, bytes: Buffer.from(body, 'hex') }
  return scanHex(body)
}

const HEX_ONLY = /^[0-9a-fA-F]*$/

function scanHex(body: string): BytesOutcome {
  const out = Buffer.allocUnsafe(body.length >>> 1)
  let n = 0
  let high = -1
  let lastDigit = -1
  let groupStart = true
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i)
    const v = c < 128 ? HEX_VALUE[c] : -1
    if (v >= 0) {
      // "0x" opens a group: the 0 is a prefix, not a digit.
      if (groupStart && c === 0x30 && (body.charCodeAt(i + 1) | 0x20) === 0x78) {
        if (high !== -1) return { ok: false, problem: problemAt(body, lastDigit, notice('HEX_UNPAIRED_BEFORE_GROUP', 'This hex digit has no partner before the next 0x group: every byte needs two digits (write 0f, not f).')) }
        i++
        groupStart = false
        continue
      }
      groupStart = false
      lastDigit = i
      if (high === -1) high = v
      else {
        out[n++] = (high << 4) | v
        high = -1
      }
      continue
    }
    if (isHexSeparator(c)) {
      groupStart = true
      continue
    }
    const ch = String.fromCodePoint(body.codePointAt(i) ?? c)
    return { ok: false, problem: problemAt(body, i, notice('HEX_BAD_DIGIT', `${describeChar(ch)} is not a hex digit: use 0–9 and a–f, separated by spaces, ':' or ',' if you like.`, { char: describeChar(ch) })) }
  }
  if (high !== -1) return { ok: false, problem: problemAt(body, lastDigit, notice('HEX_ODD_DIGITS', 'An odd number of hex digits: this last digit has no partner (every byte needs two, write 0f, not f).')) }
  return { ok: true, bytes: out.subarray(0, n) }
}

const B64 = new Int8Array(128).fill(-1)
'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'.split('').forEach((ch, i) => (B64[ch.charCodeAt(0)] = i))
B64[0x2b] = B64[0x2d] = 62 // + and - (URL-safe)
B64[0x2f] = B64[0x5f] = 63 // / and _ (URL-safe)

/**
 * Base64, standard or URL-safe (both alphabets accepted), padding optional, whitespace and line
 * breaks ignored. `what` names the body in messages ("base64", "the file's base64").
 */
export function encodeBase64(body: string, what: Base64Body = 'base64'): BytesOutcome {
  // Fast path in native code; the scan below runs only to place a mistake.
  if (BASE64_SHAPE.test(body)) {
    const data = body.replace(BASE64_NOT_DATA, '').length
    const pads = body.length - body.replace(/=/g, '').length
    if (data % 4 !== 1 && (pads === 0 || (data + pads) % 4 === 0)) return { ok: true, bytes: Buffer.from(body, 'base64') }
  }
  return scanBase64(body, what)
}

/** What a base64 body is called in its problems (each has its own codes). */
type Base64Body = 'base64' | "file's base64"

const BASE64_SHAPE = /^[A-Za-z0-9+/_\-\s]*(?:=\s*){0,2}$/
const BASE64_NOT_DATA = /[\s=]+/g

function scanBase64(body: string, what: Base64Body): BytesOutcome {
  // The translations name the body: "the base64", or (FILE_…) the file's base64 the app wrote itself.
  const said = (code: NoticeCode, fileCode: NoticeCode, message: string): Notice => notice(what === 'base64' ? code : fileCode, message)
  let data = 0
  let padAt = -1
  let pads = 0
  let lastData = -1
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i)
    if (c < 128 && B64[c] >= 0) {
      if (padAt !== -1) return { ok: false, problem: problemAt(body, padAt, said('BASE64_PAD_INSIDE', 'FILE_BASE64_PAD_INSIDE', `Padding ('=') in the middle of the ${what}: '=' may only end it.`)) }
      data++
      lastData = i
      continue
    }
    if (c === 0x3d) {
      if (padAt === -1) padAt = i
      if (++pads > 2) return { ok: false, problem: problemAt(body, i, notice('BASE64_TOO_MUCH_PADDING', `Too much padding: base64 ends with at most two '='.`)) }
      continue
    }
    if (isSpace(c)) continue
    const ch = String.fromCodePoint(body.codePointAt(i) ?? c)
    return { ok: false, problem: problemAt(body, i, notice('BASE64_BAD_CHARACTER', `${describeChar(ch)} is not a base64 character: use A–Z, a–z, 0–9, + and / (or - and _), with optional '=' padding.`, { char: describeChar(ch) })) }
  }
  if (data % 4 === 1) return { ok: false, problem: problemAt(body, lastData, said('BASE64_CUT_SHORT', 'FILE_BASE64_CUT_SHORT', `The ${what} is cut short: its last group has one character, which is not a whole byte.`)) }
  if (pads > 0 && (data + pads) % 4 !== 0) return { ok: false, problem: problemAt(body, padAt, said('BASE64_WRONG_PADDING', 'FILE_BASE64_WRONG_PADDING', `Wrong padding: with '=' the ${what}'s length must be a multiple of 4 (or leave the padding out).`)) }
  // Validated: Node's decoder reads both alphabets and skips whitespace.
  return { ok: true, bytes: Buffer.from(body, 'base64') }
}
