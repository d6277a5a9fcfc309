/**
 * Bounds event traffic by time, not by input rate: within one window each stream (an event
 * name plus, where the payload names one, its connection) keeps only its latest payload, except
 * message batches, which merge so that no message goes uncounted.
 */
import { mergeMessageBatches, type EventFrame, type EventName, type EventPayloads, type MessageBatchEvent } from '../api'

export class EventCoalescer {
  private pending = new Map<string, EventFrame>()
  private timer: ReturnType<typeof setTimeout> | null = null
  private lastFlush = 0
  /** When the pending timer should have fired. */
  private dueAt = 0

  constructor(
    private readonly intervalMs: number,
    private readonly deliver: (frame: EventFrame) => void,
  ) {}

  push<E extends EventName>(name: E, payload: EventPayloads[E]): void {
    const key = streamKey(name, payload)
    const previous = this.pending.get(key)
    if (previous && name === 'messages.batch') {
      const merged = mergeMessageBatches(previous.payload as MessageBatchEvent, payload as MessageBatchEvent)
      this.pending.set(key, { t: 'evt', name, payload: merged } as EventFrame)
    } else {
      this.pending.set(key, { t: 'evt', name, payload } as EventFrame)
    }
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

function streamKey(name: EventName, payload: unknown): string {
  const id = (payload as { connectionId?: unknown } | null)?.connectionId
  return typeof id === 'string' ? `${name}:${id}` : name
}
