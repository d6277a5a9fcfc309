/** Base64 text: decoded to bytes, which are detected again. */
import type { Format } from './format'
import { invalidBecause, sizeNote } from './format'

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/

/** Strict base64: the standard alphabet, padded, length a multiple of 4, at least 8 characters. */
export function isStrictBase64(bytes: Uint8Array): boolean {
  const n = bytes.length
  if (n < 8 || n % 4 !== 0) return false
  for (let i = 0; i < n; i++) {
    const c = bytes[i]
    const ok = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2f || (c === 0x3d && i >= n - 2)
    if (!ok) return false
  }
  // "=" only at the end: "ab=c" is not base64.
  return !(bytes[n - 2] === 0x3d && bytes[n - 1] !== 0x3d)
}

export const base64Format: Format = {
  id: 'base64',
  label: 'base64',
  decode(bytes) {
    // A forced decode accepts whitespace around and between lines (MIME wraps at 76).
    const text = bytes.toString('latin1').replace(/\s+/g, '')
    if (text.length === 0 || text.length % 4 !== 0 || !BASE64.test(text)) return invalidBecause('base64', 'it has characters outside the base64 alphabet or a length that is not a multiple of 4', 'invalidBase64')
    const out = Buffer.from(text, 'base64')
    return { kind: 'layer', bytes: out, note: sizeNote(bytes.length, out.length) }
  },
}
