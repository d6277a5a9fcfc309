/**
 * Reading one line of a recording straight from the bytes it was read into, for the readers
 * that go through millions of lines (offline, replay, export).
 *
 * The recorder writes every message line in one fixed shape (format.ts `messageLine`):
 * `{"t":…,"w":…,"topic":"…","qos":…,"retain":…,"dup":…[,"sub":true],"payload":"…"[,"props":{…}]}`.
 * A line in exactly that shape is read here without a string for the whole line, without
 * JSON.parse of it and without a string object per key: the topic and the payload's base64 are
 * the only strings made (and the props' JSON, when there are props). Anything else (the header,
 * gaps, other writers' key orders, escapes, numbers that are not plain digits, a payload that is
 * not clean base64) goes to `parseLine` on the line's text, so every line reads exactly as
 * `parseLine` reads it; test/unit/recording-line-bytes.test.ts pins that agreement.
 */
import { decodeBase64, parseLine, propertiesFromJson, type ParsedLine, type RecordedMessage } from './format'
import type { PayloadScratch } from './payload-scratch'

const QUOTE = 0x22
const BACKSLASH = 0x5c
const COMMA = 0x2c
const CLOSE = 0x7d

const key = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0))
const T = key('{"t":')
const W = key(',"w":')
const TOPIC = key(',"topic":"')
const QOS = key(',"qos":')
const RETAIN = key(',"retain":')
const DUP = key(',"dup":')
const SUB_TRUE = key(',"sub":true')
const PAYLOAD = key(',"payload":"')
const PROPS = key(',"props":')
const TRUE = key('true')
const FALSE = key('false')

/** Plain integers up to 15 digits are exact as doubles, as JSON.parse would give them. */
const MAX_DIGITS = 15

/** True when `bytes[at, at + literal.length)` is `literal`. */
function startsWith(bytes: Buffer, at: number, end: number, literal: Uint8Array): boolean {
  if (at + literal.length > end) return false
  for (let i = 0; i < literal.length; i++) if (bytes[at + i] !== literal[i]) return false
  return true
}

/**
 * One line, `bytes[start, end)` (no newline), read as {@link parseLine} reads its text. Never
 * throws. Nothing returned points into `bytes`: the message's payload is its own copy, or, with
 * a `scratch`, a small one may be decoded there (valid until the scratch is reset).
 */
export function parseLineBytes(bytes: Buffer, start: number, end: number, scratch?: PayloadScratch): ParsedLine {
  return readRecorderLine(bytes, start, end, scratch) ?? parseLine(bytes.toString('utf8', start, end))
}

// The fast path's cursor: a module variable, so reading a number needs no result object.
let at = 0

/** A plain non-negative integer at `at` (no sign, no leading zero, no fraction), or -1. */
function digits(bytes: Buffer, end: number): number {
  const from = at
  let value = 0
  let c = bytes[at]
  while (at < end && c >= 0x30 && c <= 0x39) {
    value = value * 10 + (c - 0x30)
    c = bytes[++at]
  }
  const n = at - from
  if (n === 0 || n > MAX_DIGITS || (n > 1 && bytes[from] === 0x30)) return -1
  return value
}

/** `true` / `false` at `at` (then advanced), or null. */
function bool(bytes: Buffer, end: number): boolean | null {
  if (startsWith(bytes, at, end, TRUE)) {
    at += TRUE.length
    return true
  }
  if (startsWith(bytes, at, end, FALSE)) {
    at += FALSE.length
    return false
  }
  return null
}

