/**
 * The one failure model, as one table. Every case goes through both projections: the
 * connection's error (classifyError → code + sentence, what the header shows) and the TLS
 * inspector's diagnosis (diagnosisOf(classifyFailure) → kind, title, explanation, fix). Both must
 * carry the same code, and the sentence must be exactly the diagnosis' "what happened: fix".
 * Cases with a certificate chain run twice: with the chain as the connection engine summarizes
 * it (PeerSummary) and as the inspector reports it (ChainReport).
 */
import { describe, expect, it } from 'vitest'
import { ApiError, type ErrorCode } from '../../electron/api'
import type { ChainBreakKind, ChainEntry, ChainReport, DiagnosisKind, FailurePhase, VerificationVerdict } from '../../electron/api/tls'
import { classifyError, closedEarly, timeoutError } from '../../electron/core/tls/classify-error'
import { classifyConnack, classifySuback } from '../../electron/core/connections/mqtt-reasons'
import { classifyFailure, diagnosisOf, failureSentence, type FailureContext } from '../../electron/core/tls/failure-model'
import type { CertFacts, PeerSummary } from '../../electron/core/tls/peer-summary'

const NOW = Date.parse('2025-06-01T12:00:00Z')
const base: FailureContext = { host: 'broker.example', port: 8883, tls: true, connectTimeoutMs: 15_000, now: NOW }
const err = (code: string, message = code) => Object.assign(new Error(message), { code })
const alert = (code: string, text: string) => err(code, `error:0A000000:SSL routines::${text}:SSL alert number 42`)

/** One certificate, described once, rendered both ways. */
interface Cert {
  subject: string
  issuer?: string
  names?: string[]
  validFrom?: string
  validTo?: string
  selfSigned?: boolean
  isCa?: boolean
}
const facts = (c: Cert): CertFacts => ({ subject: c.subject, issuer: c.issuer ?? 'Example Intermediate', names: c.names ?? (c.isCa || c.selfSigned ? [] : ['broker.example', 'mqtt.example']), validFrom: c.validFrom ?? '2025-01-01T00:00:00.000Z', validTo: c.validTo ?? '2026-01-01T00:00:00.000Z', selfSigned: !!c.selfSigned })
const peerOf = (certs: Cert[]): PeerSummary => ({ leaf: facts(certs[0]), chain: certs.map(facts) })
function reportOf(certs: Cert[], breaks: ChainBreakKind[]): ChainReport {
  const entries = certs.map((c, position): ChainEntry => {
    const f = facts(c)
    const validity = Date.parse(f.validTo) < NOW ? 'expired' : Date.parse(f.validFrom) > NOW ? 'not-yet-valid' : 'valid'
    return {
      position, subject: `CN=${f.subject}`, issuer: `CN=${f.issuer}`, sans: f.names, validFrom: f.validFrom, validTo: f.validTo, daysLeft: Math.floor((Date.parse(f.validTo) - NOW) / 86_400_000), validity,
      keyType: 'EC', keySize: 256, signatureAlgorithm: 'ecdsa-with-SHA256', isCa: !!c.isCa || !!c.selfSigned, selfSigned: f.selfSigned, serialNumber: '01',
      sha256: 'AA:' + '00:'.repeat(30) + 'AA', spkiSha256: 'BB:' + '00:'.repeat(30) + 'BB', spkiPin: 'x', source: 'broker', sourceCertain: true, pem: '',
    }
  })
  return { entries, breaks: breaks.map((kind) => ({ kind, position: 0, message: '' })), complete: entries.at(-1)!.selfSigned }
}
const verdict = (over: Partial<VerificationVerdict>): VerificationVerdict => ({ trusted: false, chainOk: true, chainError: null, hostnameOk: true, hostnameError: null, checkedName: 'broker.example', enforced: true, ...over })

const leaf: Cert = { subject: 'broker.example' }
const intermediate: Cert = { subject: 'Example Intermediate', issuer: 'Example Root', isCa: true }

interface Case {
  name: string
  /** What the attempt failed with; null = a completed handshake judged by `verdict` alone. */
  error: Error | null
  ctx?: Partial<FailureContext>
  /** The broker's chain and the breaks chain-report.ts would find in it. */
  chain?: { certs: Cert[]; breaks: ChainBreakKind[] }
  verdict?: Partial<VerificationVerdict>
  code: ErrorCode
  kind: DiagnosisKind
  phase: FailurePhase
  /** Fragments of the connection's sentence (and so of the diagnosis' explanation + fix). */
  says: string[]
  /** Exact sentence, where the wording itself is the point. */
  sentence?: string
  title?: string
  facts?: Record<string, unknown>
}

