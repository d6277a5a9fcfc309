import { describe, expect, it } from 'vitest'
import { backoffCeiling, backoffDelay } from '../../electron/core/connections/backoff'

const settings = { initialDelayMs: 1000, maxDelayMs: 30_000 }

describe('reconnect backoff', () => {
  it('doubles the ceiling per attempt up to the maximum', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffCeiling(n, settings))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000])
  })

  it('never overflows or exceeds the cap on huge attempt numbers', () => {
    expect(backoffCeiling(10_000, settings)).toBe(30_000)
    expect(backoffDelay(10_000, settings, () => 0.999999)).toBeLessThanOrEqual(30_000)
  })

  it('spreads delays uniformly between zero and the ceiling (full jitter)', () => {
    expect(backoffDelay(3, settings, () => 0)).toBe(0)
    expect(backoffDelay(3, settings, () => 0.5)).toBe(2000)
    expect(backoffDelay(3, settings, () => 0.999)).toBe(3996)
  })

  it('caps the first delay too when the maximum is below the initial delay', () => {
    expect(backoffCeiling(1, { initialDelayMs: 5000, maxDelayMs: 2000 })).toBe(2000)
  })

  it('treats attempt numbers below 1 as the first attempt and clamps odd random values', () => {
    expect(backoffCeiling(0, settings)).toBe(1000)
    expect(backoffDelay(1, settings, () => 7)).toBe(1000)
    expect(backoffDelay(1, settings, () => -1)).toBe(0)
  })
})
