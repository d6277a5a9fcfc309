/**
 * The TLS session inspector as both sides see it: what one handshake negotiated, the broker's
 * chain from leaf to root, a diagnosis in plain words, the per-connection handshake history,
 * pins, and the result of a probe. Plain data only, so it crosses either transport unchanged
 * and can be exported as JSON exactly as the UI shows it.
 */
import { z } from 'zod'
import type { ApiErrorData, ErrorCode } from './errors'
import { IdString, MAX_ALPN_CHARS, MAX_ALPN_PROTOCOLS, MAX_CA_ENTRIES, MAX_HOST_CHARS, MAX_PATH_CHARS, MAX_PEM_CHARS } from './limits'
import type { Notice } from './notices'

/** Where a certificate of the chain came from. */
export type CertSource = 'broker' | 'trust-store'

/** One certificate of the chain, leaf first. */
export interface ChainEntry {
  /** 0 = leaf. */
  position: number
  subject: string
  issuer: string
  /** DNS names and IP addresses from subjectAltName. */
  sans: string[]
  /** ISO-8601 */
  validFrom: string
  validTo: string
  /** Whole days until validTo (negative once expired). */
  daysLeft: number
  /** 'valid' | 'expired' | 'not-yet-valid' at the time of the report. */
  validity: 'valid' | 'expired' | 'not-yet-valid'
  keyType: string
  /** Bits for RSA/DSA, curve size for EC; null when unknown. */
  keySize: number | null
  /** EC curve name, e.g. "prime256v1". */
  curve?: string
  signatureAlgorithm: string
  isCa: boolean
  selfSigned: boolean
  serialNumber: string
  /** Colon-separated upper-case hex, like openssl prints it. */
  sha256: string
  /** SHA-256 of the DER SubjectPublicKeyInfo, hex as above: survives renewals with the same key. */
  spkiSha256: string
  /** Base64 SHA-256 of the SPKI, the form HPKP and curl's --pinnedpubkey use. */
  spkiPin: string
  source: CertSource
  /**
   * False when the source is a best guess: a certificate that is in the local trust store may
   * also have been sent by the broker, and a live session cannot tell those apart (a probe can).
   */
  sourceCertain: boolean
  pem: string
}

/** Where a chain stops being trustworthy. */
/**
 * missing-intermediate: the last certificate we have is a leaf whose issuer nobody supplied;
 * unknown-issuer: the last one is a CA whose issuer (the root) is neither sent nor trusted.
 */
export type ChainBreakKind = 'missing-intermediate' | 'unknown-issuer' | 'untrusted-root' | 'self-signed-leaf' | 'expired' | 'not-yet-valid' | 'name-mismatch'

export interface ChainBreak {
  kind: ChainBreakKind
  /** Index into `entries` of the certificate concerned (the last one we have for a missing link). */
  position: number
  /** One sentence for the UI. */
  message: string
}

export interface ChainReport {
  entries: ChainEntry[]
  breaks: ChainBreak[]
  /** True when the chain ends in a self-signed certificate we hold. */
  complete: boolean
}

/** The app's own verdict on the broker, computed even when verification is switched off. */
export interface VerificationVerdict {
  /** Chain and host name both fine. */
  trusted: boolean
  chainOk: boolean
  /** OpenSSL's code when the chain failed, e.g. "UNABLE_TO_VERIFY_LEAF_SIGNATURE". */
  chainError: string | null
  hostnameOk: boolean
  hostnameError: string | null
  /** The name checked against the certificate (SNI override or host). */
  checkedName: string
  /** Whether the connection enforced the verdict (profile "verify"). */
  enforced: boolean
}

export interface OcspResult {
  requested: boolean
  stapled: boolean
  /** Present when stapled and parsed. */
  responseStatus?: 'successful' | 'malformedRequest' | 'internalError' | 'tryLater' | 'sigRequired' | 'unauthorized' | 'unknown'
  certStatus?: 'good' | 'revoked' | 'unknown'
  thisUpdate?: string
  nextUpdate?: string
  /** Size of the stapled response in bytes. */
  size?: number
}

/** Milliseconds for each step of one (re)connect; null when not measured. */
export interface HandshakeTimings {
  dnsMs: number | null
  tcpConnectMs: number | null
  tlsHandshakeMs: number | null
  connackMs: number | null
  /** Epoch ms when the attempt began. */
  startedAt: number
}

