import { createPrivateKey, X509Certificate } from 'node:crypto'
import { once } from 'node:events'
import { existsSync, statSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import * as tls from 'node:tls'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateTestPki, TEST_PASSPHRASES, type TestLeaf, type TestPki } from '../fixtures/pki'

let pki: TestPki

beforeAll(async () => {
  pki = await generateTestPki()
})

afterAll(async () => {
  await pki?.cleanup()
})

interface Outcome {
  authorized: boolean
  error?: string
  /** Subject CN of the client certificate the server saw. */
  peerClient?: string
}

/** A real handshake on 127.0.0.1: server presents `leaf`, optionally requiring a client cert. */
async function handshake(leaf: TestLeaf, client: tls.ConnectionOptions, requireClientCert = false): Promise<Outcome> {
  let peerClient: string | undefined
  const srv = tls.createServer(
    { key: leaf.key.pem, cert: leaf.chain.pem, ca: requireClientCert ? pki.root.cert.pem : undefined, requestCert: requireClientCert, rejectUnauthorized: requireClientCert },
    (s) => {
      peerClient = String(s.getPeerCertificate().subject?.CN)
      s.end('hi')
    },
  )
  srv.on('tlsClientError', () => {})
  srv.listen(0, '127.0.0.1')
  await once(srv, 'listening')
  try {
    const port = (srv.address() as AddressInfo).port
    return await new Promise<Outcome>((resolve) => {
      const sock = tls.connect({ host: '127.0.0.1', port, servername: 'localhost', rejectUnauthorized: false, ...client }, () => {
        const authorized = sock.authorized
        const error = sock.authorizationError ? String(sock.authorizationError) : undefined
        // Wait for the server's bytes: in TLS 1.3 a rejected client cert only shows up after the handshake.
        sock.once('data', () => {
          resolve({ authorized, error, peerClient })
          sock.destroy()
        })
      })
      sock.on('error', (err) => resolve({ authorized: false, error: (err as NodeJS.ErrnoException).code ?? err.message }))
    })
  } finally {
    srv.close()
  }
}

describe('test PKI fixture', () => {
  it('writes every item to disk with keys readable only by the owner', () => {
    for (const leaf of [pki.server, pki.client, pki.wrongHost, pki.expired, pki.notYetValid, pki.selfSigned, pki.untrusted.server, pki.rotation.server]) {
      expect(existsSync(leaf.cert.path)).toBe(true)
      expect(statSync(leaf.key.path).mode & 0o077).toBe(0)
    }
    expect(statSync(pki.client.p12.path).mode & 0o077).toBe(0)
    expect(pki.server.chain.pem.match(/BEGIN CERTIFICATE/g)).toHaveLength(2)
    expect(pki.caBundle.pem.match(/BEGIN CERTIFICATE/g)).toHaveLength(2)
  })

  it('serves localhost and 127.0.0.1 with a chain the root alone verifies', async () => {
    expect(await handshake(pki.server, { ca: pki.root.cert.pem })).toMatchObject({ authorized: true, error: undefined })
    const byIp = new X509Certificate(pki.server.cert.pem)
    expect(byIp.checkIP('127.0.0.1')).toBe('127.0.0.1')
  })

  it('produces each broken server certificate with the error OpenSSL gives for it', async () => {
    const ca = pki.root.cert.pem
    expect(await handshake(pki.expired, { ca })).toMatchObject({ error: 'CERT_HAS_EXPIRED' })
    expect(await handshake(pki.notYetValid, { ca })).toMatchObject({ error: 'CERT_NOT_YET_VALID' })
    expect(await handshake(pki.untrusted.server, { ca })).toMatchObject({ error: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' })
    expect(await handshake(pki.selfSigned, { ca })).toMatchObject({ error: 'DEPTH_ZERO_SELF_SIGNED_CERT' })
    expect(await handshake(pki.wrongHost, { ca, rejectUnauthorized: true })).toMatchObject({ error: 'ERR_TLS_CERT_ALTNAME_INVALID' })
    expect(await handshake(pki.rotation.server, { ca })).toMatchObject({ authorized: false })
    expect(await handshake(pki.rotation.server, { ca: [ca, pki.rotation.root.cert.pem] })).toMatchObject({ authorized: true })
  })

  it('gives a client identity the server accepts as PEM, encrypted PEM and both PKCS#12 forms', async () => {
    const ca = pki.root.cert.pem
    const plain = await handshake(pki.server, { ca, cert: pki.client.chain.pem, key: pki.client.key.pem }, true)
    expect(plain).toMatchObject({ authorized: true, peerClient: 'test-client' })

    const encrypted = await handshake(pki.server, { ca, cert: pki.client.chain.pem, key: pki.client.encryptedKey.pem, passphrase: TEST_PASSPHRASES.clientKey }, true)
    expect(encrypted).toMatchObject({ authorized: true, peerClient: 'test-client' })

    for (const p12 of [pki.client.p12, pki.client.p12Legacy]) {
      const viaPfx = await handshake(pki.server, { ca, pfx: p12.der, passphrase: TEST_PASSPHRASES.pkcs12 }, true)
      expect(viaPfx).toMatchObject({ authorized: true, peerClient: 'test-client' })
    }
  })

  it('protects the encrypted key and the PKCS#12 with their passphrases', () => {
    expect(pki.client.encryptedKey.pem).toContain('BEGIN ENCRYPTED PRIVATE KEY')
    expect(() => createPrivateKey({ key: pki.client.encryptedKey.pem, passphrase: 'wrong' })).toThrow()
    expect(createPrivateKey({ key: pki.client.encryptedKey.pem, passphrase: TEST_PASSPHRASES.clientKey }).asymmetricKeyType).toBe('ec')
    expect(() => tls.createSecureContext({ pfx: pki.client.p12.der, passphrase: 'wrong' })).toThrow(/mac verify failure/i)
  })

  it('includes a PEM file that no parser accepts', () => {
    expect(() => new X509Certificate(pki.badPem.pem)).toThrow()
  })
})
