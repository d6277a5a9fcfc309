/**
 * The renderer's chart table: several series aligned on one time column (null where a series
 * has no point), appended in place, merged into the tail when a series' points are older,
 * trimmed from the oldest; the figures over a visible range; and how a renderer's copy follows
 * the main side's indexes (continue, overlap, gap, dropped).
 */
import { describe, expect, it } from 'vitest'
import { ChartTable } from '../../renderer/src/lib/charts/chart-table'
import { statsOf } from '../../renderer/src/lib/charts/chart-stats'
import { Decimator, ROWS_PER_COLUMN } from '../../renderer/src/lib/charts/decimate'
import { droppedCount, stepFor } from '../../renderer/src/lib/charts/series-sync'

/** The points of one column as [time, value] pairs, oldest first. */
function pointsOf(table: ChartTable, id: string): Array<[number, number]> {
  const k = table.column(id)
  const out: Array<[number, number]> = []
  table.x.forEach((t, i) => {
    const v = table.ys[k][i]
    if (!Number.isNaN(v)) out.push([t, v])
  })
  return out
}

describe('ChartTable', () => {
  it('appends newer points in place: the columns only grow', () => {
    const table = new ChartTable()
    table.add('a', [1, 2], [10, 20])
    const [x, ya] = [table.x, table.ys[0]]
    table.add('a', [3], [30])
    expect(table.x).toBe(x)
    expect(table.ys[0]).toBe(ya)
    expect(x).toEqual([1, 2, 3])
    expect(ya).toEqual([10, 20, 30])
  })

  it('aligns two series on one time column, sharing a row at equal times', () => {
    const table = new ChartTable()
    table.add('a', [1, 3], [10, 30])
    table.add('b', [3, 4], [300, 400])
    expect(table.x).toEqual([1, 3, 4])
    expect(table.ys).toEqual([[10, 30, NaN], [NaN, 300, 400]])
  })

  it('merges points older than the latest row into the tail, keeping time order', () => {
    const table = new ChartTable()
    table.add('a', [10, 20, 30, 40], [1, 2, 3, 4])
    table.add('b', [25, 35, 45], [250, 350, 450])
    expect(table.x).toEqual([10, 20, 25, 30, 35, 40, 45])
    expect(pointsOf(table, 'a')).toEqual([[10, 1], [20, 2], [30, 3], [40, 4]])
    expect(pointsOf(table, 'b')).toEqual([[25, 250], [35, 350], [45, 450]])
    expect(table.count('a')).toBe(4)
    expect(table.count('b')).toBe(3)
  })

  it('takes a batch from a position on (the start was held already)', () => {
    const table = new ChartTable()
    table.add('a', [1, 2, 3], [1, 2, 3], 2)
    expect(pointsOf(table, 'a')).toEqual([[3, 3]])
  })

  it('drops the oldest points of one series, and rows left empty go', () => {
    const table = new ChartTable()
    table.add('a', [1, 2, 3, 4], [1, 2, 3, 4])
    table.add('b', [2.5, 5], [25, 50])
    table.dropOldest('a', 2)
    expect(pointsOf(table, 'a')).toEqual([[3, 3], [4, 4]])
    expect(pointsOf(table, 'b')).toEqual([[2.5, 25], [5, 50]])
    expect(table.x[0]).toBe(2.5)
    expect(table.count('a')).toBe(2)
    table.dropOldest('b', 1)
    expect(table.x).toEqual([3, 4, 5])
    // Dropping after a merge uses the right oldest row.
    table.add('c', [0.5, 4.5], [5, 45])
    table.dropOldest('c', 1)
    expect(pointsOf(table, 'c')).toEqual([[4.5, 45]])
    expect(pointsOf(table, 'a')).toEqual([[3, 3], [4, 4]])
  })

  it('keeps a cap cheaply: 300,000 points in batches, trimmed to the newest 200,000', () => {
    const table = new ChartTable()
    for (let batch = 0; batch < 300; batch++) {
      const times = Array.from({ length: 1000 }, (_, i) => batch * 1000 + i)
      table.add('a', times, times)
      const excess = table.count('a') - 200_000
      if (excess > 0) table.dropOldest('a', excess)
    }
    expect(table.count('a')).toBe(200_000)
    expect(table.x).toHaveLength(200_000)
    expect(table.x[0]).toBe(100_000)
    expect(table.ys[0][199_999]).toBe(299_999)
  })

  it('removes a column and the rows only it had', () => {
    const table = new ChartTable()
    table.add('a', [1, 3], [1, 3])
    table.add('b', [2], [2])
    const before = table.structure
    table.removeColumn('a')
    expect(table.structure).toBeGreaterThan(before)
    expect(table.ids).toEqual(['b'])
    expect(table.x).toEqual([2])
    expect(table.ys).toEqual([[2]])
  })

  it('clears a column on reset and takes new points after it', () => {
    const table = new ChartTable()
    table.add('a', [1, 2], [1, 2])
    table.clearColumn('a')
    expect(table.count('a')).toBe(0)
    expect(table.x).toEqual([])
    table.add('a', [3], [3])
    expect(pointsOf(table, 'a')).toEqual([[3, 3]])
  })

  it('gives min, max, mean and last over the visible rows only', () => {
    const table = new ChartTable()
    table.add('a', [1, 2, 3, 4, 5], [5, -1, 7, 2, 100])
    table.add('b', [2.5], [9])
    const [i0, i1] = table.rowsWithin(2, 4)
    const [a, b] = statsOf(table, i0, i1)
    expect(a).toEqual({ count: 3, min: -1, max: 7, mean: 8 / 3, last: 2 })
    expect(b).toEqual({ count: 1, min: 9, max: 9, mean: 9, last: 9 })
    const [, none] = statsOf(table, ...table.rowsWithin(4, 5))
    expect(none).toEqual({ count: 0, min: null, max: null, mean: null, last: null })
  })
})

