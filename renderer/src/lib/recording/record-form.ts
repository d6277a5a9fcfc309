/**
 * The Record form as typed turned into `recorder.start` options, or the first problem in a
 * sentence that names the field.
 */
import type { MethodParams } from '@api'
import { formatCount } from '../format'
import { t } from '../i18n'
import { parseFilters, type FieldValue } from './format'

export interface RecordForm {
  scope: 'all' | 'filters'
  filters: string
  gzip: boolean
  name: string
  /** Rotate after this many MB; blank = never. */
  maxMb: FieldValue
  /** Rotate after this many minutes; blank = never. */
  maxMinutes: FieldValue
}

export const DEFAULT_RECORD_FORM: RecordForm = { scope: 'all', filters: '', gzip: false, name: '', maxMb: '', maxMinutes: '' }

export type RecordPlan = { ok: true; options: MethodParams<'recorder.start'> } | { ok: false; problem: string }

/** The smallest rotation limits the contract takes: 64 KiB and one second. */
const MIN_BYTES = 64 * 1024
const MIN_MS = 1000

/** A limit field → a whole number in the contract's unit, null when blank, or the sentence at `problemKey`. */
function limit(value: FieldValue, scale: number, min: number, problemKey: 'recording.form.sizeLimit' | 'recording.form.durationLimit'): number | null | string {
  if (String(value).trim() === '') return null
  const n = Number(value) * scale
  if (!Number.isFinite(n) || n < min) return t(problemKey, { min: formatCount(Math.ceil((min / scale) * 1000) / 1000) })
  return Math.round(n)
}

export function recordPlan(connectionId: string, form: RecordForm): RecordPlan {
  const filters = form.scope === 'filters' ? parseFilters(form.filters) : []
  if (form.scope === 'filters' && filters.length === 0) return { ok: false, problem: t('recording.form.needFilter') }
  const maxBytes = limit(form.maxMb, 1024 * 1024, MIN_BYTES, 'recording.form.sizeLimit')
  if (typeof maxBytes === 'string') return { ok: false, problem: maxBytes }
  const maxDurationMs = limit(form.maxMinutes, 60_000, MIN_MS, 'recording.form.durationLimit')
  if (typeof maxDurationMs === 'string') return { ok: false, problem: maxDurationMs }
  return {
    ok: true,
    options: {
      connectionId,
      filters,
      gzip: form.gzip,
      ...(form.name.trim() ? { name: form.name.trim() } : {}),
      ...(maxBytes !== null ? { maxBytes } : {}),
      ...(maxDurationMs !== null ? { maxDurationMs } : {}),
    },
  }
}
