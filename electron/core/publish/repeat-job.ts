/**
 * One repeat job: publishes a message again and again on the main side (so it goes on when a
 * window reloads), paced by interval, rate or as fast as the connection takes it, until a count,
 * a duration or Stop. It sends through a SendWindow (send-window.ts): in-flight messages are
 * bounded and counts are exact, every message handed over is acknowledged or failed at the end.
 */
import { ApiError, type ApiErrorData, type PublishAck, type RepeatJob, type RepeatPace, type RepeatUntil } from '../../api'
import type { PublishChannel } from '../connections/connection-manager'
import type { PreparedMessage } from './prepare-message'
import { JOB_PROGRESS_MS, RateMeter, SEND_BURST, SendWindow, acknowledgedSentence, refusalSentence, type JobEndState } from './send-window'

export interface RepeatJobOptions {
  jobId: string
  connectionId: string
  topic: string
  qos: 0 | 1 | 2
  pace: RepeatPace
  until: RepeatUntil
  channel: PublishChannel
  /** The message numbered `counter` (1-based), ready to send; throws ApiError when it cannot be made. */
  prepare: (counter: number) => PreparedMessage
  onProgress: (job: RepeatJob) => void
}

export class RepeatJobRun {
  private readonly job: RepeatJob
  private readonly window: SendWindow
  private timer: ReturnType<typeof setTimeout> | null = null
  private immediate: ReturnType<typeof setImmediate> | null = null
  private progressTimer: ReturnType<typeof setInterval> | null = null
  private pumping = false
  private rate: RateMeter

  constructor(private readonly options: RepeatJobOptions) {
    const { jobId, connectionId, topic, qos, pace, until } = options
    this.job = { jobId, connectionId, topic, qos, pace, until, state: 'running', sent: 0, acknowledged: 0, failed: 0, ratePerSecond: 0, startedAt: Date.now() }
    this.rate = new RateMeter(this.job.startedAt)
    this.window = new SendWindow(options.channel, this.job, {
      refused: (ack) => this.refused(ack),
      lost: (err) => this.lost(err),
      room: () => {
        if (this.timer === null) this.soon()
      },
      finished: (state) => this.finished(state),
    })
  }

  /** A copy of the job's state. */
  snapshot(): RepeatJob {
    const copy = { ...this.job }
    if (this.job.error) copy.error = { ...this.job.error }
    return copy
  }

  get running(): boolean {
    return this.job.state === 'running'
  }

  start(): void {
    this.job.startedAt = Date.now()
    this.rate = new RateMeter(this.job.startedAt)
    this.progressTimer = setInterval(() => this.report(), JOB_PROGRESS_MS)
    this.pump()
  }

  /** Stops sending now; resolves once what was in flight is answered (or given up on). */
  async stop(): Promise<RepeatJob> {
    if (this.running) this.endSending('stopped')
    await this.window.settled()
    return this.snapshot()
  }

  /** The connection went away: nothing more is sent and the job ends `failed`. */
  connectionLost(error: ApiErrorData): void {
    if (!this.running || this.window.ended) return
    this.fail(error)
  }

  private fail(error: ApiErrorData): void {
    this.job.error = error
    this.endSending('failed')
  }

  private endSending(state: JobEndState): void {
    if (this.window.ended) return
    if (this.timer) clearTimeout(this.timer)
    if (this.immediate) clearImmediate(this.immediate)
    this.timer = null
    this.immediate = null
    this.window.end(state)
  }

  private finished(state: JobEndState): void {
    if (this.progressTimer) clearInterval(this.progressTimer)
    this.progressTimer = null
    this.job.state = state
    this.job.endedAt = Date.now()
    this.job.ratePerSecond = Math.round(this.rate.perSecond(this.job.endedAt, this.job.sent))
    if (state === 'failed' && this.job.error) {
      // The sentence states exactly what the broker confirmed before the end.
      this.job.error = { ...this.job.error, message: `${this.job.error.message} ${acknowledgedSentence(this.job)}`.trim() }
    }
    this.options.onProgress(this.snapshot())
  }

  private refused(ack: PublishAck): void {
    this.job.error ??= new ApiError('MQTT_PUBLISH_FAILED', refusalSentence(ack), { pubackCode: ack.reasonCode }).toJSON()
  }

  private lost(err: ApiError): void {
    if (this.window.ended) return
    const data = err.toJSON()
    this.fail({ ...data, code: data.code === 'MQTT_PUBLISH_FAILED' || data.code === 'MQTT_NOT_CONNECTED' ? 'CONNECTION_LOST' : data.code, message: 'The connection dropped, so the repeat job stopped.' })
  }

  /** How many messages should have been sent by `now` (pace), capped by `until`'s count. */
  private dueBy(now: number): number {
    const { pace, until } = this.job
    const elapsed = now - this.job.startedAt
    let due = pace.kind === 'max' ? Number.POSITIVE_INFINITY : pace.kind === 'interval' ? Math.floor(elapsed / pace.ms) + 1 : Math.floor((elapsed * pace.perSecond) / 1000) + 1
    if (until.kind === 'count') due = Math.min(due, until.count)
    return due
  }

  private readonly pump = (): void => {
    if (this.pumping || this.window.ended) return
    this.pumping = true
    this.timer = null
    this.immediate = null
    try {
      const now = Date.now()
      const { until, qos } = this.job
      if (until.kind === 'duration' && now - this.job.startedAt >= until.ms) return this.endSending('done')
      if (until.kind === 'count' && this.job.sent >= until.count) return this.endSending('done')
      if (!this.options.channel.isConnected) {
        return this.fail(new ApiError('CONNECTION_LOST', 'The connection dropped, so the repeat job stopped.').toJSON())
      }
      const due = this.dueBy(now)
      let burst = 0
      while (!this.window.ended && this.job.sent < due && this.window.hasRoom(qos) && burst < SEND_BURST) {
        burst++
        this.sendOne()
      }
      if (this.window.ended) return
      if (until.kind === 'count' && this.job.sent >= until.count) return this.endSending('done')
      if (!this.window.hasRoom(qos)) return // an answer pumps again
      if (this.job.sent < due) return this.soon()
      this.timer = setTimeout(this.pump, Math.max(0, this.nextDueAt() - Date.now()))
    } finally {
      this.pumping = false
    }
  }

  private nextDueAt(): number {
    const { pace, until } = this.job
    const next = this.job.sent // index of the next message, 0-based
    let at = pace.kind === 'interval' ? this.job.startedAt + next * pace.ms : pace.kind === 'rate' ? this.job.startedAt + Math.ceil((next * 1000) / pace.perSecond) : Date.now()
    if (until.kind === 'duration') at = Math.min(at, this.job.startedAt + until.ms)
    return at
  }

  private sendOne(): void {
    let prepared: PreparedMessage
    try {
      prepared = this.options.prepare(this.job.sent + 1)
    } catch (err) {
      this.fail(err instanceof ApiError ? err.toJSON() : new ApiError('INTERNAL', 'A message of the job could not be prepared.').toJSON())
      return
    }
    this.window.send(prepared.topic, prepared.payload, prepared.options, this.job.qos)
  }

  private soon(): void {
    if (this.immediate === null && !this.window.ended) this.immediate = setImmediate(this.pump)
  }

  private report(): void {
    if (this.window.finished) return
    const now = Date.now()
    this.rate.sample(now, this.job.sent)
    this.job.ratePerSecond = Math.round(this.rate.perSecond(now, this.job.sent))
    this.options.onProgress(this.snapshot())
  }
}
