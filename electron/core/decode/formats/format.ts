/**
 * The shape of one decoder in the table (formats/index.ts): an id, an optional detector (a reason
 * phrase, or null when the bytes do not look like this format) and a decode that never throws.
 */
import type { DecoderId, SparkplugSummary } from '../../../api/inspect'
import type { DecodeContext, DecodedResult } from '../types'

export type FormatOutcome =
  /** A view: the decode is done. */
  | { kind: 'final'; result: DecodedResult; note?: string; sparkplug?: SparkplugSummary; cborDiagnostic?: string; error?: string }
  /** A layer (base64, gzip, zlib, deflate): new bytes to detect again. */
  | { kind: 'layer'; bytes: Buffer; note: string }
  /** "Not valid CBOR: …": the bytes are not this format. */
  | { kind: 'error'; error: string }

export interface FormatOptions {
  protobufType?: string
  avroSchema?: string
}

export interface Format {
  id: DecoderId
  /** The format's name in messages: "Not valid <label>: …". */
  label: string
  /** Why these bytes look like this format (magic bytes, a whole-buffer parse), or null. */
  detect?(bytes: Buffer, context: DecodeContext): string | null
  decode(bytes: Buffer, context: DecodeContext, options: FormatOptions): FormatOutcome
}

export const invalid = (label: string, why: string): FormatOutcome => ({ kind: 'error', error: `Not valid ${label}: ${why}` })

/** "1,024 → 5,310 bytes" */
export const sizeNote = (from: number, to: number): string => `${from.toLocaleString('en-US')} → ${to.toLocaleString('en-US')} bytes`

/** An exception's message without a stack, for "Not valid X: <message>". */
export const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ').trim()

/** "1 byte remains" / "3 bytes remain" */
export const remaining = (n: number): string => (n === 1 ? '1 byte remains' : `${n.toLocaleString('en-US')} bytes remain`)
