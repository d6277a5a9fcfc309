/**
 * Reads a recording once, streamed, through the replay's plan and schedule without sending: the
 * dry run's first rows and totals, and a running job's count of what one pass holds (its total
 * and ETA). Only `limit` rows are kept, so a 1 GB recording costs a scan, not its size in memory.
 */
import type { DryRunRow } from '../../api'
import { readRecordingBatches } from '../recording/recording-source'
import type { ReplayInput } from './replay-plan'
import { compilePlan } from './replay-plan'
import { ReplaySchedule } from './schedule'
import { TimeSlice } from './time-slice'

/** A scan gives the event loop back this often (ms): a replay may be running beside it. */
const SLICE_MS = 1

export interface PlanSummary {
  rows: DryRunRow[]
  /** Messages one pass sends (skipped ones not counted). */
  total: number
  /** When the last one is due, ms after the pass starts. */
  durationMs: number
  /** Messages whose remapped topic cannot be published. */
  skipped: number
  firstSkipReason?: string
  /** Messages that would be published retained (only with retain `keep`). */
  retained: number
}

export async function summarisePlan(path: string, input: ReplayInput, limit: number, signal?: AbortSignal): Promise<PlanSummary> {
  const plan = compilePlan(input)
  const schedule = new ReplaySchedule({ speed: input.speed, maxGapMs: input.maxGapMs })
  const out: PlanSummary = { rows: [], total: 0, durationMs: 0, skipped: 0, retained: 0 }
  const slice = new TimeSlice(SLICE_MS)
  for await (const batch of readRecordingBatches(path, input.selection, { signal })) {
    if (slice.due) await slice.pause()
    for (const item of batch) {
      if (item.kind !== 'message') continue
      const m = item.message
      const planned = plan.plan(m)
      if (!planned.ok) {
        out.skipped++
        out.firstSkipReason ??= planned.reason
        continue
      }
      const atMs = schedule.next(m.offsetUs)
      out.total++
      if (planned.retain) out.retained++
      out.durationMs = atMs
      if (out.rows.length < limit) {
        const row: DryRunRow = { offsetUs: m.offsetUs, atMs, topic: planned.topic, qos: planned.qos, retain: planned.retain, size: m.payload.length }
        if (planned.remapped) row.originalTopic = m.topic
        out.rows.push(row)
      }
    }
  }
  return out
}
