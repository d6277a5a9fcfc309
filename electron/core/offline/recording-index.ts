/**
 * What one read of a recording learns for its timeline: every message's offset (µs from the
 * start) in Float64Array chunks, and the reconnect gaps. 8 bytes a message, so a 1 GB file of
 * ~2 million messages costs ~16 MB here, not a JavaScript object each. Fixed-size chunks rather
 * than one doubling array: no copy of the whole index when it grows, and at most one chunk unused
 * (a doubling array holds up to twice what it needs, and both copies while it grows).
 *
 * No byte offsets: a backward seek re-reads from the start (gzip cannot seek anyway, and
 * readRecording, the one way to read a file, starts at the header), and a forward one continues
 * the reader it already has.
 */

/** Offsets per chunk (512 KB). */
const CHUNK = 65_536
const CHUNK_BITS = 16

export interface IndexedGap {
  atUs: number
  durationUs: number
}

export class RecordingIndex {
  private readonly chunks: Float64Array[] = []
  private size = 0
  readonly gaps: IndexedGap[] = []

  /** Messages indexed so far. */
  get count(): number {
    return this.size
  }

  /** Offset of the last indexed message (0 with none). */
  get lastOffsetUs(): number {
    return this.size === 0 ? 0 : this.at(this.size - 1)
  }

  push(offsetUs: number): void {
    const slot = this.size & (CHUNK - 1)
    if (slot === 0) this.chunks.push(new Float64Array(CHUNK))
    this.chunks[this.chunks.length - 1][slot] = offsetUs
    this.size++
  }

  addGap(atUs: number, durationUs: number): void {
    this.gaps.push({ atUs, durationUs })
  }

  /** Offset of message `index` (0-based); undefined past what is indexed. */
  offsetAt(index: number): number | undefined {
    return index >= 0 && index < this.size ? this.at(index) : undefined
  }

  /**
   * How many indexed messages have an offset ≤ `us`: the tree's position for the time `us`.
   * Offsets only grow within a file, so a binary search finds it.
   */
  countUpTo(us: number): number {
    let lo = 0
    let hi = this.size
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (this.at(mid) <= us) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  private at(index: number): number {
    return this.chunks[index >>> CHUNK_BITS][index & (CHUNK - 1)]
  }
}
