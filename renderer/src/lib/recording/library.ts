/**
 * Pure helpers of the recordings library, the replay dialog and the offline timeline: the flags a
 * recording carries in words, where gaps sit on the timeline, the job state in a sentence, and
 * the two brokers a REPLAY_OTHER_BROKER refusal names.
 */
import type { OfflineState, RecordingInfo, ReplayJob } from '@api'
import { ApiError } from '@api'
import { formatDuration } from './format'
import { formatDateTime } from '../time/time-format'

const SOURCE_LABEL: Record<RecordingInfo['source'], string> = {
  recorded: '',
  mosquitto_sub: 'imported from mosquitto_sub',
  'mqtt-recorder-rs': 'imported from mqtt-recorder-rs',
  export: 'an export',
}

/** What is unusual about a recording, one short phrase each; an ordinary finished recording has none. */
export function recordingFlags(info: RecordingInfo): string[] {
  const flags: string[] = []
  if (info.recording) flags.push('recording now')
  if (info.truncated) flags.push('last line cut')
  if (info.badLines > 0) flags.push(`${info.badLines} bad ${info.badLines === 1 ? 'line' : 'lines'} skipped`)
  if (info.gaps > 0) flags.push(`${info.gaps} ${info.gaps === 1 ? 'gap' : 'gaps'}`)
  if (SOURCE_LABEL[info.source]) flags.push(SOURCE_LABEL[info.source])
  return flags
}

/** A gap mark on the timeline: where it starts and how wide it is, as percent of the track. */
export interface GapMark {
  leftPercent: number
  widthPercent: number
  label: string
}

/** The state's reconnect gaps placed on a track as long as the recording (clamped to it). */
export function gapMarks(state: Pick<OfflineState, 'gaps' | 'durationMs'>): GapMark[] {
  const totalUs = state.durationMs * 1000
  if (totalUs <= 0) return []
  const pct = (us: number) => Math.min(100, Math.max(0, (us / totalUs) * 100))
  return state.gaps.map((g) => {
    const left = pct(g.atUs)
    return {
      leftPercent: left,
      widthPercent: Math.max(0, pct(g.atUs + g.durationUs) - left),
      label: `Gap at ${formatDuration(g.atUs / 1000)}, ${formatDuration(g.durationUs / 1000)} without a connection`,
    }
  })
}

/** The job in a sentence, for the status line under its counters. */
export function replayStateText(job: ReplayJob): string {
  switch (job.state) {
    case 'running':
      return job.etaMs === null ? 'Replaying…' : `Replaying, about ${formatDuration(job.etaMs)} left`
    case 'paused':
      return 'Paused'
    case 'done':
      return `Done: ${job.sent} sent`
    case 'stopped':
      return `Stopped after ${job.sent} sent`
    default:
      return `Failed: ${job.error?.message ?? 'the replay stopped'}`
  }
}

/** A job still holds the connection's attention: it can be paused, resumed, stepped or stopped. */
export function isLiveJob(job: ReplayJob): boolean {
  return job.state === 'running' || job.state === 'paused'
}

/**
 * The two brokers a refusal to replay into another broker names (its detail), or null for any
 * other error. The confirmation names both, so the user sees what would be overwritten.
 */
export function otherBrokerOf(err: unknown): { recording: string; target: string } | null {
  if (!(err instanceof ApiError) || err.code !== 'REPLAY_OTHER_BROKER') return null
  const recording = err.detail?.recording
  const target = err.detail?.target
  return { recording: typeof recording === 'string' ? recording : 'the recording’s broker', target: typeof target === 'string' ? target : 'the target broker' }
}

/** The timeline's position as "message n of N" (n counts the messages already applied). */
export function positionText(state: Pick<OfflineState, 'position' | 'messageCount'>): string {
  return `message ${state.position.toLocaleString('en-US')} of ${state.messageCount.toLocaleString('en-US')}`
}

/** A recording's start needs its day: "2026-12-03 14:03:07.123" (in the time format in force). */
export function formatStart(ms: number): string {
  return formatDateTime(ms)
}

/**
 * The counters the replay engine adds to a job (acknowledged, failed, skipped, warnings), read
 * when present: a job from an engine without them shows only what it has.
 */
export interface ReplayOutcome {
  acknowledged: number | null
  failed: number
  skipped: number
  warnings: string[]
}

export function replayOutcome(job: ReplayJob): ReplayOutcome {
  const extra = job as ReplayJob & Partial<{ acknowledged: number; failed: number; skipped: number; warnings: string[] }>
  return { acknowledged: extra.acknowledged ?? null, failed: extra.failed ?? 0, skipped: extra.skipped ?? 0, warnings: extra.warnings ?? [] }
}
