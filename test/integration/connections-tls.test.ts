/**
 * The connection engine against a real mosquitto over TLS, with a freshly generated test PKI:
 * what connects, and for everything that must not, the error code and the sentence the user
 * reads.
 */
import type tls from 'node:tls'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TlsSettings } from '../../electron/api'
import { VERIFY_OFF_WARNING } from '../../electron/core/connections/session'
import { issueClientCert } from '../fixtures/cert-factory'
import { startMosquitto, type MosquittoBroker } from '../fixtures/mosquitto'
import { generateTestPki, TEST_PASSPHRASES, type TestPki } from '../fixtures/pki'
import { recordingManager, rejectsWith, testProfile } from './connections-helpers'

let pki: TestPki
let broker: MosquittoBroker
let intruder: { certPem: string; keyPem: string }

beforeAll(async () => {
  pki = await generateTestPki()
  intruder = await issueClientCert(pki.untrusted.root.issuer, { commonName: 'intruder' })
  const server = (leaf: { chain: { path: string }; key: { path: string } }) => ({ cafile: pki.caBundle.path, certfile: leaf.chain.path, keyfile: leaf.key.path })
  broker = await startMosquitto({
    listeners: [
      { name: 'server', tls: server(pki.server) },
      // OpenSSL completes a server's chain from its CA file, so this listener's CA file must not hold the intermediate.
      { name: 'leafOnly', tls: { ...server(pki.server), cafile: pki.root.cert.path, certfile: pki.server.cert.path } },
      { name: 'mutual', tls: { ...server(pki.server), requireCertificate: true } },
      // mosquitto's tls_version is a minimum: "tlsv1.3" refuses TLS 1.2 clients.
      { name: 'tls13only', tls: { ...server(pki.server), tlsVersion: 'tlsv1.3' } },
      { name: 'wrongHost', tls: server(pki.wrongHost) },
      { name: 'expired', tls: server(pki.expired) },
      { name: 'notYetValid', tls: server(pki.notYetValid) },
      { name: 'selfSigned', tls: { ...server(pki.selfSigned), certfile: pki.selfSigned.cert.path } },
    ],
  })
})
afterAll(async () => {
  await broker?.stop()
  await pki?.cleanup()
})

const trustRoot = (extra: Partial<TlsSettings> = {}): Partial<TlsSettings> => ({ ca: [{ name: 'root.crt', pem: pki.root.cert.pem }], useSystemRoots: false, ...extra })
const tlsProfile = (listener: string, tlsSettings: Partial<TlsSettings> = trustRoot(), host = '127.0.0.1') =>
  testProfile({ scheme: 'mqtts', host, port: broker.ports[listener], tls: tlsSettings as TlsSettings, connectTimeoutMs: 5000 })
const clientPem = (extra: Partial<TlsSettings> = {}) => trustRoot({ clientCert: { name: 'client.crt', pem: pki.client.chain.pem }, ...extra })

