/**
 * The publish feature's runtime state: sending with the broker's answer, the history and
 * template stores, repeat jobs and open requests. Connections, the tree and the schemas arrive
 * as hooks (see core/service.ts); nothing here speaks mqtt.js directly.
 */
import { randomBytes, randomUUID } from 'node:crypto'
import type { IPublishPacket } from 'mqtt'
import {
  ApiError,
  type ApiErrorData,
  type ConnectionState,
  type EventName,
  type EventPayloads,
  type MessageDraft,
  type MessageRef,
  type Notice,
  type OutgoingMessage,
  type PublishOutcome,
  type RepeatJob,
  type RepeatPace,
  type RepeatUntil,
  type RequestState,
} from '../../api'
import type { PublishChannel } from '../connections/connection-manager'
import type { EncodeContext } from '../encode'
import { encodeDraft, renderPlaceholders } from '../encode'
import { payloadOf, type StoredMessage } from '../tree/topic-node'
import { draftFromStored } from './draft-from-message'
import { correlationBytes } from './outgoing-properties'
import { wrapRequest } from './request-envelope'
import type { PublishHistoryStore } from './history-store'
import { liveValues, prepareMessage, usesPlaceholders, type PreparedMessage } from './prepare-message'
import { RepeatJobRun } from './repeat-job'
import { RequestTracker } from './request-tracker'
import type { TemplateStore } from './template-store'

/** Repeat jobs running at once, over all connections. */
export const MAX_REPEAT_JOBS = 8
/** Finished jobs kept for `repeat.list`. */
const KEEP_FINISHED_JOBS = 50

export interface PublishManagerOptions {
  emit: <E extends EventName>(name: E, payload: EventPayloads[E]) => void
  history: PublishHistoryStore
  templates: TemplateStore
  /** The live session of a connection (throws NOT_FOUND when never connected). */
  channel(connectionId: string): PublishChannel
  profileName(connectionId: string): Promise<string | undefined>
  /** The imported schemas, for Protobuf. */
  encodeContext(): EncodeContext
  /** The stored message a ref names (throws NOT_FOUND). */
  storedMessage(ref: MessageRef): StoredMessage
  /**
   * The payload of a received message as an editor draft in its decoded format (the encoders'
   * `draftFromPayload` with the inspector's context); without it, drafts are JSON, text or hex.
   */
  draftPayload?(bytes: Buffer, connectionId: string, topic: string, properties: Record<string, unknown> | undefined): { payload: OutgoingMessage['payload']; note?: string; notes?: Notice[] }
  /** A template's counter moved on (every window's list shows the next value). */
  templatesChanged?(): void
}

export class PublishManager {
  private readonly jobs = new Map<string, RepeatJobRun>()
  private readonly requests: RequestTracker

  constructor(private readonly options: PublishManagerOptions) {
    this.requests = new RequestTracker((state) => options.emit('request.progress', state))
  }

  /** Renders, encodes and publishes one message; records it in the history. */
  async send(connectionId: string, message: OutgoingMessage, templateId?: string): Promise<PublishOutcome> {
    const channel = this.connected(connectionId)
    if (templateId !== undefined) this.options.templates.get(templateId)
    const counter = templateId !== undefined ? await this.options.templates.takeCounter(templateId) : 1
    if (templateId !== undefined) this.options.templatesChanged?.()
    const prepared = prepareMessage(message, liveValues(counter), this.options.encodeContext(), channel.isV5)
    const outcome = await this.publish(channel, prepared, message)
    const name = (await this.options.profileName(connectionId)) ?? connectionId
    await this.options.history.add(connectionId, name, message, outcome)
    this.options.emit('publish.historyChanged', this.options.history.list())
    return outcome
  }

  /** Encodes a draft without sending it (placeholders rendered with sample values). */
  encode(payload: OutgoingMessage['payload']): { ok: true; bytes: number; headHex: string } | { ok: false; problem: { message: string; line?: number; column?: number; pointer?: string } } {
    const probe = prepareProbe(payload)
    const result = encodeDraft(probe, this.options.encodeContext())
    if (!result.ok) return result
    return { ok: true, bytes: result.bytes.length, headHex: result.bytes.subarray(0, 64).toString('hex') }
  }

