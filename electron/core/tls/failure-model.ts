/**
 * The one failure model: whatever went wrong while reaching a broker (a name that does not
 * resolve, a refused TCP connect, a TLS alert, a certificate verdict, a CONNACK refusal, a lost
 * session) goes in with the phase it happened in and what was known at the time, and one
 * Failure comes out: a stable code, a title, what happened and how to fix it.
 *
 * The connection's error (ApiError code + one sentence) and the TLS inspector's diagnosis are
 * both projections of that Failure, so they can never disagree. Pure: everything it knows comes
 * from its arguments, and test/unit/failure-model.test.ts feeds it one table of cases.
 */
import { ApiError, type ErrorCode } from '../../api/errors'
import type { Diagnosis, FailurePhase } from '../../api/tls'
import { errorCode, errorMessage, failure, plainScheme, where, type Failure, type FailureContext } from './failure-facts'
import { alpnRequired, certificateFailure, handshakeFailed, probablyNeedsAlpn, tlsAlertFailure } from './failure-tls'

export type { Failure, FailureContext } from './failure-facts'

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME'])
const TCP_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'ETIMEDOUT'])
const CLOSED_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ERR_SSL_UNEXPECTED_EOF_WHILE_READING', 'ERR_STREAM_PREMATURE_CLOSE'])

/**
 * Classifies `error` (anything thrown or emitted by the attempt). Without an error it judges
 * `ctx.verdict` alone (a handshake that completed with a broker we do not trust), and returns
 * null when there is nothing to report.
 */
export function classifyFailure(error: unknown, ctx: FailureContext): Failure | null {
  if (error instanceof ApiError) return fromApiError(error, ctx)
  if (error === undefined || error === null) {
    const v = ctx.verdict
    if (!v || v.trusted) return null
    return certificateFailure(v.chainError ?? v.hostnameError ?? 'CERT_UNTRUSTED', ctx, null) ?? handshakeFailed(ctx, v.chainError ?? 'not trusted')
  }
  const code = errorCode(error)
  const message = errorMessage(error)
  const phase = phaseOf(code, ctx)

  const verdict = code ? certificateFailure(code, ctx, error) : null
  if (verdict) return verdict

  switch (code) {
    case 'ECONNREFUSED':
      return failure(phase, { kind: 'broker-unreachable', code: 'BROKER_UNREACHABLE', title: 'Connection refused: no broker on that port', explanation: `Nothing is listening on ${where(ctx)}.`, fix: 'Check the port number and that the broker is running.', cause: code })
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EADDRNOTAVAIL':
      return failure(phase, { kind: 'broker-unreachable', code: 'BROKER_UNREACHABLE', title: 'The broker cannot be reached', explanation: `${ctx.host} cannot be reached from this machine (${code}).`, fix: 'Check the address, your network or VPN.', cause: code })
    case 'ETIMEDOUT':
    case 'CONNECT_TIMEOUT':
      return timeoutFailure(ctx, code)
    case 'ENOTFOUND':
    case 'EAI_NONAME':
    case 'EAI_FAIL':
      return failure(phase, { kind: 'dns-not-found', code: 'DNS_NOT_FOUND', title: "The broker's name is not in DNS", explanation: `The name ${ctx.host} could not be found in DNS.`, fix: "Check its spelling, or use the broker's IP address.", cause: code })
    case 'EAI_AGAIN':
      return failure(phase, { kind: 'dns-not-found', code: 'DNS_NOT_FOUND', title: 'DNS did not answer', explanation: `The name ${ctx.host} could not be looked up right now (DNS did not answer).`, fix: 'Check your network connection and try again.', cause: code })
  }

  const alert = tlsAlertFailure(code, message, ctx)
  if (alert) return alert

  const text = message.toLowerCase()
  if ((code && CLOSED_CODES.has(code)) || /socket disconnected|socket hang up|closed before/.test(text)) return closedEarlyFailure(ctx, code)
  if (ctx.websocket) {
    const status = /unexpected server response: (\d+)/.exec(text)
    if (status) {
      return failure('websocket', { kind: 'websocket-refused', code: 'BROKER_REFUSED', title: 'The WebSocket upgrade was refused', explanation: `The server at ${where(ctx)} answered the WebSocket upgrade with HTTP ${status[1]}.`, fix: 'Check the WebSocket path and that this port serves MQTT over WebSockets.', facts: { status: status[1] }, cause: code })
    }
  }
  if (/keepalive timeout/.test(text)) {
    return failure('session', { kind: 'connection-lost', code: 'CONNECTION_LOST', title: 'The broker stopped answering', explanation: `The broker at ${where(ctx)} stopped answering keep-alive pings.`, fix: 'The network or the broker stalled: the app reconnects if the profile allows it; check the broker and your network.', cause: code })
  }
  if (ctx.wasConnected) {
    return failure('session', { kind: 'connection-lost', code: 'CONNECTION_LOST', title: 'The connection was lost', explanation: `The connection to ${where(ctx)} was lost (${message}).`, fix: "The app reconnects if the profile allows it; if it keeps happening, look at the broker's log.", cause: code })
  }
  if (phase === 'tls') return handshakeFailed(ctx, message || code || 'unknown error', code)
  return failure(phase, { kind: 'connect-failed', code: 'BROKER_REFUSED', title: 'Connecting failed', explanation: `Connecting to ${where(ctx)} failed (${message || code}).`, fix: "Check the profile's address, port and MQTT version, and look at the broker's log.", cause: code })
}

