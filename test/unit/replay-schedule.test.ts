import { describe, expect, it } from 'vitest'
import { LatenessHistogram } from '../../electron/core/replay/lateness'
import { ReplaySchedule } from '../../electron/core/replay/schedule'

/** The send times (ms after the start) of recorded offsets in µs. */
function times(offsetsUs: number[], speed: number | null, maxGapMs?: number): number[] {
  const schedule = new ReplaySchedule({ speed, maxGapMs })
  return offsetsUs.map((t) => schedule.next(t))
}

describe('replay schedule', () => {
  it('keeps the recorded pace at 1×, measured from the first message', () => {
    expect(times([5_000_000, 5_000_500, 5_250_000, 6_000_000], 1)).toEqual([0, 0.5, 250, 1000])
  })

  it('divides by the speed: 10× is ten times faster, 0.1× ten times slower', () => {
    expect(times([0, 1_000_000, 3_000_000], 10)).toEqual([0, 100, 300])
    expect(times([0, 1_000, 2_000], 0.1)).toEqual([0, 10, 20])
  })

  it('shortens each gap longer than the cap to the cap, and moves everything after it earlier by the same', () => {
    // Gaps: 1 s, 60 s (capped to 2 s), 0.5 s, 10 s (capped to 2 s).
    expect(times([0, 1_000_000, 61_000_000, 61_500_000, 71_500_000], 1, 2000)).toEqual([0, 1000, 3000, 3500, 5500])
    // The cap is in recorded time, applied before the speed.
    expect(times([0, 60_000_000, 61_000_000], 2, 2000)).toEqual([0, 1000, 1500])
    // A gap of exactly the cap is kept.
    expect(times([0, 2_000_000], 1, 2000)).toEqual([0, 2000])
  })

  it('sends everything at once when as fast as possible', () => {
    expect(times([0, 1_000_000, 9_000_000], null, 100)).toEqual([0, 0, 0])
  })

  it('never goes backwards: an offset earlier than its predecessor is due with it', () => {
    expect(times([0, 2_000, 1_000, 3_000], 1)).toEqual([0, 2, 2, 3])
  })

  it('starts a new pass at 0 after reset (loop)', () => {
    const schedule = new ReplaySchedule({ speed: 1, maxGapMs: 10 })
    schedule.next(1_000)
    schedule.next(500_000)
    schedule.reset()
    expect([schedule.next(1_000), schedule.next(6_000)]).toEqual([0, 5])
  })
})

describe('replay lateness', () => {
  it('reports p95 and the exact maximum in bounded memory', () => {
    const h = new LatenessHistogram()
    expect(h.summary()).toBeNull()
    for (let i = 0; i < 95; i++) h.add(0.01)
    for (let i = 0; i < 4; i++) h.add(1.02)
    h.add(73.5)
    const s = h.summary()!
    // p95 is in the first bucket (0–0.05 ms); its upper edge is reported.
    expect(s.p95Ms).toBeCloseTo(0.05, 6)
    expect(s.maxMs).toBe(73.5)
    h.add(-3) // early counts as on time
    expect(h.count).toBe(101)
    expect(h.quantile(0.99)).toBeCloseTo(1.05, 6)
  })
})
