/**
 * The TLS session inspector against real mosquitto listeners, each compared with what
 * `openssl s_client` (a peer we did not write) reports for the same port in the same test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateTestPki, type TestPki } from '../fixtures/pki'
import { startMosquitto, type MosquittoBroker } from '../fixtures/mosquitto'
import { chainToPem } from '../../electron/core/tls/chain-report'
import { cnOf, connectCaptured, sClient, startMosquittoTls12Only, type SClientResult } from './tls-peers'
import type { TlsSessionReport } from '../../electron/api/tls'

let pki: TestPki
let broker: MosquittoBroker
let broker12: MosquittoBroker

beforeAll(async () => {
  pki = await generateTestPki()
  const tlsFor = (leaf: { chain: { path: string }; key: { path: string } }) => ({ cafile: pki.caBundle.path, certfile: leaf.chain.path, keyfile: leaf.key.path })
  broker = await startMosquitto({
    listeners: [
      { name: 'tls13', tls: { ...tlsFor(pki.server), tlsVersion: 'tlsv1.3' } },
      { name: 'mtls', tls: { ...tlsFor(pki.server), requireCertificate: true } },
      { name: 'wrongHost', tls: tlsFor(pki.wrongHost) },
      { name: 'expired', tls: tlsFor(pki.expired) },
      // The server's own certificate only. Its cafile must not hold the intermediate either:
      // OpenSSL would otherwise build and send the chain from it on its own.
      { name: 'noIntermediate', tls: { cafile: pki.root.cert.path, certfile: pki.server.cert.path, keyfile: pki.server.key.path } },
    ],
  })
  broker12 = await startMosquittoTls12Only({ listeners: [{ name: 'tls12', tls: tlsFor(pki.server) }] })
})

afterAll(async () => {
  await broker?.stop()
  await broker12?.stop()
  await pki?.cleanup()
})

/** Our report must agree with s_client on protocol, cipher, the certificates the broker sent, and the verdict. */
function expectAgreement(report: TlsSessionReport, peer: SClientResult) {
  expect(peer.protocol, peer.output).not.toBeNull()
  expect(report.protocol).toBe(peer.protocol)
  expect(report.cipher?.openssl).toBe(peer.cipher)
  const sentByBroker = report.chain!.entries.filter((e) => e.source === 'broker').map((e) => cnOf(e.subject))
  expect(sentByBroker).toEqual(peer.sentSubjects.map(cnOf))
  // s_client: 0 = ok; anything else is a failed verification, which our verdict must also say.
  expect(report.verdict!.trusted).toBe(peer.verifyCode === 0)
}

