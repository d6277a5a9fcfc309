/**
 * The one place the renderer writes a time or a date. Two formats, chosen in Settings:
 * - 'local': 24 h local time with milliseconds, "14:03:07.123"; with its day "2026-12-03 14:03:07.123";
 * - 'utc': ISO 8601 in UTC, "13:03:07.123Z"; with its day "2026-12-03T13:03:07.123Z".
 * Dates are year-month-day in both, never a locale's month/day order.
 *
 * The `…As` functions are pure (the format is an argument); the short names read the format in
 * force from a Vue ref, so a template that calls them re-renders when the setting changes.
 */
import { shallowRef } from 'vue'
import type { TimeFormat } from '@api'

/** The format in force; the settings store sets it. */
export const timeFormat = shallowRef<TimeFormat>('local')

/** Switches every time on screen to `format`. */
export function setTimeFormat(format: TimeFormat): void {
  timeFormat.value = format
}

interface Parts {
  y: number
  mo: number
  d: number
  h: number
  mi: number
  s: number
  ms: number
}

function partsOf(ms: number, format: TimeFormat): Parts {
  const t = new Date(ms)
  return format === 'utc'
    ? { y: t.getUTCFullYear(), mo: t.getUTCMonth() + 1, d: t.getUTCDate(), h: t.getUTCHours(), mi: t.getUTCMinutes(), s: t.getUTCSeconds(), ms: t.getUTCMilliseconds() }
    : { y: t.getFullYear(), mo: t.getMonth() + 1, d: t.getDate(), h: t.getHours(), mi: t.getMinutes(), s: t.getSeconds(), ms: t.getMilliseconds() }
}

const two = (n: number): string => String(n).padStart(2, '0')
const three = (n: number): string => String(n).padStart(3, '0')
const zone = (format: TimeFormat): string => (format === 'utc' ? 'Z' : '')
const day = (p: Parts): string => `${p.y < 0 ? '-' : ''}${String(Math.abs(p.y)).padStart(4, '0')}-${two(p.mo)}-${two(p.d)}`
const clock = (p: Parts): string => `${two(p.h)}:${two(p.mi)}:${two(p.s)}.${three(p.ms)}`

/** Epoch ms → "14:03:07.123" (local) or "13:03:07.123Z" (UTC): milliseconds matter when messages arrive in bursts. */
export function formatTimeAs(ms: number, format: TimeFormat): string {
  return `${clock(partsOf(ms, format))}${zone(format)}`
}

/** Epoch ms → "2026-12-03 14:03:07.123" (local) or "2026-12-03T13:03:07.123Z" (UTC). */
export function formatDateTimeAs(ms: number, format: TimeFormat): string {
  const p = partsOf(ms, format)
  return `${day(p)}${format === 'utc' ? 'T' : ' '}${clock(p)}${zone(format)}`
}

/** Epoch ms → "2026-12-03", the day in local time or in UTC. */
export function formatDateAs(ms: number, format: TimeFormat): string {
  return day(partsOf(ms, format))
}

/** The time alone when `ms` falls on the same day as `now`, else the date and time. */
export function formatRecentAs(ms: number, now: number, format: TimeFormat): string {
  return formatDateAs(ms, format) === formatDateAs(now, format) ? formatTimeAs(ms, format) : formatDateTimeAs(ms, format)
}

/**
 * A chart axis label for a tick `stepMs` apart from the next: the day for daily ticks, else as
 * much of the clock as tells neighbours apart ("14:03", "14:03:07", "14:03:07.250").
 */
export function formatTickAs(ms: number, stepMs: number, format: TimeFormat): string {
  const p = partsOf(ms, format)
  if (stepMs >= 86_400_000) return day(p)
  const hm = `${two(p.h)}:${two(p.mi)}`
  if (stepMs >= 60_000) return `${hm}${zone(format)}`
  if (stepMs >= 1000) return `${hm}:${two(p.s)}${zone(format)}`
  return `${clock(p)}${zone(format)}`
}

/** A date-time string (ISO 8601, as certificates and OCSP give them) written in the format in force; unparsable text is shown as it is. */
function fromText(text: string, write: (ms: number, format: TimeFormat) => string): string {
  const ms = Date.parse(text)
  return Number.isNaN(ms) ? text : write(ms, timeFormat.value)
}

/** {@link formatTimeAs} in the format in force. */
export function formatTime(ms: number): string {
  return formatTimeAs(ms, timeFormat.value)
}

/** {@link formatDateTimeAs} in the format in force. */
export function formatDateTime(ms: number): string {
  return formatDateTimeAs(ms, timeFormat.value)
}

/** {@link formatDateAs} in the format in force. */
export function formatDate(ms: number): string {
  return formatDateAs(ms, timeFormat.value)
}

/** {@link formatRecentAs} in the format in force. */
export function formatRecent(ms: number, now: number): string {
  return formatRecentAs(ms, now, timeFormat.value)
}

/** {@link formatTickAs} in the format in force. */
export function formatTick(ms: number, stepMs: number): string {
  return formatTickAs(ms, stepMs, timeFormat.value)
}

/** The day of an ISO 8601 date-time (a certificate's validity) in the format in force. */
export function formatDateText(text: string): string {
  return fromText(text, formatDateAs)
}

/** An ISO 8601 date-time written as date and time in the format in force. */
export function formatDateTimeText(text: string): string {
  return fromText(text, formatDateTimeAs)
}
