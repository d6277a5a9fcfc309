/**
 * The recording file format, version 1: JSON Lines (`.mqtt.jsonl`, or gzip: `.mqtt.jsonl.gz`).
 * Stable and documented in the README; readers must ignore keys they do not know.
 *
 * Line 1 is the header (`format` and `version` identify it). Every other line is a message (it has
 * `topic`) or a gap (it has `gap`: the connection was down for a while). Lines are written in
 * arrival order; `t` is the monotonic offset from the recording's start in microseconds (an
 * integer), `w` the wall clock in epoch ms. Payloads are their exact bytes as base64; MQTT 5
 * properties are kept with user properties as an ordered list of pairs (repeats kept) and
 * correlation data as base64. Topic aliases are resolved before a message is recorded (`topic` is
 * always the full name); subscription identifiers are kept but never replayed.
 *
 * Pure: no I/O here (see `line-reader.ts` for reading files).
 */
import type { IClientPublishOptions, IPublishPacket } from 'mqtt'
import type { Qos } from '../../api'

export const FORMAT_NAME = 'mqtts-explorer-recording'
export const FORMAT_VERSION = 1

export interface RecordingHeader {
  format: typeof FORMAT_NAME
  version: number
  /** e.g. "MQTTS Explorer 0.1.0". */
  app: string
  /** Wall clock of the start, epoch ms, and the same instant as an ISO string for people. */
  startedAt: number
  startedAtIso: string
  /** process.hrtime.bigint() at the start, as a decimal string (ns): offsets are measured from it. */
  monotonicStartNs: string
  broker: {
    /** mqtt(s)://host:port or ws(s)://host:port/path, without credentials. */
    url: string
    mqttVersion: 3 | 4 | 5 | null
    /**
     * TLS protocol, cipher and the peer's subject/fingerprint, when TLS; `verified` is whether
     * the connection enforced verification, `trusted` the app's own verdict on the broker.
     */
    tls: { protocol?: string; cipher?: string; peerSubject?: string; peerFingerprint256?: string; verified?: boolean; trusted?: boolean } | null
  }
  /** Client options without secrets (no password, no key material). */
  client: { clientId?: string; clean?: boolean; keepalive?: number; username?: string; sessionExpiryInterval?: number }
  /** What the connection was subscribed to, and what the recorder records (empty = all). */
  subscriptions: { filter: string; qos: Qos }[]
  filters: string[]
  /** Rotation: this file's number (from 1) and the first file's name. */
  part: number
  firstFile?: string
  /** Where the file came from, when imported ("mosquitto_sub", "mqtt-recorder-rs"). */
  importedFrom?: string
  /** A name the user gave. */
  name?: string
}

/** MQTT 5 PUBLISH properties as recorded. */
export interface RecordedProperties {
  payloadFormatIndicator?: boolean
  messageExpiryInterval?: number
  contentType?: string
  responseTopic?: string
  /** Base64 in the file; bytes in memory. */
  correlationData?: Buffer
  userProperties?: [string, string][]
  /** Kept for the record; never replayed (the broker assigns them per subscription). */
  subscriptionIdentifiers?: number[]
}

export interface RecordedMessage {
  /** µs from the recording's start (monotonic). */
  offsetUs: number
  /** Epoch ms. */
  wallMs: number
  topic: string
  qos: Qos
  retain: boolean
  dup: boolean
  /** A retained message the broker delivered because of a subscribe (not live traffic). */
  onSubscribe: boolean
  payload: Buffer
  properties?: RecordedProperties
}

export interface RecordedGap {
  offsetUs: number
  wallMs: number
  /** How long the connection was down, µs (0 when not known). */
  durationUs: number
  reason: string
}

export type ParsedLine =
  | { kind: 'header'; header: RecordingHeader }
  | { kind: 'message'; message: RecordedMessage }
  | { kind: 'gap'; gap: RecordedGap }
  | { kind: 'bad'; reason: string }

// ---- Writing

export function headerLine(header: RecordingHeader): string {
  return JSON.stringify(header)
}

