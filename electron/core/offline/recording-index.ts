/**
 * What one read of a recording learns for its timeline: every message's offset (µs from the
 * start) and the reconnect gaps. Offsets are kept in fixed-size chunks, each its first offset
 * plus a Uint32Array of the others' distance from it: 4 bytes a message, so a 1 GB file of ~2
 * million messages costs ~8 MB here (16 MB as Float64Array chunks), not a JavaScript object each.
 * A chunk whose offsets do not fit (not whole µs, going backwards, or 65,536 messages spread over
 * more than 71 minutes) is widened to a Float64Array once, so every offset stays exact. Fixed-size
 * chunks rather than one doubling array: no copy of the whole index when it grows, and at most one
 * chunk unused (a doubling array holds up to twice what it needs, and both copies while it grows).
 *
 * No byte offsets: a backward seek re-reads from the start (gzip cannot seek anyway, and
 * readRecording, the one way to read a file, starts at the header), and a forward one continues
 * the reader it already has.
 */

/** Offsets per chunk (256 KB as distances, 512 KB widened). */
const CHUNK = 65_536
const CHUNK_BITS = 16

export interface IndexedGap {
  atUs: number
  durationUs: number
}

const MAX_DISTANCE = 0xffff_ffff

export class RecordingIndex {
  /** Each chunk's first offset. */
  private readonly bases: number[] = []
  /** Each chunk's offsets as distances from its base, or null once widened. */
  private readonly narrow: (Uint32Array | null)[] = []
  /** The chunks whose offsets did not fit a distance, as they are (null while narrow). */
  private readonly wide: (Float64Array | null)[] = []
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
    if (slot === 0) {
      this.bases.push(offsetUs)
      this.narrow.push(new Uint32Array(CHUNK))
      this.wide.push(null)
    }
    const c = this.bases.length - 1
    const wide = this.wide[c]
    const distance = offsetUs - this.bases[c]
    if (wide !== null) wide[slot] = offsetUs
    else if (distance >= 0 && distance <= MAX_DISTANCE && Number.isInteger(distance)) this.narrow[c]![slot] = distance
    else this.widen(c, slot)[slot] = offsetUs
    this.size++
  }

  /** Chunk `c` as exact offsets from now on (its first `filled` converted). */
  private widen(c: number, filled: number): Float64Array {
    const wide = new Float64Array(CHUNK)
    const narrow = this.narrow[c]!
    const base = this.bases[c]
    for (let i = 0; i < filled; i++) wide[i] = base + narrow[i]
    this.wide[c] = wide
    this.narrow[c] = null
    return wide
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
    const c = index >>> CHUNK_BITS
    const wide = this.wide[c]
    return wide !== null ? wide[index & (CHUNK - 1)] : this.bases[c] + this.narrow[c]![index & (CHUNK - 1)]
  }
}
