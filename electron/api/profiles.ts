/**
 * Connection profiles: what a user saves about a broker. Profiles are persisted as JSON, so
 * nothing secret may live in them: passwords, passphrases, private keys and PKCS#12 bundles
 * travel separately as {@link SessionSecrets} (and, once the vault lands, as vault item ids).
 */
import { z } from 'zod'
import { VaultItemId } from './vault'
import { DecoderRules } from './inspect'
import {
  boundedRecord, fitsUtf8, MAX_ALPN_CHARS, MAX_ALPN_PROTOCOLS, MAX_CA_ENTRIES, MAX_FILE_NAME_CHARS, MAX_HOST_CHARS, MAX_MQTT_STRING_CHARS, MAX_NAME_CHARS,
  MAX_FILE_BASE64_CHARS, MAX_PASSPHRASE_CHARS, MAX_PEM_CHARS, MAX_WILL_PAYLOAD_BYTES, MAX_SUBSCRIPTIONS, MAX_URL_PATH_CHARS, MAX_USER_PROPERTIES, MAX_USER_PROPERTY_VALUES, TopicString,
} from './limits'

export const Qos = z.union([z.literal(0), z.literal(1), z.literal(2)])
export type Qos = z.infer<typeof Qos>

export const Scheme = z.enum(['mqtt', 'mqtts', 'ws', 'wss'])
export type Scheme = z.infer<typeof Scheme>

export const ProtocolVersion = z.union([z.literal(4), z.literal(5)])
/** 4 = MQTT 3.1.1, 5 = MQTT 5.0 */
export type ProtocolVersion = z.infer<typeof ProtocolVersion>

const topicName = TopicString.min(1)
const mqttString = z.string().max(MAX_MQTT_STRING_CHARS)

/** MQTT 5 user properties: name → value, or the values a repeated name carries. */
export const UserProperties = boundedRecord(
  z.record(mqttString, z.union([mqttString, z.array(mqttString).max(MAX_USER_PROPERTY_VALUES)])),
  MAX_USER_PROPERTIES,
)

export const SubscriptionSpec = z.object({
  filter: topicName,
  qos: Qos.default(0),
  /** MQTT 5 only: the broker does not echo our own publications back. */
  noLocal: z.boolean().default(false),
  /** MQTT 5 only: keep the retain flag as the publisher set it. */
  retainAsPublished: z.boolean().default(false),
  /** MQTT 5 only: 0 send retained on subscribe, 1 only if new subscription, 2 never. */
  retainHandling: z.union([z.literal(0), z.literal(1), z.literal(2)]).default(0),
})
export type SubscriptionSpec = z.infer<typeof SubscriptionSpec>

export const WillProperties = z.object({
  willDelayInterval: z.number().int().min(0).optional(),
  messageExpiryInterval: z.number().int().min(0).optional(),
  payloadFormatIndicator: z.boolean().optional(),
  contentType: mqttString.optional(),
  responseTopic: TopicString.optional(),
  correlationData: mqttString.optional(),
  userProperties: UserProperties.optional(),
})

export const WillSpec = z.object({
  topic: topicName,
  payload: z
    .string()
    .max(MAX_WILL_PAYLOAD_BYTES)
    .refine((t) => fitsUtf8(t, MAX_WILL_PAYLOAD_BYTES), { message: `Too big: a will's payload is at most ${MAX_WILL_PAYLOAD_BYTES} bytes in UTF-8` })
    .default(''),
  qos: Qos.default(0),
  retain: z.boolean().default(false),
  properties: WillProperties.optional(),
})
export type WillSpec = z.infer<typeof WillSpec>

/** A certificate the user supplied. Certificates are public, so the PEM text is stored. */
export const CertificateFile = z.object({
  name: z.string().max(MAX_FILE_NAME_CHARS),
  pem: z.string().max(MAX_PEM_CHARS),
})
export type CertificateFile = z.infer<typeof CertificateFile>

export const TlsVersion = z.enum(['TLSv1.2', 'TLSv1.3'])

export const TlsSettings = z.object({
  /** Extra trust anchors (PEM bundles). Empty means the OS/bundled root store. */
  ca: z.array(CertificateFile).max(MAX_CA_ENTRIES).default([]),
  /** Also trust the OS/bundled roots when custom CAs are given. */
  useSystemRoots: z.boolean().default(true),
  /** Trust anchors from the vault (CA bundle items); resolved main-side right before connecting. */
  caItemIds: z.array(VaultItemId).max(MAX_CA_ENTRIES).default([]),
  /** The client identity (certificate chain + private key) from the vault. */
  identityItemId: VaultItemId.optional(),
  /** Client certificate chain (leaf first); its private key is a secret and not stored here. */
  clientCert: CertificateFile.nullable().default(null),
  /** File names only, so the UI can remind the user what to re-select; contents are secrets. */
  clientKeyName: z.string().max(MAX_FILE_NAME_CHARS).optional(),
  pkcs12Name: z.string().max(MAX_FILE_NAME_CHARS).optional(),
  /** SNI override; empty means the host name. */
  servername: z.string().max(MAX_HOST_CHARS).default(''),
  alpn: z.array(z.string().min(1).max(MAX_ALPN_CHARS)).max(MAX_ALPN_PROTOCOLS).default([]),
  minVersion: TlsVersion.optional(),
  maxVersion: TlsVersion.optional(),
  /** Verify the broker's certificate. Off shows a permanent warning on the connection. */
  verify: z.boolean().default(true),
})
export type TlsSettings = z.infer<typeof TlsSettings>

