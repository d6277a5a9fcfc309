/** Per-series figures over the rows a chart shows: min, max, mean and the last value. */
import { hasValue, type ChartTable } from './chart-table'

export interface SeriesStats {
  count: number
  min: number | null
  max: number | null
  mean: number | null
  last: number | null
}

/** Figures of every column over rows [i0, i1). One pass per column, no allocation per point. */
export function statsOf(table: ChartTable, i0: number, i1: number): SeriesStats[] {
  return table.ys.map((col) => {
    let count = 0
    let sum = 0
    let min = Number.POSITIVE_INFINITY
    let max = Number.NEGATIVE_INFINITY
    let last: number | null = null
    for (let i = i0; i < i1; i++) {
      const v = col[i]
      if (!hasValue(v)) continue
      count++
      sum += v
      if (v < min) min = v
      if (v > max) max = v
      last = v
    }
    return count === 0 ? { count, min: null, max: null, mean: null, last: null } : { count, min, max, mean: sum / count, last }
  })
}
