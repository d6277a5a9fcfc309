/**
 * One replay run: streams a recording through a bounded read-ahead and publishes each message
 * into the target connection on an absolute schedule, `t0 + atMs` (schedule.ts). A timer sleeps
 * until shortly before the next due time, then `setImmediate` turns poll the clock until it is
 * reached, so a message goes out within a fraction of a millisecond of its time and errors never
 * add up; messages due at the same time go out in the same turn. Messages go out through the
 * SendWindow that repeat jobs use (publish/send-window.ts): what mqtt.js holds is bounded, and
 * counts are exact, every message handed over ends acknowledged or failed.
 *
 * A message whose remap is refused is skipped: counted in `skipped`, the first reason kept in
 * `warnings`, and the job goes on (one bad topic should not end a long replay).
 */
import { ApiError, notice, type ApiErrorData, type Notice, type ReplayJob } from '../../api'
import type { PublishChannel } from '../connections/connection-manager'
import type { RecordedMessage } from '../recording/format'
import { readRecordingBatches, type RecordingItem } from '../recording/recording-source'
import { JOB_PROGRESS_MS, RateMeter, SEND_BURST, SendWindow, acknowledgedSentence, refusalNotice, type JobEndState } from '../publish/send-window'
import { summarisePlan } from './dry-run'
import { LatenessHistogram } from './lateness'
import { ReadAhead } from './read-ahead'
import { compilePlan, type PlannedMessage, type ReplayInput, type ReplayPlan } from './replay-plan'
import { ReplaySchedule } from './schedule'

/**
 * Read-ahead: messages parsed and waiting, at most (and their payload bytes), and how long one
 * slice of reading may hold the event loop. On a schedule, a few seconds of traffic are plenty
 * and short slices keep lateness low; as fast as possible, a burst of sends must not drain it.
 */
const READ_AHEAD_TIMED = { maxItems: 1024, maxBytes: 16 * 1024 * 1024, sliceMs: 0.5 }
const READ_AHEAD_FAST = { maxItems: 4096, maxBytes: 32 * 1024 * 1024, sliceMs: 4 }
/**
 * Wake this long before a due time and poll the clock for the rest: Node's timers work in whole
 * milliseconds of a clock cached per loop turn, so they fire up to about 1 ms early or late.
 * Polling costs CPU that the broker and the subscribers on the same machine need (1.5 ms took
 * 55–68 % of a core at 300 msg/s, and the subscriber's p95 was 2.3 ms; 1 ms: 48 %, p95 1.8 ms).
 * Sleeping that last millisecond in the kernel instead (Atomics.wait) cut the CPU to 24 % but made
 * the subscriber's p95 worse, 4.7–4.8 ms against 1.9–2.2 ms polling (2026-12-03, quiet 2-core VM,
 * 20 s runs in turns): on a VM, a core left idle wakes the broker and the subscriber later.
 */
const SPIN_MS = 1.0
const MAX_WARNINGS = 10

interface Entry {
  message: RecordedMessage
  planned: PlannedMessage
  atMs: number
}

export interface ReplayJobOptions {
  jobId: string
  recordingId: string
  connectionId: string
  path: string
  input: ReplayInput
  channel: PublishChannel
  /** Messages in one pass as far as known before the job's own count ends (the library's count). */
  totalEstimate: number
  /** The estimate is exact (no selection, no rule that can refuse a topic). */
  totalExact: boolean
  onProgress(job: ReplayJob): void
}

export class ReplayJobRun {
  private readonly job: ReplayJob
  private readonly plan: ReplayPlan
  private readonly timed: boolean
  private readonly lateness = new LatenessHistogram()
  private reader: ReadAhead<RecordingItem, Entry> | null = null
  private readerAbort: AbortController | null = null
  private readonly surveyAbort = new AbortController()
  /** performance.now() at which the current pass's schedule is 0; null until its first message. */
  private t0: number | null = null
  /** Schedule time reached when paused (resume re-bases t0 on it). */
  private pausedAt = 0
  private passSent = 0
  private durationMs: number | null = null
  private readonly window: SendWindow
  private timer: ReturnType<typeof setTimeout> | null = null
  private immediate: ReturnType<typeof setImmediate> | null = null
  private progressTimer: ReturnType<typeof setInterval> | null = null
  private dirty = false
  private rate = new RateMeter(performance.now())
  private propertiesDropped = false

