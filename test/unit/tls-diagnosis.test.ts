import { describe, expect, it } from 'vitest'
import type { ChainEntry, ChainReport, VerificationVerdict } from '../../electron/api/tls'
import { diagnose, type DiagnosisInput } from '../../electron/core/tls/diagnosis'
import { hkdfExpandLabel } from '../../electron/core/tls/handshake-decoder'
import { detectChange } from '../../electron/core/tls/handshake-history'
import { ianaCipherName } from '../../electron/core/tls/iana-ciphers'
import { clientRandomOf } from '../../electron/core/tls/key-log'
import { checkPin, makePin } from '../../electron/core/tls/pinning'

const entry = (over: Partial<ChainEntry>): ChainEntry => ({
  position: 0, subject: 'CN=broker.example', issuer: 'CN=Example Issuing CA', sans: ['broker.example', 'mqtt.example'], validFrom: '2025-01-01T00:00:00.000Z', validTo: '2027-01-01T00:00:00.000Z',
  daysLeft: 300, validity: 'valid', keyType: 'EC', keySize: 256, signatureAlgorithm: 'ecdsa-with-SHA256', isCa: false, selfSigned: false, serialNumber: '01',
  sha256: 'AA:' + '00:'.repeat(30) + 'AA', spkiSha256: 'BB:' + '00:'.repeat(30) + 'BB', spkiPin: 'x', source: 'broker', sourceCertain: true, pem: '', ...over,
})
const chain = (entries: ChainEntry[], breaks: ChainReport['breaks'] = []): ChainReport => ({ entries, breaks, complete: entries.at(-1)!.selfSigned })
const verdict = (over: Partial<VerificationVerdict>): VerificationVerdict => ({ trusted: false, chainOk: true, chainError: null, hostnameOk: true, hostnameError: null, checkedName: '10.0.0.5', enforced: true, ...over })
const base: DiagnosisInput = { host: '10.0.0.5', port: 8883, checkedName: '10.0.0.5', alpnOffered: [], clientCertPresented: false }

