/**
 * The TLS inspector through the whole service (createService, as both shells run it) and the
 * real connection engine against mosquitto: the report of a mutual-TLS session agrees with
 * `openssl s_client`, the CONNACK shows what the broker's config says, a rotated certificate is
 * blocked by a pin until "trust the new one", and the key log follows its switch.
 */
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { X509Certificate } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ApiError, type EventName, type EventPayloads, type MethodName, type MethodParams, type MethodResult, type PinMismatchDetail, type ProfileSpecInput, type TlsSessionReport } from '../../electron/api'
import { createService, type Service } from '../../electron/core/service'
import { callService } from '../fixtures/service-call'
import { failureSentence } from '../../electron/core/tls/failure-model'
import { clientRandomOf } from '../../electron/core/tls/key-log'
import { freePort, startMosquitto } from '../fixtures/mosquitto'
import { generateTestPki, type TestPki } from '../fixtures/pki'
import { waitForLine, waitUntil } from '../fixtures/wait-for-line'
import { cnOf, sClient, startMosquittoTls12Only } from './tls-peers'

let pki: TestPki
let dir: string
let service: Service
const events: Array<{ name: EventName; payload: unknown }> = []

async function call<M extends MethodName>(method: M, params?: MethodParams<M>): Promise<MethodResult<M>> {
  return callService(service, method, params)
}

async function rejection(promise: Promise<unknown>): Promise<ApiError> {
  const err = await promise.then(() => null, (e: unknown) => e)
  expect(err).toBeInstanceOf(ApiError)
  return err as ApiError
}

/** Waits until the report carries the CONNACK and the history's verdict (both follow the connect by a moment). */
async function reportWithConnack(connectionId: string): Promise<TlsSessionReport> {
  return waitUntil(`a TLS report with a CONNACK and a history entry for ${connectionId}`, async () => {
    const report = await call('tls.report', { connectionId })
    return report?.connack && report.leafChange ? report : undefined
  })
}

/** Waits (with a deadline) for the inspector's report of a connection's latest attempt. */
async function eventuallyReport(connectionId: string): Promise<TlsSessionReport> {
  return waitUntil(`a TLS report for ${connectionId}`, async () => (await call('tls.report', { connectionId })) ?? undefined)
}

beforeAll(async () => {
  pki = await generateTestPki()
  dir = await mkdtemp(join(tmpdir(), 'mqtts-tls-service-'))
  service = await createService({
    dataDir: join(dir, 'data'),
    mode: 'browser',
    version: 'test',
    emit: <E extends EventName>(name: E, payload: EventPayloads[E]) => void events.push({ name, payload }),
  })
}, 60_000)

afterAll(async () => {
  await service?.close()
  await pki?.cleanup()
  await rm(dir, { recursive: true, force: true })
})

function spec(name: string, port: number, extra: Partial<ProfileSpecInput> = {}): ProfileSpecInput {
  return {
    name,
    scheme: 'mqtts',
    host: '127.0.0.1',
    port,
    subscriptions: [],
    reconnect: { enabled: false },
    ...extra,
    tls: { ca: [{ name: 'root.crt', pem: pki.root.cert.pem }], useSystemRoots: false, servername: 'localhost', ...extra.tls },
  }
}

