/**
 * Copy and save formats of one stored message: raw bytes (save only), a hex dump with offsets,
 * base64, or the decoded document the main side made (`inspect.decode` + `inspect.text` pages).
 * Pure: the component fetches, these build the text and the file name (sentences in the UI's language).
 */
import type { DecodedView, TextPage } from '@api'
import { bytesToBase64 } from '../base64'
import { hexLine, HEX_BYTES_PER_LINE } from '../tree/tree-format'
import { formatCount } from '../format'
import { t } from '../i18n'

export type ExportFormat = 'raw' | 'hex' | 'base64' | 'decoded'

/** Labels in menu order; raw bytes cannot go to the clipboard as text, so copy skips it. */
export const EXPORT_FORMATS: ReadonlyArray<{ format: ExportFormat; label: string; copy: boolean }> = [
  { format: 'raw', label: 'Raw bytes', copy: false },
  { format: 'hex', label: 'Hex', copy: true },
  { format: 'base64', label: 'Base64', copy: true },
  { format: 'decoded', label: 'Decoded', copy: true },
]

/** Characters the clipboard takes from us at most; bigger messages are saved instead. */
export const COPY_LIMIT_CHARS = 16 * 1024 * 1024

/** The whole payload as a hex dump: offset, 16 bytes and their ASCII per line (like `xxd`/`hexdump -C`). */
export function hexDump(bytes: Uint8Array): string {
  const lines: string[] = []
  for (let i = 0; i * HEX_BYTES_PER_LINE < bytes.length; i++) lines.push(hexLine(bytes, i))
  return lines.join('\n')
}

/** The payload as one base64 string (standard alphabet, padded). */
export function base64Text(bytes: Uint8Array): string {
  return bytesToBase64(bytes)
}

/** Characters a format's text will have, known before building it (to refuse a copy early). */
export function exportChars(format: ExportFormat, size: number, decodedChars?: number): number {
  if (format === 'hex') return Math.ceil(size / HEX_BYTES_PER_LINE) * 78
  if (format === 'base64') return Math.ceil(size / 3) * 4
  if (format === 'decoded') return decodedChars ?? 0
  return size
}

/** The sentence for a copy too big for the clipboard, or null when it fits. */
export function copyRefusal(chars: number): string | null {
  if (chars <= COPY_LIMIT_CHARS) return null
  return t('tree.export.tooBig', { n: formatCount(chars), limit: formatCount(COPY_LIMIT_CHARS) })
}

/**
 * Whether a decoded view has a decoded document to copy or save, and if not the sentence to say.
 * Text covers every structured decoder (their JSON form is text); numbers are made into JSON here.
 */
export function decodedRefusal(view: DecodedView): string | null {
  if (view.kind === 'text' || view.kind === 'numbers') return null
  if (view.kind === 'empty') return t('tree.export.empty')
  if (view.kind === 'image') return t('tree.export.image')
  return t('tree.export.hexOnly')
}

/** The decoded document's text: every page, fetched in order from the first one the decode sent. */
export async function decodedText(view: DecodedView, nextPage: (offset: number) => Promise<TextPage>): Promise<string> {
  if (view.kind === 'numbers') return JSON.stringify(Object.fromEntries(view.readings.map((r) => [r.format, r.value])), null, 2)
  if (view.kind !== 'text') return ''
  const parts = [view.firstPage.text]
  let next = view.firstPage.nextOffset
  while (next !== null) {
    const page = await nextPage(next)
    // A page that does not move on would loop forever; a stale document ends the text here.
    if (page.nextOffset !== null && page.nextOffset <= next) break
    parts.push(page.text)
    next = page.nextOffset
  }
  return parts.join('')
}

/** Whether the decoded document is JSON (→ `.json`) or plain text. */
export function decodedIsJson(view: DecodedView): boolean {
  return view.kind === 'numbers' || (view.kind === 'text' && view.language === 'json')
}

/**
 * A file name from the topic's last level and the message's arrival time (UTC, ms), safe on
 * every OS: `temperature_2026-12-02T01-42-24.123Z.hex.txt`.
 */
export function exportFileName(topic: string, time: number, format: ExportFormat, json = true): string {
  const last = topic.split('/').pop() ?? ''
  const base = last.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '').slice(0, 80) || 'message'
  const stamp = new Date(time).toISOString().replace(/:/g, '-')
  const ext = format === 'raw' ? 'bin' : format === 'hex' ? 'hex.txt' : format === 'base64' ? 'b64.txt' : json ? 'json' : 'txt'
  return `${base}_${stamp}.${ext}`
}
