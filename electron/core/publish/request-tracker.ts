/**
 * Request/response: a request is published with a response topic and correlation data (MQTT 5
 * properties, or on 3.1.1 the JSON envelope of request-envelope.ts); the app listens on the
 * response topic for the request's lifetime and takes as replies only messages on that topic that
 * carry the same correlation data, each with its round-trip time.
 * One subscription serves every open request on the same topic; a topic the profile already
 * subscribes to is not subscribed again, nor unsubscribed afterwards.
 */
import type { IPublishPacket } from 'mqtt'
import { ApiError, type ApiErrorData, type RequestReply, type RequestState, type UserProperty } from '../../api'
import type { PublishChannel } from '../connections/connection-manager'
import { replyPreview } from './reply-preview'
import { replyCorrelation } from './request-envelope'

/** Open requests at most, over all connections. */
export const MAX_OPEN_REQUESTS = 50
/** Replies kept per request (later ones are counted in the topic tree only). */
export const MAX_REPLIES = 100
/** Finished requests kept for `request.list`. */
const KEEP_FINISHED = 50

interface OpenRequest {
  state: RequestState
  timer: ReturnType<typeof setTimeout> | null
  /** The subscription key this request holds, released when it ends. */
  listenKey: string | null
  channel: PublishChannel
  /** MQTT 3.1.1: replies name their correlation in a JSON envelope (request-envelope.ts). */
  envelope: boolean
}

interface Listening {
  refs: number
  /** We subscribed (false: the profile's own subscription already receives the topic). */
  ours: boolean
  channel: PublishChannel
  filter: string
  ready: Promise<void>
}

export class RequestTracker {
  private readonly open = new Map<string, OpenRequest>()
  private readonly finished: RequestState[] = []
  private readonly listening = new Map<string, Listening>()
  /** connectionId → responseTopic → open requests: the message tap's only lookup. */
  private readonly byTopic = new Map<string, Map<string, OpenRequest[]>>()

  constructor(private readonly emit: (state: RequestState) => void) {}

  list(): RequestState[] {
    return [...[...this.open.values()].map((r) => copy(r.state)), ...this.finished.map(copy)]
  }

  /** Throws PUBLISH_LIMIT when too many are open. */
  requireRoom(): void {
    if (this.open.size >= MAX_OPEN_REQUESTS) {
      throw new ApiError('PUBLISH_LIMIT', `${MAX_OPEN_REQUESTS} requests are waiting for replies already: cancel some or wait for their timeout.`)
    }
  }

  /** Subscribes to the response topic if needed; resolves when replies can be received. */
  async listen(connectionId: string, channel: PublishChannel, responseTopic: string): Promise<string> {
    const key = `${connectionId}\u0000${responseTopic}`
    let entry = this.listening.get(key)
    if (!entry || entry.channel !== channel) {
      const ours = !channel.subscribedTo(responseTopic)
      entry = { refs: 0, ours, channel, filter: responseTopic, ready: ours ? channel.subscribeTransient(responseTopic, 1) : Promise.resolve() }
      this.listening.set(key, entry)
      entry.ready.catch(() => {
        if (this.listening.get(key) === entry) this.listening.delete(key)
      })
    }
    entry.refs++
    try {
      await entry.ready
    } catch (err) {
      entry.refs--
      throw err
    }
    return key
  }

  /** Starts tracking a request that was just published (or is about to be). */
  track(state: RequestState, channel: PublishChannel, listenKey: string, envelope = false): void {
    const request: OpenRequest = { state, timer: null, listenKey, channel, envelope }
    this.open.set(state.requestId, request)
    let topics = this.byTopic.get(state.connectionId)
    if (!topics) this.byTopic.set(state.connectionId, (topics = new Map()))
    const list = topics.get(state.responseTopic) ?? []
    list.push(request)
    topics.set(state.responseTopic, list)
    request.timer = setTimeout(() => this.end(request, request.state.replies.length > 0 ? 'closed' : 'timedOut'), state.timeoutMs)
    this.emit(copy(state))
  }

