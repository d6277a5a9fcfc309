/**
 * Publishing: the payload editor's drafts, MQTT 5 properties, the broker's acknowledgement,
 * templates, the publish history, repeated publishing and request/response.
 *
 * A message is sent as authored (`OutgoingMessage`): the main side renders its placeholders,
 * encodes the payload from the editor's text (JSON for MessagePack, CBOR, Protobuf and Sparkplug
 * B), optionally gzips it and publishes. So templates, history entries and repeat jobs all keep
 * what the user wrote, and the bytes are made the same way each time.
 */
import { z } from 'zod'
import type { ApiErrorData } from './errors'
import { Qos } from './profiles'
import { IdString, MAX_FILE_NAME_CHARS, MAX_MQTT_STRING_CHARS, MAX_NAME_CHARS, MAX_PAYLOAD_BASE64_CHARS, MAX_TOPIC_BYTES, MAX_USER_PROPERTIES, TopicString } from './limits'
import { MessageRef } from './inspect'
import type { Notice } from './notices'

/** What the editor is written in. `file` is a file's raw bytes (base64), published as they are. */
export const PayloadFormat = z.enum(['text', 'json', 'hex', 'base64', 'msgpack', 'cbor', 'protobuf', 'sparkplug', 'file'])
export type PayloadFormat = z.infer<typeof PayloadFormat>

/** Formats authored as JSON and encoded on the main side. */
export const JSON_AUTHORED_FORMATS: readonly PayloadFormat[] = ['json', 'msgpack', 'cbor', 'protobuf', 'sparkplug']

/** The payload as the editor holds it. */
export const PayloadDraft = z.object({
  format: PayloadFormat,
  /**
   * The editor's text: the payload for `text`, JSON for `json`/`msgpack`/`cbor`/`protobuf`/
   * `sparkplug`, hex digits (spaces and newlines allowed) for `hex`, base64 for `base64` and for
   * `file` (the file's bytes).
   */
  body: z.string().max(MAX_PAYLOAD_BASE64_CHARS),
  /** Protobuf: the fully qualified message type, from an imported `.proto`. */
  protobufType: z.string().min(1).max(512).optional(),
  /** `file`: the file's name, for display (never a path). */
  fileName: z.string().max(MAX_FILE_NAME_CHARS).optional(),
  /** Gzip the encoded bytes before publishing. */
  gzip: z.boolean().default(false),
  /** Render `{{now}}`, `{{iso}}`, `{{uuid}}`, `{{counter}}`, `{{random a b}}` in the body (not for `file`). */
  placeholders: z.boolean().default(true),
})
export type PayloadDraft = z.infer<typeof PayloadDraft>

/** One MQTT 5 user property; a list keeps the order and repeated names. */
export const UserProperty = z.object({
  name: z.string().max(MAX_MQTT_STRING_CHARS),
  value: z.string().max(MAX_MQTT_STRING_CHARS),
})
export type UserProperty = z.infer<typeof UserProperty>

/** Correlation data is binary in MQTT 5: written as text (UTF-8) or as hex digits. */
export const CorrelationData = z.object({
  encoding: z.enum(['utf8', 'hex']),
  value: z.string().max(MAX_MQTT_STRING_CHARS * 2),
})
export type CorrelationData = z.infer<typeof CorrelationData>

/** Every MQTT 5 PUBLISH property a user sets (ignored on an MQTT 3.1.1 connection, with a warning). */
export const OutgoingProperties = z.object({
  payloadFormatIndicator: z.boolean().optional(),
  contentType: z.string().max(MAX_MQTT_STRING_CHARS).optional(),
  /** Seconds. */
  messageExpiryInterval: z.number().int().min(0).max(0xffffffff).optional(),
  topicAlias: z.number().int().min(1).max(0xffff).optional(),
  responseTopic: TopicString.optional(),
  correlationData: CorrelationData.optional(),
  userProperties: z.array(UserProperty).max(MAX_USER_PROPERTIES).default([]),
})
export type OutgoingProperties = z.infer<typeof OutgoingProperties>