export interface ClientCertSummary {
  subject: string
  issuer: string
  sha256: string
  validTo: string
}

/** Everything one handshake told us. */
export interface TlsSessionReport {
  connectionId: string
  attempt: number
  /** Epoch ms when the handshake finished (or failed). */
  time: number
  host: string
  port: number
  /** The server name sent in SNI, or null (IP literals never go into SNI). */
  sniSent: string | null
  /** "TLSv1.2" / "TLSv1.3" from getProtocol(). */
  protocol: string | null
  cipher: { openssl: string; iana: string } | null
  /** e.g. "X25519", "prime256v1"; null when the session did not say. */
  keyExchangeGroup: string | null
  alpnOffered: string[]
  /** The protocol the broker chose, or null when it chose none. */
  alpnNegotiated: string | null
  sessionResumed: boolean
  ocsp: OcspResult
  verdict: VerificationVerdict | null
  chain: ChainReport | null
  clientCertificate: ClientCertSummary | null
  timings: HandshakeTimings
  /** Set when the handshake failed. */
  error: ApiErrorData | null
  /** Set when the handshake failed or the verdict is not trusted. */
  diagnosis: Diagnosis | null
  /** The broker's CONNACK for this attempt, once the MQTT session was accepted. */
  connack?: ConnackDetails | null
  /** What the handshake history says changed since the previous session with a certificate. */
  leafChange?: HandshakeRecord['change']
}

/**
 * The CONNACK as the broker sent it. For MQTT 5 every property the broker included is listed;
 * a property the broker left out is absent (its protocol default applies), never guessed.
 */
export interface ConnackDetails {
  protocolVersion: 3 | 4 | 5
  sessionPresent: boolean
  /** Reason code (MQTT 5) or return code (3.1.1); 0 = accepted. */
  reasonCode: number
  properties: {
    sessionExpiryInterval?: number
    assignedClientIdentifier?: string
    serverKeepAlive?: number
    receiveMaximum?: number
    maximumPacketSize?: number
    topicAliasMaximum?: number
    maximumQoS?: number
    retainAvailable?: boolean
    wildcardSubscriptionAvailable?: boolean
    sharedSubscriptionAvailable?: boolean
    subscriptionIdentifiersAvailable?: boolean
    reasonString?: string
    responseInformation?: string
    serverReference?: string
    authenticationMethod?: string
    userProperties?: Array<[string, string]>
  }
}

/**
 * The CONNACK properties that are one plain value (number, boolean, string), in the order MQTT 5
 * lists them and the TLS panel shows them (user properties, a list, come after them).
 * authenticationData is not among them: it is binary and may be secret, so it is never copied.
 */
export const CONNACK_VALUE_PROPERTIES = [
  'sessionExpiryInterval',
  'assignedClientIdentifier',
  'serverKeepAlive',
  'receiveMaximum',
  'maximumPacketSize',
  'topicAliasMaximum',
  'maximumQoS',
  'retainAvailable',
  'wildcardSubscriptionAvailable',
  'sharedSubscriptionAvailable',
  'subscriptionIdentifiersAvailable',
  'reasonString',
  'responseInformation',
  'serverReference',
  'authenticationMethod',
] as const satisfies ReadonlyArray<keyof ConnackDetails['properties']>

/**
 * Where an attempt failed, in the order a connect goes through them: name lookup, TCP connect,
 * TLS handshake, WebSocket upgrade, the broker's CONNACK, and the session once it was up.
 */
export type FailurePhase = 'dns' | 'tcp' | 'tls' | 'websocket' | 'mqtt-connack' | 'session'

/**
 * The kinds of failure the one failure model (core/tls/failure-model.ts) tells apart. The
 * connection's error and the inspector's diagnosis are both derived from one of these.
 */
export type DiagnosisKind =
  // dns / tcp
  | 'dns-not-found'
  | 'broker-unreachable'
  | 'connect-timeout'
  // tls: the broker's certificate
  | 'unknown-ca-self-signed'
  | 'unknown-ca-missing-intermediate'
  | 'unknown-ca'
  | 'hostname-mismatch'
  | 'expired'
  | 'not-yet-valid'
  | 'certificate-invalid'
  | 'pin-mismatch'
  // tls: the handshake itself
  | 'client-cert-required'
  | 'client-cert-rejected'
  | 'version-mismatch'
  | 'cipher-mismatch'
  | 'alpn-required'
  | 'not-tls'
  | 'closed-early'
  | 'handshake-failed'
  // websocket / mqtt / session
  | 'websocket-refused'
  | 'connack-refused'
  | 'connect-failed'
  | 'connection-lost'