  constructor(private readonly options: ReplayJobOptions) {
    const { jobId, recordingId, connectionId, input } = options
    this.plan = compilePlan(input)
    this.timed = input.speed !== null
    this.job = {
      jobId, recordingId, connectionId, state: 'running', sent: 0, acknowledged: 0, failed: 0, skipped: 0, warnings: [], warningNotices: [],
      total: options.totalEstimate, passes: 0, positionUs: 0, etaMs: null, speed: input.speed, lateness: null, startedAt: Date.now(),
    }
    this.window = new SendWindow(options.channel, this.job, {
      refused: (ack) => this.warn(refusalNotice(ack)),
      lost: (err) => this.connectionLost({ ...err.toJSON(), code: 'CONNECTION_LOST', message: 'The target connection dropped, so the replay stopped.' }),
      // Never send from the answer itself (at QoS 0 answers are microtasks): the next turn does.
      room: () => {
        this.dirty = true
        if (this.job.state === 'running' && this.timer === null) this.soon()
      },
      finished: (state) => this.finished(state),
    })
  }

  get ended(): boolean {
    return this.window.ended
  }

  snapshot(): ReplayJob {
    const copy: ReplayJob = { ...this.job, warnings: [...this.job.warnings], warningNotices: [...(this.job.warningNotices ?? [])], lateness: this.timed ? this.lateness.summary() : null, etaMs: this.eta() }
    if (this.job.error) copy.error = { ...this.job.error }
    return copy
  }

  start(): void {
    this.job.startedAt = Date.now()
    this.rate = new RateMeter(performance.now())
    this.progressTimer = setInterval(() => this.report(), JOB_PROGRESS_MS)
    this.startPass()
    // As fast as possible, the ETA follows the rate and needs only the count: when the library
    // knows it, a second read of the file would only take CPU from sending.
    if (!this.timed && this.options.totalExact) return
    // The exact count of one pass (and the time of its last message, for the ETA), read
    // alongside: a large file starts at once.
    summarisePlan(this.options.path, this.options.input, 0, this.surveyAbort.signal).then(
      (summary) => {
        this.job.total = summary.total
        this.durationMs = summary.durationMs
        this.dirty = true
      },
      () => undefined, // the sending pass reports a file that cannot be read
    )
  }

  pause(): ReplayJob {
    this.requireActive()
    if (this.job.state === 'running') {
      this.job.state = 'paused'
      this.pausedAt = this.t0 === null ? 0 : performance.now() - this.t0
      this.clearWake()
      this.changed()
    }
    return this.snapshot()
  }

  resume(): ReplayJob {
    this.requireActive()
    if (this.job.state === 'paused') {
      this.job.state = 'running'
      // The rest of the schedule keeps its shape: it continues from where the pause (or the
      // last step) left it.
      if (this.t0 !== null) this.t0 = performance.now() - this.pausedAt
      this.changed()
      this.pump()
    }
    return this.snapshot()
  }

  /** While paused: sends the next message now (waiting for the file if it is still being read). */
  async step(): Promise<ReplayJob> {
    this.requireActive()
    if (this.job.state !== 'paused') throw new ApiError('BAD_REQUEST', 'Step sends one message while the replay is paused: pause it first.')
    for (;;) {
      const reader = this.reader
      if (!reader || this.window.ended) break
      await reader.arrival()
      if (this.window.ended || this.job.state !== 'paused' || reader !== this.reader) break
      if (this.failIfUnreadable(reader)) break
      const entry = reader.take()
      if (!entry) {
        this.endPass()
        continue
      }
      if (!entry.planned.ok) {
        this.skip(entry.planned)
        continue
      }
      if (!this.options.channel.isConnected) {
        this.connectionLost(new ApiError('CONNECTION_LOST', 'The target connection dropped, so the replay stopped.').toJSON())
        break
      }
      if (this.t0 === null) this.t0 = performance.now()
      this.pausedAt = Math.max(this.pausedAt, entry.atMs)
      this.send(entry, entry.planned, null)
      break
    }
    return this.snapshot()
  }

