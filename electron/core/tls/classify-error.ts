/**
 * Turns whatever went wrong while reaching a broker (socket errors, TLS alerts, certificate
 * verification verdicts, CONNACK refusals) into an {@link ApiError} with a stable code and one
 * sentence the user can act on. Pure: everything it knows comes from its arguments, so every
 * branch is unit-tested without a network.
 */
import { ApiError, type ApiErrorData, type ErrorCode } from '../../api'
import { altNames, type CertFacts, type PeerSummary } from './peer-summary'

/** What was known about the attempt when it failed. */
export interface ClassifyContext {
  host: string
  port: number
  /** The scheme runs over TLS (mqtts / wss). */
  tls: boolean
  /** The name the broker's certificate is checked against: the SNI override, else the host. */
  serverName?: string
  /** The broker's certificate chain, when the handshake got that far. */
  peer?: PeerSummary | null
  /** We offered a client certificate. */
  clientCertSent?: boolean
  /** The TLS handshake had completed on our side when the error arrived. */
  handshakeDone?: boolean
  /** An MQTT session had been established: the error ends it rather than refusing it. */
  wasConnected?: boolean
  connectTimeoutMs?: number
  websocket?: boolean
  /** Epoch ms; injectable for tests. */
  now?: number
}

/** Extra CONNACK data MQTT 5 brokers may send along with a refusal. */
export interface ConnackExtras {
  reasonString?: string
  serverReference?: string
}

const where = (ctx: ClassifyContext) => `${ctx.host}:${ctx.port}`

/** Maps any thrown value from a connection attempt to an ApiError. ApiErrors pass through. */
export function classifyError(err: unknown, ctx: ClassifyContext): ApiError {
  if (err instanceof ApiError) return err
  const code = errorCode(err)
  const message = err instanceof Error ? err.message : String(err)

  const verdict = classifyCertificateVerdict(code, ctx, err)
  if (verdict) return verdict

  switch (code) {
    case 'ECONNREFUSED':
      return fail('BROKER_UNREACHABLE', `Nothing is listening on ${where(ctx)}: check the port number and that the broker is running.`, code)
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EADDRNOTAVAIL':
      return fail('BROKER_UNREACHABLE', `${ctx.host} cannot be reached from this machine (${code}): check the address, your network or VPN.`, code)
    case 'ETIMEDOUT':
    case 'CONNECT_TIMEOUT':
      return timeoutError(ctx)
    case 'ENOTFOUND':
      return fail('DNS_NOT_FOUND', `The name ${ctx.host} could not be found in DNS: check its spelling, or use the broker's IP address.`, code)
    case 'EAI_AGAIN':
      return fail('DNS_NOT_FOUND', `The name ${ctx.host} could not be looked up right now (DNS did not answer): check your network connection and try again.`, code)
  }

  const text = normalize(`${code ?? ''} ${message}`)
  const alert = classifyTlsAlert(text, ctx, code)
  if (alert) return alert

  if (code === 'ECONNRESET' || code === 'EPIPE' || /socket disconnected|socket hang up|closed before/.test(text)) {
    return closedEarly(ctx, code)
  }
  if (ctx.websocket) {
    const status = /unexpected server response: (\d+)/.exec(text)
    if (status) {
      return fail('BROKER_REFUSED', `The server at ${where(ctx)} answered the WebSocket upgrade with HTTP ${status[1]}: check the WebSocket path and that this port serves MQTT over WebSockets.`, code)
    }
  }
  if (/keepalive timeout/.test(text)) {
    return fail('CONNECTION_LOST', `The broker at ${where(ctx)} stopped answering keep-alive pings: the network or the broker stalled.`, code)
  }
  if (ctx.wasConnected) {
    return fail('CONNECTION_LOST', `The connection to ${where(ctx)} was lost (${message}).`, code)
  }
  return fail(ctx.tls && !ctx.handshakeDone ? 'TLS_HANDSHAKE_FAILED' : 'BROKER_REFUSED', `Connecting to ${where(ctx)} failed: ${message}.`, code)
}

