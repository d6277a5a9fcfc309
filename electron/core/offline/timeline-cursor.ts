/**
 * A reader that walks a recording forward from its start, applying messages to the tree until a
 * target says stop. It keeps its place between calls (the message that stopped it waits as
 * `next`), so forward seeks, steps and play continue where the last one ended; going backward
 * means a new cursor on an emptied tree.
 *
 * A cursor made for a tree that already holds the first `skip` messages (the open's read filled
 * it) reads past them without applying them again.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises'
import type { RecordedMessage } from '../recording/format'
import { readRecordingBatches, type RecordingItem } from '../recording/recording-source'

/** Longest stretch of applying before other requests (a newer seek, a pause) get a turn. */
const SLICE_MS = 20

/** True to apply the message with this offset at this index (0-based), false to stop before it. */
export type ApplyWhile = (offsetUs: number, index: number) => boolean

export class TimelineCursor {
  private readonly batches: AsyncGenerator<RecordingItem[]>
  /** The batch being applied and the index of its next item: one promise per batch, not per message. */
  private batch: RecordingItem[] = []
  private inBatch = 0
  private waiting: RecordedMessage | null = null
  private read = 0
  private done = false
  private lastUs: number

  constructor(
    path: string,
    private readonly apply: (message: RecordedMessage) => void,
    private readonly skip = 0,
    skippedLastUs = 0,
  ) {
    // Each message is applied before the next batch is read (the one `waiting` too), and the
    // tree copies what it keeps: payloads may be decoded into a reused buffer.
    this.batches = readRecordingBatches(path, undefined, { transientPayloads: true })
    this.lastUs = skippedLastUs
  }

  /** Messages the tree holds: those applied, and those it held before. */
  get position(): number {
    return Math.max(this.read, this.skip)
  }

  /** Offset of the last message the tree holds (0 with none). */
  get lastOffsetUs(): number {
    return this.lastUs
  }

  /** Offset of the message the last advance stopped before; undefined once the file is read to its end. */
  get nextOffsetUs(): number | undefined {
    return this.waiting?.offsetUs
  }

  get ended(): boolean {
    return this.done && this.waiting === null
  }

  /**
   * Applies messages while `applyWhile` says so, the file has more and `signal` is not aborted.
   * Yields to the event loop every SLICE_MS so a newer request can abort it.
   */
  async advance(applyWhile: ApplyWhile, signal: AbortSignal): Promise<void> {
    let sliceStart = performance.now()
    let sinceCheck = 0
    while (!signal.aborted) {
      const next = this.waiting ?? this.nextInBatch()
      if (next === null) {
        if (!(await this.refill())) return
        continue
      }
      const skipping = this.read < this.skip
      if (!skipping && !applyWhile(next.offsetUs, this.read)) {
        this.waiting = next
        return
      }
      this.waiting = null
      if (!skipping) {
        this.apply(next)
        this.lastUs = next.offsetUs
      }
      this.read++
      if (++sinceCheck === 256) {
        sinceCheck = 0
        if (performance.now() - sliceStart > SLICE_MS) {
          await yieldToEventLoop()
          sliceStart = performance.now()
        }
      }
    }
  }

  /** Closes the file. */
  async close(): Promise<void> {
    this.done = true
    this.waiting = null
    this.batch = []
    await this.batches.return(undefined)
  }

  /** The next message of the batch in hand, or null when it has no more. */
  private nextInBatch(): RecordedMessage | null {
    const batch = this.batch
    while (this.inBatch < batch.length) {
      const item = batch[this.inBatch++]
      if (item.kind === 'message') return item.message
    }
    return null
  }

  /** Reads the next batch (the one before is used up, so its payloads may be overwritten); false at the end. */
  private async refill(): Promise<boolean> {
    if (this.done) return false
    const read = await this.batches.next()
    if (read.done) {
      this.done = true
      this.batch = []
      return false
    }
    this.batch = read.value
    this.inBatch = 0
    return true
  }
}
