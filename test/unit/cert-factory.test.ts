import { createPrivateKey, type X509Certificate } from 'node:crypto'
import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import * as tls from 'node:tls'
import { describe, expect, it } from 'vitest'
import {
  createRootCa,
  createSelfSignedCert,
  issueClientCert,
  issueIntermediate,
  issueServerCert,
  pemBundle,
  type IssuedCertificate,
} from '../fixtures/cert-factory'
// Imported after cert-factory, which loads the Reflect polyfill the library needs.
import * as x509 from '@peculiar/x509'

const SERVER_AUTH = '1.3.6.1.5.5.7.3.1'
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2'

/** Does a real TLS handshake on 127.0.0.1 and reports what the client concluded. */
async function handshake(server: IssuedCertificate, chain: string, clientOpts: tls.ConnectionOptions): Promise<{ authorized: boolean; error?: string }> {
  const srv = tls.createServer({ key: server.keyPem, cert: chain }, (s) => s.end())
  srv.on('tlsClientError', () => {})
  srv.listen(0, '127.0.0.1')
  await once(srv, 'listening')
  try {
    const port = (srv.address() as AddressInfo).port
    return await new Promise((resolve) => {
      const sock = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false, ...clientOpts }, () => {
        resolve({ authorized: sock.authorized, error: sock.authorizationError ? String(sock.authorizationError) : undefined })
        sock.destroy()
      })
      sock.on('error', (err) => resolve({ authorized: false, error: (err as NodeJS.ErrnoException).code ?? err.message }))
    })
  } finally {
    srv.close()
  }
}

function ski(cert: X509Certificate): string | undefined {
  return new x509.X509Certificate(cert.raw).getExtension(x509.SubjectKeyIdentifierExtension)?.keyId
}

function aki(cert: X509Certificate): string | undefined {
  return new x509.X509Certificate(cert.raw).getExtension(x509.AuthorityKeyIdentifierExtension)?.keyId
}

