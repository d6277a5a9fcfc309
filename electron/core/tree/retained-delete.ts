/**
 * Deleting retained messages: one empty retained PUBLISH per topic, QoS 1 so each one is
 * confirmed by the broker. A branch can hold 100k retained topics, so publishes go out in a
 * sliding window (bounded in flight: the broker and our socket never get a flood) and progress
 * is reported at most every PROGRESS_INTERVAL_MS, plus once at the end. The tree itself updates
 * when the broker echoes the deletions back, as for any other client's deletion.
 */
import type { TreeDeleteProgress } from '../../api/tree'
import { ApiError, type ApiErrorData } from '../../api/errors'

/** Publishes waiting for their PUBACK at most. */
export const MAX_IN_FLIGHT = 32
/** Progress events at most every this many ms (≤ 20 per second). */
export const PROGRESS_INTERVAL_MS = 50

export interface RetainedDeleteOptions {
  connectionId: string
  jobId: string
  /** The branch or topic the user chose (shown with the progress). */
  path: string
  /** Emptied when the job ends. */
  topics: string[]
  /** Publishes an empty retained QoS 1 message; resolves on PUBACK. */
  publish(topic: string): Promise<void>
  onProgress(progress: TreeDeleteProgress): void
  maxInFlight?: number
  progressIntervalMs?: number
  /** Clock for pacing (tests pass a fake one). */
  now?: () => number
}

export class RetainedDeleteJob {
  private done = 0
  private state: TreeDeleteProgress['state'] = 'running'
  private error: string | undefined
  private errorData: ApiErrorData | undefined
  private lastReport = -Infinity
  private pendingReport: ReturnType<typeof setTimeout> | null = null
  private readonly now: () => number
  private readonly total: number
  /** Resolves when the job left 'running' and nothing is in flight any more. */
  readonly finished: Promise<TreeDeleteProgress>

  constructor(private readonly options: RetainedDeleteOptions) {
    this.now = options.now ?? Date.now
    this.total = options.topics.length
    this.finished = this.run()
  }

  progress(): TreeDeleteProgress {
    const p: TreeDeleteProgress = {
      connectionId: this.options.connectionId,
      jobId: this.options.jobId,
      path: this.options.path,
      state: this.state,
      done: this.done,
      total: this.total,
    }
    if (this.error !== undefined) p.error = this.error
    if (this.errorData !== undefined) p.errorData = this.errorData
    return p
  }

  /** Stops sending; publishes already in flight still finish (and count). */
  cancel(): void {
    if (this.state === 'running') this.state = 'cancelled'
  }

  private async run(): Promise<TreeDeleteProgress> {
    const { topics, publish } = this.options
    const window = Math.max(1, this.options.maxInFlight ?? MAX_IN_FLIGHT)
    let next = 0
    // A fixed set of workers, each taking the next topic when its previous publish is confirmed.
    const worker = async (): Promise<void> => {
      while (this.state === 'running' && next < topics.length) {
        const topic = topics[next++]
        try {
          await publish(topic)
          this.done++
          this.report(false)
        } catch (err) {
          if (this.state === 'running') {
            this.state = 'error'
            this.error = err instanceof Error ? err.message : String(err)
            if (err instanceof ApiError) this.errorData = err.toJSON()
          }
        }
      }
    }
    await Promise.all(Array.from({ length: Math.min(window, topics.length) }, worker))
    // A finished job is kept for late cancels and status; its topic list is not needed any more.
    this.options.topics = []
    if (this.state === 'running') this.state = 'done'
    this.report(true)
    return this.progress()
  }

  /** Emits now when the interval has passed (or `final`), else once at the end of the interval. */
  private report(final: boolean): void {
    const interval = this.options.progressIntervalMs ?? PROGRESS_INTERVAL_MS
    const now = this.now()
    if (final) {
      if (this.pendingReport !== null) clearTimeout(this.pendingReport)
      this.pendingReport = null
    } else if (now - this.lastReport < interval) {
      this.pendingReport ??= setTimeout(() => {
        this.pendingReport = null
        if (this.state === 'running') this.report(false)
      }, interval - (now - this.lastReport))
      return
    }
    this.lastReport = now
    this.options.onProgress(this.progress())
  }
}
