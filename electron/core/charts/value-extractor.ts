/**
 * Turns one message into a series' number. A source is compiled once (pointer parsed, kind
 * chosen); each message's decoded forms are computed lazily and shared by every series of its
 * topic, so ten series of one JSON topic cost one JSON.parse per message, not ten.
 */
import { ApiError, evaluateJsonPointer, parseJsonPointer, type NumberFormat, type SeriesSource } from '../../api'
import { decodePayload } from '../decode/pipeline'
import type { DecodeContext, DecodeOutcome } from '../decode/types'

export type CompiledSource =
  /** `tokens` [] = the whole payload. */
  | { kind: 'pointer'; tokens: string[] }
  | { kind: 'sparkplug'; metric: string }
  | { kind: 'binary'; format: NumberFormat }

/** Checks a source and prepares it; CHART_LIMIT with a sentence when it cannot give numbers. */
export function compileSource(source: SeriesSource): CompiledSource {
  if (/[+#]/.test(source.topic)) {
    throw new ApiError('CHART_LIMIT', `A series charts one topic, and "${source.topic}" is a filter: pick one topic without + or #.`)
  }
  if (source.topic === '') throw new ApiError('CHART_LIMIT', 'A series needs a topic: pick the topic whose numbers to chart.')
  if (source.numberFormat !== undefined && source.sparkplugMetric !== undefined) {
    throw new ApiError('CHART_LIMIT', 'A series reads either a binary number or a Sparkplug metric, not both: choose one.')
  }
  if (source.numberFormat !== undefined) {
    if (source.pointer !== '') throw new ApiError('CHART_LIMIT', 'A binary number is the whole payload: leave the JSON pointer empty.')
    return { kind: 'binary', format: source.numberFormat }
  }
  if (source.sparkplugMetric !== undefined) {
    if (source.sparkplugMetric === '') throw new ApiError('CHART_LIMIT', 'Name the Sparkplug metric to chart (as its BIRTH names it).')
    return { kind: 'sparkplug', metric: source.sparkplugMetric }
  }
  const tokens = parseJsonPointer(source.pointer)
  if (tokens === null) {
    throw new ApiError('CHART_LIMIT', `"${source.pointer}" is not a JSON pointer: start it with / (e.g. /temperature), and write ~ as ~0 and / inside a key as ~1.`)
  }
  return { kind: 'pointer', tokens }
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/

/** A value as a chart point: a finite number, a decimal numeric string ("23.5"), or a boolean (1/0); else undefined. */
export function chartNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined
  if (typeof value === 'boolean') return value ? 1 : 0
  if (typeof value === 'string') {
    const text = value.trim()
    if (!DECIMAL.test(text)) return undefined
    const n = Number(text)
    return Number.isFinite(n) ? n : undefined
  }
  return undefined
}

const WIDTH: Record<NumberFormat, number> = {
  int8: 1, uint8: 1,
  int16le: 2, int16be: 2, uint16le: 2, uint16be: 2,
  int32le: 4, int32be: 4, uint32le: 4, uint32be: 4,
  int64le: 8, int64be: 8, uint64le: 8, uint64be: 8,
  float32le: 4, float32be: 4, float64le: 8, float64be: 8,
}

/** The payload as one fixed-width number; undefined unless the payload is exactly that wide. */
export function readBinaryNumber(bytes: Uint8Array, format: NumberFormat): number | undefined {
  if (bytes.length !== WIDTH[format]) return undefined
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const le = format.endsWith('le')
  switch (format) {
    case 'int8': return view.getInt8(0)
    case 'uint8': return view.getUint8(0)
    case 'int16le': case 'int16be': return view.getInt16(0, le)
    case 'uint16le': case 'uint16be': return view.getUint16(0, le)
    case 'int32le': case 'int32be': return view.getInt32(0, le)
    case 'uint32le': case 'uint32be': return view.getUint32(0, le)
    case 'int64le': case 'int64be': return Number(view.getBigInt64(0, le))
    case 'uint64le': case 'uint64be': return Number(view.getBigUint64(0, le))
    case 'float32le': case 'float32be': return chartNumber(view.getFloat32(0, le))
    case 'float64le': case 'float64be': return chartNumber(view.getFloat64(0, le))
  }
}

/** First bytes JSON text can start with (after white space): `{ [ " - 0-9 t f n`. */
function mayBeJson(payload: Buffer): boolean {
  for (let i = 0; i < payload.length; i++) {
    const c = payload[i]
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) continue
    return c === 0x7b || c === 0x5b || c === 0x22 || c === 0x2d || (c >= 0x30 && c <= 0x39) || c === 0x74 || c === 0x66 || c === 0x6e
  }
  return false
}

const NOT_YET: unique symbol = Symbol('not yet')

/**
 * One message's decoded forms, computed on first use and shared by the series of its topic. The
 * object is reused message after message (`reset`), so the tap allocates nothing of its own.
 */
export class MessageValues {
  private payload: Buffer = Buffer.alloc(0)
  private makeContext: () => DecodeContext = () => {
    throw new Error('MessageValues used before reset()')
  }
  private context: DecodeContext | undefined
  private decoded: DecodeOutcome | undefined
  private value: unknown = NOT_YET

  reset(payload: Buffer, makeContext: () => DecodeContext): void {
    this.payload = payload
    this.makeContext = makeContext
    this.context = undefined
    this.decoded = undefined
    this.value = NOT_YET
  }

  get bytes(): Buffer {
    return this.payload
  }

  /** The decode pipeline's outcome (rules, hints, detection), for Sparkplug metrics and non-JSON payloads. */
  outcome(): DecodeOutcome {
    this.decoded ??= decodePayload(this.payload, this.ctx())
    return this.decoded
  }

  /**
   * The payload's decoded form as a JSON value (text payloads as their string), undefined when it
   * has none. Plain JSON with no rule and no content-type hint takes the fast path: one
   * JSON.parse, no detection.
   */
  json(): unknown {
    if (this.value !== NOT_YET) return this.value
    const context = this.ctx()
    if (context.rule === undefined && context.forced === undefined && (context.contentType === undefined || /json/i.test(context.contentType)) && mayBeJson(this.payload)) {
      try {
        this.value = JSON.parse(this.payload.toString('utf8'))
        return this.value
      } catch {
        // Not JSON after all (e.g. "12 apples"): the pipeline decides what it is.
      }
    }
    const result = this.outcome().result
    this.value = result.kind === 'value' ? result.value : result.kind === 'text' ? result.text : undefined
    return this.value
  }

  private ctx(): DecodeContext {
    this.context ??= this.makeContext()
    return this.context
  }
}

/** The number a compiled source reads from one message, or undefined (the message counts as skipped). */
export function extractNumber(source: CompiledSource, message: MessageValues): number | undefined {
  if (source.kind === 'binary') return readBinaryNumber(message.bytes, source.format)
  if (source.kind === 'sparkplug') {
    const metrics = message.outcome().sparkplug?.metrics
    if (metrics === undefined) return undefined
    for (const metric of metrics) if (metric.name === source.metric) return metric.isNull ? undefined : chartNumber(metric.value)
    return undefined
  }
  const json = message.json()
  return chartNumber(source.tokens.length === 0 ? json : evaluateJsonPointer(json, source.tokens))
}
