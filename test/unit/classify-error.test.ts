import { describe, expect, it } from 'vitest'
import { ApiError } from '../../electron/api'
import { classifyConnack, classifyError, classifySuback, closedEarly, timeoutError, type ClassifyContext } from '../../electron/core/tls/classify-error'
import type { CertFacts, PeerSummary } from '../../electron/core/tls/peer-summary'

const ctx: ClassifyContext = { host: 'broker.example', port: 8883, tls: true, connectTimeoutMs: 15_000, now: Date.parse('2025-06-01T12:00:00Z') }
const err = (code: string, message = code) => Object.assign(new Error(message), { code })
const cert = (over: Partial<CertFacts> = {}): CertFacts => ({
  subject: 'broker.example',
  issuer: 'Example Intermediate',
  names: ['broker.example', 'mqtt.example'],
  validFrom: '2025-01-01T00:00:00.000Z',
  validTo: '2026-01-01T00:00:00.000Z',
  selfSigned: false,
  ...over,
})
const peer = (...chain: CertFacts[]): PeerSummary => ({ leaf: chain[0], chain })

describe('network errors', () => {
  it.each([
    ['ECONNREFUSED', 'BROKER_UNREACHABLE', 'broker.example:8883'],
    ['EHOSTUNREACH', 'BROKER_UNREACHABLE', 'broker.example'],
    ['ETIMEDOUT', 'CONNECT_TIMEOUT', '15 s'],
    ['ENOTFOUND', 'DNS_NOT_FOUND', 'broker.example'],
    ['EAI_AGAIN', 'DNS_NOT_FOUND', 'right now'],
  ])('%s → %s', (code, expected, mention) => {
    const e = classifyError(err(code), ctx)
    expect(e).toBeInstanceOf(ApiError)
    expect(e.code).toBe(expected)
    expect(e.message).toContain(mention)
  })

  it('reads a reset during the TLS handshake as "not a TLS port", after it as a refusal, and after a session as a loss', () => {
    expect(classifyError(err('ECONNRESET'), ctx)).toMatchObject({ code: 'TLS_HANDSHAKE_FAILED', message: expect.stringContaining('mqtt://') })
    expect(classifyError(err('ECONNRESET'), { ...ctx, handshakeDone: true }).code).toBe('BROKER_REFUSED')
    expect(classifyError(err('ECONNRESET'), { ...ctx, wasConnected: true }).code).toBe('CONNECTION_LOST')
    expect(closedEarly({ ...ctx, tls: false }).code).toBe('BROKER_REFUSED')
  })

  it('says whether the timeout happened before or after TLS', () => {
    expect(timeoutError(ctx).message).toContain('did not answer within 15 s')
    expect(timeoutError({ ...ctx, handshakeDone: true }).message).toContain('sent no MQTT answer')
  })

  it('passes ApiErrors through untouched', () => {
    const original = new ApiError('TLS_BAD_PEM', 'x')
    expect(classifyError(original, ctx)).toBe(original)
  })
})

describe('certificate verdicts', () => {
  it('self-signed leaf and self-signed root in the chain → TLS_SELF_SIGNED', () => {
    expect(classifyError(err('DEPTH_ZERO_SELF_SIGNED_CERT'), { ...ctx, peer: peer(cert({ selfSigned: true })) }).code).toBe('TLS_SELF_SIGNED')
    const e = classifyError(err('SELF_SIGNED_CERT_IN_CHAIN'), { ...ctx, peer: peer(cert(), cert({ subject: 'Corp Root', issuer: 'Corp Root', selfSigned: true })) })
    expect(e.code).toBe('TLS_SELF_SIGNED')
    expect(e.message).toContain('Corp Root')
  })

  it('tells an incomplete chain (only the leaf sent) from an unknown CA (chain sent, root untrusted)', () => {
    const incomplete = classifyError(err('UNABLE_TO_VERIFY_LEAF_SIGNATURE'), { ...ctx, peer: peer(cert()) })
    expect(incomplete.code).toBe('TLS_CHAIN_INCOMPLETE')
    expect(incomplete.message).toContain('Example Intermediate')
    const unknown = classifyError(err('UNABLE_TO_GET_ISSUER_CERT_LOCALLY'), { ...ctx, peer: peer(cert(), cert({ subject: 'Example Intermediate', issuer: 'Example Root' })) })
    expect(unknown.code).toBe('TLS_UNKNOWN_CA')
    expect(unknown.message).toContain('Example Root')
  })

  it('lists the names a certificate is valid for and suggests the server name override', () => {
    const e = classifyError(err('ERR_TLS_CERT_ALTNAME_INVALID'), { ...ctx, host: '10.0.0.5', peer: peer(cert()) })
    expect(e.code).toBe('TLS_HOSTNAME_MISMATCH')
    expect(e.message).toBe("The broker's certificate is for broker.example, mqtt.example, not 10.0.0.5: connect by one of those names or set the TLS server name (SNI) to one of them.")
    expect(e.detail).toMatchObject({ validNames: ['broker.example', 'mqtt.example'] })
  })

  it('gives dates for expired and not-yet-valid certificates, naming a CA when it is the culprit', () => {
    const expired = classifyError(err('CERT_HAS_EXPIRED'), { ...ctx, peer: peer(cert({ validTo: '2025-03-01T00:00:00.000Z' })) })
    expect(expired.code).toBe('TLS_CERT_EXPIRED')
    expect(expired.message).toContain('2025-03-01 00:00 UTC')
    expect(expired.message).toContain('2025-06-01 12:00 UTC')
    const caExpired = classifyError(err('CERT_HAS_EXPIRED'), { ...ctx, peer: peer(cert(), cert({ subject: 'Old CA', validTo: '2024-12-31T00:00:00.000Z' })) })
    expect(caExpired.message).toContain('"Old CA"')
    const future = classifyError(err('CERT_NOT_YET_VALID'), { ...ctx, peer: peer(cert({ validFrom: '2025-07-01T00:00:00.000Z' })) })
    expect(future.code).toBe('TLS_CERT_NOT_YET_VALID')
    expect(future.message).toContain('2025-07-01 00:00 UTC')
  })
})

