/**
 * The message inspector as the renderer sees it: payloads decoded on the main side (where the raw
 * bytes live, and where protobufjs may compile with `new Function`, which the renderer's CSP
 * forbids), decoder rules per profile, imported schema files, and chart series collected on the
 * main side from every message.
 *
 * A decode answers with a bounded result: metadata, what was detected and why, and the first page
 * of the decoded text. The rest (text pages, raw byte pages for the hex view) is fetched by
 * `docId` while the document stays cached, so a 16 MB payload never crosses in one piece.
 */
import { z } from 'zod'
import { IdString, TopicString } from './limits'
import type { TreeMessageMeta } from './tree'

/**
 * Every decoder. `base64`, `gzip`, `zlib` and `deflate` are layers: they turn bytes into other
 * bytes, which are then detected again. `protobuf` needs a message type from an imported `.proto`;
 * `protobuf-raw` is the schema-less decode (like `protoc --decode_raw`); `avro` needs a schema.
 */
export const DecoderId = z.enum([
  'text', 'json', 'hex', 'base64', 'msgpack', 'cbor', 'protobuf', 'protobuf-raw', 'sparkplug', 'avro',
  'gzip', 'zlib', 'deflate', 'image', 'number',
])
export type DecoderId = z.infer<typeof DecoderId>

/** Decoders that produce bytes to detect again rather than a final view. */
export const LAYER_DECODERS: readonly DecoderId[] = ['base64', 'gzip', 'zlib', 'deflate']

/** Fixed-width number readings of a payload (the `number` decoder and chart series of binary numbers). */
export const NumberFormat = z.enum([
  'int8', 'uint8',
  'int16le', 'int16be', 'uint16le', 'uint16be',
  'int32le', 'int32be', 'uint32le', 'uint32be',
  'int64le', 'int64be', 'uint64le', 'uint64be',
  'float32le', 'float32be', 'float64le', 'float64be',
])
export type NumberFormat = z.infer<typeof NumberFormat>

/** A fully qualified Protobuf message type (`pkg.Message`) or Avro schema name. */
const TypeName = z.string().min(1).max(512)
/** An imported schema file's id (its file name, e.g. `telemetry.proto`). */
export const SchemaFileName = z.string().min(1).max(200).regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*\.(proto|avsc)$/, 'A schema file name ends in .proto or .avsc and has only letters, digits, _ . -')
/** Largest schema file we import (a `.proto` or `.avsc` is text; 1 MiB is a very big one). */
export const MAX_SCHEMA_FILE_CHARS = 1024 * 1024
/** Decoder rules per profile. */
export const MAX_DECODER_RULES = 200

/**
 * One rule: messages whose topic matches `filter` (MQTT wildcards) are decoded with `decoder`.
 * The first matching rule of a profile wins; rules apply to the inspector, the tree's previews and
 * chart series. `protobufType` names the message type (needed for `protobuf`), `avroSchema` the
 * imported `.avsc` file (needed for `avro`).
 */
export const DecoderRule = z.object({
  filter: TopicString.pipe(z.string().min(1)),
  decoder: DecoderId,
  protobufType: TypeName.optional(),
  avroSchema: SchemaFileName.optional(),
})
export type DecoderRule = z.infer<typeof DecoderRule>
export const DecoderRules = z.array(DecoderRule).max(MAX_DECODER_RULES)

/**
 * A message of a topic's stored history: index 0 = the latest, 1 = the one before, … (the same
 * numbering as `tree.topic.history`). `time` pins it: when given and the message at `index` has
 * another arrival time (new messages moved the numbering), the nearest stored message with that
 * time is used instead, or NOT_FOUND if it is gone.
 */
export const MessageRef = z.object({
  connectionId: IdString,
  path: TopicString,
  index: z.number().int().min(0).max(1_000_000).default(0),
  time: z.number().optional(),
})
export type MessageRef = z.infer<typeof MessageRef>

