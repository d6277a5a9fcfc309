/**
 * One live broker session for one profile: the first connect, the honest state machine
 * (connecting → connected → reconnecting/offline/error → disconnected), our own reconnect with
 * backoff, subscriptions restored after every reconnect, and the message counters.
 */
import type tls from 'node:tls'
import type { IClientPublishOptions, IPublishPacket, MqttClient } from 'mqtt'
import {
  ApiError,
  type PublishAck,
  isTlsScheme,
  MAX_MESSAGES_PER_BATCH,
  notice,
  type Notice,
  type ApiErrorData,
  type ConnectionState,
  type ConnectionStatus,
  type MessageBatchEvent,
  type MessageSummary,
  type Profile,
  type ProtocolVersion,
  type SessionSecrets,
  type SubscriptionSpec,
} from '../../api'
import { alpnOffered, classifyError, type ClassifyContext } from '../tls/classify-error'
import type { TlsSocketInfo } from '../tls/socket-info'
import { prepareTls, type PreparedTls } from '../tls/tls-options'
import { startAttempt, type AttemptHandle, type AttemptSuccess, type ConnackPacket } from './attempt'
import { ReconnectBackoff } from './backoff'
import { SessionIncomingStore } from './incoming-store'
import { MessageBatcher } from './message-batcher'
import { clientOptions, generateClientId } from './mqtt-options'
import { RecentMessages } from './recent-messages'
import { publishAcked, publishWithAck, type AckCallback } from './publish-ack'
import { publishOn, SubscriptionBook } from './subscription-book'
import { filterMatches } from './topic-filter'
import type { AttemptProbe, ConnectTimings } from './transport'

export const VERIFY_OFF_WARNING = 'Certificate verification is off: this connection cannot detect an impostor broker.'
export const PLAINTEXT_PASSWORD_WARNING = 'This connection is not encrypted: the password and every message travel in plain text.'

export type { TlsSocketInfo }

export interface SessionHooks {
  onState(state: ConnectionState): void
  onBatch(batch: MessageBatchEvent): void
  onTlsSocket?(connectionId: string, socket: tls.TLSSocket, attempt: number, info?: TlsSocketInfo): void
  onConnack?(connectionId: string, connack: ConnackPacket, timings: ConnectTimings): void
  /** Raw messages for the topic tree: called before anything else looks at the message. `time` is its arrival (epoch ms). */
  onMessage?(connectionId: string, topic: string, payload: Buffer, packet: IPublishPacket, time: number): void
}

export interface SessionLimits {
  batchIntervalMs: number
  recentLimit: number
  /** How long a connection must stay up before its next outage starts at attempt 1 again. */
  stableConnectionMs?: number
}

export class Session {
  readonly id: string
  private status: ConnectionStatus = 'connecting'
  private since = Date.now()
  private protocolVersion?: ProtocolVersion
  private retryAttempt = 0
  private nextRetryAt?: number
  private error?: ApiErrorData
  private readonly warnings: Notice[] = []
  private messageCount = 0
  private byteCount = 0
  private attemptSerial = 0
  private client: MqttClient | null = null
  private probe: AttemptProbe | null = null
  private inFlight: AttemptHandle | null = null
  private retryTimer: ReturnType<typeof setTimeout> | null = null
  private stopped = false
  private tls: PreparedTls | null = null
  private readonly clientId: string
  private readonly recentMessages: RecentMessages
  private readonly batcher: MessageBatcher
  private readonly subs: SubscriptionBook
  private readonly pendingPublishes = new Set<{ reject: (err: ApiError) => void }>()
  /** The broker's Receive Maximum (MQTT 5 CONNACK; 65,535 when it sets none): QoS 1/2 publishes it takes at once. */
  private serverReceiveMaximum = 65_535
  private readonly incoming = new SessionIncomingStore()
  private readonly backoff: ReconnectBackoff

  constructor(
    private readonly profile: Profile,
    private readonly secrets: SessionSecrets,
    private readonly hooks: SessionHooks,
    limits: SessionLimits,
  ) {
    this.id = profile.id
    this.clientId = profile.clientId || generateClientId()
    // A batch lists the ring's newest entries, so the ring must hold at least a full batch.
    this.recentMessages = new RecentMessages(Math.max(limits.recentLimit, MAX_MESSAGES_PER_BATCH))
    this.batcher = new MessageBatcher(this.id, limits.batchIntervalMs, hooks.onBatch, (n) => this.recentMessages.newest(n))
    this.backoff = new ReconnectBackoff(profile.reconnect, limits.stableConnectionMs)
    this.subs = new SubscriptionBook(profile.protocolVersion === 5, () => this.emit())
    for (const spec of profile.subscriptions) this.subs.add(spec)
    if (isTlsScheme(profile.scheme) && !profile.tls.verify) this.warnings.push(notice('CONNECTION_VERIFY_OFF', VERIFY_OFF_WARNING))
    if (!isTlsScheme(profile.scheme) && secrets.password) this.warnings.push(notice('CONNECTION_PLAINTEXT_PASSWORD', PLAINTEXT_PASSWORD_WARNING))
  }