describe('TLS that should connect', () => {
  it.each([4, 5] as const)('verifies the broker by its chain and IP address (MQTT v%i)', async (protocolVersion) => {
    const { manager } = recordingManager()
    const profile = { ...tlsProfile('server'), protocolVersion }
    const state = await manager.connect(profile, {})
    expect(state).toMatchObject({ status: 'connected', protocolVersion, warnings: [] })
    await manager.closeAll()
  })

  it('verifies the broker by host name and hands the TLS socket to the observer before the handshake', async () => {
    const seen: { attempt: number; handshakeSeen: boolean }[] = []
    const connacks: number[] = []
    const { manager } = recordingManager({
      onTlsSocket: (_id, socket: tls.TLSSocket, attempt) => {
        const entry = { attempt, handshakeSeen: false }
        seen.push(entry)
        // Only a listener attached before the handshake ever sees secureConnect.
        socket.once('secureConnect', () => {
          entry.handshakeSeen = socket.getProtocol() === 'TLSv1.3'
        })
      },
      onConnack: (_id, connack, timings) => {
        connacks.push(connack.reasonCode ?? connack.returnCode ?? -1)
        expect(timings.secureAt).toBeGreaterThanOrEqual(timings.startedAt)
        expect(timings.connackAt).toBeGreaterThanOrEqual(timings.secureAt!)
      },
    })
    await manager.connect(tlsProfile('server', trustRoot(), 'localhost'), {})
    expect(seen).toHaveLength(1)
    expect(seen[0].attempt).toBe(1)
    expect(seen[0].handshakeSeen).toBe(true)
    expect(connacks).toEqual([0])
    await manager.closeAll()
  })

  it('keeps a user-set TLS server name (SNI) and verifies against it', async () => {
    const { manager } = recordingManager({
      onTlsSocket: (_id, socket) => socket.once('secureConnect', () => expect((socket as unknown as { servername: string }).servername).toBe('wrong.example.test')),
    })
    const state = await manager.connect(tlsProfile('wrongHost', trustRoot({ servername: 'wrong.example.test' })), {})
    expect(state.status).toBe('connected')
    await manager.closeAll()
  })

  it.each([
    ['an unencrypted PEM key', () => ({ keyPem: pki.client.key.pem })],
    ['an encrypted PEM key with its passphrase', () => ({ keyPem: pki.client.encryptedKey.pem, keyPassphrase: TEST_PASSPHRASES.clientKey })],
  ])('authenticates with a client certificate and %s over TLS 1.3 and 1.2', async (_name, secrets) => {
    const { manager } = recordingManager()
    for (const maxVersion of ['TLSv1.3', 'TLSv1.2'] as const) {
      const state = await manager.connect(tlsProfile('mutual', clientPem({ maxVersion })), secrets())
      expect(state.status).toBe('connected')
      await manager.disconnect(state.connectionId)
    }
  })

  it('authenticates with a PKCS#12 bundle', async () => {
    const { manager } = recordingManager()
    const state = await manager.connect(tlsProfile('mutual', trustRoot({ pkcs12Name: 'client.p12' })), {
      pkcs12Base64: pki.client.p12.base64,
      pkcs12Passphrase: TEST_PASSPHRASES.pkcs12,
    })
    expect(state.status).toBe('connected')
    await manager.closeAll()
  })

  it('connects to a broker whose certificate is for another host when verification is off, and warns', async () => {
    const { manager } = recordingManager()
    const state = await manager.connect(tlsProfile('wrongHost', trustRoot({ verify: false })), {})
    expect(state.status).toBe('connected')
    expect(state.warnings).toContain(VERIFY_OFF_WARNING)
    await manager.closeAll()
  })
})

describe('TLS failures, each with its code and an actionable sentence', () => {
  it('names the CA a broker chain ends in when the profile does not trust it (TLS_UNKNOWN_CA)', async () => {
    const { manager } = recordingManager()
    const err = await rejectsWith(manager.connect(tlsProfile('server', { ca: [{ name: 'other.crt', pem: pki.untrusted.root.cert.pem }], useSystemRoots: false }), {}), 'TLS_UNKNOWN_CA')
    expect(err.message).toContain('MQTTS Explorer Test Root CA')
  })

  it('tells a broker that omits its intermediate apart from an unknown CA (TLS_CHAIN_INCOMPLETE)', async () => {
    const { manager } = recordingManager()
    const err = await rejectsWith(manager.connect(tlsProfile('leafOnly'), {}), 'TLS_CHAIN_INCOMPLETE')
    expect(err.message).toContain('MQTTS Explorer Test Intermediate CA')
  })

  it('reports a self-signed broker certificate (TLS_SELF_SIGNED)', async () => {
    const { manager } = recordingManager()
    await rejectsWith(manager.connect(tlsProfile('selfSigned'), {}), 'TLS_SELF_SIGNED')
  })

  it('lists the names the certificate is valid for on a host name mismatch (TLS_HOSTNAME_MISMATCH)', async () => {
    const { manager } = recordingManager()
    const err = await rejectsWith(manager.connect(tlsProfile('wrongHost'), {}), 'TLS_HOSTNAME_MISMATCH')
    expect(err.message).toContain('wrong.example.test')
    expect(err.message).toContain('127.0.0.1')
    expect(err.message).toMatch(/server name/i)
  })

  it('gives the expiry date of an expired certificate (TLS_CERT_EXPIRED)', async () => {
    const { manager } = recordingManager()
    const err = await rejectsWith(manager.connect(tlsProfile('expired'), {}), 'TLS_CERT_EXPIRED')
    const validTo = new Date(pki.expired.issued.cert.validTo).toISOString().slice(0, 10)
    expect(err.message).toContain(validTo)
  })

  it('gives the start date of a not-yet-valid certificate (TLS_CERT_NOT_YET_VALID)', async () => {
    const { manager } = recordingManager()
    const err = await rejectsWith(manager.connect(tlsProfile('notYetValid'), {}), 'TLS_CERT_NOT_YET_VALID')
    const validFrom = new Date(pki.notYetValid.issued.cert.validFrom).toISOString().slice(0, 10)
    expect(err.message).toContain(validFrom)
  })

  // With TLS 1.3 the broker's verdict on our certificate arrives after our handshake is done,
  // with the first read; with TLS 1.2 it arrives during the handshake. Both must classify.
  it.each(['TLSv1.3', 'TLSv1.2'] as const)('says a client certificate is required when none was sent (%s)', async (maxVersion) => {
    const { manager } = recordingManager()
    await rejectsWith(manager.connect(tlsProfile('mutual', trustRoot({ maxVersion })), {}), 'TLS_CLIENT_CERT_REQUIRED')
  })

  it.each(['TLSv1.3', 'TLSv1.2'] as const)('says the client certificate was rejected when the broker does not trust it (%s)', async (maxVersion) => {
    const { manager } = recordingManager()
    const profile = tlsProfile('mutual', trustRoot({ maxVersion, clientCert: { name: 'intruder.crt', pem: intruder.certPem } }))
    await rejectsWith(manager.connect(profile, { keyPem: intruder.keyPem }), 'TLS_CLIENT_CERT_REJECTED')
  })

  it('reports a TLS version both sides do not share (TLS_VERSION_MISMATCH)', async () => {
    const { manager } = recordingManager()
    await rejectsWith(manager.connect(tlsProfile('tls13only', trustRoot({ maxVersion: 'TLSv1.2' })), {}), 'TLS_VERSION_MISMATCH')
  })

  it('reports TLS spoken to a plain port as a handshake failure that suggests mqtt://', async () => {
    const plain = await startMosquitto({ listeners: [{}] })
    try {
      const { manager } = recordingManager()
      const profile = testProfile({ scheme: 'mqtts', port: plain.port, tls: trustRoot() as TlsSettings, connectTimeoutMs: 5000 })
      const err = await rejectsWith(manager.connect(profile, {}), 'TLS_HANDSHAKE_FAILED')
      expect(err.message).toContain('mqtt://')
    } finally {
      await plain.stop()
    }
  })
})