export const InspectDecodeParams = z.object({
  message: MessageRef,
  /** Forces a decoder (the one-click override); omitted = rules, then hints, then detection. */
  decoder: DecoderId.optional(),
  protobufType: TypeName.optional(),
  avroSchema: SchemaFileName.optional(),
  /** Pretty-print objects with their keys sorted (for diffs). */
  sortKeys: z.boolean().default(false),
  /** Characters of decoded text sent with the answer (later pages via `inspect.text`). */
  firstPageChars: z.number().int().min(0).max(16 * 1024 * 1024).default(1024 * 1024),
  /**
   * Answer before a long check is done: big JSON (over 1 MiB) is then answered once its start
   * parses, with `pending: true`, while the main side checks the rest. Ask again without it (or
   * page past the first page) to get the checked answer. Only for a first page of at most
   * MAX_PROVISIONAL_PAGE_CHARS; bigger first pages are always checked first.
   */
  provisional: z.boolean().default(false),
})

/** The largest first page a provisional answer (`provisional: true`) serves before the check is done. */
export const MAX_PROVISIONAL_PAGE_CHARS = 256 * 1024

/** Default and largest page of decoded text. */
export const INSPECT_PAGE_CHARS = 1024 * 1024
export const MAX_INSPECT_PAGE_CHARS = 16 * 1024 * 1024
/** Largest page of raw bytes (`inspect.bytes`). */
export const MAX_INSPECT_BYTES_PAGE = 4 * 1024 * 1024

export const InspectTextParams = z.object({
  docId: IdString,
  offset: z.number().int().min(0),
  maxChars: z.number().int().min(1).max(MAX_INSPECT_PAGE_CHARS).default(INSPECT_PAGE_CHARS),
})
export const InspectBytesParams = z.object({
  docId: IdString,
  offset: z.number().int().min(0),
  length: z.number().int().min(1).max(MAX_INSPECT_BYTES_PAGE),
  /** `raw` = the message as received; `decoded` = the bytes after the last layer (e.g. inflated gzip). */
  source: z.enum(['raw', 'decoded']).default('raw'),
})
export const InspectDocRef = z.object({ docId: IdString })

/** Largest decoded text per side that a diff compares (longer is compared up to here). */
export const MAX_DIFF_TEXT_CHARS = 8 * 1024 * 1024
/** Unchanged lines a trimmed diff keeps before and after each change. */
export const DIFF_CONTEXT_LINES = 3
export const MAX_DIFF_CONTEXT_LINES = 100

/** Two decoded documents (`inspect.decode`'s docIds) to diff on the main side, where their text already is. */
export const InspectDiffParams = z.object({
  left: IdString,
  right: IdString,
  contextLines: z.number().int().min(0).max(MAX_DIFF_CONTEXT_LINES).default(DIFF_CONTEXT_LINES),
})

/**
 * One side of a trimmed diff, in order: kept lines of the full document (`line` is 1-based) and
 * stretches left out, each shown as one separator line. Both sides leave out the same stretches
 * (unchanged lines are the same on both), so their separators pair up.
 */
export type DiffExcerptBlock = { line: number; count: number } | { skipped: number }

export interface DiffExcerptSide {
  /** The kept lines and one separator line per skipped stretch, joined with "\n". */
  text: string
  blocks: DiffExcerptBlock[]
  /** Lines of the full document. */
  totalLines: number
}

/**
 * Values a coded sentence names (decode reasons, layer notes, decode errors, a diff's reason):
 * counts as numbers, so the renderer writes them in the UI's language; names, hex and the
 * libraries' own messages as text. Shared and frozen where the sentence is fixed.
 */
export type SentenceParams = Readonly<Record<string, string | number>>

/**
 * Why the diff compares two documents whole: `tooDifferent` (the change search ran out of its
 * budget), `tooLong` {maxChars} (a text is over that many characters: only its start is compared).
 */
export const DiffUntrimmedCode = z.enum(['tooDifferent', 'tooLong'])
export type DiffUntrimmedCode = z.infer<typeof DiffUntrimmedCode>

