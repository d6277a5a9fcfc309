/**
 * Pure helpers of the recordings library, the replay dialog and the offline timeline: the flags a
 * recording carries in words, where gaps sit on the timeline, the job state in a sentence, and
 * the two brokers a REPLAY_OTHER_BROKER refusal names. Words and counts are in the UI's language.
 */
import type { OfflineState, RecordingInfo, ReplayJob } from '@api'
import { ApiError } from '@api'
import { errorText, formatCount } from '../format'
import { t } from '../i18n'
import { formatDuration } from './format'
import { formatDateTime } from '../time/time-format'

/** Where an imported recording came from, as the key of its flag (a recording of ours has none). */
const SOURCE_FLAG: Record<RecordingInfo['source'], string | null> = {
  recorded: null,
  mosquitto_sub: 'recording.flags.fromMosquitto',
  'mqtt-recorder-rs': 'recording.flags.fromRecorderRs',
  export: 'recording.flags.export',
}

/**
 * What is unusual about a recording, one short phrase each; an ordinary finished recording has
 * none. "Recording now", when it applies, is always the first (the row marks it in red).
 */
export function recordingFlags(info: RecordingInfo): string[] {
  const flags: string[] = []
  if (info.recording) flags.push(t('recording.flags.recordingNow'))
  if (info.truncated) flags.push(t('recording.flags.lastLineCut'))
  if (info.badLines > 0) flags.push(t('recording.flags.badLines', { n: formatCount(info.badLines) }, info.badLines))
  if (info.gaps > 0) flags.push(t('recording.flags.gaps', { n: formatCount(info.gaps) }, info.gaps))
  const source = SOURCE_FLAG[info.source]
  if (source) flags.push(t(source))
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
      label: t('recording.timeline.gap', { at: formatDuration(g.atUs / 1000), length: formatDuration(g.durationUs / 1000) }),
    }
  })
}

/** The job in a sentence, for the status line under its counters. */
export function replayStateText(job: ReplayJob): string {
  switch (job.state) {
    case 'running':
      return job.etaMs === null ? t('recording.job.replaying') : t('recording.job.replayingEta', { eta: formatDuration(job.etaMs) })
    case 'paused':
      return t('recording.job.paused')
    case 'done':
      return t('recording.job.done', { n: formatCount(job.sent) })
    case 'stopped':
      return t('recording.job.stopped', { n: formatCount(job.sent) })
    default:
      return t('recording.job.failedState', { error: job.error ? errorText(job.error) : t('recording.job.stoppedReason') })
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
  return {
    recording: typeof recording === 'string' ? recording : t('recording.replay.recordingBroker'),
    target: typeof target === 'string' ? target : t('recording.replay.targetBroker'),
  }
}

/** The timeline's position as "message n of N" (n counts the messages already applied). */
export function positionText(state: Pick<OfflineState, 'position' | 'messageCount'>): string {
  return t('recording.timeline.message', { n: formatCount(state.position), total: formatCount(state.messageCount) })
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