export function messageLine(m: RecordedMessage): string {
  // A fixed key order and no optional keys when absent: small lines, stable diffs.
  let line = `{"t":${Math.round(m.offsetUs)},"w":${m.wallMs},"topic":${JSON.stringify(m.topic)},"qos":${m.qos},"retain":${m.retain},"dup":${m.dup}`
  if (m.onSubscribe) line += ',"sub":true'
  line += `,"payload":"${m.payload.toString('base64')}"`
  const props = propertiesText(m.properties)
  if (props !== null) line += `,"props":${props}`
  return line + '}'
}

export function gapLine(g: RecordedGap): string {
  return JSON.stringify({ t: Math.round(g.offsetUs), w: g.wallMs, gap: { durationUs: Math.round(g.durationUs), reason: g.reason } })
}

/** The `props` value of a message line as JSON, or null when the message has none to record. */
export function propertiesText(p: RecordedProperties | undefined): string | null {
  return p && hasProperties(p) ? JSON.stringify(propertiesJson(p)) : null
}

function hasProperties(p: RecordedProperties): boolean {
  for (const key in p) if ((p as Record<string, unknown>)[key] !== undefined) return true
  return false
}

function propertiesJson(p: RecordedProperties): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  if (p.payloadFormatIndicator !== undefined) out.payloadFormatIndicator = p.payloadFormatIndicator
  if (p.messageExpiryInterval !== undefined) out.messageExpiryInterval = p.messageExpiryInterval
  if (p.contentType !== undefined) out.contentType = p.contentType
  if (p.responseTopic !== undefined) out.responseTopic = p.responseTopic
  if (p.correlationData !== undefined) out.correlationData = p.correlationData.toString('base64')
  if (p.userProperties !== undefined && p.userProperties.length > 0) out.userProperties = p.userProperties
  if (p.subscriptionIdentifiers !== undefined && p.subscriptionIdentifiers.length > 0) out.subscriptionIdentifiers = p.subscriptionIdentifiers
  return out
}

// ---- From mqtt.js

/**
 * A received packet's properties as recorded. mqtt.js hands user properties as an object whose
 * repeated names hold arrays (values of one name in wire order; see inspect/user-properties.ts
 * for what that loses); the topic alias is dropped because mqtt.js has already resolved it.
 */
export function propertiesFromPacket(packet: IPublishPacket): RecordedProperties | undefined {
  const p = packet.properties
  if (!p) return undefined
  const out: RecordedProperties = {}
  if (p.payloadFormatIndicator !== undefined) out.payloadFormatIndicator = Boolean(p.payloadFormatIndicator)
  if (p.messageExpiryInterval !== undefined) out.messageExpiryInterval = p.messageExpiryInterval
  if (p.contentType !== undefined) out.contentType = p.contentType
  if (p.responseTopic !== undefined) out.responseTopic = p.responseTopic
  if (p.correlationData !== undefined) out.correlationData = Buffer.from(p.correlationData)
  if (p.userProperties) {
    const pairs: [string, string][] = []
    for (const [name, value] of Object.entries(p.userProperties)) {
      for (const v of Array.isArray(value) ? value : [value]) pairs.push([name, String(v)])
    }
    if (pairs.length > 0) out.userProperties = pairs
  }
  const ids = p.subscriptionIdentifier
  if (ids !== undefined) out.subscriptionIdentifiers = Array.isArray(ids) ? ids : [ids]
  return hasProperties(out) ? out : undefined
}

/** Recorded properties as mqtt.js publishes them (no subscription identifiers, no topic alias). */
export function publishProperties(p: RecordedProperties | undefined): IClientPublishOptions['properties'] | undefined {
  if (!p) return undefined
  const out: NonNullable<IClientPublishOptions['properties']> = {}
  if (p.payloadFormatIndicator !== undefined) out.payloadFormatIndicator = p.payloadFormatIndicator
  if (p.messageExpiryInterval !== undefined) out.messageExpiryInterval = p.messageExpiryInterval
  if (p.contentType !== undefined) out.contentType = p.contentType
  if (p.responseTopic !== undefined) out.responseTopic = p.responseTopic
  if (p.correlationData !== undefined) out.correlationData = p.correlationData
  if (p.userProperties && p.userProperties.length > 0) {
    const grouped: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>
    for (const [name, value] of p.userProperties) {
      const held = grouped[name]
      if (held === undefined) grouped[name] = value
      else if (Array.isArray(held)) held.push(value)
      else grouped[name] = [held, value]
    }
    out.userProperties = grouped
  }
  return Object.keys(out).length > 0 ? out : undefined
}

