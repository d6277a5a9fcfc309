import { describe, expect, it } from 'vitest'
import { backoffCeiling, backoffDelay, ReconnectBackoff, STABLE_CONNECTION_MS } from '../../electron/core/connections/backoff'

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

describe('reconnect attempt counter', () => {
  // random() = 0.999 puts each delay just under its attempt's ceiling, so delays show the attempt.
  const counter = (clock: { now: number }, stableMs?: number) => new ReconnectBackoff(settings, stableMs, () => clock.now, () => 0.999)

  it('grows while the broker stays away', () => {
    const clock = { now: 0 }
    const backoff = counter(clock)
    backoff.connected()
    expect([1, 2, 3, 4].map(() => backoff.next())).toEqual([
      { attempt: 1, delayMs: 999 },
      { attempt: 2, delayMs: 1998 },
      { attempt: 3, delayMs: 3996 },
      { attempt: 4, delayMs: 7992 },
    ])
  })

  it('starts again at attempt 1 after 20 outages, each after the connection stayed up 30 s', () => {
    const clock = { now: 0 }
    const backoff = counter(clock)
    const firstRetries: number[] = []
    for (let outage = 0; outage < 20; outage++) {
      backoff.connected()
      clock.now += STABLE_CONNECTION_MS
      firstRetries.push(backoff.next().delayMs)
      // Each outage lasts a few attempts before the broker is back.
      backoff.next()
      backoff.next()
      clock.now += 10_000
    }
    expect(firstRetries).toEqual(Array(20).fill(999))
  })

  it('carries on backing off when a connection drops before it proved stable', () => {
    const clock = { now: 0 }
    const backoff = counter(clock)
    backoff.connected()
    clock.now += 1000
    expect(backoff.next().attempt).toBe(1)
    expect(backoff.next().attempt).toBe(2)
    // Back, but kicked again after 5 s: the broker is not healthy yet.
    backoff.connected()
    clock.now += 5000
    expect(backoff.next()).toEqual({ attempt: 3, delayMs: 3996 })
    // Back and up for 30 s: healthy, so the next outage is a fresh one.
    backoff.connected()
    clock.now += STABLE_CONNECTION_MS
    expect(backoff.next()).toEqual({ attempt: 1, delayMs: 999 })
  })

  it('takes the stable window as a parameter (the restart test uses a short one)', () => {
    const clock = { now: 0 }
    const backoff = counter(clock, 200)
    backoff.connected()
    backoff.next()
    backoff.next()
    backoff.connected()
    clock.now += 200
    expect(backoff.next().attempt).toBe(1)
  })
})
