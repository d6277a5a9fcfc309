/**
 * The one time format of the renderer: 24 h local time with milliseconds by default, ISO 8601 in
 * UTC as the option, dates year-month-day in both, and a switch that every caller follows.
 */
import { afterEach, describe, expect, it } from 'vitest'
import {
  formatDate,
  formatDateAs,
  formatDateText,
  formatDateTime,
  formatDateTimeAs,
  formatRecentAs,
  formatTickAs,
  formatTime,
  formatTimeAs,
  setTimeFormat,
  timeFormat,
} from '../../renderer/src/lib/time/time-format'
import { entryTime } from '../../renderer/src/lib/history/history-format'
import { formatStart } from '../../renderer/src/lib/recording/library'

const local = new Date(2026, 11, 3, 9, 5, 7, 42).getTime()
const utc = Date.UTC(2026, 0, 31, 23, 59, 59, 999)

afterEach(() => setTimeFormat('local'))

describe('the local 24 h format', () => {
  it('writes the time with milliseconds and never AM/PM', () => {
    expect(formatTimeAs(local, 'local')).toBe('09:05:07.042')
    expect(formatTimeAs(new Date(2026, 11, 3, 21, 43, 11, 5).getTime(), 'local')).toBe('21:43:11.005')
  })

  it('writes dates year-month-day, never month/day/year', () => {
    expect(formatDateAs(local, 'local')).toBe('2026-12-03')
    expect(formatDateTimeAs(local, 'local')).toBe('2026-12-03 09:05:07.042')
    expect(formatDateTimeAs(new Date(2026, 0, 12, 0, 0, 0, 0).getTime(), 'local')).not.toMatch(/\d{1,2}\/\d{1,2}\/\d{4}/)
  })
})

describe('the ISO 8601 UTC format', () => {
  it('writes UTC with a Z, the date and time joined by T', () => {
    expect(formatTimeAs(utc, 'utc')).toBe('23:59:59.999Z')
    expect(formatDateTimeAs(utc, 'utc')).toBe('2026-01-31T23:59:59.999Z')
    expect(formatDateTimeAs(utc, 'utc')).toBe(new Date(utc).toISOString())
    expect(formatDateAs(utc, 'utc')).toBe('2026-01-31')
  })
})

describe('recent times and chart ticks', () => {
  it('drops the date on the same day and keeps it on another, in the format asked', () => {
    const now = new Date(2026, 11, 3, 18, 0).getTime()
    expect(formatRecentAs(local, now, 'local')).toBe('09:05:07.042')
    expect(formatRecentAs(new Date(2026, 11, 2, 23, 0).getTime(), now, 'local')).toBe('2026-12-02 23:00:00.000')
    expect(formatRecentAs(utc, utc + 1000, 'utc')).toBe('2026-01-31T23:59:59.999Z')
    expect(formatRecentAs(utc - 1000, utc, 'utc')).toBe('23:59:58.999Z')
  })

  it('labels ticks with as much of the clock as their spacing needs', () => {
    const t = Date.UTC(2026, 11, 3, 14, 3, 7, 250)
    expect(formatTickAs(t, 86_400_000, 'utc')).toBe('2026-12-03')
    expect(formatTickAs(t, 300_000, 'utc')).toBe('14:03Z')
    expect(formatTickAs(t, 5_000, 'utc')).toBe('14:03:07Z')
    expect(formatTickAs(t, 250, 'utc')).toBe('14:03:07.250Z')
    expect(formatTickAs(local, 60_000, 'local')).toBe('09:05')
  })
})

describe('the format in force', () => {
  it('switches every short-named formatter, and the history and recordings with them', () => {
    expect(timeFormat.value).toBe('local')
    expect(formatTime(local)).toBe('09:05:07.042')
    expect(formatStart(local)).toBe('2026-12-03 09:05:07.042')
    setTimeFormat('utc')
    expect(formatTime(utc)).toBe('23:59:59.999Z')
    expect(formatDateTime(utc)).toBe('2026-01-31T23:59:59.999Z')
    expect(formatDate(utc)).toBe('2026-01-31')
    expect(entryTime(utc, utc)).toBe('23:59:59.999Z')
    expect(formatStart(utc)).toBe('2026-01-31T23:59:59.999Z')
  })

  it('writes certificate dates (ISO text) in the format in force and leaves unparsable text as it is', () => {
    setTimeFormat('utc')
    expect(formatDateText('2027-03-04T10:00:00.000Z')).toBe('2027-03-04')
    expect(formatDateText('not a date')).toBe('not a date')
    setTimeFormat('local')
    const ms = Date.parse('2027-03-04T10:00:00.000Z')
    expect(formatDateText('2027-03-04T10:00:00.000Z')).toBe(formatDateAs(ms, 'local'))
  })
})