const SEXTETS = new Int8Array(256).fill(-1)
for (let i = 0; i < 64; i++) SEXTETS['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.charCodeAt(i)] = i
const PAD = 0x3d

/**
 * Standard base64 (A–Z a–z 0–9 + /, at most two '=' at the end, not one character past a multiple
 * of four) decoded from the bytes themselves, or null for anything else. On such text Node's
 * decoder gives the same bytes and decodeBase64 accepts them; this only skips making the string.
 */
function base64Bytes(bytes: Buffer, start: number, end: number, scratch: PayloadScratch | undefined): Buffer | null {
  let n = end - start
  if (n > 0 && bytes[start + n - 1] === PAD) n--
  if (n > 0 && bytes[start + n - 1] === PAD) n--
  const rest = n & 3
  if (rest === 1) return null
  const size = (n * 3) >> 2
  const out = scratch?.take(size) ?? Buffer.allocUnsafe(size)
  const full = start + n - rest
  let o = 0
  let i = start
  for (; i < full; i += 4) {
    // A character outside the alphabet is -1, which makes the whole group negative.
    const v = (SEXTETS[bytes[i]] << 18) | (SEXTETS[bytes[i + 1]] << 12) | (SEXTETS[bytes[i + 2]] << 6) | SEXTETS[bytes[i + 3]]
    if (v < 0) return null
    out[o++] = v >> 16
    out[o++] = (v >> 8) & 0xff
    out[o++] = v & 0xff
  }
  if (rest === 2) {
    const v = (SEXTETS[bytes[i]] << 6) | SEXTETS[bytes[i + 1]]
    if (v < 0) return null
    out[o] = v >> 4
  } else if (rest === 3) {
    const v = (SEXTETS[bytes[i]] << 12) | (SEXTETS[bytes[i + 1]] << 6) | SEXTETS[bytes[i + 2]]
    if (v < 0) return null
    out[o++] = v >> 10
    out[o] = (v >> 2) & 0xff
  }
  return out
}

/**
 * Any other payload text through decodeBase64, read as latin1 (the bytes one to one). Node's
 * base64 decoder skips what is not base64 (a backslash, a byte over 0x7f, a control character)
 * and decodeBase64 refuses a decoded length short of what the text promises, so a payload it
 * accepts here was all base64 characters: the text JSON.parse would have given (URL-safe '-' and
 * '_' included). Anything it refuses goes to parseLine.
 */
function base64Text(bytes: Buffer, start: number, end: number): Buffer | null {
  return decodeBase64(bytes.toString('latin1', start, end))
}

/**
 * The message of a line in the recorder's own shape, or null when the line is not in it (then
 * parseLine decides what it is). Exported for the tests that prove the fast path is taken.
 */
export function readRecorderLine(bytes: Buffer, start: number, end: number, scratch?: PayloadScratch): ParsedLine | null {
  if (!startsWith(bytes, start, end, T)) return null
  at = start + T.length
  const t = digits(bytes, end)
  if (t < 0 || !startsWith(bytes, at, end, W)) return null
  at += W.length
  const w = digits(bytes, end)
  if (w < 0 || !startsWith(bytes, at, end, TOPIC)) return null
  at += TOPIC.length
  // The topic's bytes up to its closing quote: no escapes and no control characters (which JSON
  // refuses), so its text is exactly its UTF-8 bytes decoded, as JSON.parse of the line gives it.
  const topicStart = at
  for (let c = bytes[at]; c !== QUOTE; c = bytes[++at]) {
    if (at >= end || c === BACKSLASH || c < 0x20) return null
  }
  // (A quote at or past `end` fails the bounded checks below.)
  const topicEnd = at++
  if (!startsWith(bytes, at, end, QOS)) return null
  at += QOS.length
  const qos = bytes[at++] - 0x30
  if (qos < 0 || qos > 2 || bytes[at] !== COMMA) return null
  if (!startsWith(bytes, at, end, RETAIN)) return null
  at += RETAIN.length
  const retain = bool(bytes, end)
  if (retain === null || !startsWith(bytes, at, end, DUP)) return null
  at += DUP.length
  const dup = bool(bytes, end)
  if (dup === null) return null
  const onSubscribe = startsWith(bytes, at, end, SUB_TRUE)
  if (onSubscribe) at += SUB_TRUE.length
  if (!startsWith(bytes, at, end, PAYLOAD)) return null
  at += PAYLOAD.length
  const payloadStart = at
  const payloadEnd = bytes.indexOf(QUOTE, at)
  if (payloadEnd === -1 || payloadEnd >= end) return null
  const payload = base64Bytes(bytes, payloadStart, payloadEnd, scratch) ?? base64Text(bytes, payloadStart, payloadEnd)
  if (payload === null) return null
  at = payloadEnd + 1
  let props: unknown
  if (at === end - 1) {
    if (bytes[at] !== CLOSE) return null
  } else {
    if (bytes[end - 1] !== CLOSE || !startsWith(bytes, at, end, PROPS)) return null
    try {
      // One JSON value between `"props":` and the closing brace: then the whole line is JSON too.
      props = JSON.parse(bytes.toString('utf8', at + PROPS.length, end - 1))
    } catch {
      return null
    }
  }
  const message: RecordedMessage = {
    offsetUs: t,
    wallMs: w,
    topic: bytes.toString('utf8', topicStart, topicEnd),
    qos: qos as 0 | 1 | 2,
    retain,
    dup,
    onSubscribe,
    payload,
  }
  if (props && typeof props === 'object') message.properties = propertiesFromJson(props as Record<string, unknown>)
  return { kind: 'message', message }
}
