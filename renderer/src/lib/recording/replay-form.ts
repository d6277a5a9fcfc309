/**
 * The replay dialog's form as typed (every field text, so half-typed values survive) turned into
 * the contract's options, or the first problem in a sentence that names the field.
 */
import type { MethodParams, Qos } from '@api'
import { t } from '../i18n'
import { parseFilters, remapRules, secondsToUs, type FieldValue, type RemapRow } from './format'

export interface ReplayForm {
  connectionId: string
  /** Times the recorded pace, as typed. */
  speed: FieldValue
  asFastAsPossible: boolean
  /** Gaps longer than this many seconds are shortened to it; blank = keep every gap. */
  maxGapSeconds: FieldValue
  loop: boolean
  fromSeconds: FieldValue
  toSeconds: FieldValue
  filters: string
  remap: RemapRow[]
  /** Publish every message with `qos` instead of its recorded QoS. */
  overrideQos: boolean
  qos: Qos
  retain: 'off' | 'keep'
}

export const DEFAULT_REPLAY_FORM: Omit<ReplayForm, 'connectionId'> = {
  speed: '1',
  asFastAsPossible: false,
  maxGapSeconds: '',
  loop: false,
  fromSeconds: '',
  toSeconds: '',
  filters: '',
  remap: [{ kind: 'prefix', from: '', to: '' }],
  overrideQos: false,
  qos: 1,
  retain: 'off',
}

export type ReplayPlan = { ok: true; options: MethodParams<'replay.start'> } | { ok: false; problem: string }

/** The form → `replay.start` options for one recording (confirmOtherBroker is the caller's). */
export function replayPlan(recordingId: string, form: ReplayForm): ReplayPlan {
  if (!form.connectionId) return { ok: false, problem: t('recording.replay.needTarget') }
  const text = (v: FieldValue) => String(v).trim()
  let speed: number | null = null
  if (!form.asFastAsPossible) {
    speed = Number(form.speed)
    if (text(form.speed) === '' || !Number.isFinite(speed) || speed < 0.1 || speed > 100) {
      return { ok: false, problem: t('recording.replay.badSpeed') }
    }
  }
  let maxGapMs: number | undefined
  if (text(form.maxGapSeconds) !== '') {
    const s = Number(form.maxGapSeconds)
    if (!Number.isFinite(s) || s < 0) return { ok: false, problem: t('recording.replay.badGap') }
    maxGapMs = Math.round(s * 1000)
  }
  const fromUs = secondsToUs(form.fromSeconds)
  const toUs = secondsToUs(form.toSeconds)
  if ((text(form.fromSeconds) && fromUs === undefined) || (text(form.toSeconds) && toUs === undefined)) {
    return { ok: false, problem: t('recording.replay.badWindow') }
  }
  if (fromUs !== undefined && toUs !== undefined && toUs < fromUs) return { ok: false, problem: t('recording.replay.toBeforeFrom') }
  const remap = remapRules(form.remap)
  if (remap.error) return { ok: false, problem: remap.error }
  return {
    ok: true,
    options: {
      recordingId,
      connectionId: form.connectionId,
      selection: { fromUs, toUs, filters: parseFilters(form.filters) },
      speed,
      ...(maxGapMs !== undefined ? { maxGapMs } : {}),
      loop: form.loop,
      remap: remap.rules,
      ...(form.overrideQos ? { qos: form.qos } : {}),
      retain: form.retain,
    },
  }
}