describe('cert-factory', () => {
  it('issues a root → intermediate → server chain that node:crypto verifies link by link', async () => {
    const root = await createRootCa({ commonName: 'Test Root', organization: 'MQTTS Explorer tests' })
    const inter = await issueIntermediate(root, { commonName: 'Test Intermediate', pathLength: 0 })
    const server = await issueServerCert(inter, { commonName: 'localhost', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] })

    expect(root.cert.checkIssued(root.cert)).toBe(true)
    expect(root.cert.verify(root.cert.publicKey)).toBe(true)
    expect(inter.cert.checkIssued(root.cert)).toBe(true)
    expect(inter.cert.verify(root.cert.publicKey)).toBe(true)
    expect(server.cert.checkIssued(inter.cert)).toBe(true)
    expect(server.cert.verify(inter.cert.publicKey)).toBe(true)
    // Signed by the intermediate, not by the root.
    expect(server.cert.verify(root.cert.publicKey)).toBe(false)
    expect(server.cert.checkIssued(root.cert)).toBe(false)

    expect(root.cert.ca).toBe(true)
    expect(inter.cert.ca).toBe(true)
    expect(server.cert.ca).toBe(false)
    expect(root.cert.subject).toContain('CN=Test Root')
    expect(root.cert.subject).toContain('O=MQTTS Explorer tests')
    expect(server.cert.issuer).toBe(inter.cert.subject)
  })

  it('links each certificate to its issuer through SKI/AKI', async () => {
    const root = await createRootCa({ commonName: 'Key Id Root' })
    const inter = await issueIntermediate(root, { commonName: 'Key Id Intermediate' })
    const client = await issueClientCert(inter, { commonName: 'device-1' })
    expect(ski(root.cert)).toMatch(/^[0-9a-f]{40}$/)
    expect(aki(inter.cert)).toBe(ski(root.cert))
    expect(aki(client.cert)).toBe(ski(inter.cert))
    expect(ski(client.cert)).not.toBe(ski(inter.cert))
  })

  it('puts DNS and IP SANs and the right extended key usage on leaves', async () => {
    const root = await createRootCa({ commonName: 'SAN Root' })
    const server = await issueServerCert(root, { commonName: 'broker', dnsNames: ['localhost', 'broker.example.test'], ipAddresses: ['127.0.0.1', '::1'] })
    const client = await issueClientCert(root, { commonName: 'sensor-7', emails: ['ops@example.test'] })

    expect(server.cert.subjectAltName).toContain('DNS:localhost')
    expect(server.cert.subjectAltName).toContain('DNS:broker.example.test')
    expect(server.cert.subjectAltName).toContain('IP Address:127.0.0.1')
    expect(server.cert.checkHost('localhost')).toBe('localhost')
    expect(server.cert.checkIP('127.0.0.1')).toBe('127.0.0.1')
    expect(server.cert.checkHost('wrong.example.test')).toBeUndefined()
    expect(server.cert.keyUsage).toEqual([SERVER_AUTH])

    expect(client.cert.keyUsage).toEqual([CLIENT_AUTH])
    expect(client.cert.subjectAltName).toContain('email:ops@example.test')
    expect(client.cert.subject).toContain('CN=sensor-7')
  })

  it('keeps arbitrary validity dates, including already expired and not yet valid ones', async () => {
    const root = await createRootCa({ commonName: 'Dates Root' })
    const expired = await issueServerCert(root, {
      commonName: 'localhost',
      dnsNames: ['localhost'],
      notBefore: new Date('2020-01-01T00:00:00Z'),
      notAfter: new Date('2021-01-01T00:00:00Z'),
    })
    const future = await issueServerCert(root, {
      commonName: 'localhost',
      dnsNames: ['localhost'],
      notBefore: new Date('2099-01-01T00:00:00Z'),
      notAfter: new Date('2100-01-01T00:00:00Z'),
    })
    expect(new Date(expired.cert.validFrom).toISOString()).toBe('2020-01-01T00:00:00.000Z')
    expect(new Date(expired.cert.validTo).toISOString()).toBe('2021-01-01T00:00:00.000Z')
    expect(new Date(future.cert.validFrom).toISOString()).toBe('2099-01-01T00:00:00.000Z')
    // Default validity starts slightly in the past so a fresh certificate is valid right away.
    expect(new Date(root.cert.validFrom).getTime()).toBeLessThan(Date.now())
    expect(new Date(root.cert.validTo).getTime()).toBeGreaterThan(Date.now())

    expect(await handshake(expired, expired.certPem, { ca: root.certPem, servername: 'localhost' })).toMatchObject({ authorized: false, error: 'CERT_HAS_EXPIRED' })
    expect(await handshake(future, future.certPem, { ca: root.certPem, servername: 'localhost' })).toMatchObject({ authorized: false, error: 'CERT_NOT_YET_VALID' })
  })

  it('returns a PKCS#8 private key that belongs to the certificate', async () => {
    const root = await createRootCa({ commonName: 'Key Root' })
    const server = await issueServerCert(root, { commonName: 'localhost', dnsNames: ['localhost'] })
    expect(server.keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/)
    expect(server.certPem).toMatch(/^-----BEGIN CERTIFICATE-----\n[\s\S]+-----END CERTIFICATE-----\n$/)
    expect(server.cert.checkPrivateKey(createPrivateKey(server.keyPem))).toBe(true)
    expect(server.cert.checkPrivateKey(createPrivateKey(root.keyPem))).toBe(false)
    expect(server.cert.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1')
  })

  it('issues RSA 2048 certificates on request and signs with a CA key loaded as PKCS#1', async () => {
    const root = await createRootCa({ commonName: 'RSA Root', keyAlgorithm: 'rsa-2048' })
    expect(root.cert.publicKey.asymmetricKeyType).toBe('rsa')
    expect(root.cert.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048)
    const pkcs1 = createPrivateKey(root.keyPem).export({ type: 'pkcs1', format: 'pem' }).toString()
    const server = await issueServerCert({ certPem: root.certPem, keyPem: pkcs1 }, { commonName: 'localhost', dnsNames: ['localhost'] })
    expect(server.cert.verify(root.cert.publicKey)).toBe(true)
    expect(server.cert.publicKey.asymmetricKeyType).toBe('ec')
  })

  it('serves a chain that a TLS client trusting only the root accepts for the right host only', async () => {
    const root = await createRootCa({ commonName: 'TLS Root' })
    const inter = await issueIntermediate(root, { commonName: 'TLS Intermediate' })
    const server = await issueServerCert(inter, { commonName: 'localhost', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] })
    const chain = pemBundle(server, inter)

    expect(await handshake(server, chain, { ca: root.certPem, servername: 'localhost', rejectUnauthorized: true })).toEqual({ authorized: true, error: undefined })
    // Without the intermediate the client cannot build a path to the root.
    expect((await handshake(server, server.certPem, { ca: root.certPem, servername: 'localhost' })).authorized).toBe(false)
    // The chain verifies, but the name does not match: Node reports it as an error on connect.
    const wrongHost = await handshake(server, chain, { ca: root.certPem, servername: 'wrong.example.test', rejectUnauthorized: true })
    expect(wrongHost.error).toBe('ERR_TLS_CERT_ALTNAME_INVALID')
  })

  it('makes self-signed leaves that fail by default and work once pinned as the trust anchor', async () => {
    const self = await createSelfSignedCert({ commonName: 'localhost', dnsNames: ['localhost'] })
    expect(self.cert.ca).toBe(false)
    expect(self.cert.checkIssued(self.cert)).toBe(true)
    expect(self.cert.keyUsage).toEqual([SERVER_AUTH, CLIENT_AUTH])

    const untrusted = await handshake(self, self.certPem, { servername: 'localhost' })
    expect(untrusted).toMatchObject({ authorized: false, error: 'DEPTH_ZERO_SELF_SIGNED_CERT' })
    const pinned = await handshake(self, self.certPem, { ca: self.certPem, servername: 'localhost' })
    expect(pinned).toEqual({ authorized: true, error: undefined })
  })
})