const cases: Case[] = [
  // dns / tcp
  { name: 'nothing listening (the broker is stopped)', error: err('ECONNREFUSED'), code: 'BROKER_UNREACHABLE', kind: 'broker-unreachable', phase: 'tcp', says: ['Nothing is listening on broker.example:8883', 'check the port number and that the broker is running'] },
  { name: 'nothing listening, as the inspector sees it (no TCP connection yet)', error: err('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:8883'), ctx: { tcpConnected: false, handshakeDone: false, serverFlightSeen: false, alpnOffered: [] }, code: 'BROKER_UNREACHABLE', kind: 'broker-unreachable', phase: 'tcp', says: ['Nothing is listening on broker.example:8883'] },
  { name: 'no route to the host', error: err('EHOSTUNREACH'), code: 'BROKER_UNREACHABLE', kind: 'broker-unreachable', phase: 'tcp', says: ['broker.example cannot be reached', 'EHOSTUNREACH'] },
  { name: 'TCP connect timed out', error: err('ETIMEDOUT'), code: 'CONNECT_TIMEOUT', kind: 'connect-timeout', phase: 'tcp', says: ['did not answer within 15 s', 'firewall'] },
  { name: 'name not in DNS', error: err('ENOTFOUND'), code: 'DNS_NOT_FOUND', kind: 'dns-not-found', phase: 'dns', says: ['broker.example could not be found in DNS'] },
  { name: 'DNS did not answer', error: err('EAI_AGAIN'), code: 'DNS_NOT_FOUND', kind: 'dns-not-found', phase: 'dns', says: ['right now'] },
  // resets
  { name: 'reset during the TLS handshake: not a TLS port', error: err('ECONNRESET'), code: 'TLS_HANDSHAKE_FAILED', kind: 'closed-early', phase: 'tls', says: ['during the TLS handshake', 'mqtt://', 'run a probe'] },
  { name: 'hang-up during the TLS handshake on 8883', error: err('ECONNRESET', 'socket hang up'), ctx: { alpnOffered: [] }, code: 'TLS_HANDSHAKE_FAILED', kind: 'closed-early', phase: 'tls', says: ['mqtt://'] },
  { name: 'reset on port 443 without ALPN: probably needs ALPN', error: err('ECONNRESET'), ctx: { port: 443, alpnOffered: [] }, code: 'TLS_ALPN_REQUIRED', kind: 'alpn-required', phase: 'tls', says: ['ALPN'], title: 'The broker probably needs ALPN on port 443' },
  { name: 'reset after TLS: a refusal', error: err('ECONNRESET'), ctx: { handshakeDone: true }, code: 'BROKER_REFUSED', kind: 'closed-early', phase: 'mqtt-connack', says: ['closed the connection without answering', 'client certificate'] },
  { name: 'reset after a session: a loss', error: err('ECONNRESET'), ctx: { wasConnected: true }, code: 'CONNECTION_LOST', kind: 'connection-lost', phase: 'session', says: ['closed the connection'] },
  { name: 'WebSocket upgrade refused', error: new Error('Unexpected server response: 400'), ctx: { websocket: true, handshakeDone: true }, code: 'BROKER_REFUSED', kind: 'websocket-refused', phase: 'websocket', says: ['HTTP 400', 'WebSocket path'] },
  { name: 'keep-alive timeout', error: new Error('Keepalive timeout'), ctx: { wasConnected: true, handshakeDone: true }, code: 'CONNECTION_LOST', kind: 'connection-lost', phase: 'session', says: ['keep-alive'] },

  // the broker's certificate
  { name: 'self-signed leaf', error: err('DEPTH_ZERO_SELF_SIGNED_CERT'), chain: { certs: [{ subject: 'broker.example', issuer: 'broker.example', selfSigned: true }], breaks: ['self-signed-leaf'] }, code: 'TLS_SELF_SIGNED', kind: 'unknown-ca-self-signed', phase: 'tls', says: ['self-signed', 'broker.example', 'trusted CA'] },
  { name: 'self-signed root in the chain, not trusted', error: err('SELF_SIGNED_CERT_IN_CHAIN'), chain: { certs: [leaf, { subject: 'Corp Root', issuer: 'Corp Root', selfSigned: true }], breaks: ['untrusted-root'] }, code: 'TLS_UNKNOWN_CA', kind: 'unknown-ca', phase: 'tls', says: ['self-signed root', 'Corp Root', "profile's CA certificates"] },
  { name: 'only the leaf sent: incomplete chain', error: err('UNABLE_TO_VERIFY_LEAF_SIGNATURE'), chain: { certs: [leaf], breaks: ['missing-intermediate'] }, code: 'TLS_CHAIN_INCOMPLETE', kind: 'unknown-ca-missing-intermediate', phase: 'tls', says: ['Example Intermediate', 'certfile'] },
  { name: 'only the leaf sent, judged by our verdict', error: null, verdict: { chainOk: false, chainError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }, chain: { certs: [leaf], breaks: ['missing-intermediate'] }, code: 'TLS_CHAIN_INCOMPLETE', kind: 'unknown-ca-missing-intermediate', phase: 'tls', says: ['Example Intermediate', 'certfile'] },
  { name: 'chain sent, root unknown', error: err('UNABLE_TO_GET_ISSUER_CERT_LOCALLY'), chain: { certs: [leaf, intermediate], breaks: ['unknown-issuer'] }, code: 'TLS_UNKNOWN_CA', kind: 'unknown-ca', phase: 'tls', says: ['Example Root', 'a CA this profile does not trust'] },
  {
    name: 'host name mismatch', error: err('ERR_TLS_CERT_ALTNAME_INVALID'), ctx: { host: '10.0.0.5' }, chain: { certs: [leaf], breaks: ['name-mismatch'] }, code: 'TLS_HOSTNAME_MISMATCH', kind: 'hostname-mismatch', phase: 'tls', says: ['broker.example, mqtt.example'],
    sentence: "The broker's certificate is for broker.example, mqtt.example, not 10.0.0.5: connect by one of those names or set the TLS server name (SNI) to one of them.", title: 'The certificate is for another name', facts: { validNames: ['broker.example', 'mqtt.example'], checkedName: '10.0.0.5' },
  },
  { name: 'host name mismatch, judged by our verdict', error: null, ctx: { host: '10.0.0.5' }, verdict: { hostnameOk: false, hostnameError: 'ERR_TLS_CERT_ALTNAME_INVALID' }, chain: { certs: [leaf], breaks: ['name-mismatch'] }, code: 'TLS_HOSTNAME_MISMATCH', kind: 'hostname-mismatch', phase: 'tls', says: ['not 10.0.0.5', 'TLS server name (SNI)'] },
  { name: 'host name mismatch with an SNI override', error: err('ERR_TLS_CERT_ALTNAME_INVALID'), ctx: { host: '10.0.0.5', serverName: 'wrong.example' }, chain: { certs: [{ subject: 'broker.example', names: ['broker.example'] }], breaks: ['name-mismatch'] }, code: 'TLS_HOSTNAME_MISMATCH', kind: 'hostname-mismatch', phase: 'tls', says: ['not wrong.example', 'change the TLS server name (now wrong.example) to broker.example'] },
  { name: 'expired leaf', error: err('CERT_HAS_EXPIRED'), chain: { certs: [{ subject: 'broker.example', validTo: '2025-03-01T00:00:00.000Z' }], breaks: ['expired'] }, code: 'TLS_CERT_EXPIRED', kind: 'expired', phase: 'tls', says: ['expired on 2025-03-01 00:00 UTC', '92 days ago', 'it is now 2025-06-01 12:00 UTC', 'renew'], title: "The broker's certificate has expired", facts: { validTo: '2025-03-01T00:00:00.000Z' } },
  { name: 'expired CA in the chain', error: err('CERT_HAS_EXPIRED'), chain: { certs: [leaf, { subject: 'Old CA', issuer: 'Old CA', isCa: true, validTo: '2024-12-31T00:00:00.000Z' }], breaks: ['expired'] }, code: 'TLS_CERT_EXPIRED', kind: 'expired', phase: 'tls', says: ['Old CA"', 'expired on 2024-12-31'], title: 'A CA certificate in the chain has expired' },
  { name: 'not yet valid', error: err('CERT_NOT_YET_VALID'), chain: { certs: [{ subject: 'broker.example', validFrom: '2025-07-01T00:00:00.000Z' }], breaks: ['not-yet-valid'] }, code: 'TLS_CERT_NOT_YET_VALID', kind: 'not-yet-valid', phase: 'tls', says: ['only becomes valid on 2025-07-01 00:00 UTC', 'date and time'] },
  { name: 'revoked', error: err('CERT_REVOKED'), chain: { certs: [leaf], breaks: [] }, code: 'TLS_HANDSHAKE_FAILED', kind: 'certificate-invalid', phase: 'tls', says: ['revoked'] },

  // TLS alerts from the broker
  { name: 'TLS 1.3 certificate required, none sent', error: alert('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', 'tlsv13 alert certificate required'), code: 'TLS_CLIENT_CERT_REQUIRED', kind: 'client-cert-required', phase: 'tls', says: ['requires a client certificate', 'PKCS#12'] },
  { name: 'handshake failure, none sent (first flight unknown)', error: alert('ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', 'sslv3 alert handshake failure'), code: 'TLS_CLIENT_CERT_REQUIRED', kind: 'client-cert-required', phase: 'tls', says: ['client certificate'] },
  { name: 'handshake failure after the first flight, none sent', error: err('ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE'), ctx: { serverFlightSeen: true }, code: 'TLS_CLIENT_CERT_REQUIRED', kind: 'client-cert-required', phase: 'tls', says: ['client certificate'] },
  { name: 'handshake failure before the first flight: no common cipher', error: err('ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE'), ctx: { serverFlightSeen: false }, code: 'TLS_HANDSHAKE_FAILED', kind: 'cipher-mismatch', phase: 'tls', says: ['no cipher suite', 'probe'], title: 'No cipher suite in common' },
  { name: 'handshake failure with a client certificate (first flight unknown)', error: alert('ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', 'sslv3 alert handshake failure'), ctx: { clientCertSent: true }, code: 'TLS_HANDSHAKE_FAILED', kind: 'cipher-mismatch', phase: 'tls', says: ['none of the offered ciphers, or not the client certificate'] },
  { name: 'handshake failure with a client certificate after the first flight', error: err('ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE'), ctx: { clientCertSent: true, serverFlightSeen: true }, code: 'TLS_CLIENT_CERT_REJECTED', kind: 'client-cert-rejected', phase: 'tls', says: ['rejected the client certificate'] },
  { name: 'unknown CA alert for our certificate', error: alert('ERR_SSL_TLSV1_ALERT_UNKNOWN_CA', 'tlsv1 alert unknown ca'), ctx: { clientCertSent: true }, code: 'TLS_CLIENT_CERT_REJECTED', kind: 'client-cert-rejected', phase: 'tls', says: ['unknown ca', 'cafile'] },
  { name: 'bad certificate alert', error: alert('ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE', 'sslv3 alert bad certificate'), ctx: { clientCertSent: true }, code: 'TLS_CLIENT_CERT_REJECTED', kind: 'client-cert-rejected', phase: 'tls', says: ['bad certificate'] },
  { name: 'certificate unknown alert', error: alert('ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN', 'sslv3 alert certificate unknown'), ctx: { clientCertSent: true }, code: 'TLS_CLIENT_CERT_REJECTED', kind: 'client-cert-rejected', phase: 'tls', says: ['rejected the client certificate'] },
  { name: 'unknown CA alert when we sent no certificate', error: err('ERR_SSL_TLSV1_ALERT_UNKNOWN_CA'), code: 'TLS_CLIENT_CERT_REQUIRED', kind: 'client-cert-required', phase: 'tls', says: ['wants a client certificate'] },
  { name: 'protocol version alert', error: alert('ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION', 'tlsv1 alert protocol version'), ctx: { maxVersion: 'TLSv1.2' }, code: 'TLS_VERSION_MISMATCH', kind: 'version-mismatch', phase: 'tls', says: ['share no TLS version', 'TLSv1.2–TLSv1.2', 'minimum/maximum TLS version'], facts: { allowed: 'TLSv1.2–TLSv1.2' } },
  { name: 'unsupported protocol', error: alert('ERR_SSL_UNSUPPORTED_PROTOCOL', 'unsupported protocol'), code: 'TLS_VERSION_MISMATCH', kind: 'version-mismatch', phase: 'tls', says: ['TLSv1.2–TLSv1.3'] },
  { name: 'no application protocol', error: alert('ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL', 'tlsv1 alert no application protocol'), ctx: { alpnOffered: ['http/1.1'] }, code: 'TLS_ALPN_REQUIRED', kind: 'alpn-required', phase: 'tls', says: ['http/1.1', 'x-amzn-mqtt-ca'], facts: { offered: ['http/1.1'] } },
  { name: 'TLS spoken to a plain port', error: alert('ERR_SSL_WRONG_VERSION_NUMBER', 'wrong version number'), code: 'TLS_HANDSHAKE_FAILED', kind: 'not-tls', phase: 'tls', says: ['not TLS', 'mqtt://'], title: 'The port does not speak TLS' },
  { name: 'BoringSSL: certificate required', error: err('ERR_SSL_CERTIFICATE_REQUIRED', 'CERTIFICATE_REQUIRED'), code: 'TLS_CLIENT_CERT_REQUIRED', kind: 'client-cert-required', phase: 'tls', says: ['client certificate'] },
  { name: 'BoringSSL: unknown CA for our certificate', error: err('ERR_SSL_TLSV1_ALERT_UNKNOWN_CA', 'TLSV1_ALERT_UNKNOWN_CA'), ctx: { clientCertSent: true }, code: 'TLS_CLIENT_CERT_REJECTED', kind: 'client-cert-rejected', phase: 'tls', says: ['rejected the client certificate'] },
]

