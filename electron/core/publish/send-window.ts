/**
 * The send window of a long publishing job (a repeat job, a replay): how many messages it may
 * have handed to mqtt.js and not yet had answered, the exact count of what became of each one,
 * and the end of the job once sending has stopped and the last answer is in (or given up on).
 *
 * Bounds: the broker's Receive Maximum for QoS 1/2, capped at MAX_IN_FLIGHT, and a write window
 * at QoS 0, so a fast job never queues millions of packets in mqtt.js. A job that mixes QoS (a
 * replay keeps each message's own) has both windows at once.
 */
import { ApiError, notice, type Notice, type PublishAck } from '../../api'
import type { IClientPublishOptions } from 'mqtt'
import type { PublishChannel } from '../connections/connection-manager'

/** Unanswered QoS 1/2 messages at most, whatever the broker allows. */
export const MAX_IN_FLIGHT = 512
/**
 * QoS 0 messages handed to mqtt.js and not yet written at most. Each one waiting on a full
 * socket holds a 'drain' listener, and Node removes those one by one, so this stays small.
 */
export const MAX_UNWRITTEN_QOS0 = 64
/** Messages sent in one turn of the event loop before I/O gets its turn (256 cost QoS 0 about 10% against a bare mqtt.js loop). */
export const SEND_BURST = 1024
/** How often a running job reports its progress. */
export const JOB_PROGRESS_MS = 100
/** How long a stopped or failed job waits for in-flight answers before counting them failed. */
export const STOP_GRACE_MS = 5000

export type JobEndState = 'done' | 'stopped' | 'failed'

/** The job's own counters, which the window keeps exact. */
export interface SendCounts {
  sent: number
  acknowledged: number
  failed: number
}

export interface SendWindowHooks {
  /** The broker refused a message (reason code ≥ 0x80); it is already counted failed. */
  refused(ack: PublishAck): void
  /** A message was not sent because the connection went away; it is already counted failed. */
  lost(err: ApiError): void
  /**
   * After every answer while sending goes on: the job may send more, but never from here (at
   * QoS 0 answers are microtasks, and sending from them would starve the socket's I/O).
   */
  room(): void
  /** Sending has ended and nothing is in flight any more: the job is over. Called once. */
  finished(state: JobEndState): void
}

/** The sentence a user reads for a broker's refusal. */
export function refusalSentence(ack: PublishAck): string {
  return refusalNotice(ack).message
}

/** The refusal as a notice: the reason's name stays as the specification writes it, the broker's own words as it sent them. */
export function refusalNotice(ack: PublishAck): Notice {
  const message = `The broker refused a message: ${ack.reasonName} (0x${ack.reasonCode.toString(16)})${ack.reasonString ? `: "${ack.reasonString}"` : ''}.`
  const params = { reasonName: ack.reasonName, reasonCode: `0x${ack.reasonCode.toString(16)}` }
  return ack.reasonString ? notice('REPLAY_REFUSED_SAID', message, { ...params, reasonString: ack.reasonString }) : notice('REPLAY_REFUSED', message, params)
}

/** "N of M sent messages were acknowledged before it ended.", appended to a failed job's error. */
export function acknowledgedSentence(counts: SendCounts): string {
  return `${counts.acknowledged.toLocaleString('en-US')} of ${counts.sent.toLocaleString('en-US')} sent messages were acknowledged before it ended.`
}

export class SendWindow {
  private unwrittenQos0 = 0
  private unansweredAcked = 0
  private readonly ackedLimit: number
  private sendingEnded = false
  private over = false
  private endState: JobEndState = 'done'
  private waiters: Array<() => void> = []

  constructor(
    private readonly channel: PublishChannel,
    private readonly counts: SendCounts,
    private readonly hooks: SendWindowHooks,
  ) {
    this.ackedLimit = Math.max(1, Math.min(MAX_IN_FLIGHT, channel.receiveMaximum))
  }