  async stop(): Promise<ReplayJob> {
    this.endSending('stopped')
    await this.window.settled()
    return this.snapshot()
  }

  /** The target connection went away: nothing more is sent and the job ends `failed`. */
  connectionLost(error: ApiErrorData): void {
    if (this.window.ended) return
    this.job.error = error
    this.endSending('failed')
  }

  private requireActive(): void {
    if (this.window.ended) throw new ApiError('BAD_REQUEST', `The replay has ended (${this.window.endedAs}): start it again to replay more.`)
  }

  private startPass(): void {
    this.readerAbort?.abort()
    this.reader?.close()
    const abort = new AbortController()
    this.readerAbort = abort
    this.t0 = null
    this.pausedAt = 0
    this.passSent = 0
    const { input, path } = this.options
    const schedule = new ReplaySchedule({ speed: input.speed, maxGapMs: input.maxGapMs })
    let atMs = 0
    // Each selected message with its plan and due time. A skipped message takes no time of its
    // own: the schedule is that of the sent ones, as in the dry run.
    const entry = (item: RecordingItem): Entry | undefined => {
      if (item.kind !== 'message') return undefined
      const planned = this.plan.plan(item.message)
      if (planned.ok) atMs = schedule.next(item.message.offsetUs)
      return { message: item.message, planned, atMs }
    }
    this.reader = new ReadAhead(readRecordingBatches(path, input.selection, { signal: abort.signal }), entry, this.timed ? READ_AHEAD_TIMED : READ_AHEAD_FAST, (e) => e.message.payload.length, this.onArrival)
  }

  private readonly onArrival = (): void => {
    if (this.job.state === 'running' && this.timer === null && this.immediate === null && !this.window.ended) this.soon()
  }

  /** The pass is over: loop into the next, or the job is done. */
  private endPass(): void {
    this.job.passes++
    this.changed()
    // A pass that sent nothing would loop without end and without a pause.
    if (this.options.input.loop && this.passSent > 0 && !this.window.ended) this.startPass()
    else this.endSending('done')
  }

  private readonly pump = (): void => {
    this.timer = null
    this.immediate = null
    const reader = this.reader
    if (this.window.ended || this.job.state !== 'running' || !reader) return
    if (!this.options.channel.isConnected) {
      return this.connectionLost(new ApiError('CONNECTION_LOST', 'The target connection dropped, so the replay stopped.').toJSON())
    }
    let burst = 0
    for (;;) {
      const entry = reader.peek()
      if (!entry) break
      const planned = entry.planned
      if (!planned.ok) {
        reader.take()
        this.skip(planned)
        continue
      }
      if (!this.window.hasRoom(planned.qos)) return // an answer pumps again
      if (this.timed) {
        // The clock of a pass starts once its read-ahead is full (or holds the whole file): the
        // file's first read and parse would otherwise count as lateness of its first messages.
        if (this.t0 === null && !reader.primed) return
        const now = performance.now()
        if (this.t0 === null) this.t0 = now
        const wait = this.t0 + entry.atMs - now
        if (wait > 0) return this.wakeIn(wait)
        reader.take()
        this.send(entry, planned, -wait)
      } else {
        if (burst >= SEND_BURST) return this.soon()
        reader.take()
        this.send(entry, planned, null)
        burst++
      }
      if (this.window.ended) return
    }
    if (this.failIfUnreadable(reader)) return
    // Nothing waiting: either the file is read to its end, or the read-ahead calls back.
    if (reader.exhausted) {
      this.endPass()
      if (!this.window.ended) this.soon()
    }
  }