/** The attempt did not finish within the connect timeout. */
export function timeoutError(ctx: ClassifyContext): ApiError {
  const seconds = ctx.connectTimeoutMs ? ` within ${Math.round(ctx.connectTimeoutMs / 100) / 10} s` : ''
  if (ctx.tls && ctx.handshakeDone) {
    return fail('CONNECT_TIMEOUT', `${where(ctx)} completed TLS but sent no MQTT answer${seconds}: check that this port speaks MQTT${ctx.websocket ? ' over WebSockets' : ''} and the broker is not overloaded.`, 'CONNECT_TIMEOUT')
  }
  return fail('CONNECT_TIMEOUT', `${where(ctx)} did not answer${seconds}: check the address and port, and whether a firewall or VPN drops the traffic.`, 'CONNECT_TIMEOUT')
}

/** The socket closed before the broker answered the MQTT CONNECT, with no better clue. */
export function closedEarly(ctx: ClassifyContext, code?: string): ApiError {
  if (ctx.wasConnected) {
    return fail('CONNECTION_LOST', `The broker at ${where(ctx)} closed the connection.`, code)
  }
  if (ctx.tls && !ctx.handshakeDone) {
    // A TLS server that dislikes the handshake sends an alert (classified elsewhere); a silent
    // close almost always means the port does not speak TLS at all.
    return fail('TLS_HANDSHAKE_FAILED', `${where(ctx)} closed the connection during the TLS handshake without a TLS answer: this port probably does not serve TLS, so use ${ctx.websocket ? 'ws://' : 'mqtt://'} or the broker's TLS port.`, code)
  }
  if (ctx.tls && !ctx.clientCertSent) {
    return fail('BROKER_REFUSED', `The broker at ${where(ctx)} closed the connection without answering: it may require a client certificate, another MQTT version, or ${ctx.websocket ? 'a different WebSocket path' : 'WebSockets on this port'}.`, code)
  }
  return fail('BROKER_REFUSED', `The broker at ${where(ctx)} closed the connection without answering: check the MQTT version and ${ctx.websocket ? 'the WebSocket path' : 'that this port speaks plain MQTT, not WebSockets'}, and look at the broker's log.`, code)
}

/** CONNACK return codes (3.1.1) and reason codes (5.0) that refuse the session. */
export function classifyConnack(code: number, protocolVersion: 4 | 5, extras: ConnackExtras, ctx: ClassifyContext): ApiError {
  const said = extras.reasonString ? ` (the broker says: "${extras.reasonString}")` : ''
  const detail = { connackCode: code, protocolVersion, reasonString: extras.reasonString }
  const mk = (c: ErrorCode, sentence: string) => new ApiError(c, sentence, detail)
  const legacy: Record<number, number> = { 1: 0x84, 2: 0x85, 3: 0x88, 4: 0x86, 5: 0x87 }
  // MQTT 5 refusals are ≥ 0x80. A 3.1.1-only broker answers an MQTT 5 CONNECT with its own
  // codes 1-5 (1 = unacceptable protocol version), so small codes are read the 3.1.1 way.
  const mapped = code < 0x80 ? legacy[code] : code
  switch (mapped) {
    case 0x84:
      return mk('MQTT_PROTOCOL_VERSION', `The broker at ${where(ctx)} does not accept MQTT ${protocolVersion === 5 ? '5' : '3.1.1'}${said}: switch the profile to MQTT ${protocolVersion === 5 ? '3.1.1' : '5'}.`)
    case 0x85:
      return mk('MQTT_CLIENT_ID_REJECTED', `The broker rejected the client ID${said}: leave it empty to get a generated one, or use only letters and digits.`)
    case 0x86:
      return mk('MQTT_BAD_CREDENTIALS', `The broker rejected the user name or password${said}: check both and connect again.`)
    case 0x87:
      return mk('MQTT_NOT_AUTHORIZED', `The broker does not authorize this client to connect${said}: check the user name and password (some brokers, like mosquitto, report a wrong password this way), the client certificate, or the broker's access rules.`)
    case 0x88:
    case 0x89:
      return mk('MQTT_SERVER_UNAVAILABLE', `The broker at ${where(ctx)} is ${mapped === 0x89 ? 'busy' : 'unavailable'} and refused new sessions${said}: try again later.`)
  }
  const name = reasonName(code)
  const moved = extras.serverReference ? ` It points to another server: ${extras.serverReference}.` : ''
  return mk('MQTT_CONNACK_REFUSED', `The broker refused the connection: ${name}${said}.${moved}`.replace('..', '.'))
}