/** Where it failed: what the caller said, else what the error and the attempt's milestones tell. */
export function phaseOf(code: string | undefined, ctx: FailureContext): FailurePhase {
  if (ctx.phase) return ctx.phase
  if (ctx.wasConnected) return 'session'
  if (code && DNS_CODES.has(code)) return 'dns'
  if ((code && TCP_CODES.has(code)) || ctx.tcpConnected === false) return 'tcp'
  if (ctx.tls && !ctx.handshakeDone) return 'tls'
  return 'mqtt-connack'
}

/** The attempt did not finish within the connect timeout. */
export function timeoutFailure(ctx: FailureContext, cause = 'CONNECT_TIMEOUT'): Failure {
  const seconds = ctx.connectTimeoutMs ? ` within ${Math.round(ctx.connectTimeoutMs / 100) / 10} s` : ''
  if (ctx.tls && ctx.handshakeDone) {
    return failure(ctx.phase ?? 'mqtt-connack', { kind: 'connect-timeout', code: 'CONNECT_TIMEOUT', title: 'No MQTT answer', explanation: `${where(ctx)} completed TLS but sent no MQTT answer${seconds}.`, fix: `Check that this port speaks MQTT${ctx.websocket ? ' over WebSockets' : ''} and the broker is not overloaded.`, cause })
  }
  // Before TLS finished: a firewall that drops packets looks exactly like a dead address.
  const phase = ctx.phase ?? (ctx.tls && ctx.tcpConnected ? 'tls' : ctx.tcpConnected && !ctx.tls ? 'mqtt-connack' : 'tcp')
  return failure(phase, { kind: 'connect-timeout', code: 'CONNECT_TIMEOUT', title: 'No answer in time', explanation: `${where(ctx)} did not answer${seconds}.`, fix: 'Check the address and port, and whether a firewall or VPN drops the traffic.', cause })
}

/** The socket closed before the broker answered the MQTT CONNECT, with no better clue. */
export function closedEarlyFailure(ctx: FailureContext, cause?: string): Failure {
  if (ctx.wasConnected) {
    return failure('session', { kind: 'connection-lost', code: 'CONNECTION_LOST', title: 'The broker closed the connection', explanation: `The broker at ${where(ctx)} closed the connection.`, fix: "The app reconnects if the profile allows it; the broker's log says why it closed.", cause })
  }
  if (ctx.tls && !ctx.handshakeDone) {
    if (probablyNeedsAlpn(ctx)) return alpnRequired(ctx, cause, true)
    // A TLS server that dislikes the handshake sends an alert (classified elsewhere); a silent
    // close almost always means the port does not speak TLS at all.
    return failure(phaseOf(cause, ctx), {
      kind: 'closed-early',
      code: 'TLS_HANDSHAKE_FAILED',
      title: 'The broker hung up during the TLS handshake',
      explanation: `${where(ctx)} closed the connection during the TLS handshake without a TLS answer, so this port probably does not serve TLS.`,
      fix: `Use ${plainScheme(ctx)} or the broker's TLS port; if this is its TLS port, run a probe to see what it accepts.`,
      cause,
    })
  }
  const phase = ctx.phase ?? 'mqtt-connack'
  if (ctx.tls && !ctx.clientCertSent) {
    return failure(phase, { kind: 'closed-early', code: 'BROKER_REFUSED', title: 'The broker hung up without answering', explanation: `The broker at ${where(ctx)} closed the connection without answering.`, fix: `Check whether it requires a client certificate, another MQTT version or ${ctx.websocket ? 'a different WebSocket path' : 'WebSockets on this port'}, and look at the broker's log.`, cause })
  }
  return failure(phase, { kind: 'closed-early', code: 'BROKER_REFUSED', title: 'The broker hung up without answering', explanation: `The broker at ${where(ctx)} closed the connection without answering.`, fix: `Check the MQTT version and ${ctx.websocket ? 'the WebSocket path' : 'that this port speaks plain MQTT, not WebSockets'}, and look at the broker's log.`, cause })
}

/** Extra CONNACK data MQTT 5 brokers may send along with a refusal. */
export interface ConnackExtras {
  reasonString?: string
  serverReference?: string
}

