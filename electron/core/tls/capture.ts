/**
 * Watches one TLS socket from creation to the end of its handshake and produces the
 * TlsSessionReport the inspector shows. Listeners are attached before the handshake starts and
 * do nothing expensive until it ends: the connection is never delayed by the capture.
 *
 * It also enforces what only it can see in time: the app's own verification verdict (when the
 * connection is made with rejectUnauthorized:false so that failed chains can still be shown)
 * and the pin. Both destroy the socket inside 'secureConnect', before any application data —
 * including the MQTT CONNECT with credentials — leaves the client.
 */
import { isIP } from 'node:net'
import { performance } from 'node:perf_hooks'
import { checkServerIdentity, type TLSSocket } from 'node:tls'
import { ApiError, toErrorData, type ApiErrorData } from '../../api/errors'
import type { ClientCertSummary, HandshakeTimings, OcspResult, Pin, TlsSessionReport, VerificationVerdict } from '../../api/tls'
import { formatName } from './cert-info'
import { chainFromPeer } from './chain-report'
import { classifyFailure, diagnosisOf, failureError, type Failure } from './failure-model'
import { ianaCipherName } from './iana-ciphers'
import { clientRandomOf, type KeyLogSink } from './key-log'
import { parseOcspResponse } from './ocsp'
import { checkPin, pinMismatchError } from './pinning'

export interface CaptureContext {
  connectionId: string
  attempt: number
  host: string
  port: number
  /** The SNI override from the profile, '' for none. */
  servername: string
  alpnOffered: string[]
  /** PEM bundles the connection trusts; null means Node's bundled roots. */
  caUsed: string[] | null
  /** The profile's "verify" (shown in the verdict as `enforced`). */
  verify: boolean
  /** Whether tls.connect got requestOCSP:true. */
  ocspRequested: boolean
  clientCertPresented: boolean
  minVersion?: string
  maxVersion?: string
  /** The TLS socket carries a WebSocket (wss), for the advice to use ws:// instead. */
  websocket?: boolean
  /** Steps measured by whoever opened the socket (e.g. DNS done before tls.connect). */
  timings?: Partial<HandshakeTimings>
}

export interface CaptureHooks {
  /**
   * Reject an untrusted broker here (when ctx.verify). Off when the transport judges the
   * certificate itself (transport.ts does), so a rejection is never raised twice.
   */
  enforceVerification?: boolean
  /** Blocks the connection unless the broker's leaf matches. */
  pin?: Pin | null
  /** Receives NSS key log lines (see KeyLogRegistry.sinkFor). */
  keyLog?: KeyLogSink
  /** Called with the finished report (success or failure), and again if a late TLS alert changes it. */
  onReport?: (report: TlsSessionReport) => void
}

export interface TlsCapture {
  /** Settles once, when the handshake has finished or failed. Never rejects. */
  readonly done: Promise<TlsSessionReport>
  /** The report so far, or null until the handshake settled. */
  report(): TlsSessionReport | null
  /** Adds CONNACK time from the connection engine's epoch-ms milestones. */
  noteConnack(timings: { secureAt?: number; transportAt?: number; connackAt?: number }): void
  /** The client random (hex) of this session, known once a key log line was seen. */
  clientRandom(): string | null
}

/** Alerts a TLS 1.3 broker sends after the client already saw 'secureConnect'. */
const LATE_HANDSHAKE_ALERT = /^ERR_SSL_(SSLV3|TLSV1|TLSV13)_ALERT_(CERTIFICATE_REQUIRED|UNKNOWN_CA|BAD_CERTIFICATE|CERTIFICATE_\w+|UNSUPPORTED_CERTIFICATE|ACCESS_DENIED|DECRYPT_ERROR|HANDSHAKE_FAILURE)$/

