/** Formatting for the tree and its detail pane. Pure functions, no Vue; words come from lib/i18n in the UI's language. */
import { t } from '../i18n'

/** Tree levels indented in full; deeper rows keep this indent and show their level number instead. */
export const MAX_INDENT_LEVELS = 16
const INDENT_PX = 16

/**
 * A row's indent in px. It stops growing at MAX_INDENT_LEVELS: a topic may have 32,768 levels
 * (the MQTT limit), whose full indent would be half a million pixels, its name far off screen.
 */
export function indentPx(depth: number): number {
  return Math.min(depth, MAX_INDENT_LEVELS) * INDENT_PX
}

/** "now", "12s", "4m", "3h", "2d": the age of a last update, short enough for a tree row (the units stay as they are in every language). */
export function formatAge(at: number | null, now: number): string {
  if (at === null) return ''
  const s = Math.max(0, Math.floor((now - at) / 1000))
  if (s < 1) return t('tree.age.now')
  if (s < 60) return `${s}s`
  if (s < 3600) return `${Math.floor(s / 60)}m`
  if (s < 86_400) return `${Math.floor(s / 3600)}h`
  return `${Math.floor(s / 86_400)}d`
}

/** Compact counts for narrow columns: 999, 1.2k, 34k, 1.5M. */
export function formatShortCount(n: number): string {
  if (n < 1000) return String(n)
  if (n < 10_000) return `${(n / 1000).toFixed(1)}k`
  if (n < 1_000_000) return `${Math.round(n / 1000)}k`
  if (n < 10_000_000) return `${(n / 1_000_000).toFixed(1)}M`
  return `${Math.round(n / 1_000_000)}M`
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true })
const looseUtf8 = new TextDecoder('utf-8')
// Control characters other than tab/newline/CR mark a payload as binary even if it decodes.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/

/** The payload as text when it is valid UTF-8 without control characters, else null. */
export function bytesAsText(bytes: Uint8Array): string | null {
  try {
    const text = strictUtf8.decode(bytes)
    return CONTROL.test(text) ? null : text
  } catch {
    return null
  }
}

/** The first `maxBytes` decoded leniently (a cut may split a character; that is shown as �). */
export function bytesAsLooseText(bytes: Uint8Array, maxBytes: number): string {
  return looseUtf8.decode(bytes.length > maxBytes ? bytes.subarray(0, maxBytes) : bytes)
}

/** Pretty JSON, or null when the text is not JSON. */
export function prettyJson(text: string): string | null {
  const first = text.trimStart()[0]
  if (first !== '{' && first !== '[' && first !== '"' && !/^[-\d tfn]/.test(first ?? '')) return null
  try {
    return JSON.stringify(JSON.parse(text), null, 2)
  } catch {
    return null
  }
}

export const HEX_BYTES_PER_LINE = 16

/** One hex dump line: offset, 16 bytes in hex, and their printable ASCII. */
export function hexLine(bytes: Uint8Array, line: number): string {
  const start = line * HEX_BYTES_PER_LINE
  const end = Math.min(bytes.length, start + HEX_BYTES_PER_LINE)
  let hex = ''
  let ascii = ''
  for (let i = start; i < start + HEX_BYTES_PER_LINE; i++) {
    if (i < end) {
      const b = bytes[i]
      hex += b.toString(16).padStart(2, '0') + (i === start + 7 ? '  ' : ' ')
      ascii += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.'
    } else {
      hex += i === start + 7 ? '    ' : '   '
    }
  }
  return `${start.toString(16).padStart(8, '0')}  ${hex} ${ascii}`
}

/** A short one-line preview of bytes for the history list. */
export function previewBytes(bytes: Uint8Array, max = 120): string {
  const text = bytesAsText(bytes.length > 4 * max ? bytes.subarray(0, 4 * max) : bytes)
  if (text !== null) {
    const flat = text.replace(/\s+/g, ' ').trim()
    return flat.length > max ? flat.slice(0, max - 1) + '…' : flat
  }
  const n = Math.min(bytes.length, Math.floor(max / 3))
  const parts: string[] = []
  for (let i = 0; i < n; i++) parts.push(bytes[i].toString(16).padStart(2, '0'))
  return parts.join(' ') + (n < bytes.length ? ' …' : '')
}

/** Copies text to the clipboard; falls back to a hidden textarea where the API is refused. */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text)
      return true
    }
  } catch {
    // Insecure origins and denied permissions land here; the old way still works in most shells.
  }
  const area = document.createElement('textarea')
  area.value = text
  area.setAttribute('readonly', '')
  area.style.position = 'fixed'
  area.style.opacity = '0'
  document.body.append(area)
  area.select()
  let ok = false
  try {
    ok = document.execCommand('copy')
  } catch {
    ok = false
  }
  area.remove()
  return ok
}
