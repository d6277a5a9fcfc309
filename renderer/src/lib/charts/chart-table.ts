/**
 * The points one chart draws: one time column and a value column per series, NaN where a series
 * has no point at that time (not null: the columns stay arrays of unboxed doubles, which V8
 * reads and appends to without allocating). New points are appended (the usual case: they are
 * newer than everything shown) or merged into the tail (a series whose points are older than
 * another's latest), never by rebuilding the whole table. uPlot gets a bounded view of it each
 * frame (decimate.ts), with null for the gaps.
 */

/** uPlot's aligned data: times, then one column per series with null for no point. */
export type ChartData = [number[], ...(number | null)[][]]

/** True when a cell holds a value (NaN marks "no point here"). */
export function hasValue(v: number): boolean {
  return v === v
}

export class ChartTable {
  /** Epoch ms, ascending. */
  readonly x: number[] = []
  /** One column per series, aligned with `x`; NaN = no point. */
  readonly ys: number[][] = []
  readonly ids: string[] = []
  /** Points held per column. */
  private counts: number[] = []
  /** Row of each column's oldest point (a hint that saves scanning), -1 when empty. */
  private firstRows: number[] = []
  /** Rows that hold no value at all (left behind by dropped points), compacted when many. */
  private emptyRows = 0
  /** Bumped when columns are added or removed (the chart must be rebuilt). */
  structure = 0

  column(id: string): number {
    return this.ids.indexOf(id)
  }

  count(id: string): number {
    const k = this.column(id)
    return k === -1 ? 0 : this.counts[k]
  }

  /** Adds an empty column for a series (no-op if it has one). */
  addColumn(id: string): number {
    const existing = this.column(id)
    if (existing !== -1) return existing
    this.ids.push(id)
    this.ys.push(new Array<number>(this.x.length).fill(Number.NaN))
    this.counts.push(0)
    this.firstRows.push(-1)
    this.structure++
    return this.ids.length - 1
  }

  removeColumn(id: string): void {
    const k = this.column(id)
    if (k === -1) return
    this.ids.splice(k, 1)
    this.ys.splice(k, 1)
    this.counts.splice(k, 1)
    this.firstRows.splice(k, 1)
    this.structure++
    this.compact()
  }

  /**
   * Adds points of one series, ascending in time, from position `from` of the arrays (the rest
   * were already held). Points at the time of the table's latest row fill that row.
   */
  add(id: string, times: ArrayLike<number>, values: ArrayLike<number>, from = 0): void {
    const k = this.addColumn(id)
    if (from >= times.length) return
    const n = times.length - from
    const last = this.x.length - 1
    if (last < 0 || times[from] >= this.x[last]) this.append(k, times, values, from)
    else this.mergeTail(k, times, values, from)
    this.counts[k] += n
  }

  /** Drops a series' `count` oldest points. */
  dropOldest(id: string, count: number): void {
    const k = this.column(id)
    if (k === -1 || count <= 0) return
    const col = this.ys[k]
    let left = Math.min(count, this.counts[k])
    this.counts[k] -= left
    let row = Math.max(0, this.firstRows[k])
    for (; left > 0 && row < col.length; row++) {
      if (!hasValue(col[row])) continue
      col[row] = Number.NaN
      left--
      if (this.rowEmpty(row)) this.emptyRows++
    }
    this.firstRows[k] = this.counts[k] === 0 ? -1 : this.nextValueRow(k, row)
    this.trimEmptyFront()
    if (this.emptyRows > 1024 && this.emptyRows > this.x.length / 4) this.compact()
  }

  /** Drops every point of a series (its column stays). */
  clearColumn(id: string): void {
    this.dropOldest(id, this.count(id))
  }

  /** Row range [i0, i1) whose times lie within [min, max]. */
  rowsWithin(min: number, max: number): [number, number] {
    return [lowerBound(this.x, min), upperBound(this.x, max)]
  }

  private append(k: number, times: ArrayLike<number>, values: ArrayLike<number>, from: number): void {
    const { x, ys } = this
    const col = ys[k]
    for (let i = from; i < times.length; i++) {
      const t = times[i]
      const last = x.length - 1
      if (last >= 0 && x[last] === t && !hasValue(col[last])) {
        col[last] = values[i]
      } else {
        x.push(t)
        for (let j = 0; j < ys.length; j++) ys[j].push(j === k ? values[i] : Number.NaN)
      }
      if (this.firstRows[k] === -1) this.firstRows[k] = x.length - 1
    }
  }

  /** Points older than the latest row: the rows after the first point's time are merged with them. */
  private mergeTail(k: number, times: ArrayLike<number>, values: ArrayLike<number>, from: number): void {
    const p = upperBound(this.x, times[from])
    const tailX = this.x.splice(p)
    const tailYs = this.ys.map((col) => col.splice(p))
    let i = from
    let r = 0
    const width = this.ys.length
    while (i < times.length || r < tailX.length) {
      // Ties: the row already there first, then the new point (in its own row).
      if (r < tailX.length && (i >= times.length || tailX[r] <= times[i])) {
        this.x.push(tailX[r])
        for (let j = 0; j < width; j++) this.ys[j].push(tailYs[j][r])
        r++
      } else {
        this.x.push(times[i])
        for (let j = 0; j < width; j++) this.ys[j].push(j === k ? values[i] : Number.NaN)
        i++
      }
    }
    // Rows from p on moved: every column whose oldest point lies there finds it again.
    for (let j = 0; j < width; j++) if (j === k ? this.firstRows[j] === -1 || this.firstRows[j] >= p : this.firstRows[j] >= p) this.firstRows[j] = this.nextValueRow(j, j === k ? 0 : p)
  }

  private rowEmpty(row: number): boolean {
    for (const col of this.ys) if (hasValue(col[row])) return false
    return true
  }

  private nextValueRow(k: number, from: number): number {
    const col = this.ys[k]
    for (let row = from; row < col.length; row++) if (hasValue(col[row])) return row
    return -1
  }

  /** Removes leading rows that hold nothing. */
  private trimEmptyFront(): void {
    let cut = 0
    while (cut < this.x.length && this.rowEmpty(cut)) cut++
    if (cut === 0) return
    this.x.splice(0, cut)
    for (const col of this.ys) col.splice(0, cut)
    this.emptyRows = Math.max(0, this.emptyRows - cut)
    for (let k = 0; k < this.firstRows.length; k++) if (this.firstRows[k] !== -1) this.firstRows[k] = Math.max(0, this.firstRows[k] - cut)
  }

  /** Removes every row that holds nothing (rare: after drops and column removals). */
  private compact(): void {
    let w = 0
    for (let row = 0; row < this.x.length; row++) {
      if (this.rowEmpty(row)) continue
      this.x[w] = this.x[row]
      for (const col of this.ys) col[w] = col[row]
      w++
    }
    this.x.length = w
    for (const col of this.ys) col.length = w
    this.emptyRows = 0
    for (let k = 0; k < this.ys.length; k++) this.firstRows[k] = this.nextValueRow(k, 0)
  }
}

/** First index with a[i] >= v. */
export function lowerBound(a: readonly number[], v: number): number {
  let lo = 0
  let hi = a.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (a[mid] < v) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** First index with a[i] > v. */
export function upperBound(a: readonly number[], v: number): number {
  let lo = 0
  let hi = a.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (a[mid] <= v) lo = mid + 1
    else hi = mid
  }
  return lo
}