describe('TLS inspector through the service', () => {
  it('reports a mutual-TLS session as s_client sees it, with timings and the CONNACK the broker config implies', async () => {
    const broker = await startMosquitto({
      listeners: [{ name: 'mtls', tls: { cafile: pki.caBundle.path, certfile: pki.server.chain.path, keyfile: pki.server.key.path, requireCertificate: true } }],
      extra: ['max_keepalive 30', 'max_qos 1', 'retain_available false'],
    })
    try {
      const profile = await call('profiles.create', { spec: spec('mtls', broker.port, { keepalive: 60, tls: { clientCert: { name: 'client.crt', pem: pki.client.chain.pem } } }) })
      const [state, peer] = await Promise.all([
        call('connections.connect', { profileId: profile.id, secrets: { keyPem: pki.client.key.pem } }),
        sClient(broker.port, { servername: 'localhost', caFile: pki.root.cert.path, cert: pki.client.cert.path, key: pki.client.key.path }),
      ])
      expect(state.status).toBe('connected')
      const report = await reportWithConnack(profile.id)

      expect(peer.protocol, peer.output).toBe('TLSv1.3')
      expect(report.protocol).toBe(peer.protocol)
      expect(report.cipher?.openssl).toBe(peer.cipher)
      expect(report.chain!.entries.filter((e) => e.source === 'broker').map((e) => cnOf(e.subject))).toEqual(peer.sentSubjects.map(cnOf))
      expect(peer.verifyCode).toBe(0)
      expect(report.verdict).toMatchObject({ trusted: true, enforced: true, checkedName: 'localhost' })
      expect(report.clientCertificate?.sha256).toBe(pki.client.issued.cert.fingerprint256)
      expect(report.sniSent).toBe('localhost')
      expect(report.ocsp.requested).toBe(true)
      expect(report.error).toBeNull()
      expect(report.timings.tcpConnectMs).not.toBeNull()
      expect(report.timings.tlsHandshakeMs).not.toBeNull()
      expect(report.timings.connackMs).not.toBeNull()
      expect(report.connack).toMatchObject({ protocolVersion: 5, sessionPresent: false, reasonCode: 0 })
      // What mosquitto.conf says, as MQTT 5 CONNACK properties.
      expect(report.connack!.properties).toMatchObject({ serverKeepAlive: 30, maximumQoS: 1, retainAvailable: false })
      expect(report.leafChange).toBe('first')
      expect(events.some((e) => e.name === 'tls.report' && (e.payload as TlsSessionReport).connectionId === profile.id)).toBe(true)

      const { pem } = await call('tls.exportChain', { connectionId: profile.id })
      expect(pem).toContain(pki.intermediate.cert.pem.trim())
      expect(await call('tls.attempts', { connectionId: profile.id })).toHaveLength(1)
      await call('connections.disconnect', { connectionId: profile.id })
    } finally {
      await broker.stop()
    }
  }, 60_000)

  it('calls a stopped broker BROKER_UNREACHABLE in the connection and the inspector alike, with no TLS time', async () => {
    const port = await freePort()
    const profile = await call('profiles.create', { spec: spec('stopped', port) })
    const err = await rejection(call('connections.connect', { profileId: profile.id }))
    expect(err.code).toBe('BROKER_UNREACHABLE')
    const state = (await call('connections.list')).find((s) => s.connectionId === profile.id)
    expect(state?.error?.code).toBe('BROKER_UNREACHABLE')

    const report = await eventuallyReport(profile.id)
    expect(report.error).toMatchObject({ code: 'BROKER_UNREACHABLE', message: err.message })
    expect(report.diagnosis).toMatchObject({ kind: 'broker-unreachable', code: 'BROKER_UNREACHABLE', phase: 'tcp' })
    expect(report.diagnosis!.explanation).toContain(`Nothing is listening on 127.0.0.1:${port}`)
    expect(report.diagnosis!.fix).not.toMatch(/probe/)
    // The attempt never reached TLS: no TLS (or TCP) time, no session facts.
    expect(report.timings).toMatchObject({ tcpConnectMs: null, tlsHandshakeMs: null, connackMs: null })
    expect(report.protocol).toBeNull()
    expect(report.chain).toBeNull()
    const attempts = await call('tls.attempts', { connectionId: profile.id })
    expect(attempts.map((a) => [a.error?.code, a.diagnosis?.phase])).toEqual([['BROKER_UNREACHABLE', 'tcp']])
    await call('connections.disconnect', { connectionId: profile.id })
  }, 60_000)

  it('calls a broker that shares no cipher suite a cipher mismatch in both, not a missing client certificate', async () => {
    // TLS 1.2 with Camellia only: Node offers none of it, so the broker alerts right after ClientHello.
    const broker = await startMosquittoTls12Only({ listeners: [{ tls: { cafile: pki.caBundle.path, certfile: pki.server.chain.path, keyfile: pki.server.key.path } }], extra: ['ciphers ECDHE-ECDSA-CAMELLIA128-SHA256'] })
    try {
      const profile = await call('profiles.create', { spec: spec('no common cipher', broker.port) })
      const err = await rejection(call('connections.connect', { profileId: profile.id }))
      const report = await eventuallyReport(profile.id)
      expect(report.diagnosis).toMatchObject({ kind: 'cipher-mismatch', code: 'TLS_HANDSHAKE_FAILED', phase: 'tls' })
      expect(err.code).toBe('TLS_HANDSHAKE_FAILED')
      expect(report.error).toMatchObject({ code: err.code, message: err.message })
      await call('connections.disconnect', { connectionId: profile.id })
    } finally {
      await broker.stop()
    }
  }, 60_000)

  it('keeps the report of a failed wrong-host attempt, with a diagnosis naming the certificate’s hosts', async () => {
    const broker = await startMosquitto({ listeners: [{ tls: { cafile: pki.caBundle.path, certfile: pki.wrongHost.chain.path, keyfile: pki.wrongHost.key.path } }] })
    try {
      const profile = await call('profiles.create', { spec: spec('wrong host', broker.port) })
      const err = await rejection(call('connections.connect', { profileId: profile.id }))
      expect(err.code).toBe('TLS_HOSTNAME_MISMATCH')
      const report = await call('tls.report', { connectionId: profile.id })
      expect(report?.verdict).toMatchObject({ trusted: false, hostnameOk: false })
      expect(report?.diagnosis).toMatchObject({ kind: 'hostname-mismatch', facts: { validNames: ['wrong.example.test'] } })
      expect(report?.diagnosis?.fix).toMatch(/server name/)
      // One failure model: the inspector says what the connection says.
      expect(report?.diagnosis?.code).toBe(err.code)
      expect(failureSentence(report!.diagnosis!)).toBe(err.message)
      await call('connections.disconnect', { connectionId: profile.id })
    } finally {
      await broker.stop()
    }
  }, 60_000)

  it('blocks a rotated broker certificate before CONNECT with both fingerprints, until the new one is trusted', async () => {
    const certFile = join(dir, 'broker.crt')
    const keyFile = join(dir, 'broker.key')
    await copyFile(pki.server.chain.path, certFile)
    await copyFile(pki.server.key.path, keyFile)
    const broker = await startMosquitto({ listeners: [{ tls: { cafile: pki.caBundle.path, certfile: certFile, keyfile: keyFile } }] })
    try {
      const ca = [{ name: 'root.crt', pem: pki.root.cert.pem }, { name: 'next-root.crt', pem: pki.rotation.root.cert.pem }]
      const profile = await call('profiles.create', { spec: spec('pinned', broker.port, { clientId: 'pin-client-first', tls: { ca } }) })
      await call('connections.connect', { profileId: profile.id })
      const leaf = (await call('tls.report', { connectionId: profile.id }))!.chain!.entries[0]
      const pin = await call('tls.pin', { profileId: profile.id, kind: 'leaf', sha256: leaf.sha256 })
      expect(pin).toMatchObject({ kind: 'leaf', sha256: pki.server.issued.cert.fingerprint256, subject: leaf.subject })
      await call('connections.disconnect', { connectionId: profile.id })

      await writeFile(certFile, pki.rotation.server.chain.pem)
      await writeFile(keyFile, pki.rotation.server.key.pem)
      await broker.restart()
      await call('profiles.update', { id: profile.id, spec: spec('pinned', broker.port, { clientId: 'pin-client-blocked', tls: { ca } }) })

      const err = await rejection(call('connections.connect', { profileId: profile.id }))
      expect(err.code).toBe('TLS_PIN_MISMATCH')
      const detail = err.detail as unknown as PinMismatchDetail
      expect(detail.pin.sha256).toBe(pki.server.issued.cert.fingerprint256)
      expect(detail.presented.leafSha256).toBe(new X509Certificate(pki.rotation.server.cert.pem).fingerprint256)
      const blocked = await call('tls.report', { connectionId: profile.id })
      expect(blocked?.diagnosis?.kind).toBe('pin-mismatch')
      expect(await broker.log()).not.toContain('pin-client-blocked')

      const trusted = await call('tls.trustNew', { profileId: profile.id })
      expect(trusted).toMatchObject({ kind: 'leaf', sha256: detail.presented.leafSha256 })
      expect(await call('tls.pinState', { profileId: profile.id })).toEqual(trusted)
      await call('profiles.update', { id: profile.id, spec: spec('pinned', broker.port, { clientId: 'pin-client-trusted', tls: { ca } }) })
      const state = await call('connections.connect', { profileId: profile.id })
      expect(state.status).toBe('connected')
      // mosquitto writes its log from its own process: wait for the line rather than read once.
      await waitForLine(() => broker.log(), /pin-client-trusted/)

      const history = await call('tls.history', { profileId: profile.id })
      expect(history.map((r) => r.change)).toEqual(['none', 'key', 'first'])
      await call('tls.unpin', { profileId: profile.id })
      expect(await call('tls.pinState', { profileId: profile.id })).toBeNull()
      await call('connections.disconnect', { connectionId: profile.id })
    } finally {
      await broker.stop()
    }
  }, 60_000)

  it('writes key log lines with the session’s client random while on, and none once off', async () => {
    const broker = await startMosquitto({ listeners: [{ tls: { cafile: pki.caBundle.path, certfile: pki.server.chain.path, keyfile: pki.server.key.path } }] })
    // A relay that keeps what the client sent, to read the ClientHello random off the wire.
    const sent: Buffer[] = []
    const relay = net.createServer((client) => {
      const upstream = net.connect({ host: '127.0.0.1', port: broker.port })
      client.on('data', (d: Buffer) => sent.push(d))
      client.pipe(upstream).pipe(client)
      client.on('error', () => upstream.destroy())
      upstream.on('error', () => client.destroy())
    })
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve))
    try {
      const profile = await call('profiles.create', { spec: spec('keylog', (relay.address() as net.AddressInfo).port) })
      const bad = await rejection(call('tls.keyLog', { connectionId: profile.id, path: 'relative.keys' }))
      expect(bad.code).toBe('BAD_REQUEST')
      const missing = await rejection(call('tls.keyLog', { connectionId: profile.id, path: join(dir, 'no-such-folder', 'x.keys') }))
      expect(missing.message).toContain('does not exist')

      const file = join(dir, 'data', 'keylogs', 'keylog.keys')
      expect(await call('tls.keyLog', { connectionId: profile.id, path: file })).toEqual({ path: file })
      expect(await call('tls.keyLogs')).toEqual([{ connectionId: profile.id, path: file }])
      await call('connections.connect', { profileId: profile.id })
      const lines = (await readFile(file, 'utf8')).trim().split('\n')
      expect(lines.length).toBe(5)
      const hello = Buffer.concat(sent)
      expect(hello[0]).toBe(22)
      const wireRandom = hello.subarray(11, 43).toString('hex')
      expect(new Set(lines.map(clientRandomOf))).toEqual(new Set([wireRandom]))
      await call('connections.disconnect', { connectionId: profile.id })

      expect(await call('tls.keyLog', { connectionId: profile.id, path: null })).toEqual({ path: null })
      expect(await call('tls.keyLogs')).toEqual([])
      sent.length = 0
      await call('connections.connect', { profileId: profile.id })
      expect(sent.length).toBeGreaterThan(0)
      expect((await readFile(file, 'utf8')).trim().split('\n')).toEqual(lines)
      await call('connections.disconnect', { connectionId: profile.id })
    } finally {
      await new Promise((resolve) => relay.close(resolve))
      await broker.stop()
    }
  }, 60_000)

  it('probes the endpoint a connection uses, reporting progress', async () => {
    const broker = await startMosquitto({ listeners: [{ tls: { cafile: pki.caBundle.path, certfile: pki.server.chain.path, keyfile: pki.server.key.path, requireCertificate: true } }] })
    try {
      const profile = await call('profiles.create', { spec: spec('probe', broker.port) })
      const refused = await rejection(call('connections.connect', { profileId: profile.id }))
      expect(refused.code).toBe('TLS_CLIENT_CERT_REQUIRED')
      const report = await eventuallyReport(profile.id)
      expect(report.diagnosis).toMatchObject({ kind: 'client-cert-required', code: refused.code })
      expect(report.error).toMatchObject({ code: refused.code, message: refused.message })
      const result = await call('tls.probe', { connectionId: profile.id, probeId: 'p1' })
      expect(result.versions.find((v) => v.version === 'TLSv1.3')?.accepted).toBe(true)
      expect(result.requestsClientCert).toBe(true)
      expect(result.chain?.entries.map((e) => cnOf(e.subject))).toEqual(['localhost', 'MQTTS Explorer Test Intermediate CA', 'MQTTS Explorer Test Root CA'])
      const progress = events.filter((e) => e.name === 'tls.probeProgress').map((e) => e.payload as { probeId: string; fraction: number })
      expect(progress.length).toBeGreaterThan(2)
      expect(progress.every((p) => p.probeId === 'p1')).toBe(true)
      expect(progress.at(-1)?.fraction).toBe(1)
      await call('connections.disconnect', { connectionId: profile.id })
    } finally {
      await broker.stop()
    }
  }, 60_000)
})
