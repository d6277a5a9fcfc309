/**
 * An authored draft → the bytes to publish (the format's encoder, then gzip, then the size
 * cap), or a problem with a sentence and a place. Never throws.
 */
import { gzipSync } from 'node:zlib'
import { MAX_PAYLOAD_BYTES, notice, type NoticeCode, type PayloadDraft, type PayloadProblem } from '../../api'
import type { SchemaLookup } from '../decode/types'
import { parseAuthoredJson, type AuthoredValue } from './authored-json'
import { encodeCborValue } from './cbor'
import { encodeMsgpackValue } from './msgpack'
import { bytesText, problemOfNotice } from './problem'
import { encodeProtobufValue, ProtobufInputError, protobufProblem } from './protobuf'
import { encodeSparkplugValue } from './sparkplug'
import { problemOf, TaggedError } from './tagged'
import { encodeBase64, encodeHex, encodeJson, encodeText, type BytesOutcome } from './text-formats'

export interface EncodeContext {
  /** Compiled imported schemas (Protobuf message types). */
  schemas: SchemaLookup
}

export type EncodeOutcome = { ok: true; bytes: Buffer } | { ok: false; problem: PayloadProblem }

/** "The encoded payload is 17,000,000 bytes, over the 16,777,216 bytes (16 MiB) a payload may have: make it smaller or turn on gzip." */
const tooBig = (code: NoticeCode, what: string, bytes: number, gzipHelps: boolean): EncodeOutcome => {
  const size = code === 'PAYLOAD_TOO_BIG_TEXT' ? `at least ${bytesText(bytes)}` : bytesText(bytes)
  const message = `${what} is ${size}, over the ${bytesText(MAX_PAYLOAD_BYTES)} (16 MiB) a payload may have: make it smaller${gzipHelps ? ' or turn on gzip' : ''}.`
  return { ok: false, problem: problemOfNotice(notice(code, message, { bytes, max: MAX_PAYLOAD_BYTES })) }
}

/** Bodies authored as JSON: parse (exact numbers, line/column on error), then the format's encoder. */
function fromAuthored(body: string, encode: (value: AuthoredValue) => Buffer): EncodeOutcome {
  const parsed = parseAuthoredJson(body)
  if (!parsed.ok) return parsed
  try {
    return { ok: true, bytes: encode(parsed.value) }
  } catch (err) {
    if (err instanceof TaggedError) return { ok: false, problem: problemOf(err) }
    if (err instanceof ProtobufInputError) return { ok: false, problem: protobufProblem(err) }
    return notEncoded(err)
  }
}

/** A library's surprise, as a sentence (its own words inside ours) rather than a crash of the publish. */
function notEncoded(err: unknown): EncodeOutcome {
  const error = err instanceof Error ? err.message : String(err)
  return { ok: false, problem: problemOfNotice(notice('PAYLOAD_NOT_ENCODED', `The payload could not be encoded: ${error}`, { error })) }
}

function encodeFormat(draft: PayloadDraft, context: EncodeContext): BytesOutcome {
  switch (draft.format) {
    case 'text':
      return encodeText(draft.body)
    case 'json':
      return encodeJson(draft.body)
    case 'hex':
      return encodeHex(draft.body)
    case 'base64':
      return encodeBase64(draft.body)
    case 'file':
      return encodeBase64(draft.body, "file's base64")
    case 'msgpack':
      return fromAuthored(draft.body, encodeMsgpackValue)
    case 'cbor':
      return fromAuthored(draft.body, encodeCborValue)
    case 'sparkplug':
      return fromAuthored(draft.body, encodeSparkplugValue)
    case 'protobuf': {
      const name = draft.protobufType
      if (name === undefined) return { ok: false, problem: problemOfNotice(notice('PAYLOAD_PROTOBUF_PICK_TYPE', 'Pick the Protobuf message type to encode with (import its .proto file first).')) }
      const type = context.schemas.protobufType?.(name)
      if (type === undefined) return { ok: false, problem: problemOfNotice(notice('PAYLOAD_PROTOBUF_UNKNOWN_TYPE', `No imported .proto file defines the message type ${name}: import it, or pick another type.`, { name })) }
      return fromAuthored(draft.body, (value) => encodeProtobufValue(type, value))
    }
  }
}

/** Gzip is not started on more than this (it would take seconds, and the body's own cap allows no more). */
const MAX_GZIP_INPUT_BYTES = 4 * MAX_PAYLOAD_BYTES

/** Encodes a draft whose placeholders are already rendered. Never throws. */
export function encodeDraft(draft: PayloadDraft, context: EncodeContext): EncodeOutcome {
  try {
    // Text and JSON are published as their UTF-8: a body longer than the cap (in UTF-16 units,
    // each at least one byte) is refused before it is copied.
    if ((draft.format === 'text' || draft.format === 'json') && draft.body.length > MAX_PAYLOAD_BYTES && !draft.gzip) return tooBig('PAYLOAD_TOO_BIG_TEXT', 'The payload', draft.body.length, true)
    const encoded = encodeFormat(draft, context)
    if (!encoded.ok) return encoded
    let bytes = encoded.bytes
    if (draft.gzip) {
      if (bytes.length > MAX_GZIP_INPUT_BYTES) return tooBig('PAYLOAD_TOO_BIG_BEFORE_GZIP', 'The payload before gzip', bytes.length, false)
      bytes = gzipSync(bytes)
    }
    if (bytes.length > MAX_PAYLOAD_BYTES) return draft.gzip ? tooBig('PAYLOAD_TOO_BIG_GZIPPED', 'The gzipped payload', bytes.length, false) : tooBig('PAYLOAD_TOO_BIG', 'The encoded payload', bytes.length, true)
    return { ok: true, bytes }
  } catch (err) {
    // The last guard: a library's surprise becomes a sentence, never a crash of the publish.
    return notEncoded(err)
  }
}