  /** Releases a subscription taken by `listen` for a request that was then not sent. */
  release(listenKey: string): void {
    const entry = this.listening.get(listenKey)
    if (!entry) return
    entry.refs--
    if (entry.refs > 0) return
    this.listening.delete(listenKey)
    if (entry.ours) void entry.channel.unsubscribeTransient(entry.filter).catch(() => undefined)
  }

  cancel(requestId: string): RequestState {
    const request = this.open.get(requestId)
    if (request) {
      this.end(request, 'cancelled')
      return copy(request.state)
    }
    const done = this.finished.find((s) => s.requestId === requestId)
    if (done) return copy(done)
    throw new ApiError('PUBLISH_NOT_FOUND', 'That request is not known any more: send it again.')
  }

  /** One request could not be sent (or was refused). */
  fail(requestId: string, error: ApiErrorData): void {
    const request = this.open.get(requestId)
    if (request) this.end(request, 'failed', error)
  }

  /** The connection dropped or went away: its open requests fail. */
  connectionLost(connectionId: string, error: ApiErrorData): void {
    for (const request of [...this.open.values()]) {
      if (request.state.connectionId === connectionId) this.end(request, 'failed', error)
    }
  }

  /** The message tap: one Map lookup unless a request waits on this connection. */
  onMessage(connectionId: string, topic: string, payload: Buffer, packet: IPublishPacket, time: number): void {
    if (this.open.size === 0) return
    const waiting = this.byTopic.get(connectionId)?.get(topic)
    if (!waiting) return
    const correlation = packet.properties?.correlationData
    const hex = correlation ? Buffer.from(correlation).toString('hex') : null
    let enveloped: string | null | undefined
    for (const request of waiting) {
      if (request.envelope) {
        enveloped ??= replyCorrelation(payload)
        if (enveloped !== request.state.correlationData) continue
      } else if (request.state.correlationData !== hex) continue
      if (request.state.replies.length >= MAX_REPLIES) continue
      request.state.replies.push(toReply(topic, payload, packet, time, request.state.sentAt))
      request.state.state = 'answered'
      this.emit(copy(request.state))
    }
  }

  close(): void {
    for (const request of [...this.open.values()]) this.end(request, 'cancelled')
  }

  private end(request: OpenRequest, state: RequestState['state'], error?: ApiErrorData): void {
    if (!this.open.delete(request.state.requestId)) return
    if (request.timer) clearTimeout(request.timer)
    const topics = this.byTopic.get(request.state.connectionId)
    const list = topics?.get(request.state.responseTopic)
    if (topics && list) {
      const rest = list.filter((r) => r !== request)
      if (rest.length > 0) topics.set(request.state.responseTopic, rest)
      else topics.delete(request.state.responseTopic)
      if (topics.size === 0) this.byTopic.delete(request.state.connectionId)
    }
    if (request.listenKey) this.release(request.listenKey)
    request.state.state = state
    if (error) request.state.error = error
    this.finished.unshift(request.state)
    if (this.finished.length > KEEP_FINISHED) this.finished.length = KEEP_FINISHED
    this.emit(copy(request.state))
  }
}

function toReply(topic: string, payload: Buffer, packet: IPublishPacket, time: number, sentAt: number): RequestReply {
  const props = packet.properties
  const reply: RequestReply = {
    topic,
    receivedAt: time,
    rttMs: Math.max(0, time - sentAt),
    bytes: payload.length,
    preview: replyPreview(payload),
    ref: { path: topic, time },
    userProperties: userPropertyList(props?.userProperties),
  }
  if (typeof props?.contentType === 'string') reply.contentType = props.contentType
  return reply
}

function userPropertyList(raw: Record<string, string | string[]> | undefined): UserProperty[] {
  if (!raw) return []
  const out: UserProperty[] = []
  for (const [name, value] of Object.entries(raw)) {
    for (const v of Array.isArray(value) ? value : [value]) out.push({ name, value: String(v) })
  }
  return out
}

function copy(state: RequestState): RequestState {
  return structuredClone(state)
}