describe('Decimator', () => {
  it('keeps, per pixel column, each series’ lowest and highest value in order, and the exact last point', () => {
    const table = new ChartTable()
    const times = Array.from({ length: 100_000 }, (_, i) => i)
    // A slow wave with one spike up and one down that a naive every-n-th sample would miss.
    const values = times.map((i) => (i === 51_234 ? 1000 : i === 77_777 ? -1000 : Math.sin(i / 5000)))
    table.add('a', times, values)
    table.add('b', [10, 99_990], [5, 6])
    const columns = 500
    const [x, a, b] = new Decimator().run(table, 0, table.x.length, 0, 99_999, columns)
    expect(x.length).toBeLessThanOrEqual(ROWS_PER_COLUMN * columns + 1)
    expect(x.length).toBe(a.length)
    expect(Math.max(...(a.filter((v) => v !== null) as number[]))).toBe(1000)
    expect(Math.min(...(a.filter((v) => v !== null) as number[]))).toBe(-1000)
    expect(a.at(-1)).toBe(values.at(-1))
    expect(x[0]).toBe(0)
    expect(x.at(-1)).toBe(99_999)
    expect(b.filter((v) => v !== null).sort()).toEqual([5, 5, 6, 6])
    // Times ascend, so uPlot can take it as is.
    expect(x.every((t, i) => i === 0 || t >= x[i - 1])).toBe(true)
  })

  it('copies a few rows as they are, gaps as null', () => {
    const table = new ChartTable()
    table.add('a', [1, 3], [10, 30])
    table.add('b', [2], [20])
    expect(new Decimator().copy(table, 0, 3)).toEqual([[1, 2, 3], [10, null, 30], [null, 20, null]])
  })

  it('hands back the same arrays every frame', () => {
    const table = new ChartTable()
    table.add('a', [1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 5, 6, 7, 8, 9])
    const d = new Decimator()
    const first = d.run(table, 0, 9, 1, 9, 1)
    const second = d.run(table, 0, 9, 1, 9, 1)
    expect(second[0]).toBe(first[0])
    expect(second[1]).toBe(first[1])
    expect(second[1]).toEqual([1, 9, 9])
  })
})

describe('following the main side by index', () => {
  it('appends a batch that continues, takes the new part of an overlap, ignores a repeat', () => {
    expect(stepFor(10, { firstIndex: 10, nextIndex: 15 })).toEqual({ kind: 'append', from: 0 })
    expect(stepFor(10, { firstIndex: 7, nextIndex: 15 })).toEqual({ kind: 'append', from: 3 })
    expect(stepFor(10, { firstIndex: 5, nextIndex: 10 })).toEqual({ kind: 'ignore' })
  })

  it('fetches after a gap', () => {
    expect(stepFor(10, { firstIndex: 12, nextIndex: 15 })).toEqual({ kind: 'fetch', from: 10 })
  })

  it('drops what the main side no longer keeps (oldest dropped, or a reset)', () => {
    // Held indexes 90..99; the main side now keeps from 95 on.
    expect(droppedCount(100, 10, { firstIndex: 95 })).toBe(5)
    // A reset at index 100: everything held goes.
    expect(droppedCount(100, 10, { firstIndex: 100 })).toBe(10)
    expect(droppedCount(100, 10, { firstIndex: 80 })).toBe(0)
  })
})
