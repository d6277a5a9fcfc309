/**
 * The decoders' sentences as code + values beside main's English (see `Coded` in types.ts).
 * Fixed ones are made here once and frozen: a chart's messages all share the same object, so
 * giving a sentence its code costs the hot path nothing.
 */
import type { DecodeErrorCode, DecodeReasonCode, LayerNoteCode, SentenceParams } from '../../api/inspect'
import type { Coded, DecodeError, DecodeReason, LayerNote } from './types'

/** A sentence with its code and values, frozen (make it once where the sentence is fixed). */
export function coded<Code extends string>(text: string, code: Code, params?: Record<string, string | number>): Coded<Code> {
  const out: Coded<Code> = params === undefined ? { text, code } : { text, code, params: Object.freeze(params) as SentenceParams }
  return Object.freeze(out)
}

export const reason = (text: string, code: DecodeReasonCode, params?: Record<string, string | number>): DecodeReason => coded(text, code, params)
export const note = (text: string, code: LayerNoteCode, params?: Record<string, string | number>): LayerNote => coded(text, code, params)
export const problem = (text: string, code: DecodeErrorCode, params?: Record<string, string | number>): DecodeError => coded(text, code, params)

// Reasons that name nothing of the payload, shared by detection and the formats.
export const REASON_EMPTY = reason('empty payload', 'empty')
export const REASON_CHOSEN = reason('chosen by you', 'chosen')
export const REASON_SPARKPLUG_TOPIC = reason('topic under spBv1.0/', 'sparkplugTopic')
export const REASON_GZIP_MAGIC = reason('magic bytes 1f 8b', 'gzipMagic')
export const REASON_UTF8_HINT_JSON = reason('payload format indicator: UTF-8, parses as JSON', 'utf8HintJson')
export const REASON_UTF8_HINT = reason('payload format indicator: UTF-8', 'utf8Hint')
export const REASON_JSON = reason('parses as JSON', 'json')
export const REASON_BASE64_OF_BINARY = reason('base64 of binary data', 'base64OfBinary')
export const REASON_VALID_UTF8 = reason('valid UTF-8', 'validUtf8')
export const REASON_VALID_UTF8_CONTROL = reason('valid UTF-8 (with control characters)', 'validUtf8Control')
export const REASON_CBOR_MAP = reason('one CBOR map', 'cborMap')
export const REASON_CBOR_ARRAY = reason('one CBOR array', 'cborArray')
export const REASON_MSGPACK_MAP = reason('one MessagePack map', 'msgpackMap')
export const REASON_MSGPACK_ARRAY = reason('one MessagePack array', 'msgpackArray')
export const REASON_PROTOBUF_WIRE = reason('parses as Protobuf wire format', 'protobufWire')
export const REASON_BINARY = reason('binary', 'binary')
export const REASON_DECODER_FAILED = reason('the decoder failed', 'decoderFailed')