/** A refused subscription (SUBACK code ≥ 0x80), as stored on the subscription. */
export function classifySuback(code: number, filter: string, reasonString?: string): ApiErrorData {
  const said = reasonString ? ` (the broker says: "${reasonString}")` : ''
  const advice: Record<number, string> = {
    0x87: 'the broker\'s access rules do not allow it',
    0x8f: 'the filter is not valid',
    0x91: 'its packet identifier is in use',
    0x97: 'a quota was exceeded',
    0x9e: 'the broker does not support shared subscriptions',
    0xa1: 'the broker does not support subscription identifiers',
    0xa2: 'the broker does not support wildcard subscriptions',
  }
  const why = advice[code] ?? (code === 0x80 ? 'the broker refused it without saying why (often its access rules)' : (REASON_NAMES[code] ?? `reason 0x${code.toString(16)}`))
  return new ApiError('MQTT_SUBSCRIBE_FAILED', `The subscription to ${filter} was refused: ${why}${said}.`, { subackCode: code }).toJSON()
}

function classifyCertificateVerdict(code: string | undefined, ctx: ClassifyContext, err: unknown): ApiError | null {
  const leaf = ctx.peer?.leaf
  const leafName = leaf ? `"${leaf.subject}"` : 'its certificate'
  switch (code) {
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
      return fail('TLS_SELF_SIGNED', `The broker presents a self-signed certificate (${leafName}) that this profile does not trust: add that certificate as a trusted CA, or switch verification off only if you accept the risk.`, code)
    case 'SELF_SIGNED_CERT_IN_CHAIN': {
      const root = ctx.peer?.chain.at(-1)
      return fail('TLS_SELF_SIGNED', `The broker's certificate chain ends in the self-signed root ${root ? `"${root.subject}"` : ''} that this profile does not trust: add that root to the profile's CA certificates.`.replace('root  that', 'root that'), code)
    }
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
      return issuerUnknown(code, ctx)
    case 'CERT_HAS_EXPIRED':
    case 'ERR_TLS_CERT_EXPIRED': {
      const cert = pickByDate(ctx, (c, now) => Date.parse(c.validTo) < now)
      const what = cert && cert !== leaf ? `The CA certificate "${cert.subject}" in the broker's chain` : `The broker's certificate${leaf ? ` (${leafName})` : ''}`
      return fail('TLS_CERT_EXPIRED', `${what} expired on ${human(cert?.validTo)}${nowText(ctx)}: the broker's administrator must renew it (or fix this computer's clock if it is wrong).`, code)
    }
    case 'CERT_NOT_YET_VALID': {
      const cert = pickByDate(ctx, (c, now) => Date.parse(c.validFrom) > now)
      const what = cert && cert !== leaf ? `The CA certificate "${cert.subject}" in the broker's chain` : `The broker's certificate${leaf ? ` (${leafName})` : ''}`
      return fail('TLS_CERT_NOT_YET_VALID', `${what} only becomes valid on ${human(cert?.validFrom)}${nowText(ctx)}: check this computer's clock, or ask the broker's administrator to fix the certificate dates.`, code)
    }
    case 'ERR_TLS_CERT_ALTNAME_INVALID': {
      const names = leaf?.names.length ? leaf.names : leaf?.subject ? [leaf.subject] : altNamesFromError(err)
      const target = ctx.serverName || ctx.host
      const list = names.length ? names.join(', ') : 'other names'
      const one = names.length === 1
      const hint =
        ctx.serverName && ctx.serverName !== ctx.host
          ? `change the TLS server name (now ${ctx.serverName})${one ? ` to ${names[0]}` : ''}`
          : one
            ? `connect by that name or set the TLS server name (SNI) to it`
            : `connect by one of those names or set the TLS server name (SNI) to one of them`
      return fail('TLS_HOSTNAME_MISMATCH', `The broker's certificate is for ${list}, not ${target}: ${hint}.`, code, { validNames: names })
    }
    case 'CERT_REVOKED':
      return fail('TLS_HANDSHAKE_FAILED', `The broker's certificate (${leafName}) has been revoked: do not connect until the broker's administrator replaces it.`, code)
    case 'CERT_SIGNATURE_FAILURE':
    case 'CERT_UNTRUSTED':
    case 'INVALID_CA':
    case 'INVALID_PURPOSE':
    case 'CERT_CHAIN_TOO_LONG':
    case 'PATH_LENGTH_EXCEEDED':
    case 'UNABLE_TO_DECRYPT_CERT_SIGNATURE':
    case 'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY':
    case 'CERT_REJECTED': {
      const why = err instanceof Error ? err.message : code
      return fail('TLS_HANDSHAKE_FAILED', `The broker's certificate chain did not verify (${why}): ask the broker's administrator to check its certificates.`, code)
    }
  }
  return null
}