// ---- Reading

/**
 * The bytes of a base64 payload, or null when it is not base64. Node's decoder skips characters
 * that are not base64 (and stops at a misplaced `=`), so a decoded length short of what the text's
 * length promises means a bad string: one pass, where a regular expression first was a second
 * (a fifth of what reading a recording cost).
 */
export function decodeBase64(text: string): Buffer | null {
  let end = text.length
  while (end > 0 && text.charCodeAt(end - 1) === 0x3d) end--
  // One character past a multiple of four is never base64; it is also what a single stray
  // character in a valid string looks like, which the length check below cannot see.
  if (text.length - end > 2 || end % 4 === 1) return null
  const bytes = Buffer.from(text, 'base64')
  return bytes.length === Math.floor((end * 3) / 4) ? bytes : null
}

/** One line of a file in our format. Never throws: a line that does not read is `bad`, with why. */
export function parseLine(line: string): ParsedLine {
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch {
    return { kind: 'bad', reason: 'not JSON' }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { kind: 'bad', reason: 'not a JSON object' }
  const o = value as Record<string, unknown>
  if (o.format === FORMAT_NAME) {
    if (typeof o.version !== 'number' || o.version > FORMAT_VERSION) return { kind: 'bad', reason: `format version ${String(o.version)} is newer than this app reads (${FORMAT_VERSION})` }
    return { kind: 'header', header: o as unknown as RecordingHeader }
  }
  const t = o.t
  const w = o.w
  if (typeof t !== 'number' || !Number.isFinite(t) || t < 0) return { kind: 'bad', reason: 'no offset "t"' }
  const wallMs = typeof w === 'number' && Number.isFinite(w) ? w : 0
  if (o.gap && typeof o.gap === 'object') {
    const g = o.gap as Record<string, unknown>
    return { kind: 'gap', gap: { offsetUs: t, wallMs, durationUs: typeof g.durationUs === 'number' ? g.durationUs : 0, reason: typeof g.reason === 'string' ? g.reason : 'gap' } }
  }
  if (typeof o.topic !== 'string') return { kind: 'bad', reason: 'no "topic"' }
  const payload = typeof o.payload === 'string' ? decodeBase64(o.payload) : null
  if (payload === null) return { kind: 'bad', reason: '"payload" is not base64' }
  const qos = o.qos === 1 || o.qos === 2 ? o.qos : 0
  const message: RecordedMessage = {
    offsetUs: t,
    wallMs,
    topic: o.topic,
    qos,
    retain: o.retain === true,
    dup: o.dup === true,
    onSubscribe: o.sub === true,
    payload,
  }
  if (o.props && typeof o.props === 'object') message.properties = propertiesFromJson(o.props as Record<string, unknown>)
  return { kind: 'message', message }
}

/** A message line's `props` object as recorded properties (unknown or mistyped keys are left out). */
export function propertiesFromJson(j: Record<string, unknown>): RecordedProperties {
  const out: RecordedProperties = {}
  if (typeof j.payloadFormatIndicator === 'boolean') out.payloadFormatIndicator = j.payloadFormatIndicator
  if (typeof j.messageExpiryInterval === 'number') out.messageExpiryInterval = j.messageExpiryInterval
  if (typeof j.contentType === 'string') out.contentType = j.contentType
  if (typeof j.responseTopic === 'string') out.responseTopic = j.responseTopic
  if (typeof j.correlationData === 'string') out.correlationData = Buffer.from(j.correlationData, 'base64')
  if (Array.isArray(j.userProperties)) {
    out.userProperties = j.userProperties
      .filter((pair): pair is [unknown, unknown] => Array.isArray(pair) && pair.length === 2)
      .map(([name, value]) => [String(name), String(value)])
  }
  if (Array.isArray(j.subscriptionIdentifiers)) out.subscriptionIdentifiers = j.subscriptionIdentifiers.filter((n): n is number => typeof n === 'number')
  return out
}
