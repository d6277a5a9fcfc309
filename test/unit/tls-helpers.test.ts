/** TLS helpers the inspector relies on: pins, the handshake history, HKDF, cipher names, the key log. */
import { describe, expect, it } from 'vitest'
import type { ChainEntry } from '../../electron/api/tls'
import { hkdfExpandLabel } from '../../electron/core/tls/handshake-decoder'
import { detectChange } from '../../electron/core/tls/handshake-history'
import { ianaCipherName } from '../../electron/core/tls/iana-ciphers'
import { clientRandomOf } from '../../electron/core/tls/key-log'
import { checkPin, makePin } from '../../electron/core/tls/pinning'
import { timingSteps } from '../../renderer/src/lib/tls/tls-format'

const entry = (over: Partial<ChainEntry>): ChainEntry => ({
  position: 0, subject: 'CN=broker.example', issuer: 'CN=Example Issuing CA', sans: ['broker.example', 'mqtt.example'], validFrom: '2025-01-01T00:00:00.000Z', validTo: '2027-01-01T00:00:00.000Z',
  daysLeft: 300, validity: 'valid', keyType: 'EC', keySize: 256, signatureAlgorithm: 'ecdsa-with-SHA256', isCa: false, selfSigned: false, serialNumber: '01',
  sha256: 'AA:' + '00:'.repeat(30) + 'AA', spkiSha256: 'BB:' + '00:'.repeat(30) + 'BB', spkiPin: 'x', source: 'broker', sourceCertain: true, pem: '', ...over,
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

describe('connects table', () => {
  const t = { startedAt: 0, dnsMs: null, tcpConnectMs: null, tlsHandshakeMs: null, connackMs: null }
  it('marks the steps after the one that failed as not reached', () => {
    expect(timingSteps(t, 'tcp').map((s) => [s.label, s.reached])).toEqual([['DNS', true], ['TCP', true], ['TLS', false], ['CONNACK', false]])
    expect(timingSteps(t, 'dns').filter((s) => s.reached).map((s) => s.label)).toEqual(['DNS'])
    expect(timingSteps(t, 'tls').filter((s) => !s.reached).map((s) => s.label)).toEqual(['CONNACK'])
    expect(timingSteps({ ...t, tlsHandshakeMs: 12 }).every((s) => s.reached)).toBe(true)
  })
  it('does not count CONNACK as reached when the WebSocket upgrade failed', () => {
    expect(timingSteps(t, 'websocket').map((s) => [s.label, s.reached])).toEqual([['DNS', true], ['TCP', true], ['TLS', true], ['CONNACK', false]])
    expect(timingSteps(t, 'mqtt-connack').every((s) => s.reached)).toBe(true)
  })
})
