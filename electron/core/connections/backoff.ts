/**
 * Reconnect delays: exponential growth with "full jitter" (a uniformly random delay between 0
 * and the exponential ceiling). Jitter matters because a broker restart drops every client at
 * the same instant; without it they would all come back in lock-step and hammer the broker.
 */

export interface BackoffSettings {
  /** Ceiling of the first attempt's delay. */
  initialDelayMs: number
  /** No delay ever exceeds this. */
  maxDelayMs: number
}

/** The largest delay attempt `attempt` (from 1) may wait: initial × 2^(attempt−1), capped. */
export function backoffCeiling(attempt: number, settings: BackoffSettings): number {
  const n = Math.max(1, Math.floor(attempt))
  const cap = Math.max(0, settings.maxDelayMs)
  const initial = Math.min(Math.max(0, settings.initialDelayMs), cap)
  // 2^31 already exceeds any sane cap; stop doubling early so the number never overflows.
  const exponent = Math.min(n - 1, 31)
  return Math.min(cap, initial * 2 ** exponent)
}

/**
 * Delay before reconnect attempt `attempt` (from 1). `random` returns a number in [0, 1) and is
 * injectable so the distribution can be tested deterministically.
 */
export function backoffDelay(attempt: number, settings: BackoffSettings, random: () => number = Math.random): number {
  const ceiling = backoffCeiling(attempt, settings)
  const r = Math.min(Math.max(random(), 0), 1)
  return Math.floor(r * ceiling)
}

/**
 * A connection that stayed up this long counts as healthy: its next outage starts again at
 * attempt 1. One that drops sooner (a broker that accepts and then kicks us, a flapping link)
 * carries on from the attempt it reached, so it is not hammered at attempt 1's rate forever.
 */
export const STABLE_CONNECTION_MS = 30_000

export interface NextAttempt {
  /** From 1. */
  attempt: number
  delayMs: number
}

/** The reconnect attempt counter of one session, with its reset rule. */
export class ReconnectBackoff {
  private attempt = 0
  private connectedAt: number | null = null

  constructor(
    private readonly settings: BackoffSettings,
    private readonly stableMs: number = STABLE_CONNECTION_MS,
    private readonly now: () => number = Date.now,
    private readonly random: () => number = Math.random,
  ) {}

  /** An attempt succeeded; the clock for "stayed up" starts now. */
  connected(): void {
    this.connectedAt = this.now()
  }

  /** The connection was lost, or an attempt failed: which attempt comes next, and after what delay. */
  next(): NextAttempt {
    if (this.connectedAt !== null) {
      if (this.now() - this.connectedAt >= this.stableMs) this.attempt = 0
      this.connectedAt = null
    }
    this.attempt++
    return { attempt: this.attempt, delayMs: backoffDelay(this.attempt, this.settings, this.random) }
  }
}
