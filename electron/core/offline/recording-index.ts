/**
 * What one read of a recording learns for its timeline: every message's offset (µs from the
 * start) in a growable Float64Array, and the reconnect gaps. 8 bytes a message, so a 1 GB file of
 * ~3 million messages costs ~24 MB here, not a JavaScript object each.
 *
 * No byte offsets: a backward seek re-reads from the start (gzip cannot seek anyway, and
 * readRecording, the one way to read a file, starts at the header), and a forward one continues
 * the reader it already has.
 */
const INITIAL_CAPACITY = 4096

export interface IndexedGap {
  atUs: number
  durationUs: number
}

export class RecordingIndex {
  private offsets = new Float64Array(INITIAL_CAPACITY)
  private size = 0
  readonly gaps: IndexedGap[] = []

  /** Messages indexed so far. */
  get count(): number {
    return this.size
  }

  /** Offset of the last indexed message (0 with none). */
  get lastOffsetUs(): number {
    return this.size === 0 ? 0 : this.offsets[this.size - 1]
  }

  push(offsetUs: number): void {
    if (this.size === this.offsets.length) {
      const grown = new Float64Array(this.offsets.length * 2)
      grown.set(this.offsets)
      this.offsets = grown
    }
    this.offsets[this.size++] = offsetUs
  }

  addGap(atUs: number, durationUs: number): void {
    this.gaps.push({ atUs, durationUs })
  }

  /** Offset of message `index` (0-based); undefined past what is indexed. */
  offsetAt(index: number): number | undefined {
    return index >= 0 && index < this.size ? this.offsets[index] : undefined
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
      if (this.offsets[mid] <= us) lo = mid + 1
      else hi = mid
    }
    return lo
  }
}