  /** Sending has stopped (the job may still be waiting for answers). */
  get ended(): boolean {
    return this.sendingEnded
  }

  /** The job is over: every message it sent is counted acknowledged or failed. */
  get finished(): boolean {
    return this.over
  }

  /** How sending ended, once it has. */
  get endedAs(): JobEndState | null {
    return this.sendingEnded ? this.endState : null
  }

  get inFlight(): number {
    return this.unwrittenQos0 + this.unansweredAcked
  }

  /** Whether one more message at `qos` fits; when not, an answer calls `room` later. */
  hasRoom(qos: 0 | 1 | 2): boolean {
    return qos === 0 ? this.unwrittenQos0 < MAX_UNWRITTEN_QOS0 : this.unansweredAcked < this.ackedLimit
  }

  /** Hands one message to mqtt.js and counts it sent. */
  send(topic: string, payload: Buffer, options: IClientPublishOptions, qos: 0 | 1 | 2): void {
    this.counts.sent++
    if (qos === 0) {
      this.unwrittenQos0++
      this.channel.publishNow(topic, payload, options, this.onQos0)
    } else {
      this.unansweredAcked++
      this.channel.publishNow(topic, payload, options, this.onAcked)
    }
  }

  /**
   * Stops sending. Done waits for what is in flight; stopped or failed waits at most
   * STOP_GRACE_MS, since an acknowledgement that never comes must not keep a job open forever.
   * False when sending had already ended.
   */
  end(state: JobEndState): boolean {
    if (this.sendingEnded) return false
    this.sendingEnded = true
    this.endState = state
    if (state !== 'done') setTimeout(() => this.giveUp(), STOP_GRACE_MS).unref?.()
    this.maybeFinish()
    return true
  }

  /** Resolves once the job is over. */
  settled(): Promise<void> {
    if (this.over) return Promise.resolve()
    return new Promise((resolve) => this.waiters.push(resolve))
  }

  private readonly onQos0 = (err: ApiError | null, ack: PublishAck | null): void => {
    if (this.over) return
    this.unwrittenQos0--
    this.answered(err, ack)
  }

  private readonly onAcked = (err: ApiError | null, ack: PublishAck | null): void => {
    if (this.over) return
    this.unansweredAcked--
    this.answered(err, ack)
  }

  private answered(err: ApiError | null, ack: PublishAck | null): void {
    if (err) {
      this.counts.failed++
      this.hooks.lost(err)
    } else if (ack === null || ack.accepted) {
      this.counts.acknowledged++
    } else {
      this.counts.failed++
      this.hooks.refused(ack)
    }
    if (this.sendingEnded) this.maybeFinish()
    else this.hooks.room()
  }

  private giveUp(): void {
    if (this.over) return
    this.counts.failed += this.inFlight
    this.unwrittenQos0 = 0
    this.unansweredAcked = 0
    this.maybeFinish()
  }

  private maybeFinish(): void {
    if (this.over || !this.sendingEnded || this.inFlight > 0) return
    this.over = true
    this.hooks.finished(this.endState)
    for (const resolve of this.waiters.splice(0)) resolve()
  }
}

/** The send rate over the last second and a half, from samples taken at each progress report. */
export class RateMeter {
  private readonly samples: Array<{ at: number; sent: number }> = []

  constructor(now: number) {
    this.samples.push({ at: now, sent: 0 })
  }

  sample(now: number, sent: number): void {
    this.samples.push({ at: now, sent })
    while (this.samples.length > 20) this.samples.shift()
  }

  /** Messages a second between the oldest sample of the last 1.5 s (or the first) and `now`. */
  perSecond(now: number, sent: number): number {
    const from = this.samples.find((s) => now - s.at <= 1500) ?? this.samples[0]!
    const dt = now - from.at
    return dt > 0 ? ((sent - from.sent) * 1000) / dt : 0
  }
}