  /** A copy of the current state, safe to hand to event queues. */
  state(): ConnectionState {
    const s: ConnectionState = {
      connectionId: this.id,
      profileId: this.profile.id,
      name: this.profile.name,
      status: this.status,
      since: this.since,
      subscriptions: this.subs.states(),
      warnings: this.warnings.map((w) => w.message),
      warningNotices: [...this.warnings],
      messageCount: this.messageCount,
      byteCount: this.byteCount,
    }
    if (this.protocolVersion !== undefined) s.protocolVersion = this.protocolVersion
    if (this.status === 'reconnecting') {
      s.attempt = this.retryAttempt
      if (this.nextRetryAt !== undefined) s.nextRetryAt = this.nextRetryAt
    }
    if (this.error && (this.status === 'error' || this.status === 'reconnecting' || this.status === 'offline')) s.error = this.error
    return s
  }

  /** True once connected over MQTT 5 (publish options carry properties only then). */
  get isV5(): boolean {
    return this.protocolVersion === 5
  }

  get isActive(): boolean {
    return this.status === 'connecting' || this.status === 'connected' || this.status === 'reconnecting'
  }

  /** First connect: resolves once connected and subscribed, rejects (status 'error') otherwise. */
  async start(): Promise<ConnectionState> {
    this.setStatus('connecting')
    try {
      if (isTlsScheme(this.profile.scheme)) this.tls = prepareTls(this.profile.host, this.profile.tls, this.secrets)
      const success = await this.attempt()
      await this.onConnected(success)
      return this.state()
    } catch (err) {
      if (this.stopped) throw err
      const apiError = err instanceof ApiError ? err : classifyError(err, this.context())
      this.teardownClient()
      this.error = apiError.toJSON()
      this.setStatus('error')
      throw apiError
    }
  }

  /** Ends the session for good; resolves once the broker got our DISCONNECT (or gave up). */
  async stop(): Promise<ConnectionState> {
    this.stopped = true
    if (this.retryTimer) clearTimeout(this.retryTimer)
    this.retryTimer = null
    this.inFlight?.cancel()
    this.inFlight = null
    this.failPublishes('The connection was closed before the broker acknowledged the message.')
    const client = this.client
    this.client = null
    if (client) await endGracefully(client)
    this.batcher.flush()
    this.batcher.close()
    if (this.status !== 'disconnected') this.setStatus('disconnected')
    return this.state()
  }

  async subscribe(spec: SubscriptionSpec): Promise<ConnectionState> {
    this.requireUsable()
    this.subs.add(spec)
    if (this.client && this.status === 'connected') await this.subs.send(this.client, [spec.filter])
    this.emit()
    return this.state()
  }

  async unsubscribe(filter: string): Promise<ConnectionState> {
    this.requireUsable()
    const known = this.subs.remove(filter)
    if (known && this.client && this.status === 'connected') await this.subs.unsend(this.client, filter)
    this.emit()
    return this.state()
  }

  async publish(topic: string, payload: Buffer, options: IClientPublishOptions): Promise<void> {
    const client = this.connectedClient()
    await this.track(publishOn(client, topic, payload, options))
  }

  /**
   * Publishes and resolves with the broker's acknowledgement (null at QoS 0): a refusal is an
   * answer (`accepted: false`), not an error. Rejects only when the message was not answered
   * (not connected, or the connection was lost first).
   */
  publishAcked(topic: string, payload: Buffer, options: IClientPublishOptions): Promise<PublishAck | null> {
    try {
      return this.track(publishAcked(this.connectedClient(), topic, payload, options))
    } catch (err) {
      return Promise.reject(err)
    }
  }

  /**
   * {@link publishAcked} without promises, for repeat jobs: `done` is called exactly once, also
   * when not connected (synchronously) or when the connection is lost first.
   */
  publishNow(topic: string, payload: Buffer, options: IClientPublishOptions, done: AckCallback): void {
    const client = this.client
    if (!client || this.status !== 'connected') {
      done(new ApiError('MQTT_NOT_CONNECTED', `${this.profile.name} is not connected right now: wait until it is connected, then publish again.`), null)
      return
    }
    let settled = false
    const entry = {
      reject: (err: ApiError) => {
        if (settled) return
        settled = true
        done(err, null)
      },
    }
    this.pendingPublishes.add(entry)
    publishWithAck(client, topic, payload, options, (err, ack) => {
      this.pendingPublishes.delete(entry)
      if (settled) return
      settled = true
      done(err, ack)
    })
  }

