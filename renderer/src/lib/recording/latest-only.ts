/**
 * Sends the latest of a burst of requests and drops the ones in between: while one is on its way,
 * newer values wait in a single slot, and only the newest is sent when the answer comes. Dragging
 * the timeline produces dozens of positions a second; the backend lets the last seek win, so the
 * ones nobody will see need not be sent at all.
 */
export interface LatestOnly<T> {
  /** Asks for `value` to be sent; resolves once it (or a newer value that replaced it) is answered. */
  push(value: T): Promise<void>
  /** True while a request is on its way. */
  busy(): boolean
}

export function latestOnly<T>(send: (value: T) => Promise<unknown>): LatestOnly<T> {
  let inFlight: Promise<void> | null = null
  let waiting: { value: T } | null = null
  let waiters: (() => void)[] = []

  async function drain(): Promise<void> {
    while (waiting) {
      const { value } = waiting
      waiting = null
      const done = waiters
      waiters = []
      try {
        await send(value)
      } catch {
        // The caller shows errors from the state it gets back; a failed seek must not stop later ones.
      }
      for (const w of done) w()
    }
    inFlight = null
  }

  return {
    push(value) {
      waiting = { value }
      const answered = new Promise<void>((resolve) => waiters.push(resolve))
      inFlight ??= drain()
      return answered
    },
    busy: () => inFlight !== null,
  }
}