function issuerUnknown(code: string, ctx: ClassifyContext): ApiError {
  const chain = ctx.peer?.chain ?? []
  const top = chain.at(-1)
  const issuer = top?.issuer ? `"${top.issuer}"` : 'its issuer'
  // Only the leaf arrived, and it is not a root: the broker left out the intermediate(s). If
  // the broker did send intermediates, the chain is complete up to a CA we simply do not trust.
  if (chain.length <= 1) {
    return fail('TLS_CHAIN_INCOMPLETE', `The broker sent only its own certificate, without the intermediate CA that links it to a trusted root (issuer ${issuer}): configure the broker to send its full chain, or add ${issuer} to this profile's CA certificates.`, code)
  }
  return fail('TLS_UNKNOWN_CA', `The broker's certificate chain leads to ${issuer}, a CA this profile does not trust: add that CA's certificate to the profile (or use the system roots if it is a public CA).`, code)
}

/** TLS alerts the broker sent, or local protocol failures, recognized by code or text. */
function classifyTlsAlert(text: string, ctx: ClassifyContext, code: string | undefined): ApiError | null {
  if (!/ssl|tls|alert|handshake|certificate|protocol|wrong version/.test(text)) return null
  if (/no application protocol/.test(text)) {
    return fail('TLS_ALPN_REQUIRED', `The broker at ${where(ctx)} requires an ALPN protocol this profile does not offer: set ALPN in the TLS settings (often "mqtt" or "x-amzn-mqtt-ca").`, code)
  }
  if (/certificate required/.test(text) || (/handshake failure/.test(text) && !ctx.clientCertSent)) {
    if (ctx.clientCertSent) {
      return fail('TLS_CLIENT_CERT_REJECTED', `The broker did not accept the client certificate: check that it is signed by a CA the broker trusts.`, code)
    }
    return fail('TLS_CLIENT_CERT_REQUIRED', `The broker at ${where(ctx)} requires a client certificate: add your certificate and private key (or a PKCS#12 file) to the profile's TLS settings.`, code)
  }
  if (/unknown ca|bad certificate|certificate unknown|unsupported certificate|access denied|certificate revoked|certificate expired/.test(text)) {
    if (!ctx.clientCertSent) {
      return fail('TLS_CLIENT_CERT_REQUIRED', `The broker at ${where(ctx)} refused the TLS session and wants a client certificate: add your certificate and key to the profile.`, code)
    }
    const expired = /certificate expired/.test(text) ? ' (it says the certificate has expired)' : ''
    return fail('TLS_CLIENT_CERT_REJECTED', `The broker rejected the client certificate${expired}: use a certificate issued by a CA the broker trusts, and check it is still valid.`, code)
  }
  if (/protocol version|unsupported protocol|no protocols available|version too low|version too high|tlsv1 alert protocol/.test(text)) {
    return fail('TLS_VERSION_MISMATCH', `The broker at ${where(ctx)} and this profile share no TLS version: widen the minimum/maximum TLS version in the profile, or update the broker.`, code)
  }
  if (/wrong version number|packet length too long|http request|record layer failure/.test(text)) {
    return fail('TLS_HANDSHAKE_FAILED', `${where(ctx)} did not answer in TLS: it is probably a plain port, so use ${ctx.websocket ? 'ws://' : 'mqtt://'} there or the broker's TLS port.`, code)
  }
  if (/handshake failure|no shared cipher|insufficient security/.test(text)) {
    return fail('TLS_HANDSHAKE_FAILED', `The TLS handshake with ${where(ctx)} failed: the broker accepts none of the offered ciphers or the client certificate; check the broker's TLS settings and log.`, code)
  }
  if (/^err ssl|^err tls|alert/.test(text)) {
    return fail('TLS_HANDSHAKE_FAILED', `The TLS handshake with ${where(ctx)} failed (${code ?? 'TLS error'}): check the broker's TLS settings and log.`, code)
  }
  return null
}

