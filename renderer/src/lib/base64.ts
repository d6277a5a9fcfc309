/**
 * base64 ⇄ bytes for the renderer. Payloads, PKCS#12 bundles and vault exports all cross the
 * wire as base64; one pair of helpers keeps the chunking (no argument-count overflow, no
 * per-byte string building) in one place.
 */

/** Bytes per String.fromCharCode call: well under every engine's argument limit. */
const CHUNK = 0x8000

/** bytes → base64. */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = ''
  for (let i = 0; i < bytes.length; i += CHUNK) binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK))
  return btoa(binary)
}

/** base64 → bytes without an intermediate array per byte. */
export function base64ToBytes(b64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(b64)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}