/**
 * `inspect.diff`: the two documents with their long unchanged stretches left out (every changed
 * line kept, with `contextLines` around it), or `trimmed: false` when they should be compared
 * whole (too big, or too different to find the changes within the time budget).
 */
export type DiffExcerpt =
  | { trimmed: true; left: DiffExcerptSide; right: DiffExcerptSide }
  /** `reason` is main's English sentence; `reasonCode` and `reasonParams` say the same for the renderer to translate. */
  | { trimmed: false; reason: string; reasonCode: DiffUntrimmedCode; reasonParams?: SentenceParams }

/**
 * Why detection picked a decoder, as a stable code (the English phrase is `reason`). Params:
 * `contentType` {contentType}, `zlibHeader` {header: hex}, `imageSignature` {format: PNG, JPEG,
 * GIF, WEBP}, `numberBytes` {n}, `rule` {filter}, `jsonChecking` {checked, left: bytes}. Any
 * reason may carry `jsonStopsAt` (a 1-based byte): the payload began as JSON and stops being
 * JSON there, which the phrase adds after a semicolon.
 */
export const DecodeReasonCode = z.enum([
  'empty', 'rule', 'chosen', 'sparkplugTopic', 'contentType', 'utf8HintJson', 'utf8Hint', 'gzipMagic',
  'zlibHeader', 'imageSignature', 'json', 'base64OfBinary', 'validUtf8', 'validUtf8Control',
  'cborMap', 'cborArray', 'msgpackMap', 'msgpackArray', 'protobufWire', 'numberBytes', 'binary',
  'jsonChecking', 'decoderFailed',
])
export type DecodeReasonCode = z.infer<typeof DecodeReasonCode>

/**
 * A layer note's stable code (the English note is `note`). Params: `resized` {from, to: bytes},
 * `invalidUtf8` {n}, `imageSize` {width, height}, `protobufType` {type}, `avroSchema` {schema},
 * `sparkplugMetrics` {metrics, unresolved}, `imageTooBig` {mime, bytes, limitMiB}.
 */
export const LayerNoteCode = z.enum([
  'resized', 'invalidUtf8', 'imageSize', 'imageSizeUnknown', 'withoutSchema', 'protobufType', 'avroSchema',
  'sparkplugMetrics', 'imageTooBig',
])
export type LayerNoteCode = z.infer<typeof LayerNoteCode>

/**
 * A decode error's stable code (the English sentence is `error`). `invalid` {format, detail} is
 * "Not valid <format>: <detail>" where the detail is a library's or scanner's own English; the
 * other `invalid…` codes are the same sentence with our own detail: `invalidNotUtf8`,
 * `invalidBase64`, `invalidInflatesTooBig` {format, limitMiB}, `invalidTooDeep` {format, depth},
 * `invalidImageSignature`, `invalidNotMapOrArray`, `invalidJsonStops` {byte},
 * `invalidNumberLength` {n}. `protobufNoType`, `protobufUnknownType` {type} (shown without a
 * schema), their `…Invalid` forms {detail} when the raw decode fails too, `avroNoSchema`,
 * `avroUnknownSchema` {schema}; `undecodable`, `notShownAsText` and `decoderFailed` {detail}.
 */
export const DecodeErrorCode = z.enum([
  'invalid', 'invalidNotUtf8', 'invalidBase64', 'invalidInflatesTooBig', 'invalidImageSignature',
  'invalidNumberLength', 'invalidNotMapOrArray', 'invalidJsonStops', 'invalidTooDeep',
  'protobufNoType', 'protobufUnknownType', 'protobufNoTypeInvalid', 'protobufUnknownTypeInvalid',
  'avroNoSchema', 'avroUnknownSchema', 'undecodable', 'notShownAsText', 'decoderFailed',
])
export type DecodeErrorCode = z.infer<typeof DecodeErrorCode>

