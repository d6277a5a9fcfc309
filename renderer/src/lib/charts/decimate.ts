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
  // Per bucket and series scratch (reused).
  private min: Float64Array = new Float64Array(0)
  private max: Float64Array = new Float64Array(0)
  private minAt: Int32Array = new Int32Array(0)
  private maxAt: Int32Array = new Int32Array(0)
  private seen: Uint8Array = new Uint8Array(0)

  /**
   * Rows [i0, i1) of the table, whose times lie in [tMin, tMax], reduced to at most
   * ROWS_PER_COLUMN × `columns` + 1 rows.
   */
  run(table: ChartTable, i0: number, i1: number, tMin: number, tMax: number, columns: number): ChartData {
    const width = table.ys.length
    if (this.ys.length !== width) this.ys = Array.from({ length: width }, () => [])
    if (this.seen.length < width) this.scratch(width)
    const x = this.x
    x.length = 0
    for (const col of this.ys) col.length = 0
    const span = tMax > tMin ? tMax - tMin : 1
    let bucket = -1
    let bucketFirstX = 0
    let bucketLastX = 0
    for (let i = i0; i <= i1; i++) {
      const t = i < i1 ? table.x[i] : Number.NaN
      const b = i < i1 ? Math.min(columns - 1, Math.max(0, Math.floor(((t - tMin) / span) * columns))) : -2
      if (b !== bucket) {
        if (bucket !== -1) this.emit(bucketFirstX, bucketLastX, width)
        if (i === i1) {
          this.emitLast(table, i0, i1, width)
          break
        }
        bucket = b
        bucketFirstX = t
        this.seen.fill(0, 0, width)
      }
      bucketLastX = t
      for (let k = 0; k < width; k++) {
        const v = table.ys[k][i]
        if (!hasValue(v)) continue
        if (this.seen[k] === 0) {
          this.seen[k] = 1
          this.min[k] = this.max[k] = v
          this.minAt[k] = this.maxAt[k] = i
        } else {
          if (v < this.min[k]) {
            this.min[k] = v
            this.minAt[k] = i
          }
          if (v > this.max[k]) {
            this.max[k] = v
            this.maxAt[k] = i
          }
        }
      }
    }
    return [x, ...this.ys]
  }

  /** Rows [i0, i1) as they are (few enough to draw each), with null for the gaps. */
  copy(table: ChartTable, i0: number, i1: number): ChartData {
    const width = table.ys.length
    if (this.ys.length !== width) this.ys = Array.from({ length: width }, () => [])
    const x = this.x
    x.length = 0
    for (const col of this.ys) col.length = 0
    for (let i = i0; i < i1; i++) {
      x.push(table.x[i])
      for (let k = 0; k < width; k++) {
        const v = table.ys[k][i]
        this.ys[k].push(hasValue(v) ? v : null)
      }
    }
    return [x, ...this.ys]
  }

  /** One bucket as two rows: its lower and higher extreme, in the order they came. */
  private emit(x0: number, x1: number, width: number): void {
    this.x.push(x0, x1)
    for (let k = 0; k < width; k++) {
      const col = this.ys[k]
      if (this.seen[k] === 0) {
        col.push(null, null)
        continue
      }
      const lowFirst = this.minAt[k] <= this.maxAt[k]
      col.push(lowFirst ? this.min[k] : this.max[k], lowFirst ? this.max[k] : this.min[k])
    }
  }

  /** The newest row as it is, so the line ends on the last value at its time. */
  private emitLast(table: ChartTable, i0: number, i1: number, width: number): void {
    if (i1 <= i0) return
    this.x.push(table.x[i1 - 1])
    for (let k = 0; k < width; k++) {
      const v = table.ys[k][i1 - 1]
      this.ys[k].push(hasValue(v) ? v : null)
    }
  }

  private scratch(width: number): void {
    this.min = new Float64Array(width)
    this.max = new Float64Array(width)
    this.minAt = new Int32Array(width)
    this.maxAt = new Int32Array(width)
    this.seen = new Uint8Array(width)
  }
}
