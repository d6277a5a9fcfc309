/**
 * Turns a connection's message stream into at most one {@link MessageBatchEvent} per interval.
 * The renderer's load is bounded by time, never by the broker's message rate: a burst of a
 * million messages costs one event that counts them all and lists only the newest few.
 */
import { MAX_MESSAGES_PER_BATCH, type MessageBatchEvent, type MessageSummary } from '../../api'

/**
 * The newest `n` messages received, oldest first. It must hold at least `maxMessages`, so that
 * the newest min(count, maxMessages) it returns at a flush are exactly the batch's newest.
 */
export type NewestMessages = (n: number) => MessageSummary[]

export class MessageBatcher {
  private count = 0
  private total = 0
  private totalBytes = 0
  private timer: ReturnType<typeof setTimeout> | null = null
  private dueAt = 0
  private closed = false

  constructor(
    private readonly connectionId: string,
    private readonly intervalMs: number,
    private readonly emit: (batch: MessageBatchEvent) => void,
    private readonly newest: NewestMessages,
    private readonly maxMessages: number = MAX_MESSAGES_PER_BATCH,
  ) {}

  /**
   * Counts one message that `newest` already holds; O(1), and the only allocation is the timer
   * once per interval. `time` (the message's arrival) doubles as the clock, so the hot path reads
   * no extra time.
   */
  add(time: number, total: number, totalBytes: number): void {
    if (this.closed) return
    this.count++
    this.total = total
    this.totalBytes = totalBytes
    if (this.timer === null) {
      this.dueAt = time + this.intervalMs
      this.timer = setTimeout(this.flush, this.intervalMs)
    } else if (time >= this.dueAt) {
      // mqtt.js parses a socket backlog in one long process.nextTick chain, which starves
      // timers; flushing inline keeps the renderer updating while a flood is being drained.
      this.flush()
    }
  }

  /** Emits what is pending now (e.g. before the connection goes away). */
  readonly flush = (): void => {
    if (this.timer !== null) clearTimeout(this.timer)
    this.timer = null
    if (this.count === 0) return
    const batch: MessageBatchEvent = {
      connectionId: this.connectionId,
      // Summaries (and their previews) are built here, for the few shown, not per message.
      messages: this.newest(Math.min(this.count, this.maxMessages)),
      count: this.count,
      total: this.total,
      totalBytes: this.totalBytes,
    }
    this.count = 0
    this.emit(batch)
  }

  /** Drops anything pending; later adds are ignored. */
  close(): void {
    if (this.timer !== null) clearTimeout(this.timer)
    this.timer = null
    this.closed = true
    this.count = 0
  }
}
