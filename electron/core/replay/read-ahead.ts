/**
 * A bounded read-ahead over an async source: items are pulled until `maxItems` or `maxBytes` are
 * waiting, then the pull pauses until the consumer has taken half of them. The replay's timer
 * loop takes items synchronously, so the file's reading and parsing never sits between a due
 * time and its send, and a 1 GB recording holds only the read-ahead in memory. The pull works in
 * short slices (see time-slice.ts), so the timer loop is never held up for long.
 */
import { TimeSlice } from './time-slice'

export interface ReadAheadLimits {
  maxItems: number
  maxBytes: number
  /** Pull for at most this long before the event loop gets a turn (ms). */
  sliceMs: number
}

/**
 * A read-ahead of `T`s converted from a source of batches of `S`s (`convert` drops an `S` by
 * returning undefined). Batches, because a promise per message is a large part of the cost of
 * reading as fast as possible.
 */
export class ReadAhead<S, T> {
  private readonly items: T[] = []
  private head = 0
  private bytes = 0
  private ended = false
  private failure: unknown = null
  private resumePull: (() => void) | null = null
  private arrivalWaiters: Array<() => void> = []
  private closed = false
  private filledOnce = false

  constructor(
    private readonly source: AsyncIterator<S[]>,
    // The conversion runs here rather than in a generator of its own: each async generator
    // between the file and the consumer costs promises and microtasks per message.
    private readonly convert: (item: S) => T | undefined,
    private readonly limits: ReadAheadLimits,
    private readonly sizeOf: (item: T) => number,
    /** Called when the consumer may have been waiting: an item after none, the first fill, the end. */
    private readonly onArrival: () => void,
  ) {
    void this.pull()
  }

  get waiting(): number {
    return this.items.length - this.head
  }

  /** The source has ended (or failed) and every item was taken. */
  get exhausted(): boolean {
    return this.ended && this.waiting === 0
  }

  /** The read-ahead was full once, or the source ended: what follows is read while items are taken. */
  get primed(): boolean {
    return this.filledOnce || this.ended
  }

  /** Why the source failed, once it did. */
  get error(): unknown {
    return this.failure
  }

  peek(): T | undefined {
    return this.head < this.items.length ? this.items[this.head] : undefined
  }

  take(): T | undefined {
    if (this.head >= this.items.length) return undefined
    const item = this.items[this.head++]
    this.bytes -= this.sizeOf(item)
    if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items.splice(0, this.head)
      this.head = 0
    }
    if (this.resumePull && this.waiting <= this.limits.maxItems / 2 && this.bytes <= this.limits.maxBytes / 2) {
      const resume = this.resumePull
      this.resumePull = null
      resume()
    }
    return item
  }

  /** Resolves once an item is waiting or the source has ended. */
  arrival(): Promise<void> {
    if (this.waiting > 0 || this.ended) return Promise.resolve()
    return new Promise((resolve) => this.arrivalWaiters.push(resolve))
  }

  /** Stops pulling (the source's own abort signal ends its reading). */
  close(): void {
    this.closed = true
    this.resumePull?.()
    this.resumePull = null
    void this.source.return?.(undefined)?.catch?.(() => undefined)
  }

  private async pull(): Promise<void> {
    const slice = new TimeSlice(this.limits.sliceMs)
    try {
      for (;;) {
        if (slice.due) await slice.pause()
        if (this.closed) break
        const next = await this.source.next()
        if (next.done || this.closed) break
        const wasEmpty = this.waiting === 0
        for (const raw of next.value) {
          const item = this.convert(raw)
          if (item === undefined) continue
          this.items.push(item)
          this.bytes += this.sizeOf(item)
        }
        if (wasEmpty && this.waiting > 0) this.arrived()
        if (this.waiting >= this.limits.maxItems || this.bytes >= this.limits.maxBytes) {
          if (!this.filledOnce) {
            this.filledOnce = true
            this.arrived()
          }
          await new Promise<void>((resolve) => (this.resumePull = resolve))
        }
      }
    } catch (err) {
      if (!this.closed) this.failure = err
    }
    this.ended = true
    this.arrived()
  }

  private arrived(): void {
    if (this.arrivalWaiters.length > 0) for (const resolve of this.arrivalWaiters.splice(0)) resolve()
    this.onArrival()
  }
}