/** A message as authored. `topic` may hold placeholders; wildcards are refused after rendering. */
export const OutgoingMessage = z.object({
  topic: z.string().min(1).max(MAX_TOPIC_BYTES),
  payload: PayloadDraft,
  qos: Qos.default(0),
  retain: z.boolean().default(false),
  properties: OutgoingProperties.default({ userProperties: [] }),
})
export type OutgoingMessage = z.infer<typeof OutgoingMessage>
export type OutgoingMessageInput = z.input<typeof OutgoingMessage>

// ---- Encoding (no publish) ------------------------------------------------------------------

export const PublishEncodeParams = z.object({
  payload: PayloadDraft,
})

/** Where an authored payload is wrong: a sentence, and where the editor should mark it. */
export interface PayloadProblem {
  message: string
  /** 1-based line and column in `body`, when the problem has a place. */
  line?: number
  column?: number
  /** JSON Pointer of the offending value (e.g. a Protobuf field of the wrong type). */
  pointer?: string
  /** The same sentence with its code, for translation; absent for sentences that carry none yet. */
  notice?: Notice
}

/** The encoded payload's size and first bytes, or why it cannot be encoded. */
export type PayloadEncodeResult =
  | { ok: true; bytes: number; /** Hex of at most the first 64 bytes. */ headHex: string }
  | { ok: false; problem: PayloadProblem }

// ---- Sending --------------------------------------------------------------------------------

export const PublishSendParams = z.object({
  connectionId: IdString,
  message: OutgoingMessage,
  /** A template this message came from: its `{{counter}}` advances. */
  templateId: IdString.optional(),
})

/** The broker's answer to a QoS 1/2 publish (PUBACK, or PUBREC then PUBCOMP). */
export interface PublishAck {
  /** MQTT 5 reason code; 0 on MQTT 3.1.1, which has none. */
  reasonCode: number
  /** Its name in the specification's words, e.g. "No matching subscribers", "Not authorized". */
  reasonName: string
  /** The broker's own reason string, when it sent one. */
  reasonString?: string
  /** False for reason codes ≥ 0x80: the broker refused the message. */
  accepted: boolean
}

export interface PublishOutcome {
  /** The topic as sent, placeholders rendered. */
  topic: string
  bytes: number
  qos: Qos
  retain: boolean
  /** Epoch ms. */
  publishedAt: number
  /** null for QoS 0 (nothing is acknowledged). */
  ack: PublishAck | null
  /** E.g. "MQTT 5 properties were not sent: this connection uses MQTT 3.1.1". */
  warnings: string[]
  /** The same warnings with their codes, for translation (same order). */
  warningNotices?: Notice[]
}

// ---- History ----------------------------------------------------------------------------------

/** Publishes kept (newest first), persisted in the data folder. */
export const MAX_PUBLISH_HISTORY = 100

export interface PublishHistoryEntry {
  id: string
  profileId: string
  profileName: string
  /** As authored. A body over the history's per-entry cap is not kept: `bodyDropped` says so. */
  message: OutgoingMessage
  bodyDropped?: { bytes: number }
  outcome: PublishOutcome
}

// ---- Templates --------------------------------------------------------------------------------

export const TemplateSaveParams = z.object({
  /** Omitted: a new template. */
  id: IdString.optional(),
  name: z.string().trim().min(1).max(MAX_NAME_CHARS),
  /** null: global; else the profile it belongs to (and travels with in the profile export). */
  profileId: IdString.nullable(),
  message: OutgoingMessage,
})

export interface PublishTemplate {
  id: string
  name: string
  profileId: string | null
  message: OutgoingMessage
  /** The next `{{counter}}` value this template renders. */
  counter: number
  createdAt: number
  updatedAt: number
}

export const TemplateListParams = z.object({
  /** Only global templates and this profile's; omitted: all. */
  profileId: IdString.optional(),
  /** Case-insensitive match on name and topic. */
  search: z.string().max(MAX_NAME_CHARS).optional(),
}).optional()

// ---- From a received message --------------------------------------------------------------------

export const DraftFromMessageParams = z.object({ message: MessageRef })

