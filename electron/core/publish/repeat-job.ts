/**
 * One repeat job: publishes a message again and again on the main side (so it goes on when a
 * window reloads), paced by interval, rate or as fast as the connection takes it, until a count,
 * a duration or Stop. In-flight messages are bounded (the broker's Receive Maximum for QoS 1/2,
 * a write window at QoS 0), so a fast job never queues millions of packets in mqtt.js. Counts
 * are exact: every message handed over is either acknowledged or failed when the job ends.
 */
import { ApiError, type ApiErrorData, type PublishAck, type RepeatJob, type RepeatPace, type RepeatUntil } from '../../api'
import type { PublishChannel } from '../connections/connection-manager'
import type { PreparedMessage } from './prepare-message'

/** Unanswered QoS 1/2 messages at most, whatever the broker allows. */
export const MAX_IN_FLIGHT = 512
/**
 * QoS 0 messages handed to mqtt.js and not yet written at most. Each one waiting on a full
 * socket holds a 'drain' listener, and Node removes those one by one, so this stays small.
 */
export const MAX_UNWRITTEN_QOS0 = 64
/** Messages sent in one turn of the event loop before I/O gets its turn (256 cost QoS 0 about 10% against a bare mqtt.js loop). */
const BURST = 1024
/** How often progress is reported while running. */
const PROGRESS_MS = 100
/** How long Stop waits for in-flight acknowledgements before counting them failed. */
const STOP_GRACE_MS = 5000

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
  private inFlight = 0
  private timer: ReturnType<typeof setTimeout> | null = null
  private immediate: ReturnType<typeof setImmediate> | null = null
  private progressTimer: ReturnType<typeof setInterval> | null = null
  private pumping = false
  private sendingEnded = false
  private finished = false
  private readonly window: number
  private readonly samples: Array<{ at: number; sent: number }> = []
  private settledWaiters: Array<() => void> = []
  private endState: 'done' | 'stopped' | 'failed' = 'done'

  constructor(private readonly options: RepeatJobOptions) {
    const { jobId, connectionId, topic, qos, pace, until } = options
    this.job = { jobId, connectionId, topic, qos, pace, until, state: 'running', sent: 0, acknowledged: 0, failed: 0, ratePerSecond: 0, startedAt: Date.now() }
    this.window = qos === 0 ? MAX_UNWRITTEN_QOS0 : Math.max(1, Math.min(MAX_IN_FLIGHT, options.channel.receiveMaximum))
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
    this.samples.push({ at: this.job.startedAt, sent: 0 })
    this.progressTimer = setInterval(() => this.report(), PROGRESS_MS)
    this.pump()
  }

  /** Stops sending now; resolves once what was in flight is answered (or given up on). */
  async stop(): Promise<RepeatJob> {
    if (this.running) this.endSending('stopped')
    await this.settled()
    return this.snapshot()
  }

  /** The connection went away: nothing more is sent and the job ends `failed`. */
  connectionLost(error: ApiErrorData): void {
    if (!this.running || this.sendingEnded) return
    this.fail(error)
  }

  private fail(error: ApiErrorData): void {
    this.job.error = error
    this.endSending('failed')
  }

  private endSending(state: 'done' | 'stopped' | 'failed'): void {
    if (this.sendingEnded) return
    this.sendingEnded = true
    this.endState = state
    if (this.timer) clearTimeout(this.timer)
    if (this.immediate) clearImmediate(this.immediate)
    this.timer = null
    this.immediate = null
    if (state !== 'done') {
      // Stopped or failed: an acknowledgement that never comes must not keep the job open forever.
      setTimeout(() => this.giveUpInFlight(), STOP_GRACE_MS).unref?.()
    }
    this.maybeFinish()
  }

  private giveUpInFlight(): void {
    if (this.finished) return
    this.job.failed += this.inFlight
    this.inFlight = 0
    this.maybeFinish()
  }

  private maybeFinish(): void {
    if (this.finished || !this.sendingEnded || this.inFlight > 0) return
    this.finished = true
    if (this.progressTimer) clearInterval(this.progressTimer)
    this.progressTimer = null
    this.job.state = this.endState
    this.job.endedAt = Date.now()
    this.job.ratePerSecond = this.rate(this.job.endedAt)
    if (this.endState === 'failed' && this.job.error) {
      // The sentence states exactly what the broker confirmed before the end.
      this.job.error = { ...this.job.error, message: `${this.job.error.message} ${this.job.acknowledged.toLocaleString('en-US')} of ${this.job.sent.toLocaleString('en-US')} sent messages were acknowledged before it ended.`.trim() }
    }
    this.options.onProgress(this.snapshot())
    for (const resolve of this.settledWaiters) resolve()
    this.settledWaiters = []
  }

  private settled(): Promise<void> {
    if (this.finished) return Promise.resolve()
    return new Promise((resolve) => this.settledWaiters.push(resolve))
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
    if (this.pumping || this.sendingEnded) return
    this.pumping = true
    this.timer = null
    this.immediate = null
    try {
      const now = Date.now()
      const { until } = this.job
      if (until.kind === 'duration' && now - this.job.startedAt >= until.ms) return this.endSending('done')
      if (until.kind === 'count' && this.job.sent >= until.count) return this.endSending('done')
      if (!this.options.channel.isConnected) {
        return this.fail(new ApiError('CONNECTION_LOST', 'The connection dropped, so the repeat job stopped.').toJSON())
      }
      const due = this.dueBy(now)
      let burst = 0
      while (!this.sendingEnded && this.job.sent < due && this.inFlight < this.window && burst < BURST) {
        burst++
        this.sendOne()
      }
      if (this.sendingEnded) return
      if (until.kind === 'count' && this.job.sent >= until.count) return this.endSending('done')
      if (this.inFlight >= this.window) return // an answer pumps again
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
    this.job.sent++
    this.inFlight++
    this.options.channel.publishNow(prepared.topic, prepared.payload, prepared.options, this.onDone)
  }

  private readonly onDone = (err: ApiError | null, ack: PublishAck | null): void => {
    if (err) this.onLost(err)
    else this.onAnswer(ack)
  }

  private readonly onAnswer = (ack: PublishAck | null): void => {
    if (this.finished) return
    this.inFlight--
    if (ack === null || ack.accepted) this.job.acknowledged++
    else {
      this.job.failed++
      this.job.error ??= new ApiError('MQTT_PUBLISH_FAILED', `The broker refused a message: ${ack.reasonName} (0x${ack.reasonCode.toString(16)})${ack.reasonString ? `: "${ack.reasonString}"` : ''}.`, { pubackCode: ack.reasonCode }).toJSON()
    }
    this.afterAnswer()
  }

  private readonly onLost = (err: unknown): void => {
    if (this.finished) return
    this.inFlight--
    this.job.failed++
    if (!this.sendingEnded) {
      const data = err instanceof ApiError ? err.toJSON() : new ApiError('MQTT_PUBLISH_FAILED', 'A message was not sent.').toJSON()
      this.fail({ ...data, code: data.code === 'MQTT_PUBLISH_FAILED' || data.code === 'MQTT_NOT_CONNECTED' ? 'CONNECTION_LOST' : data.code, message: 'The connection dropped, so the repeat job stopped.' })
    }
    this.afterAnswer()
  }

  private afterAnswer(): void {
    if (this.sendingEnded) return this.maybeFinish()
    // Never from the answer itself: at QoS 0 answers are microtasks, and sending from them would
    // starve the socket's I/O. The next turn of the event loop sends the next burst.
    if (this.timer === null) this.soon()
  }

  private soon(): void {
    if (this.immediate === null && !this.sendingEnded) this.immediate = setImmediate(this.pump)
  }

  private rate(now: number): number {
    const from = this.samples.find((s) => now - s.at <= 1500) ?? this.samples[0]
    const dt = now - from.at
    return dt > 0 ? Math.round(((this.job.sent - from.sent) * 1000) / dt) : 0
  }

  private report(): void {
    if (this.finished) return
    const now = Date.now()
    this.samples.push({ at: now, sent: this.job.sent })
    while (this.samples.length > 20) this.samples.shift()
    this.job.ratePerSecond = this.rate(now)
    this.options.onProgress(this.snapshot())
  }
}