export const ReconnectSettings = z.object({
  enabled: z.boolean().default(true),
  initialDelayMs: z.number().int().min(100).max(600_000).default(1000),
  maxDelayMs: z.number().int().min(100).max(3_600_000).default(30_000),
})
export type ReconnectSettings = z.infer<typeof ReconnectSettings>

export const ProfileSpec = z.object({
  name: z.string().min(1).max(MAX_NAME_CHARS),
  /** The folder the profile is listed under in the sidebar; absent or empty: no folder. */
  group: z.string().trim().max(MAX_NAME_CHARS).optional(),
  scheme: Scheme.default('mqtts'),
  host: z.string().min(1).max(MAX_HOST_CHARS),
  port: z.number().int().min(1).max(65535),
  /** WebSocket path, ws/wss only. */
  path: z.string().max(MAX_URL_PATH_CHARS).default('/mqtt'),
  protocolVersion: ProtocolVersion.default(5),
  clientId: mqttString.default(''),
  username: mqttString.optional(),
  /** The password, as a vault item id; the password itself never lives in the profile. */
  passwordItemId: VaultItemId.optional(),
  cleanStart: z.boolean().default(true),
  /** MQTT 5 session expiry interval in seconds (0 = ends with the connection). */
  sessionExpiryInterval: z.number().int().min(0).max(4294967295).default(0),
  keepalive: z.number().int().min(0).max(65535).default(60),
  connectTimeoutMs: z.number().int().min(1000).max(300_000).default(15_000),
  will: WillSpec.nullable().default(null),
  /**
   * An explorer wants everything, `$SYS` included (`#` does not match `$` topics), and wants to see
   * which live messages are retained: MQTT 5's retain-as-published keeps the flag a broker would
   * otherwise clear on live delivery (MQTT 3.1.1 brokers ignore it).
   */
  subscriptions: z.array(SubscriptionSpec).max(MAX_SUBSCRIPTIONS).default([
    { filter: '#', qos: 0, noLocal: false, retainAsPublished: true, retainHandling: 0 },
    { filter: '$SYS/#', qos: 0, noLocal: false, retainAsPublished: true, retainHandling: 0 },
  ]),
  tls: TlsSettings.default(TlsSettings.parse({})),
  reconnect: ReconnectSettings.default(ReconnectSettings.parse({})),
  /** Topic filter → decoder for the inspector, the tree's previews and charts; the first match wins. */
  decoderRules: DecoderRules.default([]),
})
/** What the user edits. */
export type ProfileSpec = z.infer<typeof ProfileSpec>
export type ProfileSpecInput = z.input<typeof ProfileSpec>

/** A saved profile. `builtin: 'sandbox'` marks the zero-setup embedded broker. */
export interface Profile extends ProfileSpec {
  id: string
  createdAt: string
  updatedAt: string
  builtin?: 'sandbox'
}

/**
 * Secrets for one connect, held in main-side memory only for that session. Until the vault
 * issue lands they are never written anywhere; the user re-enters them.
 */
export const SessionSecrets = z.object({
  password: mqttString.optional(),
  /** PEM private key for the client certificate (possibly encrypted). */
  keyPem: z.string().max(MAX_PEM_CHARS).optional(),
  keyPassphrase: z.string().max(MAX_PASSPHRASE_CHARS).optional(),
  /** PKCS#12 bundle, base64. */
  pkcs12Base64: z.string().max(MAX_FILE_BASE64_CHARS).optional(),
  pkcs12Passphrase: z.string().max(MAX_PASSPHRASE_CHARS).optional(),
})
export type SessionSecrets = z.infer<typeof SessionSecrets>

export function defaultPort(scheme: Scheme): number {
  return { mqtt: 1883, mqtts: 8883, ws: 80, wss: 443 }[scheme]
}

/**
 * Parses what users paste: `mqtts://broker:8883`, `wss://host/mqtt`, `tcp://h`, `ssl://h`, or a
 * bare host name. A WebSocket path given in the text is kept as written (`ws://h:9001/` means
 * "/"); only an address without one gets "/mqtt". Returns null when it is not a broker address.
 */
export function parseBrokerUrl(text: string): { scheme: Scheme; host: string; port: number; path: string } | null {
  const trimmed = text.trim()
  if (!trimmed) return null
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `mqtt://${trimmed}`
  let url: URL
  try {
    url = new URL(withScheme)
  } catch {
    return null
  }
  const aliases: Record<string, Scheme> = { mqtt: 'mqtt', tcp: 'mqtt', mqtts: 'mqtts', ssl: 'mqtts', tls: 'mqtts', ws: 'ws', wss: 'wss' }
  const scheme = aliases[url.protocol.replace(/:$/, '').toLowerCase()]
  if (!scheme || !url.hostname) return null
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1')
  const port = url.port ? Number(url.port) : defaultPort(scheme)
  // URL normalises a missing path of ws:// to "/", so ask the text itself whether it names one:
  // a path the user typed ("/" included) is kept, only none at all gets the usual "/mqtt".
  const afterScheme = withScheme.slice(withScheme.indexOf('//') + 2)
  const namesPath = afterScheme[afterScheme.search(/[/?#]/)] === '/'
  const path = (scheme === 'ws' || scheme === 'wss') && namesPath ? url.pathname : '/mqtt'
  return { scheme, host, port, path }
}

export function isTlsScheme(scheme: Scheme): boolean {
  return scheme === 'mqtts' || scheme === 'wss'
}
