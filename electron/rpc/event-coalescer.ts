/**
 * Bounds event traffic by time, not by input rate: within one window each stream (as the
 * contract's EVENT_STREAMS names it: a job, a probe, a connection) keeps only its latest payload,
 * except message batches, which merge so that no message goes uncounted. A stream's terminal
 * event (a job's "done") is never replaced, and what that stream sends after it is dropped.
 */
import { EVENT_STREAMS, type EventFrame, type EventName, type EventPayloads, type EventStream } from '../api'

/** Ended streams remembered, so a late non-terminal event cannot undo a "done" a window later. */
const ENDED_STREAMS_KEPT = 1024

export class EventCoalescer {
  /** Frames to deliver, in first-arrival order; a slot is replaced in place while its stream goes on. */
  private pending = new Map<string, EventFrame>()
  /** Streams whose terminal event has been queued or delivered (insertion order = age). */
  private ended = new Set<string>()
  private timer: ReturnType<typeof setTimeout> | null = null
  private lastFlush = 0
  /** When the pending timer should have fired. */
  private dueAt = 0

  constructor(
    private readonly intervalMs: number,
    private readonly deliver: (frame: EventFrame) => void,
  ) {}

  push<E extends EventName>(name: E, payload: EventPayloads[E]): void {
    const stream = EVENT_STREAMS[name] as EventStream<E>
    const id = stream.key(payload)
    const key = id === null ? name : `${name}\u0000${id}`
    const terminal = stream.terminal?.(payload) ?? false
    if (this.ended.has(key)) {
      // A stream that ended sends nothing more; a repeated last word changes nothing either.
      return
    }
    const previous = this.pending.get(key) as EventFrame<E> | undefined
    const next = previous && stream.merge ? stream.merge(previous.payload, payload) : payload
    this.pending.set(key, { t: 'evt', name, payload: next } as EventFrame)
    if (terminal) this.markEnded(key)
    // While a flood keeps the event loop busy, timers fire late: flush inline once a window is
    // overdue so the renderer still hears from us about every interval.
    if (this.timer && Date.now() >= this.dueAt + this.intervalMs) {
      clearTimeout(this.timer)
      this.flush()
      return
    }
    this.schedule()
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.pending.clear()
    this.ended.clear()
  }

  private markEnded(key: string): void {
    this.ended.add(key)
    if (this.ended.size > ENDED_STREAMS_KEPT) this.ended.delete(this.ended.values().next().value as string)
  }

  private schedule(): void {
    if (this.timer) return
    const wait = Math.max(0, this.lastFlush + this.intervalMs - Date.now())
    this.dueAt = Date.now() + wait
    this.timer = setTimeout(() => this.flush(), wait)
  }

  private flush(): void {
    this.timer = null
    this.lastFlush = Date.now()
    const frames = [...this.pending.values()]
    this.pending.clear()
    for (const frame of frames) this.deliver(frame)
  }
}