describe('TLS session inspector', () => {
  it('reports a TLS 1.2-only broker as s_client sees it', async () => {
    const port = broker12.ports.tls12
    const [{ report, socket }, peer] = await Promise.all([connectCaptured(port, { ca: [pki.root.cert.pem] }), sClient(port, { servername: 'localhost', caFile: pki.root.cert.path })])
    socket.destroy()
    expectAgreement(report, peer)
    expect(report.protocol).toBe('TLSv1.2')
    expect(report.cipher!.iana).toMatch(/^TLS_ECDHE_ECDSA_WITH_/)
    expect(report.keyExchangeGroup).toBeTruthy()
    expect(report.sniSent).toBe('localhost')
    expect(report.sessionResumed).toBe(false)
    expect(report.verdict).toMatchObject({ trusted: true, chainOk: true, hostnameOk: true, checkedName: 'localhost' })
    expect(report.diagnosis).toBeNull()
    expect(report.ocsp).toEqual({ requested: true, stapled: false })
    expect(report.timings.tcpConnectMs).not.toBeNull()
    expect(report.timings.tlsHandshakeMs).not.toBeNull()
    // leaf and intermediate came from the broker, the root from our trust anchors.
    expect(report.chain!.entries.map((e) => [cnOf(e.subject), e.source, e.sourceCertain])).toEqual([
      ['localhost', 'broker', true],
      ['MQTTS Explorer Test Intermediate CA', 'broker', true],
      ['MQTTS Explorer Test Root CA', 'trust-store', false],
    ])
    expect(report.chain!.breaks).toEqual([])
    expect(report.chain!.entries[0]).toMatchObject({ sans: ['localhost', '127.0.0.1'], keyType: 'EC', keySize: 256, signatureAlgorithm: 'ecdsa-with-SHA256', sha256: pki.server.issued.cert.fingerprint256 })
    expect(chainToPem(report.chain!)).toContain(pki.intermediate.cert.pem.trim())
    expect(JSON.parse(JSON.stringify(report))).toEqual(report)
  })

  it('reports a TLS 1.3-only broker as s_client sees it, and a client capped at 1.2 fails with a version diagnosis', async () => {
    const port = broker.ports.tls13
    const [{ report, socket }, peer] = await Promise.all([connectCaptured(port, { ca: [pki.root.cert.pem] }), sClient(port, { servername: 'localhost', caFile: pki.root.cert.path })])
    socket.destroy()
    expectAgreement(report, peer)
    expect(report.protocol).toBe('TLSv1.3')
    expect(report.cipher!.iana).toBe(report.cipher!.openssl)

    const capped = await connectCaptured(port, { ca: [pki.root.cert.pem], maxVersion: 'TLSv1.2' })
    expect(capped.report.error).not.toBeNull()
    expect(capped.report.diagnosis).toMatchObject({ kind: 'version-mismatch', code: 'TLS_VERSION_MISMATCH' })
  })

  it('shows the client certificate presented to a mutual-TLS broker, and diagnoses its absence', async () => {
    const port = broker.ports.mtls
    const [{ report, socket }, peer] = await Promise.all([
      connectCaptured(port, { ca: [pki.root.cert.pem], cert: pki.client.chain.pem, key: pki.client.key.pem }),
      sClient(port, { servername: 'localhost', caFile: pki.root.cert.path, cert: pki.client.cert.path, key: pki.client.key.path }),
    ])
    socket.destroy()
    expectAgreement(report, peer)
    expect(report.clientCertificate).toMatchObject({ subject: 'CN=test-client, O=MQTTS Explorer Tests', sha256: pki.client.issued.cert.fingerprint256 })

    // TLS 1.2 refuses during the handshake…
    const without12 = await connectCaptured(port, { ca: [pki.root.cert.pem], maxVersion: 'TLSv1.2' })
    expect(without12.report.clientCertificate).toBeNull()
    expect(without12.report.diagnosis).toMatchObject({ kind: 'client-cert-required', code: 'TLS_CLIENT_CERT_REQUIRED' })
    // …TLS 1.3 lets the client finish and sends its alert afterwards: the report is updated.
    const without13 = await connectCaptured(port, { ca: [pki.root.cert.pem], minVersion: 'TLSv1.3' })
    await new Promise((resolve) => without13.socket.once('close', resolve))
    expect(without13.capture.report()!.diagnosis).toMatchObject({ kind: 'client-cert-required', code: 'TLS_CLIENT_CERT_REQUIRED' })
  })

  it('finds the host name mismatch s_client finds, and lists the names the certificate is valid for', async () => {
    const port = broker.ports.wrongHost
    const [{ report, socket }, peer] = await Promise.all([connectCaptured(port, { ca: [pki.root.cert.pem] }), sClient(port, { servername: 'localhost', caFile: pki.root.cert.path })])
    socket.destroy()
    expectAgreement(report, peer)
    expect(peer.verifyText).toBe('hostname mismatch')
    expect(report.verdict).toMatchObject({ trusted: false, chainOk: true, hostnameOk: false, hostnameError: 'ERR_TLS_CERT_ALTNAME_INVALID' })
    expect(report.chain!.breaks.map((b) => b.kind)).toEqual(['name-mismatch'])
    expect(report.diagnosis).toMatchObject({ kind: 'hostname-mismatch', code: 'TLS_HOSTNAME_MISMATCH', facts: { validNames: ['wrong.example.test'], checkedName: 'localhost' } })
    expect(report.diagnosis!.fix).toMatch(/server name/)
  })

  it('finds the expired certificate s_client finds', async () => {
    const port = broker.ports.expired
    const [{ report, socket }, peer] = await Promise.all([connectCaptured(port, { ca: [pki.root.cert.pem] }), sClient(port, { servername: 'localhost', caFile: pki.root.cert.path })])
    socket.destroy()
    expectAgreement(report, peer)
    expect(peer.verifyCode).toBe(10)
    expect(report.verdict!.chainError).toBe('CERT_HAS_EXPIRED')
    expect(report.chain!.entries[0].validity).toBe('expired')
    expect(report.chain!.entries[0].daysLeft).toBeLessThan(0)
    expect(report.diagnosis).toMatchObject({ kind: 'expired', code: 'TLS_CERT_EXPIRED', title: "The broker's certificate has expired" })
  })

  it('tells a missing intermediate from a trusted chain, like s_client', async () => {
    const port = broker.ports.noIntermediate
    const [{ report, socket }, peer] = await Promise.all([connectCaptured(port, { ca: [pki.root.cert.pem] }), sClient(port, { servername: 'localhost', caFile: pki.root.cert.path })])
    socket.destroy()
    expectAgreement(report, peer)
    expect(peer.verifyCode).toBe(21)
    expect(report.verdict!.chainError).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE')
    expect(report.chain!.entries).toHaveLength(1)
    expect(report.chain!.breaks).toEqual([expect.objectContaining({ kind: 'missing-intermediate', position: 0 })])
    expect(report.diagnosis).toMatchObject({ kind: 'unknown-ca-missing-intermediate', code: 'TLS_CHAIN_INCOMPLETE', facts: { missingIssuer: 'CN=MQTTS Explorer Test Intermediate CA, O=MQTTS Explorer Tests' } })

    // With the intermediate among the trusted CAs the chain completes from the local store.
    const local = await connectCaptured(port, { ca: [pki.caBundle.pem] })
    local.socket.destroy()
    expect(local.report.verdict!.trusted).toBe(true)
    expect(local.report.chain!.entries.map((e) => e.source)).toEqual(['broker', 'trust-store', 'trust-store'])
  })

  it('enforces the verdict itself when asked, before anything is written', async () => {
    const { report, socket } = await connectCaptured(broker.ports.wrongHost, { ca: [pki.root.cert.pem], writeFirst: Buffer.from('must not be sent') }, { enforceVerification: true })
    expect(socket.destroyed).toBe(true)
    expect(report.error).toMatchObject({ code: 'TLS_HOSTNAME_MISMATCH' })
  })
})
