/**
 * The points of one series: two parallel Float64Arrays (epoch ms, value) used as a ring once
 * full. Indexes count every point ever pushed, so a reader can ask "from index n" and tell a gap
 * (points dropped as the oldest) from nothing new. The arrays start small and double up to the
 * capacity, so a series of a quiet topic costs kilobytes, not the 3.2 MB of a full one.
 */

const INITIAL_SLOTS = 1024

export interface PointRange {
  firstIndex: number
  times: number[]
  values: number[]
  nextIndex: number
}

export class PointRing {
  private times: Float64Array
  private values: Float64Array
  /** Slot of the oldest point kept. */
  private head = 0
  private length = 0
  /** Index of the oldest point kept; grows as points are dropped. */
  private first = 0

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, not ${capacity}`)
    const slots = Math.min(capacity, INITIAL_SLOTS)
    this.times = new Float64Array(slots)
    this.values = new Float64Array(slots)
  }

  /** Index of the oldest point kept. */
  get firstIndex(): number {
    return this.first
  }

  /** Index the next point will get. */
  get nextIndex(): number {
    return this.first + this.length
  }

  get size(): number {
    return this.length
  }

  push(time: number, value: number): void {
    if (this.length === this.times.length && this.length < this.capacity) this.grow()
    if (this.length < this.times.length) {
      // Not wrapped yet while growing: head stays 0 until the ring is at capacity.
      const slot = (this.head + this.length) % this.times.length
      this.times[slot] = time
      this.values[slot] = value
      this.length++
      return
    }
    // Full at capacity: the oldest point makes room.
    this.times[this.head] = time
    this.values[this.head] = value
    this.head = (this.head + 1) % this.times.length
    this.first++
  }

  /** Drops every point; indexes go on from where they were, so readers see a clean gap. */
  clear(): void {
    this.first += this.length
    this.head = 0
    this.length = 0
  }

  /** Up to `maxPoints` points from index `from` (or the oldest kept, if that one is gone), oldest first. */
  range(from: number, maxPoints: number): PointRange {
    const start = Math.min(Math.max(from, this.first), this.nextIndex)
    const end = Math.min(this.nextIndex, start + Math.max(0, maxPoints))
    const times: number[] = []
    const values: number[] = []
    const slots = this.times.length
    for (let i = start; i < end; i++) {
      const slot = (this.head + (i - this.first)) % slots
      times.push(this.times[slot])
      values.push(this.values[slot])
    }
    return { firstIndex: start, times, values, nextIndex: end }
  }

  /** The newest point, or undefined when empty. */
  last(): { time: number; value: number } | undefined {
    if (this.length === 0) return undefined
    const slot = (this.head + this.length - 1) % this.times.length
    return { time: this.times[slot], value: this.values[slot] }
  }

  private grow(): void {
    const slots = Math.min(this.capacity, this.times.length * 2)
    const times = new Float64Array(slots)
    const values = new Float64Array(slots)
    // Growth happens only before the first wrap, so the kept points are in slots [head, head + length).
    times.set(this.times.subarray(this.head, this.head + this.length))
    values.set(this.values.subarray(this.head, this.head + this.length))
    this.times = times
    this.values = values
    this.head = 0
  }
}