export interface Diagnosis {
  kind: DiagnosisKind
  code: ErrorCode
  /** The step of the connect that failed. */
  phase: FailurePhase
  /** Short title, e.g. "The broker's certificate has expired". */
  title: string
  /** What happened, in plain words. */
  explanation: string
  /** What to do about it. */
  fix: string
  /** Facts the UI may list (names the cert is valid for, the expiry date, …). */
  facts: Record<string, string | string[]>
}

/** One line of the per-connection handshake history. */
export interface HandshakeRecord {
  time: number
  protocol: string | null
  cipher: string | null
  leafSha256: string | null
  spkiSha256: string | null
  leafSubject: string | null
  leafValidTo: string | null
  /** What changed since the previous record. */
  change: 'none' | 'first' | 'certificate' | 'key'
}

export type PinKind = 'leaf' | 'spki'

export interface Pin {
  kind: PinKind
  /** Colon-separated upper-case SHA-256 hex. */
  sha256: string
  /** Epoch ms. */
  pinnedAt: number
  /** Leaf subject at the time, for the UI. */
  subject: string
}

/** The two sides of a pin mismatch, for a side-by-side comparison (detail of TLS_PIN_MISMATCH). */
export interface PinMismatchDetail {
  pin: Pin
  presented: { leafSha256: string; spkiSha256: string; subject: string; issuer: string; validTo: string }
}

export type ProbeStep = 'connect' | 'versions' | 'alpn' | 'client-cert' | 'chain'

export interface ProbeProgress {
  probeId: string
  step: ProbeStep
  /** 0..1 */
  fraction: number
  message: string
  /** The same sentence with its code, for translation. */
  notice?: Notice
}

export interface ProbeResult {
  host: string
  port: number
  servername: string | null
  /** Per version: accepted or the reason it was refused. */
  versions: Array<{ version: 'TLSv1.2' | 'TLSv1.3'; accepted: boolean; cipher: string | null; error: string | null }>
  alpn: Array<{ protocol: string; accepted: boolean }>
  /** True when the broker sent a CertificateRequest; null when the handshake never got there. */
  requestsClientCert: boolean | null
  /** The chain exactly as the broker served it (sources are certain). */
  chain: ChainReport | null
  verdict: VerificationVerdict | null
  errors: string[]
  durationMs: number
}

// ---------------------------------------------------------------------------------------------
// Params schemas for the methods phase 2 adds to contract.ts.

const connectionId = IdString

export const TlsReportParams = z.object({ connectionId })
export const TlsHistoryParams = z.object({ profileId: IdString, limit: z.number().int().min(1).max(500).default(50) })
export const TlsPinParams = z.object({ profileId: IdString, kind: z.enum(['leaf', 'spki']), sha256: z.string().max(95).regex(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/i) })
export const TlsProfileRef = z.object({ profileId: IdString })
export const TlsKeyLogParams = z.object({
  connectionId,
  /** Absolute path the user picked in a save dialog; null turns key logging off. */
  path: z.string().min(1).max(MAX_PATH_CHARS).nullable(),
})
export const TlsProbeParams = z.object({
  host: z.string().min(1).max(MAX_HOST_CHARS),
  port: z.number().int().min(1).max(65535),
  servername: z.string().max(MAX_HOST_CHARS).default(''),
  alpn: z.array(z.string().min(1).max(MAX_ALPN_CHARS)).max(MAX_ALPN_PROTOCOLS).default(['mqtt', 'x-amzn-mqtt-ca', 'http/1.1']),
  /** CA PEMs to verify against; empty = the bundled roots. */
  ca: z.array(z.string().max(MAX_PEM_CHARS)).max(MAX_CA_ENTRIES).default([]),
  stepTimeoutMs: z.number().int().min(500).max(30_000).default(5000),
})
export type TlsProbeParams = z.infer<typeof TlsProbeParams>

/** Probe the endpoint a connection uses (its host, port, server name, ALPN and trusted CAs). */
export const TlsProbeConnectionParams = z.object({ connectionId, probeId: IdString })

/** A connection whose TLS key log is on, for the "key log is on" indicator. */
export interface KeyLogState {
  connectionId: string
  path: string
}
