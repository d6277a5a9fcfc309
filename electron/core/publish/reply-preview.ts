/** A short, display-safe preview of a payload: its text when it is UTF-8, else hex. Pure. */

const PREVIEW_BYTES = 256

export function replyPreview(payload: Buffer): string {
  const head = payload.subarray(0, PREVIEW_BYTES)
  const text = new TextDecoder('utf-8', { fatal: false }).decode(head)
  // A cut multi-byte character at the end is not a sign of binary.
  const binary = text.slice(0, -1).includes('\uFFFD') || /[\u0000-\u0008\u000e-\u001f]/.test(text)
  const shown = binary ? head.subarray(0, 64).toString('hex').replace(/(..)(?!$)/g, '$1 ') : text
  return payload.length > head.length || (binary && head.length > 64) ? `${shown}…` : shown
}
