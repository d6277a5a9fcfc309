/**
 * The shape of one decoder in the table (formats/index.ts): an id, an optional detector (a reason
 * phrase, or null when the bytes do not look like this format) and a decode that never throws.
 */
import type { DecodeErrorCode, DecoderId, SparkplugSummary } from '../../../api/inspect'
import { MAX_DEPTH, type TooDeepError } from '../json-safe'
import { note, problem } from '../sentences'
import type { DecodeContext, DecodedResult, DecodeError, DecodeReason, LayerNote } from '../types'

export type FormatOutcome =
  /** A view: the decode is done. */
  | { kind: 'final'; result: DecodedResult; note?: LayerNote; sparkplug?: SparkplugSummary; error?: DecodeError }
  /** A layer (base64, gzip, zlib, deflate): new bytes to detect again. */
  | { kind: 'layer'; bytes: Buffer; note: LayerNote }
  /** "Not valid CBOR: …": the bytes are not this format. */
  | { kind: 'error'; error: DecodeError }

export interface FormatOptions {
  protobufType?: string
  avroSchema?: string
  /** Detection has already checked these bytes are well-formed (the decode may skip its own scan). */
  prechecked?: boolean
  /** Detection tries this decoder without a scan (small payloads): a failure only means "not this format". */
  tryOnly?: boolean
}

export interface Format {
  id: DecoderId
  /** The format's name in messages: "Not valid <label>: …". */
  label: string
  /** Why these bytes look like this format (magic bytes, a whole-buffer parse), or null. */
  detect?(bytes: Buffer, context: DecodeContext): DecodeReason | null
  decode(bytes: Buffer, context: DecodeContext, options: FormatOptions): FormatOutcome
}

/** A decode that failed with `error`. */
export const failed = (error: DecodeError): FormatOutcome => ({ kind: 'error', error })

/** "Not valid <label>: <why>", `why` being a library's or a scanner's own English (code `invalid`). */
export const invalid = (label: string, why: string): FormatOutcome => failed(problem(`Not valid ${label}: ${why}`, 'invalid', { format: label, detail: why }))

/** "Not valid <label>: <why>", `why` being our own words, told by `code` and `params`. */
export const invalidBecause = (label: string, why: string, code: DecodeErrorCode, params: Record<string, string | number> = {}): FormatOutcome =>
  failed(problem(`Not valid ${label}: ${why}`, code, { format: label, ...params }))

/** "Not valid <label>: too deep to show: nested deeper than 500 levels" */
export const tooDeep = (label: string, err: TooDeepError): FormatOutcome => invalidBecause(label, `too deep to show: ${err.message}`, 'invalidTooDeep', { depth: MAX_DEPTH })

/** "1,024 → 5,310 bytes" */
export const sizeNote = (from: number, to: number): LayerNote => note(`${from.toLocaleString('en-US')} → ${to.toLocaleString('en-US')} bytes`, 'resized', { from, to })

/** An exception's message without a stack, for "Not valid X: <message>". */
export const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ').trim()

/** "1 byte remains" / "3 bytes remain" */
export const remaining = (n: number): string => (n === 1 ? '1 byte remains' : `${n.toLocaleString('en-US')} bytes remain`)