  draftFromMessage(ref: MessageRef): MessageDraft {
    const stored = this.options.storedMessage(ref)
    const draft = draftFromStored(ref.path, stored)
    // A cut payload decodes to nothing useful: it stays the simple draft, with its note.
    if (!this.options.draftPayload || stored.truncated) return draft
    const decoded = this.options.draftPayload(payloadOf(stored), ref.connectionId, ref.path, stored.properties)
    const out: MessageDraft = { message: { ...draft.message, payload: decoded.payload } }
    if (decoded.note) out.note = decoded.note
    if (decoded.note && decoded.notes) out.noteNotices = decoded.notes
    return out
  }

  async startRepeat(connectionId: string, message: OutgoingMessage, pace: RepeatPace, until: RepeatUntil): Promise<RepeatJob> {
    const channel = this.connected(connectionId)
    const running = [...this.jobs.values()].filter((j) => j.running).length
    if (running >= MAX_REPEAT_JOBS) {
      throw new ApiError('PUBLISH_LIMIT', `${MAX_REPEAT_JOBS} repeat jobs are running already: stop one before starting another.`)
    }
    const context = this.options.encodeContext()
    // The first message is made now, so a bad topic or payload is refused before anything runs.
    const first = prepareMessage(message, liveValues(1), context, channel.isV5)
    const fixed = usesPlaceholders(message) ? null : first
    const prepare = (counter: number): PreparedMessage => fixed ?? (counter === 1 ? first : prepareMessage(message, liveValues(counter), context, channel.isV5))
    const jobId = randomUUID()
    const run = new RepeatJobRun({
      jobId,
      connectionId,
      topic: message.topic,
      qos: message.qos,
      pace,
      until,
      channel,
      prepare,
      onProgress: (job) => this.options.emit('repeat.progress', job),
    })
    this.jobs.set(jobId, run)
    this.trimJobs()
    run.start()
    return run.snapshot()
  }

  stopRepeat(jobId: string): Promise<RepeatJob> {
    const run = this.jobs.get(jobId)
    if (!run) throw new ApiError('PUBLISH_NOT_FOUND', 'That repeat job is not known any more (the app restarted?): start it again.')
    return run.stop()
  }

  listRepeat(): RepeatJob[] {
    return [...this.jobs.values()].map((j) => j.snapshot())
  }

  /**
   * Publishes a request and listens for its replies. On MQTT 5 the response topic and
   * correlation data are properties; on MQTT 3.1.1 (the Sandbox) they travel in the JSON
   * envelope of request-envelope.ts, and replies are matched by the envelope's correlation.
   */
  async sendRequest(connectionId: string, message: OutgoingMessage, timeoutMs: number): Promise<RequestState> {
    const channel = this.connected(connectionId)
    const responseTopic = message.properties.responseTopic
    if (!responseTopic) throw new ApiError('BAD_REQUEST', 'A request needs a response topic: set one in the MQTT 5 properties.')
    if (responseTopic.includes('+') || responseTopic.includes('#')) {
      throw new ApiError('PUBLISH_BAD_TOPIC', 'The response topic cannot hold wildcards: the responder publishes to it, so write the exact topic.')
    }
    this.requests.requireRoom()
    const correlationData = message.properties.correlationData ?? { encoding: 'hex' as const, value: randomBytes(16).toString('hex') }
    const correlationHex = correlationBytes(correlationData).toString('hex')
    const envelope = !channel.isV5
    let prepared: PreparedMessage
    let sent: OutgoingMessage
    if (envelope) {
      const { responseTopic: _r, correlationData: _c, ...rest } = message.properties
      sent = { ...message, properties: rest }
      const bare = prepareMessage(sent, liveValues(1), this.options.encodeContext(), false)
      prepared = { ...bare, payload: wrapRequest(bare.payload, responseTopic, correlationHex) }
    } else {
      sent = { ...message, properties: { ...message.properties, correlationData } }
      prepared = prepareMessage(sent, liveValues(1), this.options.encodeContext(), true)
    }
    const listenKey = await this.requests.listen(connectionId, channel, responseTopic)
    const state: RequestState = {
      requestId: randomUUID(),
      connectionId,
      topic: prepared.topic,
      responseTopic,
      correlationData: correlationHex,
      sentAt: Date.now(),
      timeoutMs,
      state: 'waiting',
      replies: [],
    }
    // Tracked before the publish: a fast responder may answer before the PUBACK arrives.
    this.requests.track(state, channel, listenKey, envelope)
    try {
      const outcome = await this.publish(channel, prepared, sent)
      if (outcome.ack && !outcome.ack.accepted) {
        const error = new ApiError('MQTT_PUBLISH_FAILED', `The broker refused the request: ${outcome.ack.reasonName}${outcome.ack.reasonString ? ` ("${outcome.ack.reasonString}")` : ''}.`, { pubackCode: outcome.ack.reasonCode })
        this.requests.fail(state.requestId, error.toJSON())
      }
    } catch (err) {
      const data = err instanceof ApiError ? err.toJSON() : new ApiError('MQTT_PUBLISH_FAILED', 'The request was not sent.').toJSON()
      this.requests.fail(state.requestId, data)
    }
    return this.requests.list().find((s) => s.requestId === state.requestId) ?? state
  }