/** The inputs of one case, once per way the chain can be known. */
function variants(c: Case): Array<{ source: string; ctx: FailureContext }> {
  const ctx: FailureContext = { ...base, ...c.ctx, ...(c.verdict ? { verdict: verdict({ checkedName: c.ctx?.serverName ?? c.ctx?.host ?? base.host, ...c.verdict }) } : {}) }
  if (!c.chain) return [{ source: 'no chain', ctx }]
  const fromReport = { source: 'chain report', ctx: { ...ctx, chain: reportOf(c.chain.certs, c.chain.breaks) } }
  // A verdict exists only where the inspector saw a completed handshake.
  if (c.error === null) return [fromReport]
  return [{ source: 'peer summary', ctx: { ...ctx, peer: peerOf(c.chain.certs) } }, fromReport]
}

describe('one failure model: the connection error and the inspector diagnosis agree', () => {
  it.each(cases.flatMap((c) => variants(c).map((v) => [`${c.name} (${v.source})`, c, v.ctx] as const)))('%s', (_name, c, ctx) => {
    const failure = classifyFailure(c.error, ctx)
    expect(failure).not.toBeNull()
    const diagnosis = diagnosisOf(failure!)
    expect(diagnosis).toMatchObject({ code: c.code, kind: c.kind, phase: c.phase })
    if (c.title) expect(diagnosis.title).toBe(c.title)
    if (c.facts) expect(diagnosis.facts).toMatchObject(c.facts)

    // The connection's error: the same code, and the diagnosis' two parts as one sentence.
    const apiError = c.error ? classifyError(c.error, ctx) : null
    const sentence = failureSentence(diagnosis)
    if (apiError) {
      expect(apiError).toBeInstanceOf(ApiError)
      expect(apiError.code).toBe(c.code)
      expect(apiError.message).toBe(sentence)
      expect(apiError.detail).toMatchObject({ phase: c.phase })
    }
    for (const fragment of c.says) expect(sentence).toContain(fragment)
    if (c.sentence) expect(sentence).toBe(c.sentence)
    // One sentence: what happened, then the fix, ending once.
    expect(sentence).toMatch(/[^.]\.$/)
    expect(sentence).not.toMatch(/\.\.|\.: |\s{2}/)
  })

  it.each(cases.filter((c) => c.chain && c.error).map((c) => [c.name, c] as const))('words "%s" the same from the engine\'s chain summary and the inspector\'s chain report', (_name, c) => {
    const [fromPeer, fromReport] = variants(c).map((v) => classifyError(c.error, v.ctx))
    expect(fromPeer.message).toBe(fromReport.message)
    expect(fromPeer.code).toBe(fromReport.code)
  })

  it('keeps the names a certificate is valid for in the error detail', () => {
    const e = classifyError(err('ERR_TLS_CERT_ALTNAME_INVALID'), { ...base, host: '10.0.0.5', peer: peerOf([leaf]) })
    expect(e.detail).toMatchObject({ validNames: ['broker.example', 'mqtt.example'], cause: 'ERR_TLS_CERT_ALTNAME_INVALID' })
  })

  it('says whether a timeout happened before or after TLS', () => {
    expect(timeoutError(base)).toMatchObject({ code: 'CONNECT_TIMEOUT', message: expect.stringContaining('did not answer within 15 s') })
    expect(timeoutError({ ...base, handshakeDone: true }).message).toContain('sent no MQTT answer')
    expect(timeoutError({ ...base, handshakeDone: true }).detail).toMatchObject({ phase: 'mqtt-connack' })
    expect(timeoutError({ ...base, tcpConnected: true }).detail).toMatchObject({ phase: 'tls' })
  })

  it('reads a close without a clue by how far the attempt got', () => {
    expect(closedEarly({ ...base, tls: false })).toMatchObject({ code: 'BROKER_REFUSED', message: expect.stringContaining('plain MQTT') })
    expect(closedEarly(base).code).toBe('TLS_HANDSHAKE_FAILED')
    expect(closedEarly({ ...base, wasConnected: true }).code).toBe('CONNECTION_LOST')
  })

  it('passes ApiErrors through untouched, and explains a pin mismatch in the inspector', () => {
    const original = new ApiError('TLS_BAD_PEM', 'x')
    expect(classifyError(original, base)).toBe(original)
    const pin = new ApiError('TLS_PIN_MISMATCH', 'pinned', { pin: {} })
    expect(diagnosisOf(classifyFailure(pin, base)!)).toMatchObject({ kind: 'pin-mismatch', code: 'TLS_PIN_MISMATCH', phase: 'tls' })
  })

  it('has nothing to say about a trusted session', () => {
    expect(classifyFailure(null, { ...base, verdict: verdict({ trusted: true }), chain: reportOf([leaf], []) })).toBeNull()
    expect(classifyFailure(null, base)).toBeNull()
  })
})

