/**
 * Display-safe payload previews for message lists. It only ever looks at a small window at the
 * start of the payload, so a 16 MB payload costs the same as a 16 byte one, and a list can keep
 * just that window and build previews only for the messages it actually shows.
 */
import { isUtf8 } from 'node:buffer'

/** Longest preview, in UTF-16 code units. */
export const PREVIEW_MAX_CHARS = 120

// 4 bytes per code point is UTF-8's worst case, so this window always yields 120 characters.
const TEXT_WINDOW_BYTES = PREVIEW_MAX_CHARS * 4
// "ab " per byte: 39 bytes print as 116 characters, leaving room for the ellipsis.
const HEX_BYTES = 39
const ELLIPSIS = '…'
// C0 controls other than tab/newline/carriage return, DEL, and C1 controls: not printable text.
const UNPRINTABLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/

/**
 * How many leading payload bytes {@link previewOfPrefix} can look at: the text window plus one,
 * because finding a character boundary at the window's end reads the byte just past it.
 */
export const PREVIEW_PREFIX_BYTES = TEXT_WINDOW_BYTES + 1

/**
 * A preview of at most {@link PREVIEW_MAX_CHARS} characters: the text itself when the payload is
 * valid, printable UTF-8, else the hex of its first bytes. Truncation is marked with "…".
 */
export function payloadPreview(payload: Uint8Array): string {
  return previewOfPrefix(payload, payload.length)
}

/**
 * The same preview as {@link payloadPreview} gives for a payload of `size` bytes that starts with
 * `prefix`. `prefix` needs the first min(size, {@link PREVIEW_PREFIX_BYTES}) bytes (more are
 * ignored), so a message list can keep just that many bytes and build the preview only when shown.
 */
export function previewOfPrefix(prefix: Uint8Array, size: number): string {
  if (size === 0) return ''
  const truncated = size > TEXT_WINDOW_BYTES
  let end = truncated ? TEXT_WINDOW_BYTES : size
  // A window cut inside a multi-byte character would look invalid: step back to a boundary.
  if (truncated) end = utf8Boundary(prefix, end)
  // mqtt.js hands us Buffers; only foreign Uint8Arrays pay for a Buffer view.
  const buf = Buffer.isBuffer(prefix) ? prefix : Buffer.from(prefix.buffer, prefix.byteOffset, prefix.byteLength)
  if (isUtf8(buf.length === end ? buf : buf.subarray(0, end))) {
    const text = buf.toString('utf8', 0, end)
    if (!UNPRINTABLE.test(text)) return clip(text, truncated)
  }
  return hexPreview(buf, size)
}

function clip(text: string, truncated: boolean): string {
  if (!truncated && text.length <= PREVIEW_MAX_CHARS) return text
  let cut = PREVIEW_MAX_CHARS - 1
  // Do not split a surrogate pair: half an emoji renders as a replacement box.
  const code = text.charCodeAt(cut - 1)
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1
  return text.slice(0, cut) + ELLIPSIS
}

function hexPreview(payload: Uint8Array, size: number): string {
  const n = Math.min(size, HEX_BYTES)
  let out = ''
  for (let i = 0; i < n; i++) {
    const b = payload[i]
    out += (i === 0 ? '' : ' ') + (b < 16 ? '0' : '') + b.toString(16)
  }
  return size > n ? out + ELLIPSIS : out
}

/** Largest index ≤ end that does not fall inside a UTF-8 multi-byte sequence. */
function utf8Boundary(bytes: Uint8Array, end: number): number {
  // Continuation bytes look like 10xxxxxx; at most 3 of them precede a lead byte.
  let i = end
  let steps = 0
  while (i > 0 && steps < 4 && (bytes[i] & 0xc0) === 0x80) {
    i--
    steps++
  }
  return i
}
