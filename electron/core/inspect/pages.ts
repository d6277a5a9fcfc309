/** Pages of a document: text by UTF-16 offset (never splitting a surrogate pair) and byte ranges. */
import type { TextPage } from '../../api/inspect'

/** `text[offset, offset + maxChars)`, moved by one so a page never ends inside a surrogate pair. */
export function textPage(text: string, offset: number, maxChars: number): TextPage {
  const start = Math.min(offset, text.length)
  let end = Math.min(text.length, start + maxChars)
  if (end < text.length && end > start && isHighSurrogate(text.charCodeAt(end - 1))) {
    // Cut before the pair, unless that leaves the page empty: then take the pair whole.
    end = end - 1 > start ? end - 1 : end + 1
  }
  return { offset: start, text: text.slice(start, end), nextOffset: end < text.length ? end : null }
}

/** `bytes[offset, offset + length)` as base64 (empty past the end). */
export function bytesPage(bytes: Buffer, offset: number, length: number): { offset: number; base64: string; totalBytes: number } {
  const start = Math.min(offset, bytes.length)
  const end = Math.min(bytes.length, start + length)
  return { offset: start, base64: bytes.subarray(start, end).toString('base64'), totalBytes: bytes.length }
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff
}
