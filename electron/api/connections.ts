/**
 * Live broker sessions as the renderer sees them. One session per profile at a time, so a
 * connection is identified by its profile id.
 */
import { z } from 'zod'
import type { ApiErrorData } from './errors'
import { ProtocolVersion, Qos, SessionSecrets, SubscriptionSpec, WillProperties } from './profiles'
import { fitsUtf8, IdString, MAX_PAYLOAD_BASE64_CHARS, MAX_PAYLOAD_BYTES, TopicString } from './limits'
import type { Notice } from './notices'

export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'offline' | 'error' | 'disconnected'

export interface SubscriptionState extends SubscriptionSpec {
  /** QoS granted by the broker, or null while pending / when refused. */
  grantedQos: Qos | null
  /** Set when the broker refused this subscription (SUBACK reason >= 0x80). */
  error?: ApiErrorData
}

export interface ConnectionState {
  connectionId: string
  profileId: string
  name: string
  status: ConnectionStatus
  /** Negotiated protocol version, known once connected. */
  protocolVersion?: ProtocolVersion
  /** Reconnect attempt number, from 1. */
  attempt?: number
  /** Epoch ms of the next reconnect attempt. */
  nextRetryAt?: number
  /** Why the session is in error / reconnecting / offline. */
  error?: ApiErrorData
  /** Epoch ms when the status last changed. */
  since: number
  subscriptions: SubscriptionState[]
  /** Persistent warnings, e.g. "certificate verification is switched off". */
  warnings: string[]
  /** The same warnings with their codes, for translation (same order). */
  warningNotices?: Notice[]
  messageCount: number
  byteCount: number
  /** Set for a recording opened offline: a read-only connection fed from the file, not a broker. */
  offline?: { recordingId: string }
}

export interface MessageSummary {
  topic: string
  qos: Qos
  retain: boolean
  /** Payload size in bytes. */
  size: number
  /** Epoch ms when it arrived. */
  time: number
  /** A short, display-safe preview (text, or hex for binary). */
  preview: string
}

export interface MessageBatchEvent {
  connectionId: string
  /** The newest messages of this batch (bounded; older ones of a burst are only counted). */
  messages: MessageSummary[]
  /** Messages in this batch, including those not listed. */
  count: number
  /** Running total for the connection. */
  total: number
  totalBytes: number
}

export const ConnectParams = z.object({
  profileId: IdString,
  secrets: SessionSecrets.default({}),
})

export const ConnectionRef = z.object({ connectionId: IdString })

export const SubscribeParams = z.object({ connectionId: IdString, subscription: SubscriptionSpec })
export const UnsubscribeParams = z.object({ connectionId: IdString, filter: TopicString.min(1) })

/** MQTT 5 PUBLISH properties: the will's, less the will delay (which only a will has). */
export const PublishProperties = WillProperties.omit({ willDelayInterval: true })

export const PublishParams = z.object({
  connectionId: IdString,
  topic: TopicString.min(1),
  /** Up to MAX_PAYLOAD_BYTES: that many bytes of text in UTF-8, or their base64. */
  payload: z.string().max(MAX_PAYLOAD_BASE64_CHARS),
  /** How `payload` is encoded: plain text, or base64 for binary payloads. */
  encoding: z.enum(['utf8', 'base64']).default('utf8'),
  qos: Qos.default(0),
  retain: z.boolean().default(false),
  properties: PublishProperties.optional(),
}).refine((p) => p.encoding === 'base64' || fitsUtf8(p.payload, MAX_PAYLOAD_BYTES), {
  path: ['payload'],
  message: `Too big: a payload is at most ${MAX_PAYLOAD_BYTES} bytes`,
})

export const RecentParams = z.object({ connectionId: IdString, limit: z.number().int().min(1).max(5000).default(500) })

export { ProtocolVersion }
