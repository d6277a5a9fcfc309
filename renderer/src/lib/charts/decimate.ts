/**
 * What a chart hands uPlot when the visible rows outnumber the plot's pixel columns: per column
 * (a time bucket) each series' lowest and highest value in the order they came, plus the very
 * last point exactly, so every spike stays and the line ends where the data ends, while uPlot
 * walks 2 points per pixel instead of 200,000. (First/min/max/last per column, M4, looks the
 * same but doubles the segments the software rasteriser strokes: measured 50 against 33 ms p95
 * a frame on a noisy series.) Fewer rows are copied as they are. Either way the output arrays
 * are reused frame after frame, and gaps become the null uPlot expects.
 */
import { hasValue, type ChartData, type ChartTable } from './chart-table'

/** Rows per pixel column the output holds at most. */
export const ROWS_PER_COLUMN = 2

export class Decimator {
  private readonly x: number[] = []
  private ys: (number | null)[][] = []

  /**
   * Rows [i0, i1) of the table, whose times lie in [tMin, tMax], reduced to at most
   * ROWS_PER_COLUMN × `columns` + 1 rows.
   */
  run(table: ChartTable, i0: number, i1: number, tMin: number, tMax: number, columns: number): ChartData {
    const width = table.ys.length
    this.reset(width)
    const tx = table.x
    const step = (tMax > tMin ? tMax - tMin : 1) / columns
    let start = i0
    while (start < i1) {
      // The bucket of the row at `start`, and where it ends: a binary search, then tight loops
      // per series over plain doubles (NaN, "no point", fails every comparison by itself).
      const b = Math.min(columns - 1, Math.max(0, Math.floor((tx[start] - tMin) / step)))
      const end = b === columns - 1 ? i1 : Math.max(start + 1, Math.min(i1, lowerBound(tx, tMin + (b + 1) * step, start, i1)))
      this.x.push(tx[start], tx[end - 1])
      for (let k = 0; k < width; k++) {
        const col = table.ys[k]
        let min = Number.NaN
        let max = Number.NaN
        let minAt = -1
        let maxAt = -1
        for (let i = start; i < end; i++) {
          const v = col[i]
          if (v < min || minAt === -1) {
            if (v !== v) continue
            min = v
            minAt = i
          }
          if (v > max || maxAt === -1) {
            max = v
            maxAt = i
          }
        }
        const out = this.ys[k]
        if (minAt === -1) out.push(null, null)
        else if (minAt <= maxAt) out.push(min, max)
        else out.push(max, min)
      }
      start = end
    }
    // The newest row as it is, so the line ends on the last value at its time.
    if (i1 > i0) {
      this.x.push(tx[i1 - 1])
      for (let k = 0; k < width; k++) {
        const v = table.ys[k][i1 - 1]
        this.ys[k].push(hasValue(v) ? v : null)
      }
    }
    return [this.x, ...this.ys]
  }

  /** Rows [i0, i1) as they are (few enough to draw each), with null for the gaps. */
  copy(table: ChartTable, i0: number, i1: number): ChartData {
    const width = table.ys.length
    this.reset(width)
    const x = this.x
    for (let i = i0; i < i1; i++) {
      x.push(table.x[i])
      for (let k = 0; k < width; k++) {
        const v = table.ys[k][i]
        this.ys[k].push(hasValue(v) ? v : null)
      }
    }
    return [x, ...this.ys]
  }

  private reset(width: number): void {
    if (this.ys.length !== width) this.ys = Array.from({ length: width }, () => [])
    this.x.length = 0
    for (const col of this.ys) col.length = 0
  }
}

/** First index in [lo, hi) with a[i] >= v (hi if none). */
function lowerBound(a: readonly number[], v: number, lo: number, hi: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (a[mid] < v) lo = mid + 1
    else hi = mid
  }
  return lo
}
