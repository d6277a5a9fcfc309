/**
 * The probe against real listeners: versions, ALPN, client-certificate requests and the chain
 * exactly as served, compared with what openssl s_client reports for the same port.
 */
import { readFileSync } from 'node:fs'
import tls from 'node:tls'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TlsProbeParams, type ProbeProgress } from '../../electron/api/tls'
import { probeTls } from '../../electron/core/tls/probe'
import { startMosquitto, type MosquittoBroker } from '../fixtures/mosquitto'
import { generateTestPki, type TestPki } from '../fixtures/pki'
import { cnOf, sClient, startMosquittoTls12Only } from './tls-peers'

let pki: TestPki
let broker: MosquittoBroker
let broker12: MosquittoBroker

beforeAll(async () => {
  pki = await generateTestPki()
  const tlsOf = { cafile: pki.caBundle.path, certfile: pki.server.chain.path, keyfile: pki.server.key.path }
  broker = await startMosquitto({
    listeners: [
      { name: 'tls13', tls: { ...tlsOf, tlsVersion: 'tlsv1.3' } },
      { name: 'mtls', tls: { ...tlsOf, requireCertificate: true } },
      { name: 'noIntermediate', tls: { cafile: pki.root.cert.path, certfile: pki.server.cert.path, keyfile: pki.server.key.path } },
    ],
  })
  broker12 = await startMosquittoTls12Only({ listeners: [{ name: 'tls12', tls: tlsOf }, { name: 'mtls12', tls: { ...tlsOf, requireCertificate: true } }] })
})
afterAll(async () => {
  await broker?.stop()
  await broker12?.stop()
  await pki?.cleanup()
})

const params = (port: number, extra: Partial<TlsProbeParams> = {}) => TlsProbeParams.parse({ host: '127.0.0.1', port, servername: 'localhost', ca: [pki.root.cert.pem], alpn: ['mqtt'], ...extra })
const accepted = (r: Awaited<ReturnType<typeof probeTls>>) => Object.fromEntries(r.versions.map((v) => [v.version, v.accepted]))

describe('TLS probe', () => {
  it('finds the versions a broker accepts and the chain it serves, reporting progress', async () => {
    const progress: Array<Omit<ProbeProgress, 'probeId'>> = []
    const [r12, r13] = [await probeTls(params(broker12.ports.tls12), (p) => progress.push(p)), await probeTls(params(broker.ports.tls13))]
    expect(accepted(r12)).toEqual({ 'TLSv1.2': true, 'TLSv1.3': false })
    expect(accepted(r13)).toEqual({ 'TLSv1.2': false, 'TLSv1.3': true })
    expect(r12.requestsClientCert).toBe(false)
    expect(r13.requestsClientCert).toBe(false)
    expect(progress.map((p) => p.step)).toEqual(['versions', 'versions', 'alpn', 'client-cert', 'chain', 'chain'])
    expect(progress.map((p) => p.fraction)).toEqual([...progress.map((p) => p.fraction)].sort((a, b) => a - b))
    expect(progress.at(-1)!.fraction).toBe(1)

    // TLS 1.3 sends its certificates encrypted: reading them proves the decoder and the key log agree.
    for (const [r, port] of [[r12, broker12.ports.tls12], [r13, broker.ports.tls13]] as const) {
      const peer = await sClient(port, { servername: 'localhost', caFile: pki.root.cert.path })
      const sent = r.chain!.entries.filter((e) => e.source === 'broker').map((e) => cnOf(e.subject))
      expect(sent).toEqual(peer.sentSubjects.map(cnOf))
      expect(r.chain!.entries.map((e) => [e.source, e.sourceCertain])).toEqual([['broker', true], ['broker', true], ['trust-store', true]])
      expect(r.verdict).toMatchObject({ trusted: peer.verifyCode === 0 })
    }
  })

  it('detects a CertificateRequest in TLS 1.3 (encrypted) and TLS 1.2 (in the clear)', async () => {
    const r13 = await probeTls(params(broker.ports.mtls))
    const r12 = await probeTls(params(broker12.ports.mtls12))
    expect(r13.requestsClientCert).toBe(true)
    expect(r12.requestsClientCert).toBe(true)
    // Refusing us for lack of a certificate still means the version was accepted.
    expect(accepted(r12)).toEqual({ 'TLSv1.2': true, 'TLSv1.3': false })
    expect(accepted(r13)).toEqual({ 'TLSv1.2': true, 'TLSv1.3': true })
  })

  it('shows a chain without its intermediate as served, with certain sources', async () => {
    const r = await probeTls(params(broker.ports.noIntermediate))
    expect(r.chain!.entries.map((e) => [cnOf(e.subject), e.source, e.sourceCertain])).toEqual([['localhost', 'broker', true]])
    expect(r.chain!.breaks.map((b) => b.kind)).toEqual(['missing-intermediate'])
    expect(r.verdict).toMatchObject({ trusted: false, chainError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' })
  })

  it('finds which ALPN protocols the endpoint accepts', async () => {
    const server = tls.createServer({ key: readFileSync(pki.server.key.path), cert: readFileSync(pki.server.chain.path), ALPNProtocols: ['x-amzn-mqtt-ca', 'mqtt'] }, (s) => s.end())
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const port = (server.address() as { port: number }).port
      const r = await probeTls(params(port, { alpn: ['mqtt', 'x-amzn-mqtt-ca', 'http/1.1'] }))
      expect(r.alpn).toEqual([
        { protocol: 'mqtt', accepted: true },
        { protocol: 'x-amzn-mqtt-ca', accepted: true },
        { protocol: 'http/1.1', accepted: false },
      ])
    } finally {
      server.close()
    }
  })

  it('reports an endpoint that does not answer within the step time as refusing every version', async () => {
    const silent = (await import('node:net')).createServer(() => undefined)
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    try {
      const port = (silent.address() as { port: number }).port
      const r = await probeTls(params(port, { alpn: [], stepTimeoutMs: 500 }))
      expect(r.versions.every((v) => !v.accepted && /no answer within 500 ms/.test(v.error ?? ''))).toBe(true)
      expect(r.chain).toBeNull()
      expect(r.errors.length).toBe(1)
    } finally {
      silent.close()
    }
  })
})
