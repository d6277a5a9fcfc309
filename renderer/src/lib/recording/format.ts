/**
 * Pure helpers of the recording and replay UI: durations for the live indicator and the library,
 * and the remap rows of the replay form turned into the contract's rules (problems in the UI's language).
 */
import type { MethodParams } from '@api'
import { currentLocale, t } from '../i18n'

type RemapRule = NonNullable<MethodParams<'replay.start'>['remap']>[number]

/** 3723000 → "1:02:03", 65000 → "1:05": a recording's length reads like a clock. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000))
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = total % 60
  const two = (n: number): string => String(n).padStart(2, '0')
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${m}:${two(s)}`
}

/**
 * 1500 → "1.500" (German "1,500"): seconds with milliseconds, always three decimals so a column
 * of them lines up, in the UI's decimal mark; no grouping, like a clock's digits.
 */
export function formatSeconds(ms: number): string {
  return (ms / 1000).toLocaleString(currentLocale(), { minimumFractionDigits: 3, maximumFractionDigits: 3, useGrouping: false })
}

/** One row of the remap table as typed: the form keeps both fields as text. */
export interface RemapRow {
  kind: 'prefix' | 'regex'
  from: string
  to: string
}

/**
 * The rows the user filled in, as contract rules; blank rows are skipped, and an invalid
 * regular expression is reported here so the form names the row instead of the backend failing.
 */
export function remapRules(rows: RemapRow[]): { rules: RemapRule[]; error: string | null } {
  const rules: RemapRule[] = []
  for (const [i, row] of rows.entries()) {
    if (row.from === '' && row.to === '') continue
    if (row.kind === 'prefix') {
      rules.push({ kind: 'prefix', from: row.from, to: row.to })
      continue
    }
    if (row.from === '') return { rules, error: t('recording.remap.emptyPattern', { n: i + 1 }) }
    try {
      new RegExp(row.from)
    } catch (err) {
      return { rules, error: t('recording.remap.badPattern', { n: i + 1, error: (err as Error).message }) }
    }
    rules.push({ kind: 'regex', pattern: row.from, replacement: row.to })
  }
  return { rules, error: null }
}

/** A filters field as typed (comma or newline separated) → the list the contract takes. */
export function parseFilters(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((f) => f.trim())
    .filter((f) => f !== '')
}

/**
 * What a number field holds: Vue's v-model on `<input type="number">` gives a number once
 * something parseable is typed, and the text ('' when blank) otherwise.
 */
export type FieldValue = string | number

/** Seconds typed in a window field → µs, or undefined when left blank (no bound). */
export function secondsToUs(value: FieldValue): number | undefined {
  const text = String(value)
  if (text.trim() === '') return undefined
  const n = Number(text)
  return Number.isFinite(n) && n >= 0 ? Math.round(n * 1_000_000) : undefined
}
