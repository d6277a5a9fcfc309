/**
 * How the renderer keeps its copy of a series equal to the main side's: points carry indexes
 * that grow forever, so each batch either continues what is held, repeats part of it (a merged
 * event overlapping a fetch), or leaves a gap that a `chart.points` fetch fills.
 */
import type { ChartPoints, ChartSeriesInfo } from '@api'

export type PointsStep =
  | { kind: 'ignore' }
  /** Take the batch's points from position `from` on (the earlier ones are held already). */
  | { kind: 'append'; from: number }
  /** Points were missed: fetch from the index after the last one held. */
  | { kind: 'fetch'; from: number }

/** What to do with a batch when the points held end before index `nextIndex`. */
export function stepFor(nextIndex: number, batch: Pick<ChartPoints, 'firstIndex' | 'nextIndex'>): PointsStep {
  if (batch.nextIndex <= nextIndex) return { kind: 'ignore' }
  if (batch.firstIndex > nextIndex) return { kind: 'fetch', from: nextIndex }
  return { kind: 'append', from: nextIndex - batch.firstIndex }
}

/**
 * Points held that the main side no longer keeps (dropped as the oldest, or a reset): the held
 * points are the indexes [nextIndex - held, nextIndex), the main side keeps [info.firstIndex, …).
 */
export function droppedCount(nextIndex: number, held: number, info: Pick<ChartSeriesInfo, 'firstIndex'>): number {
  const heldFirst = nextIndex - held
  return Math.max(0, Math.min(held, info.firstIndex - heldFirst))
}
