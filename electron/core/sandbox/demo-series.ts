/**
 * Smooth numeric series to chart: a bare number as text, a JSON object whose keys hold `.`, `/`
 * and `~` (so a field is addressed by JSON Pointer, RFC 6901: `/temp.c`, `/rh~1%`, `/co2~0ppm`),
 * and a binary float32 little-endian reading. Values are sums of slow sines of the wall clock,
 * so a chart shows waves, not noise, and two charts of one topic agree.
 */
import type { Random } from './demo-signals'
import type { DemoSource, FeedMessage } from './demo-source'

export const SERIES_TOPICS = { number: 'sandbox/series/sine', json: 'sandbox/series/climate', float32: 'sandbox/series/float32le' } as const

export interface SeriesOptions {
  rnd: Random
  /** Feed ticks between two values of the fast series (the number and the float32); default 2 (0.5 s). */
  every?: number
}

/** A wave of period `periodMs`, amplitude 1, at time `now`. */
function wave(now: number, periodMs: number, phase = 0): number {
  return Math.sin((2 * Math.PI * now) / periodMs + phase)
}

export class DemoSeries implements DemoSource {
  private readonly rnd: Random
  private readonly every: number
  private readonly phase: number

  constructor(options: SeriesOptions) {
    this.rnd = options.rnd
    this.every = options.every ?? 2
    this.phase = options.rnd() * Math.PI * 2
  }

  get topics(): string[] {
    return Object.values(SERIES_TOPICS)
  }

  initial(now: number): FeedMessage[] {
    return [this.number(now), this.climate(now), this.float32(now)]
  }

  tick(tick: number, now: number): FeedMessage[] {
    if (tick % this.every !== 0) return []
    const out = [this.number(now), this.float32(now)]
    if (tick % (this.every * 2) === 0) out.push(this.climate(now))
    return out
  }

  /** The value the float32 topic carries at `now`, before rounding to float32 (for tests and docs). */
  float32Value(now: number): number {
    return 230 + 6 * wave(now, 20_000, this.phase) + 1.5 * wave(now, 3_100)
  }

  private number(now: number): FeedMessage {
    const value = 50 + 40 * wave(now, 60_000, this.phase) + 8 * wave(now, 7_000)
    return { topic: SERIES_TOPICS.number, payload: Buffer.from(value.toFixed(3)), retain: true }
  }

  private climate(now: number): FeedMessage {
    const jitter = () => (this.rnd() - 0.5) * 0.05
    const value = {
      'temp.c': round2(21 + 3 * wave(now, 120_000, this.phase) + jitter()),
      'rh/%': round2(48 + 10 * wave(now, 90_000, this.phase + 1) + jitter()),
      'co2~ppm': Math.round(650 + 180 * wave(now, 300_000, this.phase + 2)),
      wind: { 'speed.m/s': round2(4 + 3 * wave(now, 45_000) + jitter()), 'dir.deg': Math.round(180 + 90 * wave(now, 600_000)) },
      ts: now,
    }
    return { topic: SERIES_TOPICS.json, payload: Buffer.from(JSON.stringify(value)), retain: true, contentType: 'application/json' }
  }

  private float32(now: number): FeedMessage {
    const payload = Buffer.alloc(4)
    payload.writeFloatLE(this.float32Value(now), 0)
    return { topic: SERIES_TOPICS.float32, payload, retain: true }
  }
}

function round2(value: number): number {
  return Math.round(value * 100) / 100
}