  private wakeIn(ms: number): void {
    if (ms > SPIN_MS + 0.5) this.timer = setTimeout(this.pump, ms - SPIN_MS)
    else this.soon()
  }

  private soon(): void {
    if (this.immediate === null && !this.window.ended) this.immediate = setImmediate(this.pump)
  }

  private clearWake(): void {
    if (this.timer) clearTimeout(this.timer)
    if (this.immediate) clearImmediate(this.immediate)
    this.timer = null
    this.immediate = null
  }

  private failIfUnreadable(reader: ReadAhead<RecordingItem, Entry>): boolean {
    if (!reader.exhausted || reader.error === null) return false
    const err = reader.error
    const data = err instanceof ApiError ? err.toJSON() : new ApiError('RECORDING_BAD_FILE', `The recording could not be read any further (${err instanceof Error ? err.message : String(err)}), so the replay stopped.`).toJSON()
    this.job.error = data
    this.endSending('failed')
    return true
  }

  private send(entry: Entry, planned: Extract<PlannedMessage, { ok: true }>, lateMs: number | null): void {
    const v5 = this.options.channel.isV5
    if (!v5 && entry.message.properties && !this.propertiesDropped) {
      this.propertiesDropped = true
      this.warn(notice('REPLAY_MQTT5_DROPPED', 'MQTT 5 properties were not sent: the target connection uses MQTT 3.1.1.'))
    }
    const options = this.plan.publishOptions(entry.message, planned, v5)
    this.passSent++
    this.job.positionUs = entry.message.offsetUs
    if (lateMs !== null) this.lateness.add(lateMs)
    this.dirty = true
    this.window.send(planned.topic, entry.message.payload, options, planned.qos)
  }

  private skip(why: { reason: string; topic: string; remapped?: string }): void {
    this.job.skipped++
    this.dirty = true
    if (this.job.skipped !== 1) return
    const message = `Messages whose remapped topic cannot be published are skipped: ${why.reason}.`
    this.warn(why.remapped === undefined ? notice('REPLAY_SKIPPED_EMPTY', message, { topic: why.topic }) : notice('REPLAY_SKIPPED_WILDCARD', message, { topic: why.topic, remapped: why.remapped }))
  }

  private warn(warning: Notice): void {
    const sentence = warning.message
    if (this.job.warnings.length < MAX_WARNINGS && !this.job.warnings.includes(sentence)) {
      this.job.warnings.push(sentence)
      this.job.warningNotices ??= []
      this.job.warningNotices.push(warning)
    }
  }

  private endSending(state: JobEndState): void {
    if (this.window.ended) return
    this.clearWake()
    this.readerAbort?.abort()
    this.reader?.close()
    this.surveyAbort.abort()
    this.window.end(state)
  }

  private finished(state: JobEndState): void {
    if (this.progressTimer) clearInterval(this.progressTimer)
    this.progressTimer = null
    this.job.state = state
    if (state === 'failed' && this.job.error) {
      this.job.error = { ...this.job.error, message: `${this.job.error.message} ${acknowledgedSentence(this.job)}` }
    }
    this.options.onProgress(this.snapshot())
  }

  private changed(): void {
    this.dirty = true
    this.report()
  }

  private report(): void {
    if (this.window.finished) return
    this.rate.sample(performance.now(), this.job.sent)
    if (!this.dirty) return
    this.dirty = false
    this.options.onProgress(this.snapshot())
  }

  private eta(): number | null {
    if (this.window.ended || this.options.input.loop) return null
    if (this.timed) {
      if (this.durationMs === null) return null
      const reached = this.job.state === 'paused' || this.t0 === null ? this.pausedAt : performance.now() - this.t0
      return Math.max(0, Math.round(this.durationMs - reached))
    }
    const rate = this.rate.perSecond(performance.now(), this.job.sent)
    return rate > 0 ? Math.round(((this.job.total - this.passSent) * 1000) / rate) : null
  }
}
