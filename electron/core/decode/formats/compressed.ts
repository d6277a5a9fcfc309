/**
 * gzip, zlib and raw deflate: inflated synchronously with a ceiling, so a zip bomb gives a clear
 * error and the hex view instead of exhausting memory. Their output is detected again.
 */
import { gunzipSync, inflateRawSync, inflateSync } from 'node:zlib'
import type { DecodeReason } from '../types'
import type { Format, FormatOutcome } from './format'
import { REASON_GZIP_MAGIC, reason } from '../sentences'
import { invalid, invalidBecause, messageOf, sizeNote } from './format'

/** Largest inflated size shown (64 MiB). */
export const MAX_INFLATED_BYTES = 64 * 1024 * 1024
const MAX_INFLATED_MIB = MAX_INFLATED_BYTES / 1024 / 1024

function inflate(label: string, bytes: Buffer, run: (b: Buffer, o: { maxOutputLength: number }) => Buffer): FormatOutcome {
  let out: Buffer
  try {
    out = run(bytes, { maxOutputLength: MAX_INFLATED_BYTES })
  } catch (err) {
    const code = (err as { code?: string }).code
    if (code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) return invalidBecause(label, `it inflates to more than ${MAX_INFLATED_MIB} MiB (a zip bomb?), so the compressed bytes are shown`, 'invalidInflatesTooBig', { limitMiB: MAX_INFLATED_MIB })
    return invalid(label, messageOf(err))
  }
  return { kind: 'layer', bytes: out, note: sizeNote(bytes.length, out.length) }
}

export const isGzip = (b: Uint8Array): boolean => b.length >= 3 && b[0] === 0x1f && b[1] === 0x8b && b[2] === 0x08

/** RFC 1950 header: CM = 8 (deflate), CINFO ≤ 7, and (CMF·256 + FLG) a multiple of 31. */
export const isZlib = (b: Uint8Array): boolean => b.length >= 2 && (b[0] & 0x0f) === 8 && b[0] >> 4 <= 7 && (b[0] * 256 + b[1]) % 31 === 0

/** "zlib header 789c", as the inspector has always written it (a new object per call: zlib payloads are rare). */
export function zlibHeaderReason(b: Uint8Array): DecodeReason {
  const header = Buffer.from(b.subarray(0, 2)).toString('hex')
  return reason(`zlib header ${header}`, 'zlibHeader', { header })
}

export const gzipFormat: Format = {
  id: 'gzip',
  label: 'gzip',
  detect: (b) => (isGzip(b) ? REASON_GZIP_MAGIC : null),
  decode: (b) => inflate('gzip', b, gunzipSync),
}

export const zlibFormat: Format = {
  id: 'zlib',
  label: 'zlib',
  detect: (b) => (isZlib(b) ? zlibHeaderReason(b) : null),
  decode: (b) => inflate('zlib', b, inflateSync),
}

export const deflateFormat: Format = {
  id: 'deflate',
  label: 'deflate',
  decode: (b) => inflate('deflate', b, inflateRawSync),
}
