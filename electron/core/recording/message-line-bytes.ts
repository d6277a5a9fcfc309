/**
 * messageLine() (format.ts) written straight into a LineBatch chunk as UTF-8, without the line
 * as a string: the encoder thread makes one line per recorded message, and building each as a
 * string (the number, topic and base64 parts concatenated, then encoded) was most of its work and
 * all of its garbage (a CPU profile of record-firehose's thread: a quarter of its time in GC).
 * The bytes are exactly messageLine()'s plus the newline (test/unit/recording-line-writer.test.ts
 * compares them over topics that need escaping, surrogates, every payload length up to a few KB
 * and properties); anything it does not write itself in place (an escaped topic, properties, a
 * long payload) goes through the same code messageLine uses.
 */
import { messageLine, propertiesText, type RecordedMessage } from './format'
import type { LineBatch } from './line-batch'

const BASE64 = Buffer.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', 'latin1')
const EQUALS = 0x3d
/** Above this many payload bytes Node's own base64 (one string) beats the loop below. */
const INLINE_BASE64_MAX = 1024
/** A topic needs JSON escapes (quote, backslash, control characters) or has surrogates to check. */
const NOT_PLAIN = /["\\\u0000-\u001f\ud800-\udfff]/

const T = Buffer.from('{"t":', 'latin1')
const W = Buffer.from(',"w":', 'latin1')
const TOPIC = Buffer.from(',"topic":', 'latin1')
const QOS = Buffer.from(',"qos":', 'latin1')
const RETAIN_TRUE = Buffer.from(',"retain":true', 'latin1')
const RETAIN_FALSE = Buffer.from(',"retain":false', 'latin1')
const DUP_TRUE = Buffer.from(',"dup":true', 'latin1')
const DUP_FALSE = Buffer.from(',"dup":false', 'latin1')
const SUB = Buffer.from(',"sub":true', 'latin1')
const PAYLOAD = Buffer.from(',"payload":"', 'latin1')
const PROPS = Buffer.from('","props":', 'latin1')

/** Appends `m`'s line to `batch`; returns the bytes it took (as LineBatch.push does). */
export function pushMessageLine(batch: LineBatch, m: RecordedMessage): number {
  const props = propertiesText(m.properties)
  const payloadChars = 4 * Math.ceil(m.payload.length / 3)
  // Fixed parts ~90 bytes, two numbers ≤ 24 characters each, a topic escaped at worst 6 bytes a unit.
  const worst = 160 + m.topic.length * 6 + payloadChars + (props === null ? 0 : props.length * 3)
  const chunk = batch.room(worst)
  if (chunk === null) return batch.push(messageLine(m))
  let at = batch.at
  at = put(chunk, at, T)
  at = writeNumber(chunk, at, Math.round(m.offsetUs))
  at = put(chunk, at, W)
  at = writeNumber(chunk, at, m.wallMs)
  at = put(chunk, at, TOPIC)
  if (NOT_PLAIN.test(m.topic)) at += chunk.write(JSON.stringify(m.topic), at, 'utf8')
  else {
    chunk[at++] = 0x22
    at += chunk.write(m.topic, at, 'utf8')
    chunk[at++] = 0x22
  }
  at = put(chunk, at, QOS)
  chunk[at++] = 0x30 + m.qos
  at = put(chunk, at, m.retain ? RETAIN_TRUE : RETAIN_FALSE)
  at = put(chunk, at, m.dup ? DUP_TRUE : DUP_FALSE)
  if (m.onSubscribe) at = put(chunk, at, SUB)
  at = put(chunk, at, PAYLOAD)
  at = m.payload.length <= INLINE_BASE64_MAX ? writeBase64(m.payload, chunk, at) : at + chunk.write(m.payload.toString('base64'), at, 'latin1')
  if (props !== null) {
    at = put(chunk, at, PROPS)
    at += chunk.write(props, at, 'utf8')
    chunk[at++] = 0x7d
  } else {
    chunk[at++] = 0x22
    chunk[at++] = 0x7d
  }
  return batch.commit(at)
}

function put(chunk: Buffer, at: number, bytes: Buffer): number {
  for (let i = 0; i < bytes.length; i++) chunk[at + i] = bytes[i]
  return at + bytes.length
}

/** A number as a template literal writes it: digits for whole non-negative ones, String() otherwise. */
function writeNumber(chunk: Buffer, at: number, n: number): number {
  if (!(Number.isSafeInteger(n) && n >= 0)) return at + chunk.write(String(n), at, 'latin1')
  let digits = 1
  for (let rest = n; rest >= 10; rest = Math.floor(rest / 10)) digits++
  let rest = n
  for (let i = at + digits - 1; i >= at; i--) {
    chunk[i] = 0x30 + (rest % 10)
    rest = Math.floor(rest / 10)
  }
  return at + digits
}

/** Standard base64 with padding, as Buffer's 'base64' gives it. */
function writeBase64(src: Buffer, dst: Buffer, at: number): number {
  const n = src.length
  const whole = n - (n % 3)
  let i = 0
  for (; i < whole; i += 3) {
    const v = (src[i] << 16) | (src[i + 1] << 8) | src[i + 2]
    dst[at] = BASE64[v >>> 18]
    dst[at + 1] = BASE64[(v >>> 12) & 63]
    dst[at + 2] = BASE64[(v >>> 6) & 63]
    dst[at + 3] = BASE64[v & 63]
    at += 4
  }
  if (n - whole === 1) {
    const v = src[i] << 16
    dst[at] = BASE64[v >>> 18]
    dst[at + 1] = BASE64[(v >>> 12) & 63]
    dst[at + 2] = EQUALS
    dst[at + 3] = EQUALS
    at += 4
  } else if (n - whole === 2) {
    const v = (src[i] << 16) | (src[i + 1] << 8)
    dst[at] = BASE64[v >>> 18]
    dst[at + 1] = BASE64[(v >>> 12) & 63]
    dst[at + 2] = BASE64[(v >>> 6) & 63]
    dst[at + 3] = EQUALS
    at += 4
  }
  return at
}