/** CONNACK return codes (3.1.1) and reason codes (5.0) that refuse the session. `name` words the code. */
export function connackFailure(code: number, protocolVersion: 4 | 5, extras: ConnackExtras, ctx: FailureContext, name: (code: number) => string): Failure {
  const said = extras.reasonString ? ` (the broker says: "${extras.reasonString}")` : ''
  const detail = { connackCode: code, protocolVersion, reasonString: extras.reasonString }
  const refused = (c: ErrorCode, title: string, explanation: string, fix: string): Failure => failure('mqtt-connack', { kind: 'connack-refused', code: c, title, explanation, fix, facts: { reasonCode: `0x${code.toString(16).padStart(2, '0')}` }, detail })
  const legacy: Record<number, number> = { 1: 0x84, 2: 0x85, 3: 0x88, 4: 0x86, 5: 0x87 }
  // MQTT 5 refusals are ≥ 0x80. A 3.1.1-only broker answers an MQTT 5 CONNECT with its own
  // codes 1-5 (1 = unacceptable protocol version), so small codes are read the 3.1.1 way.
  const mapped = code < 0x80 ? legacy[code] : code
  const version = protocolVersion === 5 ? '5' : '3.1.1'
  switch (mapped) {
    case 0x84:
      return refused('MQTT_PROTOCOL_VERSION', `The broker does not accept MQTT ${version}`, `The broker at ${where(ctx)} does not accept MQTT ${version}${said}.`, `Switch the profile to MQTT ${protocolVersion === 5 ? '3.1.1' : '5'}.`)
    case 0x85:
      return refused('MQTT_CLIENT_ID_REJECTED', 'The broker rejected the client ID', `The broker rejected the client ID${said}.`, 'Leave it empty to get a generated one, or use only letters and digits.')
    case 0x86:
      return refused('MQTT_BAD_CREDENTIALS', 'Wrong user name or password', `The broker rejected the user name or password${said}.`, 'Check both and connect again.')
    case 0x87:
      return refused('MQTT_NOT_AUTHORIZED', 'Not authorized', `The broker does not authorize this client to connect${said}.`, "Check the user name and password (some brokers, like mosquitto, report a wrong password this way), the client certificate, or the broker's access rules.")
    case 0x88:
    case 0x89:
      return refused('MQTT_SERVER_UNAVAILABLE', 'The broker is not taking sessions', `The broker at ${where(ctx)} is ${mapped === 0x89 ? 'busy' : 'unavailable'} and refused new sessions${said}.`, 'Try again later.')
  }
  const because = `${name(code)}${extras.reasonString ? `; the broker says: "${extras.reasonString}"` : ''}`
  const fix = extras.serverReference ? `Connect to the server it points to instead (${extras.serverReference}).` : "Look at the broker's log or ask its administrator why."
  return refused('MQTT_CONNACK_REFUSED', 'The broker refused the session', `The broker refused the connection (${because}).`, fix)
}

/** An ApiError raised by our own checks (pin, key, vault…): kept as it is, explained as far as we can. */
function fromApiError(err: ApiError, ctx: FailureContext): Failure {
  const phase = ctx.phase ?? (err.code.startsWith('TLS_') ? 'tls' : phaseOf(undefined, ctx))
  if (err.code === 'TLS_PIN_MISMATCH') {
    return failure('tls', { kind: 'pin-mismatch', code: err.code, title: 'The broker no longer matches its pin', explanation: 'The broker presented a certificate other than the one pinned for this connection, so the app stopped before sending anything.', fix: 'Compare the two fingerprints; if the broker was re-issued on purpose, choose "Trust the new one", otherwise treat it as an interception.', detail: err.detail })
  }
  return failure(phase, { kind: phase === 'tls' ? 'handshake-failed' : 'connect-failed', code: err.code, title: 'The connection failed', explanation: err.message, fix: "Check the profile's settings and the broker's log.", detail: err.detail })
}

/** The connection's error: the model's code and one sentence, what happened followed by the fix. */
export function failureError(f: Failure): ApiError {
  return new ApiError(f.code, failureSentence(f), f.detail)
}

/** "What happened: how to fix it." Built from the two parts, never patched afterwards. */
export function failureSentence(f: Pick<Failure, 'explanation' | 'fix'>): string {
  const what = f.explanation.endsWith('.') ? f.explanation.slice(0, -1) : f.explanation
  if (!f.fix) return `${what}.`
  // Lower-case the fix's first word unless it is an acronym or a name ("ALPN", "TLS").
  const fix = /^[A-Z][a-z]/.test(f.fix) ? f.fix.charAt(0).toLowerCase() + f.fix.slice(1) : f.fix
  return `${what}: ${fix}`
}

/** The inspector's diagnosis: the same Failure without the ApiError detail. */
export function diagnosisOf(f: Failure): Diagnosis {
  return { kind: f.kind, code: f.code, phase: f.phase, title: f.title, explanation: f.explanation, fix: f.fix, facts: f.facts }
}