/** Starts watching `socket`; call synchronously right after tls.connect(). */
export function captureTlsSession(socket: TLSSocket, ctx: CaptureContext, hooks: CaptureHooks = {}): TlsCapture {
  const t0 = performance.now()
  const startedAt = Date.now()
  let lookupAt: number | null = null
  let connectAt: number | null = null
  let ocsp: OcspResult = { requested: ctx.ocspRequested, stapled: false }
  let clientRandom: string | null = null
  let report: TlsSessionReport | null = null
  let resolve!: (r: TlsSessionReport) => void
  const done = new Promise<TlsSessionReport>((r) => (resolve = r))

  socket.once('lookup', () => (lookupAt = performance.now()))
  socket.once('connect', () => (connectAt = performance.now()))
  // Node emits OCSPResponse with null when the broker answered the request without a staple.
  socket.on('OCSPResponse', (response: Buffer | null) => {
    if (response && response.length) ocsp = parseOcspResponse(response)
  })
  // Always listened to (a few lines per handshake): a key log line proves the broker's whole
  // first flight arrived, which tells "needs a client certificate" from "no common cipher".
  // The secrets go nowhere unless the user turned the key log on.
  let keyLines = 0
  socket.on('keylog', (line: Buffer) => {
    keyLines++
    clientRandom ??= clientRandomOf(line.toString('latin1'))
    hooks.keyLog?.(line)
  })

  const timings = (): HandshakeTimings => {
    const end = performance.now()
    const tcpStart = lookupAt ?? t0
    return {
      startedAt,
      dnsMs: ctx.timings?.dnsMs ?? (lookupAt !== null ? round(lookupAt - t0) : null),
      tcpConnectMs: ctx.timings?.tcpConnectMs ?? (connectAt !== null ? round(connectAt - tcpStart) : null),
      // An attempt that never got a TCP connection never started TLS: no TLS time to show.
      tlsHandshakeMs: connectAt !== null ? round(end - connectAt) : null,
      connackMs: null,
    }
  }

  const settle = (r: TlsSessionReport) => {
    if (report) return
    report = r
    hooks.onReport?.(r)
    resolve(r)
  }

  socket.once('secureConnect', () => {
    const r = buildReport(socket, ctx, ocsp, timings())
    let blockedBy: ApiError | null = null
    const untrusted = r.verdict && !r.verdict.trusted ? failureFor(r, ctx, null, { tcpConnected: true, handshakeDone: true }) : null
    if (hooks.enforceVerification && ctx.verify && untrusted) {
      blockedBy = failureError(untrusted)
    } else if (hooks.pin && r.chain) {
      const mismatch = checkPin(hooks.pin, r.chain.entries[0])
      if (mismatch) blockedBy = pinMismatchError(mismatch)
    }
    if (blockedBy) {
      r.error = toErrorData(blockedBy)
      if (blockedBy.code === 'TLS_PIN_MISMATCH') r.diagnosis = diagnosisFor(r, ctx, blockedBy, { tcpConnected: true, handshakeDone: true })
      settle(r)
      // Synchronously, inside 'secureConnect': nothing queued by the MQTT client has been sent yet.
      socket.destroy(blockedBy)
      return
    }
    settle(r)
  })

  const fail = (err: Error & { code?: string }) => {
    if (report) {
      // TLS 1.3 brokers reject a client certificate after our side finished: record the alert.
      if (!report.error && LATE_HANDSHAKE_ALERT.test(err.code ?? '')) {
        const f = failureFor(report, ctx, err, { tcpConnected: true, handshakeDone: true, serverFlightSeen: true })
        report.error = errorData(f, err)
        report.diagnosis = f && diagnosisOf(f)
        hooks.onReport?.(report)
      }
      return
    }
    const r = buildReport(socket, ctx, ocsp, timings())
    const f = failureFor(r, ctx, err, { tcpConnected: connectAt !== null, handshakeDone: false, serverFlightSeen: keyLines > 0 })
    r.error = errorData(f, err)
    r.diagnosis = f && diagnosisOf(f)
    settle(r)
  }
  socket.once('error', fail)
  socket.once('close', () => fail(Object.assign(new Error('The broker closed the connection during the TLS handshake'), { code: 'ECONNRESET' })))

  return {
    done,
    report: () => report,
    noteConnack: (t) => {
      const from = t.transportAt ?? t.secureAt
      if (report && from !== undefined && t.connackAt !== undefined) report.timings.connackMs = Math.max(0, t.connackAt - from)
    },
    clientRandom: () => clientRandom,
  }
}