/** The MQTT 5 name of a reason code, in words ("not authorized"), or its hex value. */
export function reasonName(code: number): string {
  return REASON_NAMES[code] ?? `reason code 0x${code.toString(16).padStart(2, '0')}`
}

const REASON_NAMES: Record<number, string> = {
  0x10: 'no matching subscribers',
  0x80: 'unspecified error',
  0x81: 'malformed packet',
  0x82: 'protocol error',
  0x83: 'implementation specific error',
  0x84: 'unsupported protocol version',
  0x85: 'client identifier not valid',
  0x86: 'bad user name or password',
  0x87: 'not authorized',
  0x88: 'server unavailable',
  0x89: 'server busy',
  0x8a: 'banned',
  0x8c: 'bad authentication method',
  0x8f: 'topic filter invalid',
  0x90: 'topic name invalid',
  0x95: 'packet too large',
  0x97: 'quota exceeded',
  0x99: 'payload format invalid',
  0x9a: 'retain not supported',
  0x9b: 'QoS not supported',
  0x9c: 'use another server',
  0x9d: 'server moved',
  0x9f: 'connection rate exceeded',
}

function fail(code: ErrorCode, sentence: string, cause?: string, extra?: Record<string, unknown>): ApiError {
  const detail = { ...(cause ? { cause } : {}), ...extra }
  return new ApiError(code, sentence, Object.keys(detail).length ? detail : undefined)
}

function errorCode(err: unknown): string | undefined {
  if (err && typeof err === 'object' && 'code' in err) {
    const code = (err as { code: unknown }).code
    if (typeof code === 'string') return code
  }
  return undefined
}

/** Lower-case, with the underscores of error codes turned into spaces, for text matching. */
function normalize(text: string): string {
  return text.toLowerCase().replace(/_/g, ' ')
}

function pickByDate(ctx: ClassifyContext, test: (c: CertFacts, now: number) => boolean): CertFacts | undefined {
  const now = ctx.now ?? Date.now()
  const chain = ctx.peer?.chain ?? []
  return chain.find((c) => test(c, now)) ?? ctx.peer?.leaf
}

function human(iso: string | undefined): string {
  if (!iso) return 'an unknown date'
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`
}

function nowText(ctx: ClassifyContext): string {
  return ` (it is now ${human(new Date(ctx.now ?? Date.now()).toISOString())})`
}

function altNamesFromError(err: unknown): string[] {
  return altNames((err as { cert?: { subjectaltname?: string } } | null)?.cert?.subjectaltname)
}