  /** How many QoS 1/2 publishes the broker takes unanswered at once (its Receive Maximum). */
  get receiveMaximum(): number {
    return this.serverReceiveMaximum
  }

  /** True while connected (publishing is possible now). */
  get isConnected(): boolean {
    return this.client !== null && this.status === 'connected'
  }

  /** True when one of the profile's own subscriptions already receives `topic`. */
  subscribedTo(topic: string): boolean {
    return this.subs.states().some((s) => s.grantedQos !== null && filterMatches(s.filter, topic))
  }

  /**
   * A subscription outside the profile's book (a request's response topic): sent now, never
   * replayed after a reconnect and never shown in the state. Rejects when refused or not connected.
   */
  async subscribeTransient(filter: string, qos: 0 | 1 | 2): Promise<void> {
    const client = this.connectedClient()
    await new Promise<void>((resolve, reject) => {
      client.subscribe(filter, { qos }, (err, granted) => {
        const code = granted?.[0]?.qos
        if (err || code === undefined || code >= 0x80) {
          reject(new ApiError('MQTT_SUBSCRIBE_FAILED', `The subscription to ${filter} was refused${code !== undefined && code >= 0x80 ? ` (reason 0x${code.toString(16)})` : err ? ` (${err.message})` : ''}: check the broker's access rules for that topic.`))
        } else resolve()
      })
    })
  }

  /** Ends a transient subscription; a failure only means the connection is gone, which ends it anyway. */
  async unsubscribeTransient(filter: string): Promise<void> {
    const client = this.client
    if (!client || this.status !== 'connected') return
    // Never take away what the profile itself subscribed to.
    if (this.subs.filters().includes(filter)) return
    await this.subs.unsend(client, filter)
  }

  private connectedClient(): MqttClient {
    const client = this.client
    if (!client || this.status !== 'connected') {
      throw new ApiError('MQTT_NOT_CONNECTED', `${this.profile.name} is not connected right now: wait until it is connected, then publish again.`)
    }
    return client
  }