describe('TLS alerts from the broker', () => {
  const alert = (code: string, text: string) => err(code, `error:0A000000:SSL routines::${text}:SSL alert number 42`)
  it.each([
    ['ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', 'tlsv13 alert certificate required', false, 'TLS_CLIENT_CERT_REQUIRED'],
    ['ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', 'sslv3 alert handshake failure', false, 'TLS_CLIENT_CERT_REQUIRED'],
    ['ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', 'sslv3 alert handshake failure', true, 'TLS_HANDSHAKE_FAILED'],
    ['ERR_SSL_TLSV1_ALERT_UNKNOWN_CA', 'tlsv1 alert unknown ca', true, 'TLS_CLIENT_CERT_REJECTED'],
    ['ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE', 'sslv3 alert bad certificate', true, 'TLS_CLIENT_CERT_REJECTED'],
    ['ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN', 'sslv3 alert certificate unknown', true, 'TLS_CLIENT_CERT_REJECTED'],
    ['ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION', 'tlsv1 alert protocol version', false, 'TLS_VERSION_MISMATCH'],
    ['ERR_SSL_UNSUPPORTED_PROTOCOL', 'unsupported protocol', false, 'TLS_VERSION_MISMATCH'],
    ['ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL', 'tlsv1 alert no application protocol', false, 'TLS_ALPN_REQUIRED'],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'wrong version number', false, 'TLS_HANDSHAKE_FAILED'],
  ])('%s (client cert sent: %s) → %s', (code, text, clientCertSent, expected) => {
    expect(classifyError(alert(code, text), { ...ctx, clientCertSent }).code).toBe(expected)
  })

  it('recognizes BoringSSL-style codes (Electron) by their text as well', () => {
    expect(classifyError(err('ERR_SSL_CERTIFICATE_REQUIRED', 'CERTIFICATE_REQUIRED'), ctx).code).toBe('TLS_CLIENT_CERT_REQUIRED')
    expect(classifyError(err('ERR_SSL_TLSV1_ALERT_UNKNOWN_CA', 'TLSV1_ALERT_UNKNOWN_CA'), { ...ctx, clientCertSent: true }).code).toBe('TLS_CLIENT_CERT_REJECTED')
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
    expect(classifyConnack(code, version, {}, ctx).code).toBe(expected)
  })

  it("quotes the broker's reason string and names the server it points to", () => {
    const e = classifyConnack(0x9c, 5, { reasonString: 'maintenance', serverReference: 'other.example:8883' }, ctx)
    expect(e.message).toContain('"maintenance"')
    expect(e.message).toContain('other.example:8883')
    expect(classifyConnack(0x86, 5, { reasonString: 'token expired' }, ctx).message).toContain('"token expired"')
  })
})

describe('SUBACK refusals', () => {
  it('names the filter and the reason', () => {
    expect(classifySuback(0x87, 'secret/#', 'acl')).toMatchObject({ code: 'MQTT_SUBSCRIBE_FAILED', detail: { subackCode: 0x87 } })
    expect(classifySuback(0x80, 'a/#').message).toContain('a/#')
    expect(classifySuback(0xa2, 'a/#').message).toContain('wildcard')
  })
})