/** Reads everything the socket can tell now; safe on a socket whose handshake failed. */
function buildReport(socket: TLSSocket, ctx: CaptureContext, ocsp: OcspResult, timings: HandshakeTimings): TlsSessionReport {
  const alive = !socket.destroyed
  const checkedName = ctx.servername || ctx.host
  const peer = alive ? socket.getPeerCertificate(true) : null
  const chain = peer && peer.raw ? chainFromPeer(peer, { trustAnchors: ctx.caUsed, checkedName }) : null
  const cipher = alive ? socket.getCipher() : null
  const verdict = alive && peer && peer.raw ? verdictOf(socket, peer, checkedName, ctx.verify) : null
  const r: TlsSessionReport = {
    connectionId: ctx.connectionId,
    attempt: ctx.attempt,
    time: Date.now(),
    host: ctx.host,
    port: ctx.port,
    // Node never puts an IP literal into SNI (RFC 6066 forbids it).
    sniSent: isIP(checkedName) ? null : checkedName,
    protocol: alive ? socket.getProtocol() : null,
    cipher: cipher ? { openssl: cipher.name, iana: ianaCipherName(cipher.name, (cipher as { standardName?: string }).standardName) } : null,
    keyExchangeGroup: alive ? groupOf(socket) : null,
    alpnOffered: ctx.alpnOffered,
    alpnNegotiated: alive && typeof socket.alpnProtocol === 'string' ? socket.alpnProtocol : null,
    sessionResumed: alive ? socket.isSessionReused() : false,
    ocsp,
    verdict,
    chain,
    clientCertificate: alive ? clientCertOf(socket) : null,
    timings,
    error: null,
    diagnosis: null,
  }
  r.diagnosis = verdict && !verdict.trusted ? diagnosisFor(r, ctx, null, { tcpConnected: true, handshakeDone: true }) : null
  return r
}

/** What the capture saw of the attempt, beyond the report itself. */
interface AttemptFacts {
  tcpConnected: boolean
  handshakeDone: boolean
  serverFlightSeen?: boolean
}

/** The failure model's answer for this handshake, fed the same facts the connection engine has and more. */
function failureFor(r: TlsSessionReport, ctx: CaptureContext, error: unknown, facts: AttemptFacts): Failure | null {
  return classifyFailure(error, {
    host: ctx.host,
    port: ctx.port,
    tls: true,
    websocket: ctx.websocket,
    serverName: ctx.servername || ctx.host,
    chain: r.chain,
    verdict: r.verdict,
    clientCertSent: ctx.clientCertPresented,
    alpnOffered: ctx.alpnOffered,
    minVersion: ctx.minVersion,
    maxVersion: ctx.maxVersion,
    tcpConnected: facts.tcpConnected,
    handshakeDone: facts.handshakeDone,
    serverFlightSeen: facts.serverFlightSeen ?? r.chain !== null,
  })
}

function diagnosisFor(r: TlsSessionReport, ctx: CaptureContext, error: unknown, facts: AttemptFacts) {
  const f = failureFor(r, ctx, error, facts)
  return f && diagnosisOf(f)
}

/** The report's error: the same code and sentence the connection shows, plus Node's own code. */
function errorData(f: Failure | null, err: Error & { code?: string }): ApiErrorData {
  const data = err instanceof ApiError || !f ? toErrorData(err) : failureError(f).toJSON()
  return { ...data, detail: { ...(data.detail ?? {}), nodeCode: err.code ?? null } }
}

/**
 * Our verdict. `authorized`/`authorizationError` hold OpenSSL's chain result even with
 * rejectUnauthorized:false; Node folds its host name check into the same field, so the name is
 * checked again here on its own. The prober (probe.ts) judges its handshakes with it too.
 */
export function verdictOf(socket: TLSSocket, peer: ReturnType<TLSSocket['getPeerCertificate']>, checkedName: string, enforced: boolean): VerificationVerdict {
  const nodeError = socket.authorizationError ? String(socket.authorizationError) : null
  const chainError = nodeError && nodeError !== 'ERR_TLS_CERT_ALTNAME_INVALID' ? nodeError : null
  const hostError = checkServerIdentity(checkedName, peer)
  const hostnameError = hostError ? ((hostError as Error & { code?: string }).code ?? hostError.message) : null
  return { trusted: !chainError && !hostnameError, chainOk: !chainError, chainError, hostnameOk: !hostnameError, hostnameError, checkedName, enforced }
}

function groupOf(socket: TLSSocket): string | null {
  const info = socket.getEphemeralKeyInfo()
  if (!info || typeof info !== 'object' || !('type' in info)) return null
  const { name, type, size } = info as { type?: string; name?: string; size?: number }
  return name ?? (type ? `${type}${size ? ` ${size}` : ''}` : null)
}

function clientCertOf(socket: TLSSocket): ClientCertSummary | null {
  const own = socket.getX509Certificate?.()
  if (!own) return null
  return { subject: formatName(own.subject), issuer: formatName(own.issuer), sha256: own.fingerprint256, validTo: new Date(own.validTo).toISOString() }
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10
}