  // Pending until answered, so a lost connection can reject it (mqtt.js would not).
  private track<T>(publish: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const entry = { reject }
      this.pendingPublishes.add(entry)
      publish.then(resolve, reject).finally(() => this.pendingPublishes.delete(entry))
    })
  }

  // mqtt.js never calls back QoS 1/2 publishes of a client whose socket died; we do.
  private failPublishes(sentence: string): void {
    for (const entry of this.pendingPublishes) entry.reject(new ApiError('MQTT_PUBLISH_FAILED', sentence))
    this.pendingPublishes.clear()
  }

  recent(limit: number): MessageSummary[] {
    return this.recentMessages.newest(limit)
  }

  clearMessages(): void {
    this.recentMessages.clear()
    this.messageCount = 0
    this.byteCount = 0
    this.emit()
  }

  private requireUsable(): void {
    if (!this.isActive) {
      throw new ApiError('MQTT_NOT_CONNECTED', `${this.profile.name} is not connected: connect it first.`)
    }
  }

  private context(): ClassifyContext {
    return {
      host: this.profile.host,
      port: this.profile.port,
      tls: isTlsScheme(this.profile.scheme),
      serverName: this.tls?.verifyName,
      clientCertSent: this.tls?.clientCertSent ?? false,
      alpnOffered: alpnOffered(this.tls),
      connectTimeoutMs: this.profile.connectTimeoutMs,
      websocket: this.profile.scheme === 'ws' || this.profile.scheme === 'wss',
    }
  }

  private tlsInfo(): TlsSocketInfo | undefined {
    return this.tls ? { host: this.profile.host, port: this.profile.port, protocolVersion: this.profile.protocolVersion, tls: this.tls, websocket: this.profile.scheme === 'wss' } : undefined
  }

  private attempt(): Promise<AttemptSuccess> {
    const serial = ++this.attemptSerial
    const hook = this.hooks.onTlsSocket
    const handle = startAttempt({
      target: { scheme: this.profile.scheme, host: this.profile.host, port: this.profile.port, path: this.profile.path, tls: this.tls },
      mqtt: { ...clientOptions(this.profile, this.clientId, this.secrets.password, this.profile.connectTimeoutMs), incomingStore: this.incoming },
      timeoutMs: this.profile.connectTimeoutMs,
      context: this.context(),
      onTlsSocket: hook ? (socket) => hook(this.id, socket, serial, this.tlsInfo()) : undefined,
      onMessage: this.deliver,
      onConnack: (connack) => {
        if (!connack.sessionPresent) this.incoming.forget()
      },
    })
    this.inFlight = handle
    return handle.result.finally(() => {
      if (this.inFlight === handle) this.inFlight = null
    })
  }

  private async onConnected(success: AttemptSuccess): Promise<void> {
    const { client, connack, probe } = success
    if (this.stopped) {
      client.end(true)
      return
    }
    this.client = client
    this.probe = probe
    this.protocolVersion = this.profile.protocolVersion
    this.serverReceiveMaximum = connack.properties?.receiveMaximum ?? 65_535
    this.retryAttempt = 0
    this.nextRetryAt = undefined
    this.error = undefined
    this.backoff.connected()
    client.on('disconnect', (packet) => {
      // An MQTT 5 broker may say why it ends the session (e.g. "session taken over").
      const reason = packet.reasonCode
      const text = packet.properties?.reasonString
      this.error = new ApiError(
        'CONNECTION_LOST',
        `The broker ended the session${reason ? ` (reason 0x${reason.toString(16)}${reason === 0x8e ? ': another client connected with the same client ID' : ''})` : ''}${text ? `: "${text}"` : ''}.`,
        { disconnectReason: reason },
      ).toJSON()
    })
    client.once('close', () => this.onLost(client))
    this.setStatus('connected')
    this.hooks.onConnack?.(this.id, connack, { ...probe.timings })
    // Session present (MQTT 5 / 3.1.1 persistent session) still gets SUBSCRIBE: options may have changed.
    await this.subs.send(client, this.subs.filters(), this.profile.connectTimeoutMs)
  }

  /**
   * Every message of a successful attempt, from the first one behind CONNACK, including those
   * that arrive before onConnected runs: mqtt.js has acknowledged them, so dropping one loses it.
   */
  private readonly deliver = (topic: string, payload: Buffer, packet: IPublishPacket): void => {
    // One clock read per message for the tree and the message list (Date.now() is ~100 ns here).
    const time = Date.now()
    this.hooks.onMessage?.(this.id, topic, payload, packet, time)
    this.onMessage(topic, payload, packet.qos, packet.retain, time)
  }

  private onMessage(topic: string, payload: Buffer, qos: 0 | 1 | 2, retain: boolean, time: number): void {
    const size = payload.length
    this.messageCount++
    this.byteCount += size
    // Raw into the ring, then counted: summaries and previews are built only for what is shown.
    this.recentMessages.push(topic, payload, qos, retain, time)
    this.batcher.add(time, this.messageCount, this.byteCount)
  }

  private onLost(client: MqttClient): void {
    if (this.client !== client || this.stopped) return
    this.client = null
    this.subs.markLost()
    this.failPublishes('The connection was lost before the broker acknowledged the message: publish it again once reconnected.')
    if (!this.error) {
      const ctx: ClassifyContext = { ...this.context(), wasConnected: true, handshakeDone: true, peer: this.probe?.peer }
      this.error = classifyError(this.probe?.error ?? Object.assign(new Error('connection closed'), { code: 'ECONNRESET' }), ctx).toJSON()
    }
    this.probe = null
    this.batcher.flush()
    if (!this.profile.reconnect.enabled) {
      this.setStatus('offline')
      return
    }
    this.scheduleRetry()
  }

  private scheduleRetry(): void {
    const { attempt, delayMs } = this.backoff.next()
    this.retryAttempt = attempt
    this.nextRetryAt = Date.now() + delayMs
    this.setStatus('reconnecting')
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null
      void this.retry()
    }, delayMs)
  }

  private async retry(): Promise<void> {
    if (this.stopped) return
    try {
      const success = await this.attempt()
      await this.onConnected(success)
    } catch (err) {
      if (this.stopped) return
      this.teardownClient()
      this.error = (err instanceof ApiError ? err : classifyError(err, this.context())).toJSON()
      this.scheduleRetry()
    }
  }

  private teardownClient(): void {
    const client = this.client
    this.client = null
    client?.end(true)
  }

  private setStatus(status: ConnectionStatus): void {
    if (this.status !== status) this.since = Date.now()
    this.status = status
    this.emit()
  }

  private emit(): void {
    this.hooks.onState(this.state())
  }
}

/** Sends DISCONNECT and waits briefly; a dead socket must not hang the caller. */
function endGracefully(client: MqttClient): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      client.end(true)
      resolve()
    }, 2000)
    client.end(false, {}, () => {
      clearTimeout(timer)
      resolve()
    })
  })
}
