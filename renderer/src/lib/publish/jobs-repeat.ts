/**
 * Repeat jobs as the form writes them and as the job list shows them: the form's fields → the
 * contract's pace and end (or the sentence saying what to fix), progress, and the final state in
 * words with the exact counts the main side reported, in the UI's language.
 */
import type { RepeatJob, RepeatPace, RepeatUntil } from '@api'
import { formatCount } from '../format'
import { t } from '../i18n'
import { localizedError } from '../i18n/errors'

export type PaceKind = RepeatPace['kind']
export type UntilKind = RepeatUntil['kind']

/** The repeat form's fields, as typed (numbers may be empty or out of range). */
export interface RepeatForm {
  paceKind: PaceKind
  intervalMs: number | string
  perSecond: number | string
  untilKind: UntilKind
  count: number | string
  durationSeconds: number | string
}

export const DEFAULT_REPEAT_FORM: RepeatForm = { paceKind: 'interval', intervalMs: 1000, perSecond: 10, untilKind: 'count', count: 10, durationSeconds: 10 }

export type RepeatPlan = { ok: true; pace: RepeatPace; until: RepeatUntil } | { ok: false; problem: string }

function numberOf(value: number | string): number {
  return typeof value === 'number' ? value : value.trim() === '' ? Number.NaN : Number(value)
}

/** The form's fields as the contract's `pace` and `until`, or the first thing to fix. */
export function repeatPlan(form: RepeatForm): RepeatPlan {
  let pace: RepeatPace
  if (form.paceKind === 'interval') {
    const ms = numberOf(form.intervalMs)
    if (!Number.isInteger(ms) || ms < 1 || ms > 86_400_000) return { ok: false, problem: t('publish.repeatJob.badInterval', { min: formatCount(1), max: formatCount(86_400_000) }) }
    pace = { kind: 'interval', ms }
  } else if (form.paceKind === 'rate') {
    const perSecond = numberOf(form.perSecond)
    if (!Number.isFinite(perSecond) || perSecond < 0.001 || perSecond > 1_000_000) return { ok: false, problem: t('publish.repeatJob.badRate', { min: formatCount(0.001), max: formatCount(1_000_000) }) }
    pace = { kind: 'rate', perSecond }
  } else {
    pace = { kind: 'max' }
  }
  let until: RepeatUntil
  if (form.untilKind === 'count') {
    const count = numberOf(form.count)
    if (!Number.isInteger(count) || count < 1 || count > 100_000_000) return { ok: false, problem: t('publish.repeatJob.badCount', { min: formatCount(1), max: formatCount(100_000_000) }) }
    until = { kind: 'count', count }
  } else if (form.untilKind === 'duration') {
    const seconds = numberOf(form.durationSeconds)
    const ms = Math.round(seconds * 1000)
    if (!Number.isFinite(seconds) || ms < 1 || ms > 7 * 86_400_000) return { ok: false, problem: t('publish.repeatJob.badDuration', { max: formatCount(604_800) }) }
    until = { kind: 'duration', ms }
  } else {
    until = { kind: 'stopped' }
  }
  return { ok: true, pace, until }
}

/** "every 250 ms", "20 per second", "as fast as possible". */
export function paceText(pace: RepeatPace): string {
  if (pace.kind === 'interval') return t('publish.repeatJob.paceInterval', { ms: formatCount(pace.ms) })
  if (pace.kind === 'rate') return t('publish.repeatJob.paceRate', { n: formatCount(pace.perSecond) })
  return t('publish.repeatJob.paceMax')
}

/** "200 messages", "for 30 s", "until stopped". */
export function untilText(until: RepeatUntil): string {
  if (until.kind === 'count') return t('publish.repeatJob.untilCount', { n: formatCount(until.count) }, until.count)
  if (until.kind === 'duration') return t('publish.repeatJob.untilDuration', { s: formatCount(until.ms / 1000) })
  return t('publish.repeatJob.untilStopped')
}

/** How far a count or duration job is, 0…1; null for a job that runs until stopped. */
export function repeatProgress(job: RepeatJob, now: number): number | null {
  if (job.until.kind === 'stopped') return null
  if (job.state === 'done') return 1
  if (job.until.kind === 'count') return Math.min(1, job.sent / job.until.count)
  const end = job.endedAt ?? now
  return Math.min(1, Math.max(0, (end - job.startedAt) / job.until.ms))
}

/**
 * The job's state in one sentence. The counts are the main side's exact ones, so a failed job
 * says precisely how many messages the broker acknowledged before it ended.
 */
export function repeatStateText(job: RepeatJob): string {
  const sent = formatCount(job.sent)
  const acknowledged = formatCount(job.acknowledged)
  const counts = job.failed > 0 ? t('publish.repeatJob.countsFailed', { sent, acknowledged, failed: formatCount(job.failed) }) : t('publish.repeatJob.counts', { sent, acknowledged })
  switch (job.state) {
    case 'running':
      return t('publish.repeatJob.running', { counts })
    case 'done':
      return t('publish.repeatJob.done', { counts })
    case 'stopped':
      return t('publish.repeatJob.stopped', { counts })
    case 'failed':
      return t('publish.repeatJob.failed', { error: job.error ? localizedError(job.error) : t('publish.repeatJob.noReason'), acknowledged, sent })
  }
}

/** Running jobs first (newest first), then ended ones (most recently ended first). */
export function sortJobs(jobs: readonly RepeatJob[]): RepeatJob[] {
  return [...jobs].sort((a, b) => {
    const ar = a.state === 'running' ? 1 : 0
    const br = b.state === 'running' ? 1 : 0
    if (ar !== br) return br - ar
    return (b.endedAt ?? b.startedAt) - (a.endedAt ?? a.startedAt)
  })
}
