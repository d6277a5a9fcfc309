/**
 * CBOR (RFC 8949), read by our own codec (cbor-codec.ts, see there why not cbor2). Detected when
 * the whole payload (2 bytes or more) is one map or array. Tags are kept as {"$tag": n, "value": …}
 * except dates (tags 0 and 1, shown as ISO text) and bignums (2 and 3, exact integers); the
 * diagnostic notation still shows every other tag as sent.
 */
import { CborError, decodeCbor, diagnoseCbor } from './cbor-codec'
import { scanCbor } from './cbor-scan'
import type { Format } from './format'
import { REASON_CBOR_ARRAY, REASON_CBOR_MAP } from '../sentences'
import { invalid } from './format'

/** Diagnostic notation is cut at this many characters (with "…"). */
export const DIAGNOSTIC_MAX_CHARS = 256 * 1024

export function cborDiagnostic(bytes: Uint8Array): string | undefined {
  try {
    return diagnoseCbor(bytes, DIAGNOSTIC_MAX_CHARS)
  } catch {
    return undefined
  }
}

export const cborFormat: Format = {
  id: 'cbor',
  label: 'CBOR',
  detect(b) {
    const first = b[0]
    // Only maps and arrays (major types 4 and 5), possibly tagged: a lone number is not "CBOR",
    // and a single byte is a number reading rather than an empty map or array.
    if (b.length < 2 || ((first < 0x80 || first > 0xbf) && (first < 0xc0 || first > 0xdb))) return null
    const scan = scanCbor(b)
    return !scan.ok || scan.top === 'other' ? null : scan.top === 'map' ? REASON_CBOR_MAP : REASON_CBOR_ARRAY
  },
  decode(b) {
    try {
      // The diagnostic notation is made when the outcome's cborDiagnostic is first read.
      return { kind: 'final', result: { kind: 'value', value: decodeCbor(b) } }
    } catch (err) {
      if (err instanceof CborError) return invalid('CBOR', err.message)
      throw err
    }
  },
}
