/**
 * Key log and pinning against real mosquitto: key log lines must carry the client random the
 * session really sent (read off the wire by a relay), and a rotated broker certificate must be
 * blocked before the MQTT CONNECT leaves the client, until the user trusts the new one.
 */
import { X509Certificate } from 'node:crypto'
import { copyFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PinMismatchDetail } from '../../electron/api/tls'
import { HandshakeHistory } from '../../electron/core/tls/handshake-history'
import { clientRandomOf, KeyLogRegistry } from '../../electron/core/tls/key-log'
import { makePin, PinStore } from '../../electron/core/tls/pinning'
import { startMosquitto, type MosquittoBroker } from '../fixtures/mosquitto'
import { generateTestPki, type TestPki } from '../fixtures/pki'
import { waitForLine } from '../fixtures/wait-for-line'
import { connectCaptured, startMosquittoTls12Only } from './tls-peers'

let pki: TestPki
let dir: string

beforeAll(async () => {
  pki = await generateTestPki()
  dir = await mkdtemp(join(tmpdir(), 'mqtts-tls-test-'))
})
afterAll(async () => {
  await pki?.cleanup()
  await rm(dir, { recursive: true, force: true })
})

/** A TCP relay that keeps what the client sent, to read the ClientHello's random independently. */
async function startRelay(targetPort: number): Promise<{ port: number; clientBytes: () => Buffer; close: () => Promise<void> }> {
  const chunks: Buffer[] = []
  const server = net.createServer((client) => {
    const upstream = net.connect({ host: '127.0.0.1', port: targetPort })
    client.on('data', (d: Buffer) => chunks.push(d))
    client.pipe(upstream).pipe(client)
    client.on('error', () => upstream.destroy())
    upstream.on('error', () => client.destroy())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as net.AddressInfo).port
  return { port, clientBytes: () => Buffer.concat(chunks), close: () => new Promise((resolve) => server.close(() => resolve())) }
}

/** record header (5) + handshake header (4) + legacy_version (2), then 32 bytes of random. */
function clientHelloRandom(bytes: Buffer): string {
  expect(bytes[0]).toBe(22)
  expect(bytes[5]).toBe(1)
  return bytes.subarray(11, 43).toString('hex')
}

/** A minimal MQTT 3.1.1 CONNECT for `clientId`. */
function mqttConnect(clientId: string): Buffer {
  const id = Buffer.from(clientId)
  const variable = Buffer.from([0, 4, 0x4d, 0x51, 0x54, 0x54, 4, 2, 0, 60])
  const body = Buffer.concat([variable, Buffer.from([id.length >> 8, id.length & 0xff]), id])
  return Buffer.concat([Buffer.from([0x10, body.length]), body])
}

const NSS_LINE = /^(CLIENT_RANDOM|CLIENT_HANDSHAKE_TRAFFIC_SECRET|SERVER_HANDSHAKE_TRAFFIC_SECRET|CLIENT_TRAFFIC_SECRET_0|SERVER_TRAFFIC_SECRET_0|EXPORTER_SECRET) [0-9a-f]{64} [0-9a-f]{64,128}$/

describe('TLS key log', () => {
  let broker: MosquittoBroker
  let broker12: MosquittoBroker
  beforeAll(async () => {
    const tls = { cafile: pki.caBundle.path, certfile: pki.server.chain.path, keyfile: pki.server.key.path }
    broker = await startMosquitto({ listeners: [{ tls: { ...tls, tlsVersion: 'tlsv1.3' } }] })
    broker12 = await startMosquittoTls12Only({ listeners: [{ tls }] })
  })
  afterAll(async () => {
    await broker?.stop()
    await broker12?.stop()
  })

  for (const version of ['TLSv1.3', 'TLSv1.2'] as const) {
    it(`writes NSS lines whose client random is the one the ${version} session sent, and nothing once turned off`, async () => {
      const relay = await startRelay(version === 'TLSv1.3' ? broker.port : broker12.port)
      const keyLogs = new KeyLogRegistry()
      const file = join(dir, `keys-${version}.log`)
      try {
        keyLogs.enable('conn-1', file)
        expect(keyLogs.pathOf('conn-1')).toBe(file)
        const on = await connectCaptured(relay.port, { ca: [pki.root.cert.pem], connectionId: 'conn-1' }, { keyLog: keyLogs.sinkFor('conn-1') })
        on.socket.destroy()
        expect(on.report.protocol).toBe(version)
        const lines = (await readFile(file, 'utf8')).trim().split('\n')
        expect(lines.length).toBe(version === 'TLSv1.3' ? 5 : 1)
        for (const line of lines) expect(line).toMatch(NSS_LINE)
        const wireRandom = clientHelloRandom(relay.clientBytes())
        expect(new Set(lines.map(clientRandomOf))).toEqual(new Set([wireRandom]))
        expect(on.capture.clientRandom()).toBe(wireRandom)
        expect((await stat(file)).mode & 0o777).toBe(0o600)

        keyLogs.disable('conn-1')
        expect(keyLogs.pathOf('conn-1')).toBeNull()
        const off = await connectCaptured(relay.port, { ca: [pki.root.cert.pem], connectionId: 'conn-1' }, { keyLog: keyLogs.sinkFor('conn-1') })
        off.socket.destroy()
        expect(off.report.protocol).toBe(version)
        expect((await readFile(file, 'utf8')).trim().split('\n')).toEqual(lines)
      } finally {
        keyLogs.closeAll()
        await relay.close()
      }
    })
  }

  it('logs only the connection it was turned on for', async () => {
    const keyLogs = new KeyLogRegistry()
    const file = join(dir, 'keys-other.log')
    keyLogs.enable('someone-else', file)
    const sink = keyLogs.sinkFor('conn-2')
    const c = await connectCaptured(broker.port, { ca: [pki.root.cert.pem] }, { keyLog: sink })
    c.socket.destroy()
    keyLogs.closeAll()
    expect(await readFile(file, 'utf8')).toBe('')
  })
})

describe('certificate pinning and handshake history', () => {
  it('blocks a rotated broker certificate before CONNECT is sent, with both fingerprints, until the new one is trusted', async () => {
    const certFile = join(dir, 'broker.crt')
    const keyFile = join(dir, 'broker.key')
    await copyFile(pki.server.chain.path, certFile)
    await copyFile(pki.server.key.path, keyFile)
    const broker = await startMosquitto({ listeners: [{ tls: { cafile: pki.caBundle.path, certfile: certFile, keyfile: keyFile } }] })
    const dataDir = join(dir, 'data')
    const ca = [pki.root.cert.pem, pki.rotation.root.cert.pem]
    try {
      const pins = await PinStore.open(dataDir)
      const history = new HandshakeHistory(dataDir)

      const first = await connectCaptured(broker.port, { ca })
      first.socket.destroy()
      expect((await history.add('profile-1', first.report))!.change).toBe('first')
      const leaf = first.report.chain!.entries[0]
      await pins.set('profile-1', makePin('leaf', leaf))

      // Rotate: the broker comes back with a certificate from another CA, and another key.
      await writeFile(certFile, pki.rotation.server.chain.pem)
      await writeFile(keyFile, pki.rotation.server.key.pem)
      await broker.restart()

      const blocked = await connectCaptured(broker.port, { ca, writeFirst: mqttConnect('pin-blocked-client') }, { pin: pins.get('profile-1') })
      expect(blocked.socket.destroyed).toBe(true)
      expect(blocked.report.error?.code).toBe('TLS_PIN_MISMATCH')
      expect(blocked.report.diagnosis?.kind).toBe('pin-mismatch')
      const detail = blocked.report.error!.detail as unknown as PinMismatchDetail
      expect(detail.pin.sha256).toBe(pki.server.issued.cert.fingerprint256)
      expect(detail.presented.leafSha256).toBe(new X509Certificate(pki.rotation.server.cert.pem).fingerprint256)
      expect(detail.presented.spkiSha256).not.toBe(leaf.spkiSha256)
      expect((await history.add('profile-1', blocked.report))!.change).toBe('key')

      // "Trust the new one": the pin moves, survives a restart of the app, and lets the connection through.
      await pins.trustPresented('profile-1', detail)
      const reopened = await PinStore.open(dataDir)
      expect(reopened.get('profile-1')).toMatchObject({ kind: 'leaf', sha256: detail.presented.leafSha256 })
      const trusted = await connectCaptured(broker.port, { ca, writeFirst: mqttConnect('pin-trusted-client') }, { pin: reopened.get('profile-1') })
      const connack = await new Promise<Buffer>((resolve) => trusted.socket.once('data', resolve))
      trusted.socket.destroy()
      expect(trusted.report.error).toBeNull()
      expect(connack[0]).toBe(0x20)

      // mosquitto writes its log from its own process: wait for the line rather than read once.
      await waitForLine(() => broker.log(), /pin-trusted-client/)
      expect(await broker.log()).not.toContain('pin-blocked-client')
      const records = await new HandshakeHistory(dataDir).list('profile-1')
      expect(records.map((r) => r.change)).toEqual(['key', 'first'])
      expect(records[0]).toMatchObject({ protocol: 'TLSv1.3', leafSha256: detail.presented.leafSha256 })
    } finally {
      await broker.stop()
    }
  })
})
