/** How the history list writes an entry's arrival: time with milliseconds, the date when not today. */
import { formatTime } from '../format'

/** "14:03:07.123" today; "2026-11-30 14:03:07.123" on another day (local time). */
export function entryTime(ms: number, now: number): string {
  const d = new Date(ms)
  const today = new Date(now)
  const sameDay = d.getFullYear() === today.getFullYear() && d.getMonth() === today.getMonth() && d.getDate() === today.getDate()
  if (sameDay) return formatTime(ms)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${formatTime(ms)}`
}
