/** The series ring: growth, wrap at capacity (oldest dropped, indexes keep counting), ranges and reset. */
import { describe, expect, it } from 'vitest'
import { MAX_SERIES_POINTS } from '../../electron/api'
import { PointRing } from '../../electron/core/charts/point-ring'

function filled(capacity: number, count: number): PointRing {
  const ring = new PointRing(capacity)
  for (let i = 0; i < count; i++) ring.push(1000 + i, i * 0.5)
  return ring
}

describe('PointRing', () => {
  it('keeps points in order while it grows past its first allocation', () => {
    const ring = filled(5000, 3000)
    const all = ring.range(0, 5000)
    expect(all.firstIndex).toBe(0)
    expect(all.nextIndex).toBe(3000)
    expect(all.times[0]).toBe(1000)
    expect(all.values[2999]).toBe(1499.5)
    expect(all.times.every((t, i) => t === 1000 + i)).toBe(true)
  })

  it('drops the oldest points once full and keeps counting indexes', () => {
    const ring = filled(10, 25)
    expect(ring.size).toBe(10)
    expect(ring.firstIndex).toBe(15)
    expect(ring.nextIndex).toBe(25)
    const r = ring.range(0, 100)
    expect(r.firstIndex).toBe(15)
    expect(r.values).toEqual([15, 16, 17, 18, 19, 20, 21, 22, 23, 24].map((i) => i * 0.5))
    expect(ring.last()).toEqual({ time: 1024, value: 12 })
  })

  it(`holds ${MAX_SERIES_POINTS.toLocaleString('en')} points, the newest, after more arrive`, () => {
    const ring = filled(MAX_SERIES_POINTS, MAX_SERIES_POINTS + 12_345)
    expect(ring.size).toBe(MAX_SERIES_POINTS)
    expect(ring.firstIndex).toBe(12_345)
    const tail = ring.range(ring.nextIndex - 2, 10)
    expect(tail.values).toEqual([(MAX_SERIES_POINTS + 12_343) * 0.5, (MAX_SERIES_POINTS + 12_344) * 0.5])
    const head = ring.range(0, 1)
    expect(head).toEqual({ firstIndex: 12_345, times: [1000 + 12_345], values: [12_345 * 0.5], nextIndex: 12_346 })
  })

  it('answers a range from the middle, capped by maxPoints, and an empty range past the end', () => {
    const ring = filled(100, 50)
    expect(ring.range(10, 3)).toEqual({ firstIndex: 10, times: [1010, 1011, 1012], values: [5, 5.5, 6], nextIndex: 13 })
    expect(ring.range(80, 3)).toEqual({ firstIndex: 50, times: [], values: [], nextIndex: 50 })
  })

  it('clears on reset without reusing indexes', () => {
    const ring = filled(10, 7)
    ring.clear()
    expect(ring.size).toBe(0)
    expect(ring.firstIndex).toBe(7)
    ring.push(5, 1)
    expect(ring.range(0, 10)).toEqual({ firstIndex: 7, times: [5], values: [1], nextIndex: 8 })
  })
})