/** One step the decode took, in order (e.g. gzip, then json). */
export interface DecodeLayer {
  decoder: DecoderId
  /** Short facts: "1,024 → 5,310 bytes", "type plant.Telemetry", "3 metrics". */
  note?: string
  /** The note's stable code and values (set with `note`), for the renderer to translate. */
  noteCode?: LayerNoteCode
  noteParams?: SentenceParams
}

/** A page of decoded text; `nextOffset` null at the end. */
export interface TextPage {
  offset: number
  text: string
  nextOffset: number | null
}

/** A fixed-width reading of the payload's bytes. */
export interface NumberReading {
  format: NumberFormat
  /** As text: 64-bit integers exceed a double, floats keep their shortest round-trip form. */
  value: string
}

/** A Sparkplug B payload: topic parts, sequence, and every metric with its name resolved. */
export interface SparkplugSummary {
  group: string
  messageType: string
  edgeNode: string
  device: string | null
  seq: number | null
  /** Epoch ms of the payload, null if absent. */
  timestamp: number | null
  metrics: SparkplugMetric[]
  /** Aliases that no NBIRTH/DBIRTH in the tree names (the BIRTH was not received). */
  unresolvedAliases: number
}
export interface SparkplugMetric {
  /** From the metric itself, or resolved from its alias via the BIRTH; null if neither. */
  name: string | null
  alias: number | null
  /** Sparkplug datatype name (Int32, Double, String, …). */
  datatype: string
  /** JSON-safe: 64-bit integers beyond 2^53 as strings, bytes as base64. */
  value: unknown
  timestamp: number | null
  isNull: boolean
  /** The name came from the BIRTH's alias table rather than the metric. */
  nameFromBirth: boolean
}

