/**
 * What a chart hands uPlot when the visible rows outnumber the plot's pixel columns: per column
 * (a time bucket) each series' first, extreme and last values (M4 aggregation), so the drawn
 * line is the same as with every point — each spike stays, the ends are exact — while uPlot
 * walks ~4 points per pixel instead of 200,000. The output arrays are reused frame after frame.
 */
import type { ChartData, ChartTable } from './chart-table'

/** Rows per pixel column the output holds at most. */
export const ROWS_PER_COLUMN = 4

export class Decimator {
  private readonly x: number[] = []
  private ys: (number | null)[][] = []
  // Per bucket and series scratch (reused).
  private first: Float64Array = new Float64Array(0)
  private last: Float64Array = new Float64Array(0)
  private min: Float64Array = new Float64Array(0)
  private max: Float64Array = new Float64Array(0)
  private minAt: Int32Array = new Int32Array(0)
  private maxAt: Int32Array = new Int32Array(0)
  private seen: Uint8Array = new Uint8Array(0)

  /**
   * Rows [i0, i1) of the table, whose times lie in [tMin, tMax], reduced to at most
   * ROWS_PER_COLUMN × `columns` rows.
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
        if (i === i1) break
        bucket = b
        bucketFirstX = t
        this.seen.fill(0, 0, width)
      }
      bucketLastX = t
      for (let k = 0; k < width; k++) {
        const v = table.ys[k][i]
        if (v === null) continue
        if (this.seen[k] === 0) {
          this.seen[k] = 1
          this.first[k] = this.min[k] = this.max[k] = v
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
        this.last[k] = v
      }
    }
    return [x, ...this.ys]
  }

  /** One bucket as four rows: first, the earlier extreme, the later extreme, last. */
  private emit(x0: number, x1: number, width: number): void {
    const d = (x1 - x0) / 3
    this.x.push(x0, x0 + d, x1 - d, x1)
    for (let k = 0; k < width; k++) {
      const col = this.ys[k]
      if (this.seen[k] === 0) {
        col.push(null, null, null, null)
        continue
      }
      const lowFirst = this.minAt[k] <= this.maxAt[k]
      col.push(this.first[k], lowFirst ? this.min[k] : this.max[k], lowFirst ? this.max[k] : this.min[k], this.last[k])
    }
  }

  private scratch(width: number): void {
    this.first = new Float64Array(width)
    this.last = new Float64Array(width)
    this.min = new Float64Array(width)
    this.max = new Float64Array(width)
    this.minAt = new Int32Array(width)
    this.maxAt = new Int32Array(width)
    this.seen = new Uint8Array(width)
  }
}
