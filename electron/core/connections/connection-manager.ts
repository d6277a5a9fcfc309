/**
 * All live broker sessions, one per profile (the connection id is the profile id). The service
 * layer calls this with validated contract params; everything below speaks mqtt.js and sockets.
 */
import type tls from 'node:tls'
import type { IClientPublishOptions, IPublishPacket } from 'mqtt'
import {
  ApiError,
  isOfflineConnectionId,
  PublishParams,
  type ConnectionState,
  type MessageBatchEvent,
  type MessageSummary,
  type Profile,
  type PublishAck,
  type SessionSecrets,
  type SubscriptionSpec,
} from '../../api'
import type { z } from 'zod'
import type { ConnackPacket } from './attempt'
import { publishOptions } from './mqtt-options'
import type { AckCallback } from './publish-ack'
import { Session, type TlsSocketInfo } from './session'
import type { ConnectTimings } from './transport'

export type { ConnackPacket } from './attempt'
export type { ConnectTimings } from './transport'
export type { TlsSocketInfo } from './session'

export interface ConnectionManagerOptions {
  /** Every status change and subscription change, as a fresh copy of the state. */
  onState(state: ConnectionState): void
  /** At most one batch per connection per `batchIntervalMs`. */
  onBatch(batch: MessageBatchEvent): void
  batchIntervalMs?: number
  /** Messages kept per connection for `recent()`. */
  recentLimit?: number
  /** How long a connection must stay up before its next outage starts at attempt 1 (default 30 s). */
  stableConnectionMs?: number
  /**
   * Called synchronously right after each TLS socket is created, before its handshake, so an
   * observer can attach `keylog`, `session`, `OCSPResponse` or `secureConnect` listeners.
   */
  onTlsSocket?(connectionId: string, socket: tls.TLSSocket, attempt: number, info?: TlsSocketInfo): void
  /** Called on every accepted CONNACK, with the attempt's milestones. */
  onConnack?(connectionId: string, connack: ConnackPacket, timings: ConnectTimings): void
  /**
   * Every received message, synchronously from mqtt.js's 'message' event (the topic tree's hot
   * path). `payload` is mqtt.js's own view, not a copy: keep it only by copying. `time` is the
   * arrival in epoch ms, read once per message for every consumer.
   */
  onMessage?(connectionId: string, topic: string, payload: Buffer, packet: IPublishPacket, time: number): void
}

/**
 * What publishing needs of one live session (the publish feature's view of a connection): send
 * with the broker's answer, and subscriptions of its own that never touch the profile's.
 */
export interface PublishChannel {
  readonly isV5: boolean
  readonly isConnected: boolean
  /** QoS 1/2 publishes the broker takes unanswered at once. */
  readonly receiveMaximum: number
  publishAcked(topic: string, payload: Buffer, options: IClientPublishOptions): Promise<PublishAck | null>
  /** The same without a promise per message (repeat jobs); `done` is called exactly once. */
  publishNow(topic: string, payload: Buffer, options: IClientPublishOptions, done: AckCallback): void
  subscribedTo(topic: string): boolean
  subscribeTransient(filter: string, qos: 0 | 1 | 2): Promise<void>
  unsubscribeTransient(filter: string): Promise<void>
}

/** Publish params after contract validation (defaults applied). */
export type PublishInput = z.output<typeof PublishParams>

export class ConnectionManager {
  private readonly sessions = new Map<string, Session>()
  private readonly starting = new Map<string, Promise<ConnectionState>>()
  private readonly batchIntervalMs: number
  private readonly recentLimit: number

  constructor(private readonly options: ConnectionManagerOptions) {
    this.batchIntervalMs = options.batchIntervalMs ?? 50
    this.recentLimit = options.recentLimit ?? 1000
  }

  has(connectionId: string): boolean {
    return this.sessions.has(connectionId)
  }

  list(): ConnectionState[] {
    return [...this.sessions.values()].map((s) => s.state())
  }

  /**
   * Connects a profile. Resolves when connected and subscribed; a first attempt that fails
   * rejects with the classified ApiError and leaves the connection listed with status 'error'.
   * Connecting a profile that is already live returns (or awaits) that session.
   */
  async connect(profile: Profile, secrets: SessionSecrets): Promise<ConnectionState> {
    const existing = this.sessions.get(profile.id)
    if (existing?.isActive) return this.starting.get(profile.id) ?? existing.state()
    if (existing) await existing.stop()

    const session = new Session(
      profile,
      secrets,
      {
        onState: (state) => {
          // A replaced session's late events must not overwrite its successor's state.
          if (this.sessions.get(session.id) === session) this.options.onState(state)
        },
        onBatch: (batch) => {
          if (this.sessions.get(session.id) === session) this.options.onBatch(batch)
        },
        onTlsSocket: this.options.onTlsSocket,
        onConnack: this.options.onConnack,
        onMessage: this.options.onMessage,
      },
      { batchIntervalMs: this.batchIntervalMs, recentLimit: this.recentLimit, stableConnectionMs: this.options.stableConnectionMs },
    )
    this.sessions.set(profile.id, session)
    const started = session.start()
    this.starting.set(profile.id, started)
    try {
      return await started
    } finally {
      if (this.starting.get(profile.id) === started) this.starting.delete(profile.id)
    }
  }

  /** Ends a session; it stays listed as 'disconnected' until connected again. */
  async disconnect(connectionId: string): Promise<ConnectionState> {
    return this.get(connectionId).stop()
  }

  subscribe(connectionId: string, spec: SubscriptionSpec): Promise<ConnectionState> {
    return this.get(connectionId).subscribe(spec)
  }

  unsubscribe(connectionId: string, filter: string): Promise<ConnectionState> {
    return this.get(connectionId).unsubscribe(filter)
  }

  async publish(params: PublishInput): Promise<void> {
    const session = this.get(params.connectionId)
    const payload = Buffer.from(params.payload, params.encoding)
    if (params.encoding === 'base64' && payload.toString('base64').replace(/=+$/, '') !== params.payload.replace(/\s+/g, '').replace(/=+$/, '')) {
      throw new ApiError('BAD_REQUEST', 'The payload is not valid base64: check the encoding setting or the pasted bytes.')
    }
    await session.publish(params.topic, payload, publishOptions(params.qos, params.retain, params.properties, session.isV5))
  }

  /** The live session of a connection for publishing; NOT_FOUND when it was never connected. */
  channel(connectionId: string): PublishChannel {
    if (isOfflineConnectionId(connectionId)) throw new ApiError('OFFLINE_READ_ONLY', 'This is a recording opened offline, so nothing can be published there: pick a connected broker.')
    return this.get(connectionId)
  }

  recent(connectionId: string, limit: number): MessageSummary[] {
    return this.get(connectionId).recent(limit)
  }

  clearMessages(connectionId: string): void {
    this.get(connectionId).clearMessages()
  }

  /** Disconnects everything (app shutdown). Never throws. */
  async closeAll(): Promise<void> {
    await Promise.allSettled([...this.sessions.values()].map((s) => s.stop()))
  }

  private get(connectionId: string): Session {
    const session = this.sessions.get(connectionId)
    if (!session) throw new ApiError('NOT_FOUND', 'That connection is not open: connect the profile first.')
    return session
  }
}