describe('CONNACK refusals', () => {
  it.each([
    [4, 1, 'MQTT_PROTOCOL_VERSION'],
    [4, 2, 'MQTT_CLIENT_ID_REJECTED'],
    [4, 3, 'MQTT_SERVER_UNAVAILABLE'],
    [4, 4, 'MQTT_BAD_CREDENTIALS'],
    [4, 5, 'MQTT_NOT_AUTHORIZED'],
    [5, 0x84, 'MQTT_PROTOCOL_VERSION'],
    [5, 0x85, 'MQTT_CLIENT_ID_REJECTED'],
    [5, 0x86, 'MQTT_BAD_CREDENTIALS'],
    [5, 0x87, 'MQTT_NOT_AUTHORIZED'],
    [5, 0x88, 'MQTT_SERVER_UNAVAILABLE'],
    [5, 0x89, 'MQTT_SERVER_UNAVAILABLE'],
    [5, 0x8a, 'MQTT_CONNACK_REFUSED'],
    [5, 0x9f, 'MQTT_CONNACK_REFUSED'],
    [5, 1, 'MQTT_PROTOCOL_VERSION'],
  ] as const)('MQTT v%i code %i → %s', (version, code, expected) => {
    const e = classifyConnack(code, version, {}, base)
    expect(e.code).toBe(expected)
    expect(e.detail).toMatchObject({ connackCode: code, protocolVersion: version, phase: 'mqtt-connack' })
  })

  it("quotes the broker's reason string and names the server it points to", () => {
    const e = classifyConnack(0x9c, 5, { reasonString: 'maintenance', serverReference: 'other.example:8883' }, base)
    expect(e.message).toContain('"maintenance"')
    expect(e.message).toContain('other.example:8883')
    expect(e.message).toContain('use another server')
    expect(classifyConnack(0x86, 5, { reasonString: 'token expired' }, base).message).toContain('"token expired"')
    expect(classifyConnack(4, 4, {}, base).message).toBe('The broker rejected the user name or password: check both and connect again.')
  })
})

describe('SUBACK refusals', () => {
  it('names the filter and the reason', () => {
    expect(classifySuback(0x87, 'secret/#', 'acl')).toMatchObject({ code: 'MQTT_SUBSCRIBE_FAILED', detail: { subackCode: 0x87 } })
    expect(classifySuback(0x80, 'a/#').message).toContain('a/#')
    expect(classifySuback(0xa2, 'a/#').message).toContain('wildcard')
  })
})
