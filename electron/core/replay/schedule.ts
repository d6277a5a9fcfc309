/**
 * When each message of a replay is due: recorded offsets become milliseconds after the replay
 * started, at a speed and with long gaps capped. The dry run and the real run both fold the same
 * offsets through this, so the times a dry run lists are exactly the times a run aims for.
 *
 * The first message of a pass is due at 0 (a time window's empty start is not waited out). A gap
 * longer than `maxGapMs` between two consecutive messages counts as `maxGapMs`; the time removed
 * accumulates, so every later message moves earlier by the same amount and the schedule stays
 * absolute (`t0 + atMs`), never a chain of sleeps that would add up their errors.
 */

export interface ScheduleOptions {
  /** × the recorded pace; null = as fast as possible (everything is due at once). */
  speed: number | null
  /** Recorded gaps longer than this count as this long. */
  maxGapMs?: number
}

export class ReplaySchedule {
  private firstUs: number | null = null
  private previousUs = 0
  /** Recorded time taken out by the gap cap so far, µs. */
  private removedUs = 0
  private readonly maxGapUs: number | null

  constructor(private readonly options: ScheduleOptions) {
    this.maxGapUs = options.maxGapMs === undefined ? null : options.maxGapMs * 1000
  }

  /**
   * The send time of the next message, ms after the pass started. Offsets must come in file
   * order; one that goes backwards (a clock step in an imported file) is due with its predecessor.
   */
  next(offsetUs: number): number {
    if (this.firstUs === null) {
      this.firstUs = offsetUs
      this.previousUs = offsetUs
      return 0
    }
    const at = Math.max(offsetUs, this.previousUs)
    const gap = at - this.previousUs
    if (this.maxGapUs !== null && gap > this.maxGapUs) this.removedUs += gap - this.maxGapUs
    this.previousUs = at
    if (this.options.speed === null) return 0
    return (at - this.firstUs - this.removedUs) / 1000 / this.options.speed
  }

  /** Starts a new pass (loop): its first message is due at 0 again. */
  reset(): void {
    this.firstUs = null
    this.previousUs = 0
    this.removedUs = 0
  }
}