describe('TLS diagnosis', () => {
  it('says the certificate is self-signed and how to trust it', () => {
    const d = diagnose({ ...base, error: { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }, chain: chain([entry({ selfSigned: true, issuer: 'CN=broker.example' })], [{ kind: 'self-signed-leaf', position: 0, message: '' }]) })
    expect(d).toMatchObject({ kind: 'unknown-ca-self-signed', code: 'TLS_SELF_SIGNED' })
  })

  it('tells a missing intermediate from an unknown root', () => {
    const missing = diagnose({ ...base, verdict: verdict({ chainOk: false, chainError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }), chain: chain([entry({})], [{ kind: 'missing-intermediate', position: 0, message: '' }]) })
    expect(missing).toMatchObject({ kind: 'unknown-ca-missing-intermediate', code: 'TLS_CHAIN_INCOMPLETE', facts: { missingIssuer: 'CN=Example Issuing CA' } })
    expect(missing!.fix).toMatch(/certfile/)
    const unknown = diagnose({ ...base, error: { code: 'SELF_SIGNED_CERT_IN_CHAIN' }, chain: chain([entry({}), entry({ position: 1, isCa: true, selfSigned: true, subject: 'CN=Private Root' })], [{ kind: 'untrusted-root', position: 1, message: '' }]) })
    expect(unknown).toMatchObject({ kind: 'unknown-ca', code: 'TLS_UNKNOWN_CA' })
  })

  it('lists the names a mismatching certificate is valid for and suggests the SNI override', () => {
    const d = diagnose({ ...base, verdict: verdict({ hostnameOk: false, hostnameError: 'ERR_TLS_CERT_ALTNAME_INVALID' }), chain: chain([entry({})]) })
    expect(d).toMatchObject({ kind: 'hostname-mismatch', facts: { validNames: ['broker.example', 'mqtt.example'], checkedName: '10.0.0.5' } })
    expect(d!.explanation).toBe("The broker's certificate is for broker.example, mqtt.example, not 10.0.0.5.")
    expect(d!.fix).toMatch(/TLS server name \(SNI override\)/)
  })

  it('explains expired and not-yet-valid certificates', () => {
    expect(diagnose({ ...base, error: { code: 'CERT_HAS_EXPIRED' }, chain: chain([entry({ validity: 'expired', daysLeft: -3, validTo: '2025-02-01T00:00:00.000Z' })]) })).toMatchObject({ kind: 'expired', code: 'TLS_CERT_EXPIRED', explanation: "The broker's certificate expired on 2025-02-01 (3 days ago)." })
    expect(diagnose({ ...base, error: { code: 'CERT_NOT_YET_VALID' }, chain: chain([entry({ validity: 'not-yet-valid' })]) })).toMatchObject({ kind: 'not-yet-valid', code: 'TLS_CERT_NOT_YET_VALID' })
  })

  it('tells "client certificate required" from "rejected" from "no common cipher"', () => {
    expect(diagnose({ ...base, error: { code: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED' } })!.kind).toBe('client-cert-required')
    expect(diagnose({ ...base, error: { code: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE' }, serverFlightSeen: true })!.kind).toBe('client-cert-required')
    expect(diagnose({ ...base, clientCertPresented: true, error: { code: 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA' } })).toMatchObject({ kind: 'client-cert-rejected', code: 'TLS_CLIENT_CERT_REJECTED' })
    expect(diagnose({ ...base, error: { code: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE' }, serverFlightSeen: false })!.kind).toBe('cipher-mismatch')
  })

  it('explains version mismatches, plain ports and ALPN', () => {
    expect(diagnose({ ...base, error: { code: 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION' }, maxVersion: 'TLSv1.2' })).toMatchObject({ kind: 'version-mismatch', facts: { allowed: 'TLSv1.2–TLSv1.2' } })
    expect(diagnose({ ...base, error: { code: 'ERR_SSL_WRONG_VERSION_NUMBER' } })!.title).toBe('The port does not speak TLS')
    expect(diagnose({ ...base, alpnOffered: ['http/1.1'], error: { code: 'ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL' } })).toMatchObject({ kind: 'alpn-required', code: 'TLS_ALPN_REQUIRED' })
    expect(diagnose({ ...base, port: 443, error: { code: 'ECONNRESET' } })!.kind).toBe('alpn-required')
    expect(diagnose({ ...base, port: 8883, error: { code: 'ECONNRESET', message: 'socket hang up' } })!.kind).toBe('handshake-failed')
  })

  it('has nothing to say about a trusted session', () => {
    expect(diagnose({ ...base, verdict: verdict({ trusted: true }), chain: chain([entry({})]) })).toBeNull()
  })
})

describe('pins and history', () => {
  const leaf = entry({})
  it('matches a leaf or SPKI pin regardless of colons and case, and reports both sides otherwise', () => {
    expect(checkPin(makePin('leaf', leaf), leaf)).toBeNull()
    expect(checkPin({ ...makePin('spki', leaf), sha256: leaf.spkiSha256.replace(/:/g, '').toLowerCase() }, leaf)).toBeNull()
    // A renewal with the same key passes an SPKI pin but not a leaf pin.
    const renewed = { ...leaf, sha256: 'CC:' + '00:'.repeat(30) + 'CC' }
    expect(checkPin(makePin('spki', leaf), renewed)).toBeNull()
    expect(checkPin(makePin('leaf', leaf), renewed)).toMatchObject({ pin: { sha256: leaf.sha256 }, presented: { leafSha256: renewed.sha256, spkiSha256: leaf.spkiSha256 } })
  })

  it('says whether the certificate or the key changed', () => {
    const a = { leafSha256: 'A', spkiSha256: 'K1' }
    expect(detectChange(undefined, a)).toBe('first')
    expect(detectChange(a, a)).toBe('none')
    expect(detectChange(a, { leafSha256: 'B', spkiSha256: 'K1' })).toBe('certificate')
    expect(detectChange(a, { leafSha256: 'B', spkiSha256: 'K2' })).toBe('key')
  })
})

describe('TLS helpers', () => {
  it('derives TLS 1.3 record keys as in RFC 8448', () => {
    const secret = Buffer.from('b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38', 'hex')
    expect(hkdfExpandLabel('sha256', secret, 'key', 16).toString('hex')).toBe('3fce516009c21727d0f2e4e86ee403bc')
    expect(hkdfExpandLabel('sha256', secret, 'iv', 12).toString('hex')).toBe('5d313eb2671276ee13000b30')
  })

  it('names ciphers the IANA way', () => {
    expect(ianaCipherName('ECDHE-RSA-AES128-GCM-SHA256')).toBe('TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256')
    expect(ianaCipherName('TLS_AES_128_GCM_SHA256')).toBe('TLS_AES_128_GCM_SHA256')
    expect(ianaCipherName('ECDHE-RSA-AES128-GCM-SHA256', 'TLS_FROM_NODE')).toBe('TLS_FROM_NODE')
  })

  it('reads the client random of an NSS key log line', () => {
    expect(clientRandomOf(`CLIENT_RANDOM ${'ab'.repeat(32)} ${'cd'.repeat(48)}\n`)).toBe('ab'.repeat(32))
    expect(clientRandomOf('# comment')).toBeNull()
  })
})
