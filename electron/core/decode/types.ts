/**
 * The decoders' shared shapes. `core/decode/` is pure: bytes and a context in, a JSON-safe
 * outcome out; no state beyond caches, no files, no sockets. The inspector (core/inspect/), the
 * charts (core/charts/) and the tree's previews all decode through `decodePayload`.
 */
import type protobuf from 'protobufjs'
import type { DecodeErrorCode, DecodeLayer, DecodeReasonCode, DecoderId, DecoderRule, LayerNoteCode, NumberReading, SentenceParams, SparkplugSummary } from '../../api/inspect'
import type { JsonCheck } from './json-check'

/** Values as JSON can carry them: decoders turn bytes, bigints, maps and tags into these. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue }

/** Compiled schemas the user imported (core/inspect/schema-store.ts provides them). */
export interface SchemaLookup {
  /** Decodes `bytes` as the named Protobuf message type; undefined when no imported file defines it. */
  protobuf(typeName: string): ((bytes: Uint8Array) => JsonValue) | undefined
  /** Decodes `bytes` with the named Avro schema (file name or full name); undefined when unknown. */
  avro(schema: string): ((bytes: Uint8Array) => JsonValue) | undefined
  /**
   * The compiled Protobuf message type itself, for the payload editor's encoder (core/encode/);
   * undefined when no imported file defines it. Optional: lookups made only to decode omit it.
   */
  protobufType?(typeName: string): protobuf.Type | undefined
  /** Every Protobuf message type defined (optional: offers `protobuf` as a candidate decoder). */
  protobufTypes?(): readonly string[]
  /** Every Avro schema known, by file name and full name (optional: offers `avro` as a candidate). */
  avroSchemas?(): readonly string[]
}

export const NO_SCHEMAS: SchemaLookup = { protobuf: () => undefined, avro: () => undefined }

export interface DecodeContext {
  topic: string
  /** MQTT 5 content type, used as a detection hint. */
  contentType?: string
  /** MQTT 5 payload format indicator: true = the sender says UTF-8 text. */
  utf8Hint?: boolean
  /** The profile's first rule matching `topic`, if any. */
  rule?: DecoderRule
  /** The user's one-click override; wins over the rule and detection. */
  forced?: { decoder: DecoderId; protobufType?: string; avroSchema?: string }
  schemas: SchemaLookup
  /** Latest stored payload of another topic of the same connection (Sparkplug BIRTH aliases). */
  latestPayload(topic: string): Buffer | undefined
  /**
   * Big JSON (over 1 MiB) may be answered once its start is checked: the result then carries the
   * unfinished check (`json-text`'s `check`), which the caller must finish before trusting the
   * bytes as JSON (the inspector does, in slices). Without it, the whole payload is checked first.
   */
  deferJsonCheck?: { checkOutBytes: number }
}

/** The decoded form, before it is formatted as text for the inspector. */
export type DecodedResult =
  | { kind: 'empty' }
  /** json, msgpack, cbor, protobuf, protobuf-raw, sparkplug, avro: a structure, shown as JSON. */
  | { kind: 'value'; value: JsonValue }
  /**
   * Valid JSON too big to parse here: the text as sent (still JSON for the view). `reindentedBytes`:
   * UTF-8 length of the re-indented text, counted by the validator (reindentJsonBytes). `check`:
   * with `deferJsonCheck`, the validator stopped after the payload's start; until it is `valid`,
   * these bytes are only known to begin as JSON (and `reindentedBytes` is absent).
   */
  | { kind: 'json-text'; text: string; reindentedBytes?: number; check?: JsonCheck }
  | { kind: 'text'; text: string; invalidUtf8: number }
  | { kind: 'hex' }
  | { kind: 'image'; mime: 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp'; width: number | null; height: number | null }
  | { kind: 'numbers'; readings: NumberReading[] }

/**
 * A sentence the decoders write: main's English (shown as it is in English, and in logs), its
 * stable code and the values it names, which the renderer translates. Fixed sentences are shared
 * frozen objects (sentences.ts): decodePayload runs for every message of a chart.
 */
export interface Coded<Code extends string> {
  text: string
  code: Code
  params?: SentenceParams
}
export type DecodeReason = Coded<DecodeReasonCode>
export type LayerNote = Coded<LayerNoteCode>
export type DecodeError = Coded<DecodeErrorCode>

export interface DecodeOutcome {
  /** What detection alone picks for these bytes and context (also when a decoder was forced). */
  detected: DecoderId
  /** One phrase: "rule plant/+/telemetry", "content type application/cbor", "magic bytes 1f 8b", … */
  reason: string
  reasonCode: DecodeReasonCode
  reasonParams?: SentenceParams
  /** Decoders applied, in order (layers first). */
  layers: DecodeLayer[]
  /** Decoders worth offering for these bytes, the detected one first. */
  candidates: DecoderId[]
  /** A forced or ruled decoder failed ("Not valid CBOR: …"); `result` is then hex. */
  error: string | null
  /** `error`'s code and values; null with no error. */
  errorCode: DecodeErrorCode | null
  errorParams?: SentenceParams
  /** The bytes after the layers (the payload itself when there are none). */
  bytes: Buffer
  result: DecodedResult
  sparkplug?: SparkplugSummary
  cborDiagnostic?: string
}
