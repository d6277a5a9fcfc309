/** How the history list writes an entry's arrival: time with milliseconds, the date when not today. */
import { formatRecent } from '../time/time-format'

/** "14:03:07.123" today; "2026-11-30 14:03:07.123" on another day (in the time format in force). */
export function entryTime(ms: number, now: number): string {
  return formatRecent(ms, now)
}
