/**
 * Turns a connection's message stream into at most one {@link MessageBatchEvent} per interval.
 * The renderer's load is bounded by time, never by the broker's message rate: a burst of a
 * million messages costs one event that counts them all and lists only the newest few.
 */
import { MAX_MESSAGES_PER_BATCH, type MessageBatchEvent, type MessageSummary } from '../../api'
import { RecentRing } from './recent-ring'

export class MessageBatcher {
  private readonly pending: RecentRing<MessageSummary>
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
    maxMessages: number = MAX_MESSAGES_PER_BATCH,
  ) {
    this.pending = new RecentRing<MessageSummary>(maxMessages)
  }

  /**
   * Counts one message; O(1), and the only allocation is the timer once per interval.
   * `summary.time` doubles as the clock, so the hot path reads no extra time.
   */
  add(summary: MessageSummary, total: number, totalBytes: number): void {
    if (this.closed) return
    this.pending.push(summary)
    this.count++
    this.total = total
    this.totalBytes = totalBytes
    if (this.timer === null) {
      this.dueAt = summary.time + this.intervalMs
      this.timer = setTimeout(this.flush, this.intervalMs)
    } else if (summary.time >= this.dueAt) {
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
      messages: this.pending.newest(),
      count: this.count,
      total: this.total,
      totalBytes: this.totalBytes,
    }
    this.pending.clear()
    this.count = 0
    this.emit(batch)
  }

  /** Drops anything pending; later adds are ignored. */
  close(): void {
    if (this.timer !== null) clearTimeout(this.timer)
    this.timer = null
    this.closed = true
    this.pending.clear()
    this.count = 0
  }
}
