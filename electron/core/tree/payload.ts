/**
 * What the tree does with payload bytes: keep them (cut at the per-message cap, and detached
 * from mqtt.js's socket chunk) and make a one-line preview. Never parses JSON on the hot path.
 */
import type { PreviewKind, PreviewWords } from '../../api/tree'

/** Default per-message cap: larger payloads are kept cut, with `truncated` and the original size. */
export const DEFAULT_PAYLOAD_CAP_BYTES = 16 * 1024 * 1024

export const PREVIEW_MAX_CHARS = 100

/** Payloads up to this size are copied into shared slabs; bigger ones get their own memory. */
export const SLAB_ITEM_MAX_BYTES = 4096
const SLAB_BYTES = 256 * 1024

/**
 * Where stored payload bytes live. mqtt.js hands out views into the socket's read chunk; keeping
 * such a view would pin the whole chunk for as long as the topic lives (one slow topic per chunk
 * would pin tens of KB each). So small payloads are copied into 256 KB slabs of our own with one
 * native memcpy and no per-message Buffer object; big ones are copied on their own, unless the
 * payload already is (nearly) a whole buffer. Slabs are freed when no stored message uses them.
 */
export class PayloadArena {
  private slab = Buffer.allocUnsafeSlow(SLAB_BYTES)
  private used = 0
  /** Offset of the bytes `keep` returned last (into the buffer it returned). */
  lastOffset = 0

  /** Stores `payload[0, length)` and returns the buffer holding it, at `lastOffset`. */
  keep(payload: Buffer, length: number): Buffer {
    if (length <= SLAB_ITEM_MAX_BYTES) {
      if (this.used + length > SLAB_BYTES) {
        this.slab = Buffer.allocUnsafeSlow(SLAB_BYTES)
        this.used = 0
      }
      const slab = this.slab
      const offset = this.used
      if (length > 0) slab.set(length === payload.length ? payload : payload.subarray(0, length), offset)
      this.used = offset + length
      this.lastOffset = offset
      return slab
    }
    this.lastOffset = 0
    if (length === payload.length && length * 2 >= payload.buffer.byteLength) return payload
    return Buffer.from(payload.subarray(0, length))
  }
}

export interface Preview {
  text: string
  kind: PreviewKind
  /** A decoded line's words, when it holds some (see PreviewWords). */
  words?: PreviewWords
}

// Bytes we look at for a preview: enough for 100 characters of 4-byte UTF-8.
const PREVIEW_SCAN_BYTES = 400
const CONTROL = /[\u0000-\u0008\u000e-\u001f\u007f]/
const WHITESPACE_RUN = /\s+/g

/** One line of at most PREVIEW_MAX_CHARS characters: text or JSON shortened, binary as hex. */
export function previewOf(payload: Buffer | null): Preview {
  if (payload === null || payload.length === 0) return { text: '', kind: 'empty' }
  const scanned = Math.min(payload.length, PREVIEW_SCAN_BYTES)
  let text = payload.toString('utf8', 0, scanned)
  // A cut at PREVIEW_SCAN_BYTES may split one multi-byte character; that is not binary.
  const replacement = text.indexOf('\uFFFD')
  const cutTail = scanned < payload.length ? text.length - 3 : text.length
  if ((replacement !== -1 && replacement < cutTail) || CONTROL.test(text)) return { text: hexPreview(payload), kind: 'hex' }
  if (replacement !== -1) text = text.slice(0, replacement)
  text = text.replace(WHITESPACE_RUN, ' ').trim()
  const first = text.charCodeAt(0)
  const kind: PreviewKind = first === 0x7b || first === 0x5b ? 'json' : 'text'
  return { text: shorten(text, scanned < payload.length), kind }
}

function shorten(text: string, more: boolean): string {
  if (text.length <= PREVIEW_MAX_CHARS && !more) return text
  return text.slice(0, PREVIEW_MAX_CHARS - 1) + '…'
}

function hexPreview(payload: Buffer): string {
  // "0a 1b …": three characters per byte.
  const bytes = Math.min(payload.length, Math.floor((PREVIEW_MAX_CHARS - 1) / 3))
  const parts: string[] = []
  for (let i = 0; i < bytes; i++) parts.push(payload[i].toString(16).padStart(2, '0'))
  const hex = parts.join(' ')
  return bytes < payload.length ? hex + ' …' : hex
}