describe('client identity problems found before connecting', () => {
  it('rejects a wrong key passphrase (TLS_KEY_PASSPHRASE)', async () => {
    const { manager } = recordingManager()
    await rejectsWith(manager.connect(tlsProfile('mutual', clientPem()), { keyPem: pki.client.encryptedKey.pem, keyPassphrase: 'not it' }), 'TLS_KEY_PASSPHRASE')
    await rejectsWith(manager.connect(tlsProfile('mutual', clientPem()), { keyPem: pki.client.encryptedKey.pem }), 'TLS_KEY_PASSPHRASE')
  })

  it('rejects malformed PEM as a CA or client certificate (TLS_BAD_PEM)', async () => {
    const { manager } = recordingManager()
    await rejectsWith(manager.connect(tlsProfile('server', { ca: [{ name: 'bad.pem', pem: pki.badPem.pem }], useSystemRoots: false }), {}), 'TLS_BAD_PEM')
    await rejectsWith(manager.connect(tlsProfile('mutual', trustRoot({ clientCert: { name: 'bad.pem', pem: pki.badPem.pem } })), { keyPem: pki.client.key.pem }), 'TLS_BAD_PEM')
    await rejectsWith(manager.connect(tlsProfile('mutual', clientPem()), { keyPem: 'not a key' }), 'TLS_BAD_PEM')
  })

  it('rejects a malformed PKCS#12 bundle (TLS_BAD_PKCS12) and a wrong PKCS#12 passphrase (TLS_KEY_PASSPHRASE)', async () => {
    const { manager } = recordingManager()
    const garbage = Buffer.from('this is not a PKCS#12 file at all').toString('base64')
    await rejectsWith(manager.connect(tlsProfile('mutual'), { pkcs12Base64: garbage, pkcs12Passphrase: 'x' }), 'TLS_BAD_PKCS12')
    await rejectsWith(manager.connect(tlsProfile('mutual'), { pkcs12Base64: pki.client.p12.base64, pkcs12Passphrase: 'wrong' }), 'TLS_KEY_PASSPHRASE')
  })

  it('rejects a key that does not belong to the certificate (TLS_KEY_MISMATCH)', async () => {
    const { manager } = recordingManager()
    await rejectsWith(manager.connect(tlsProfile('mutual', clientPem()), { keyPem: pki.server.key.pem }), 'TLS_KEY_MISMATCH')
  })
})