/** What the inspector shows. Text covers every structured decoder: their JSON form is text. */
export type DecodedView =
  | { kind: 'empty' }
  | {
    kind: 'text'
    /** Monaco language: structured decoders (json, msgpack, cbor, protobuf, sparkplug, avro) give 'json'. */
    language: 'json' | 'plaintext'
    totalChars: number
    firstPage: TextPage
    /** Bytes that were not valid UTF-8 (each shown as U+FFFD); 0 for valid text. */
    invalidUtf8: number
    /** The JSON text was too big to re-indent and is the payload as sent. */
    formatted: boolean
    /**
     * false while the answer is `pending`: the rest of the JSON is still being checked, so
     * `totalChars` is only what is known so far (a lower bound) and pages past the first wait.
     */
    totalCharsKnown?: false
  }
  | { kind: 'hex'; totalBytes: number }
  | { kind: 'image'; mime: 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp'; dataBase64: string; width: number | null; height: number | null }
  | { kind: 'numbers'; readings: NumberReading[] }

export interface DecodedMessage {
  /** Handle for `inspect.text` / `inspect.bytes`; documents expire (NOT_FOUND: decode again). */
  docId: string
  message: TreeMessageMeta & {
    /** The history index the decode used (it moves as messages arrive). */
    index: number
    /** MQTT 5 user properties in arrival order, duplicates kept. */
    userProperties: Array<[string, string]>
  }
  /**
   * A provisional answer: only the start of this big JSON payload is checked so far (`reason`
   * says how much), so `detected` is what the start shows and may still become text. Decode
   * again without `provisional` for the checked answer.
   */
  pending?: true
  /** What automatic detection picks for this message (also when a decoder was forced). */
  detected: DecoderId
  /** Why: "rule plant/+/telemetry", "content type application/cbor", "magic bytes 1f 8b", "parses as JSON", … */
  reason: string
  /** `reason` as a stable code and the values it names, for the renderer to translate. */
  reasonCode: DecodeReasonCode
  reasonParams?: SentenceParams
  /** Decoders actually applied, in order. */
  layers: DecodeLayer[]
  /** Decoders worth offering as overrides for these bytes (the detected one first). */
  candidates: DecoderId[]
  /** A forced or ruled decoder failed: "Not valid CBOR: …"; the view is then hex. */
  error: string | null
  /** `error` as a stable code and its values (null with no error), for the renderer to translate. */
  errorCode: DecodeErrorCode | null
  errorParams?: SentenceParams
  view: DecodedView
  /** Size in bytes of the decoded bytes after the layers (equals message size when none). */
  decodedBytes: number
  sparkplug?: SparkplugSummary
  /** CBOR diagnostic notation (RFC 8949 §8), bounded; cut ends with "…". */
  cborDiagnostic?: string
  /** The payload looks like a schema file a user could import (a `.proto`/`.avsc` topic). */
  schemaOffer?: { name: string }
}

/** An imported schema file and what it defines. */
export interface SchemaFileInfo {
  name: string
  kind: 'proto' | 'avsc'
  size: number
  importedAt: string
  /** Protobuf message types (fully qualified) or the Avro schema's full name(s). */
  types: string[]
  /** Set when the file no longer compiles (e.g. an import is missing). */
  error: string | null
}

export const SchemaImportParams = z.object({
  name: SchemaFileName,
  text: z.string().min(1).max(MAX_SCHEMA_FILE_CHARS),
  /** Replace a file of that name; without it an existing name is a CONFLICT. */
  replace: z.boolean().default(false),
})
/** Imports the payload of a stored message as a schema file (the Sandbox offers its `.proto` this way). */
export const SchemaImportMessageParams = z.object({ message: MessageRef, name: SchemaFileName, replace: z.boolean().default(false) })
export const SchemaRef = z.object({ name: SchemaFileName })

// ---- Charts --------------------------------------------------------------------------------

/** Points a series keeps (newest win); the issue asks for at least 100,000. */
export const MAX_SERIES_POINTS = 200_000
export const MAX_SERIES = 32

/**
 * Where a series' numbers come from: one exact topic of one connection, and in each message
 * either the whole payload as a number (`pointer` ''), a field of its decoded JSON form addressed
 * by JSON Pointer (RFC 6901), a Sparkplug metric by name, or a fixed-width binary number.
 */
export const SeriesSource = z.object({
  connectionId: IdString,
  topic: TopicString,
  pointer: z.string().max(4096).default(''),
  sparkplugMetric: z.string().max(1024).optional(),
  numberFormat: NumberFormat.optional(),
})
export type SeriesSource = z.infer<typeof SeriesSource>

export const ChartAddParams = z.object({ source: SeriesSource, label: z.string().max(200).optional() })
export const ChartSeriesRef = z.object({ seriesId: IdString })
export const ChartPointsParams = z.object({
  seriesId: IdString,
  /** Point index to start from (indexes grow forever; the oldest kept is `firstIndex`). */
  from: z.number().int().min(0).default(0),
  maxPoints: z.number().int().min(1).max(MAX_SERIES_POINTS).default(MAX_SERIES_POINTS),
})

export interface ChartSeriesInfo {
  seriesId: string
  source: SeriesSource
  label: string
  /** Index of the oldest point kept and of the next point to come. */
  firstIndex: number
  nextIndex: number
  /** Points taken from the stored history when the series was added. */
  backfilled: number
  /** Messages on the topic whose value was missing or not a number. */
  skipped: number
}

/** Points of one series, oldest first; times are epoch ms. */
export interface ChartPoints {
  seriesId: string
  firstIndex: number
  times: number[]
  values: number[]
  /** Index after the last point here. */
  nextIndex: number
}

/** Appended points of one series, pushed ~every 50 ms while its topic receives numbers. */
export type ChartPointsEvent = ChartPoints

/** Joins two point batches of one series (the event coalescer merges them so no point is lost). */
export function mergeChartPoints(older: ChartPointsEvent, newer: ChartPointsEvent): ChartPointsEvent {
  // A gap (points dropped between the two) keeps the newer batch only: the renderer sees
  // firstIndex > its nextIndex and fetches what it missed with `chart.points`.
  if (older.nextIndex !== newer.firstIndex) return newer
  return {
    seriesId: newer.seriesId,
    firstIndex: older.firstIndex,
    times: older.times.concat(newer.times),
    values: older.values.concat(newer.values),
    nextIndex: newer.nextIndex,
  }
}