  cancelRequest(requestId: string): RequestState {
    return this.requests.cancel(requestId)
  }

  listRequests(): RequestState[] {
    return this.requests.list()
  }

  /** The connection engine's message tap (after the tree): replies to open requests. */
  readonly onMessage = (connectionId: string, topic: string, payload: Buffer, packet: IPublishPacket, time: number): void => {
    this.requests.onMessage(connectionId, topic, payload, packet, time)
  }

  /** Connection state changes: jobs and requests of a connection that is no longer up end. */
  connectionState(state: ConnectionState): void {
    if (state.status === 'connected' || state.status === 'connecting') return
    const error: ApiErrorData = state.error ?? new ApiError('CONNECTION_LOST', `${state.name} is no longer connected.`).toJSON()
    const sentence = { ...error, code: 'CONNECTION_LOST' as const, message: `The connection dropped (${error.message.replace(/\.$/, '')}).` }
    for (const run of this.jobs.values()) if (run.running && run.snapshot().connectionId === state.connectionId) run.connectionLost(sentence)
    this.requests.connectionLost(state.connectionId, sentence)
  }

  /** A profile was deleted: its jobs stop, its requests end. */
  dropConnection(connectionId: string): void {
    for (const run of this.jobs.values()) if (run.running && run.snapshot().connectionId === connectionId) void run.stop()
    this.requests.connectionLost(connectionId, new ApiError('CONNECTION_LOST', 'The profile was deleted.').toJSON())
  }

  close(): void {
    for (const run of this.jobs.values()) if (run.running) void run.stop()
    this.requests.close()
  }

  private async publish(channel: PublishChannel, prepared: PreparedMessage, message: OutgoingMessage): Promise<PublishOutcome> {
    const ack = await channel.publishAcked(prepared.topic, prepared.payload, prepared.options)
    return { topic: prepared.topic, bytes: prepared.payload.length, qos: message.qos, retain: message.retain, publishedAt: Date.now(), ack, warnings: prepared.warnings.map((w) => w.message), warningNotices: prepared.warnings }
  }

  private connected(connectionId: string): PublishChannel {
    const channel = this.options.channel(connectionId)
    if (!channel.isConnected) throw new ApiError('MQTT_NOT_CONNECTED', 'That connection is not connected right now: connect it, then publish again.')
    return channel
  }

  private trimJobs(): void {
    const finished = [...this.jobs.entries()].filter(([, j]) => !j.running)
    for (const [id] of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED_JOBS))) this.jobs.delete(id)
  }
}

/** The payload with placeholders rendered (sample counter 1), for the editor's check. */
function prepareProbe(payload: OutgoingMessage['payload']): OutgoingMessage['payload'] {
  if (!payload.placeholders || payload.format === 'file') return payload
  return { ...payload, body: renderPlaceholders(payload.body, liveValues(1)).text }
}