/** A stored message turned into an editor draft: its topic, payload in its decoded format, QoS, retain, properties. */
export interface MessageDraft {
  message: OutgoingMessage
  /** E.g. "Decoded as CBOR; it is encoded again when published" or why it fell back to hex. */
  note?: string
  /** The note's sentences with their codes, for translation; `note` is their English joined. */
  noteNotices?: Notice[]
}

// ---- Repeat -------------------------------------------------------------------------------------

export const RepeatPace = z.discriminatedUnion('kind', [
  /** One message every `ms`. */
  z.object({ kind: z.literal('interval'), ms: z.number().int().min(1).max(86_400_000) }),
  /** `perSecond` messages a second, spread evenly. */
  z.object({ kind: z.literal('rate'), perSecond: z.number().min(0.001).max(1_000_000) }),
  /** As fast as the connection takes them (QoS 1/2: bounded by the in-flight window). */
  z.object({ kind: z.literal('max') }),
])
export type RepeatPace = z.infer<typeof RepeatPace>

export const RepeatUntil = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('count'), count: z.number().int().min(1).max(100_000_000) }),
  z.object({ kind: z.literal('duration'), ms: z.number().int().min(1).max(7 * 86_400_000) }),
  z.object({ kind: z.literal('stopped') }),
])
export type RepeatUntil = z.infer<typeof RepeatUntil>

export const RepeatStartParams = z.object({
  connectionId: IdString,
  /** Its topic may hold placeholders (`dev/{{counter}}/cmd`): rendered for every message. */
  message: OutgoingMessage,
  pace: RepeatPace,
  until: RepeatUntil,
})

export type RepeatState = 'running' | 'done' | 'stopped' | 'failed'

export interface RepeatJob {
  jobId: string
  connectionId: string
  /** The topic as authored (may hold placeholders). */
  topic: string
  qos: Qos
  pace: RepeatPace
  until: RepeatUntil
  state: RepeatState
  /** Handed to the connection. */
  sent: number
  /** Acknowledged by the broker (QoS 1/2) with a reason code < 0x80; equals `sent` at QoS 0. */
  acknowledged: number
  /** Refused by the broker, or lost with the connection before an acknowledgement. */
  failed: number
  /** Messages a second over the last second or so. */
  ratePerSecond: number
  startedAt: number
  endedAt?: number
  /** Why it failed (e.g. the connection dropped), or the first refusal's reason. */
  error?: ApiErrorData
}

export const RepeatRef = z.object({ jobId: IdString })

// ---- Request / response -------------------------------------------------------------------------

export const RequestParams = z.object({
  connectionId: IdString,
  /**
   * Must carry `properties.responseTopic`; correlation data is generated (16 random bytes, hex)
   * when not set. The app subscribes to the response topic for the request's lifetime.
   */
  message: OutgoingMessage,
  /** How long replies are awaited. */
  timeoutMs: z.number().int().min(100).max(600_000).default(10_000),
})

export interface RequestReply {
  topic: string
  /** Epoch ms, and ms since the request was sent. */
  receivedAt: number
  rttMs: number
  bytes: number
  /** Display-safe text of the first bytes (or hex for binary). */
  preview: string
  /** Where the full message is in the tree, for the inspector. */
  ref: { path: string; time: number }
  contentType?: string
  userProperties: UserProperty[]
}

/**
 * `waiting`: sent, nothing yet; `answered`: at least one reply, still listening until the timeout;
 * then `closed` (had replies), `timedOut` (none), `failed` (not sent or the connection dropped)
 * or `cancelled`.
 */
export type RequestStateName = 'waiting' | 'answered' | 'closed' | 'timedOut' | 'failed' | 'cancelled'

export interface RequestState {
  requestId: string
  connectionId: string
  topic: string
  responseTopic: string
  /** As hex. */
  correlationData: string
  sentAt: number
  timeoutMs: number
  state: RequestStateName
  replies: RequestReply[]
  error?: ApiErrorData
}

export const RequestRef = z.object({ requestId: IdString })

// ---- Topic completion ---------------------------------------------------------------------------

export const TopicCompleteParams = z.object({
  connectionId: IdString,
  /** What the user has typed so far. */
  prefix: z.string().max(MAX_TOPIC_BYTES),
  limit: z.number().int().min(1).max(200).default(50),
})
