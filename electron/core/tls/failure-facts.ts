/**
 * What the failure model (failure-model.ts) reasons about: the facts known about an attempt when
 * it failed, the one Failure it returns, and the broker's chain in a single shape whether it came
 * from the inspector's chain report or from the connection engine's peer summary. Pure.
 */
import type { ChainBreakKind, ChainReport, Diagnosis, DiagnosisKind, FailurePhase, VerificationVerdict } from '../../api/tls'
import type { ErrorCode } from '../../api/errors'
import type { PeerSummary } from './peer-summary'

/** Everything known about an attempt when it failed. Only host, port and tls are required. */
export interface FailureContext {
  host: string
  port: number
  /** The scheme runs over TLS (mqtts / wss). */
  tls: boolean
  websocket?: boolean
  /** The name the broker's certificate is checked against: the SNI override, else the host. */
  serverName?: string
  /** The step that failed, when the caller knows it; otherwise inferred from the error and the flags below. */
  phase?: FailurePhase
  /** The TCP connection was established (false: it never was; undefined: not known). */
  tcpConnected?: boolean
  /** The TLS handshake had completed on our side when the error arrived. */
  handshakeDone?: boolean
  /** An MQTT session had been established: the error ends it rather than refusing it. */
  wasConnected?: boolean
  /** The broker's chain as the inspector reports it. */
  chain?: ChainReport | null
  /** The broker's chain as the connection engine summarizes it (used when `chain` is absent). */
  peer?: PeerSummary | null
  /** Our own verdict on the broker, for a handshake that succeeded but is not trusted. */
  verdict?: VerificationVerdict | null
  /** We offered a client certificate. */
  clientCertSent?: boolean
  /** ALPN protocols offered; undefined when not known. */
  alpnOffered?: string[]
  /** The broker's first flight (certificate…) fully arrived; undefined when not known. */
  serverFlightSeen?: boolean
  /** TLS versions the profile allows, when restricted. */
  minVersion?: string
  maxVersion?: string
  connectTimeoutMs?: number
  /** Epoch ms; injectable for tests. */
  now?: number
}

/**
 * The one answer of the failure model. The connection's ApiError (code + sentence) and the
 * inspector's Diagnosis are both projections of it (see failureError / diagnosisOf).
 */
export interface Failure extends Diagnosis {
  /** Structured detail for the ApiError (the Node code behind it, the names a certificate is for, …). */
  detail: Record<string, unknown>
}

/** One certificate of the broker's chain, whichever source described it. */
export interface CertView {
  position: number
  /** Short names (the CN, else the O) for sentences, the same whichever source described the chain. */
  subject: string
  issuer: string
  /** The full distinguished names, for the inspector's facts. */
  subjectDn: string
  issuerDn: string
  names: string[]
  validFrom: string
  validTo: string
  selfSigned: boolean
  /** Unknown (undefined) when the source does not say. */
  isCa?: boolean
  sha256?: string
  validity: 'valid' | 'expired' | 'not-yet-valid'
}

export interface ChainView {
  certs: CertView[]
  leaf: CertView
  breaks: Set<ChainBreakKind>
}

/** The chain in one shape, preferring the inspector's report (it knows the trust store). */
export function chainView(ctx: FailureContext): ChainView | null {
  const now = ctx.now ?? Date.now()
  if (ctx.chain?.entries.length) {
    const certs = ctx.chain.entries.map((e): CertView => ({ position: e.position, subject: shortName(e.subject), issuer: shortName(e.issuer), subjectDn: e.subject, issuerDn: e.issuer, names: e.sans, validFrom: e.validFrom, validTo: e.validTo, selfSigned: e.selfSigned, isCa: e.isCa, sha256: e.sha256, validity: e.validity }))
    return { certs, leaf: certs[0], breaks: new Set(ctx.chain.breaks.map((b) => b.kind)) }
  }
  if (ctx.peer?.chain.length) {
    const certs = ctx.peer.chain.map((c, position): CertView => ({ position, ...c, subjectDn: c.subject, issuerDn: c.issuer, validity: validityAt(c.validFrom, c.validTo, now) }))
    // The same rule chain-report.ts applies, as far as a summary can tell: a lone certificate
    // that is not self-signed lacks its issuer; a self-signed end is a root nobody trusted.
    const end = certs[certs.length - 1]
    const breaks = new Set<ChainBreakKind>()
    if (end.selfSigned) breaks.add(certs.length === 1 ? 'self-signed-leaf' : 'untrusted-root')
    else breaks.add(certs.length === 1 ? 'missing-intermediate' : 'unknown-issuer')
    for (const c of certs) if (c.validity !== 'valid') breaks.add(c.validity)
    return { certs, leaf: certs[0], breaks }
  }
  return null
}

/** "CN=broker, O=Example" → "broker": what peer-summary.ts keeps of a name, so sentences match. */
function shortName(dn: string): string {
  const parts = dn.split(/,\s*(?=[A-Za-z.0-9]+=)/)
  const value = (key: string) => parts.find((p) => p.startsWith(`${key}=`))?.slice(key.length + 1)
  return value('CN') ?? value('O') ?? dn
}

function validityAt(from: string, to: string, now: number): CertView['validity'] {
  if (Date.parse(to) < now) return 'expired'
  if (Date.parse(from) > now) return 'not-yet-valid'
  return 'valid'
}

/** The parts every rule fills in. */
export interface FailureParts {
  kind: DiagnosisKind
  code: ErrorCode
  title: string
  explanation: string
  fix: string
  facts?: Diagnosis['facts']
  /** The Node/OpenSSL code behind it. */
  cause?: string
  detail?: Record<string, unknown>
}

/** Builds a Failure; the phase comes from the caller, which knows where the rule applies. */
export function failure(phase: FailurePhase, parts: FailureParts): Failure {
  const detail: Record<string, unknown> = { ...(parts.cause ? { cause: parts.cause } : {}), phase, ...parts.detail }
  return { kind: parts.kind, code: parts.code, phase, title: parts.title, explanation: parts.explanation, fix: parts.fix, facts: parts.facts ?? {}, detail }
}

export const where = (ctx: FailureContext): string => `${ctx.host}:${ctx.port}`

/** The scheme to suggest instead of a TLS one. */
export const plainScheme = (ctx: FailureContext): string => (ctx.websocket ? 'ws://' : 'mqtt://')

/** "2025-03-01 00:00 UTC", or the text itself when it is not a date. */
export function human(iso: string | undefined): string {
  if (!iso) return 'an unknown date'
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`
}

export function errorCode(err: unknown): string | undefined {
  if (err && typeof err === 'object' && 'code' in err) {
    const code = (err as { code: unknown }).code
    if (typeof code === 'string') return code
  }
  return undefined
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message
  if (err && typeof err === 'object' && typeof (err as { message?: unknown }).message === 'string') return (err as { message: string }).message
  return err === undefined || err === null ? '' : String(err)
}
