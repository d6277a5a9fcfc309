/**
 * Repeat jobs as the form writes them and as the job list shows them: the form's fields → the
 * contract's pace and end (or the sentence saying what to fix), progress, and the final state in
 * words with the exact counts the main side reported.
 */
import type { RepeatJob, RepeatPace, RepeatUntil } from '@api'

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
    if (!Number.isInteger(ms) || ms < 1 || ms > 86_400_000) return { ok: false, problem: 'Enter the interval as whole milliseconds, from 1 to 86,400,000 (a day).' }
    pace = { kind: 'interval', ms }
  } else if (form.paceKind === 'rate') {
    const perSecond = numberOf(form.perSecond)
    if (!Number.isFinite(perSecond) || perSecond < 0.001 || perSecond > 1_000_000) return { ok: false, problem: 'Enter the rate as messages a second, from 0.001 to 1,000,000.' }
    pace = { kind: 'rate', perSecond }
  } else {
    pace = { kind: 'max' }
  }
  let until: RepeatUntil
  if (form.untilKind === 'count') {
    const count = numberOf(form.count)
    if (!Number.isInteger(count) || count < 1 || count > 100_000_000) return { ok: false, problem: 'Enter how many messages to send, a whole number from 1 to 100,000,000.' }
    until = { kind: 'count', count }
  } else if (form.untilKind === 'duration') {
    const seconds = numberOf(form.durationSeconds)
    const ms = Math.round(seconds * 1000)
    if (!Number.isFinite(seconds) || ms < 1 || ms > 7 * 86_400_000) return { ok: false, problem: 'Enter the duration in seconds, up to 604,800 (a week).' }
    until = { kind: 'duration', ms }
  } else {
    until = { kind: 'stopped' }
  }
  return { ok: true, pace, until }
}

/** "every 250 ms", "20 per second", "as fast as possible". */
export function paceText(pace: RepeatPace): string {
  if (pace.kind === 'interval') return `every ${pace.ms.toLocaleString('en-US')} ms`
  if (pace.kind === 'rate') return `${pace.perSecond.toLocaleString('en-US')} per second`
  return 'as fast as possible'
}

/** "200 messages", "for 30 s", "until stopped". */
export function untilText(until: RepeatUntil): string {
  if (until.kind === 'count') return `${until.count.toLocaleString('en-US')} message${until.count === 1 ? '' : 's'}`
  if (until.kind === 'duration') return `for ${(until.ms / 1000).toLocaleString('en-US')} s`
  return 'until stopped'
}

/** How far a count or duration job is, 0…1; null for a job that runs until stopped. */
export function repeatProgress(job: RepeatJob, now: number): number | null {
  if (job.until.kind === 'stopped') return null
  if (job.state === 'done') return 1
  if (job.until.kind === 'count') return Math.min(1, job.sent / job.until.count)
  const end = job.endedAt ?? now
  return Math.min(1, Math.max(0, (end - job.startedAt) / job.until.ms))
}

const n = (v: number) => v.toLocaleString('en-US')

/**
 * The job's state in one sentence. The counts are the main side's exact ones, so a failed job
 * says precisely how many messages the broker acknowledged before it ended.
 */
export function repeatStateText(job: RepeatJob): string {
  const counts = `${n(job.sent)} sent, ${n(job.acknowledged)} acknowledged${job.failed > 0 ? `, ${n(job.failed)} failed` : ''}`
  switch (job.state) {
    case 'running':
      return `Running: ${counts}.`
    case 'done':
      return `Done: ${counts}.`
    case 'stopped':
      return `Stopped by you: ${counts}.`
    case 'failed':
      return `Failed: ${job.error?.message ?? 'the job ended without a reason'} Exactly ${n(job.acknowledged)} of ${n(job.sent)} sent were acknowledged.`
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
