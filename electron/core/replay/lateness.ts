/**
 * How late a replay's messages went out against their schedule, in constant memory: a histogram
 * of 0.05 ms buckets up to 50 ms (later ones share an overflow bucket) and the exact maximum. A
 * replay may run for days; an array of every lateness would grow with it.
 */

const BUCKET_MS = 0.05
const BUCKETS = 1000

export class LatenessHistogram {
  private readonly counts = new Uint32Array(BUCKETS + 1)
  private n = 0
  private max = 0

  add(ms: number): void {
    const late = ms > 0 ? ms : 0
    const i = Math.min(BUCKETS, Math.floor(late / BUCKET_MS))
    this.counts[i]++
    this.n++
    if (late > this.max) this.max = late
  }

  get count(): number {
    return this.n
  }

  /** The bucket's upper edge the quantile falls in (never above the maximum), ms; null before any sample. */
  quantile(q: number): number | null {
    if (this.n === 0) return null
    const rank = Math.ceil(q * this.n)
    let seen = 0
    for (let i = 0; i <= BUCKETS; i++) {
      seen += this.counts[i]
      if (seen >= rank) return i === BUCKETS ? this.max : Math.min(this.max, (i + 1) * BUCKET_MS)
    }
    return this.max
  }

  summary(): { p95Ms: number; maxMs: number } | null {
    const p95 = this.quantile(0.95)
    return p95 === null ? null : { p95Ms: round3(p95), maxMs: round3(this.max) }
  }
}

const round3 = (n: number): number => Math.round(n * 1000) / 1000
