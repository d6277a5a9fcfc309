/**
 * Lets a long read give the event loop back every so often. Reading a recording is a chain of
 * microtasks between file chunks (1 MB, a thousand lines and more), which no timer can
 * interrupt: without a pause a scan would hold a replay's due messages for tens of milliseconds.
 */
export class TimeSlice {
  private started = performance.now()

  constructor(private readonly budgetMs: number) {}

  /** The budget of this slice is used up: `await pause()` before doing more. */
  get due(): boolean {
    return performance.now() - this.started >= this.budgetMs
  }

  /** One turn of the event loop (timers and I/O run), then a new slice. */
  async pause(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve))
    this.started = performance.now()
  }
}
