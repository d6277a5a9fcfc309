/**
 * gzip, zlib and raw deflate: inflated synchronously with a ceiling, so a zip bomb gives a clear
 * error and the hex view instead of exhausting memory. Their output is detected again.
 */
import { gunzipSync, inflateRawSync, inflateSync } from 'node:zlib'
import type { Format, FormatOutcome } from './format'
import { invalid, messageOf, sizeNote } from './format'

/** Largest inflated size shown (64 MiB). */
export const MAX_INFLATED_BYTES = 64 * 1024 * 1024

function inflate(label: string, bytes: Buffer, run: (b: Buffer, o: { maxOutputLength: number }) => Buffer): FormatOutcome {
  let out: Buffer
  try {
    out = run(bytes, { maxOutputLength: MAX_INFLATED_BYTES })
  } catch (err) {
    const code = (err as { code?: string }).code
    if (code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) return invalid(label, `it inflates to more than 64 MiB (a zip bomb?), so the compressed bytes are shown`)
    return invalid(label, messageOf(err))
  }
  return { kind: 'layer', bytes: out, note: sizeNote(bytes.length, out.length) }
}

export const isGzip = (b: Uint8Array): boolean => b.length >= 3 && b[0] === 0x1f && b[1] === 0x8b && b[2] === 0x08

/** RFC 1950 header: CM = 8 (deflate), CINFO ≤ 7, and (CMF·256 + FLG) a multiple of 31. */
export const isZlib = (b: Uint8Array): boolean => b.length >= 2 && (b[0] & 0x0f) === 8 && b[0] >> 4 <= 7 && (b[0] * 256 + b[1]) % 31 === 0

export const gzipFormat: Format = {
  id: 'gzip',
  label: 'gzip',
  detect: (b) => (isGzip(b) ? 'magic bytes 1f 8b' : null),
  decode: (b) => inflate('gzip', b, gunzipSync),
}

export const zlibFormat: Format = {
  id: 'zlib',
  label: 'zlib',
  detect: (b) => (isZlib(b) ? `zlib header ${b.subarray(0, 2).toString('hex').replace(/(..)(..)/, '$1 $2')}` : null),
  decode: (b) => inflate('zlib', b, inflateSync),
}

export const deflateFormat: Format = {
  id: 'deflate',
  label: 'deflate',
  decode: (b) => inflate('deflate', b, inflateRawSync),
}
