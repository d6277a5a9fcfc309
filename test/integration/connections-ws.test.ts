/**
 * MQTT over WebSockets (aedes behind http/https): plain ws, wss with the same TLS options and
 * our own verdict as mqtts, and the HTTP-level failure of a wrong path.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TlsSettings } from '../../electron/api'
import { startAedesWs, type AedesWsBroker } from '../fixtures/aedes-ws'
import { generateTestPki, type TestPki } from '../fixtures/pki'
import { recordingManager, rejectsWith, testProfile } from './connections-helpers'

let pki: TestPki
let ws: AedesWsBroker
let wss: AedesWsBroker

beforeAll(async () => {
  pki = await generateTestPki()
  ws = await startAedesWs()
  wss = await startAedesWs({ tls: { certPem: pki.server.chain.pem, keyPem: pki.server.key.pem } })
})
afterAll(async () => {
  await ws?.stop()
  await wss?.stop()
  await pki?.cleanup()
})

const trustRoot = (extra: Partial<TlsSettings> = {}) => ({ ca: [{ name: 'root.crt', pem: pki.root.cert.pem }], useSystemRoots: false, ...extra }) as TlsSettings

describe('WebSockets', () => {
  it('connects over ws, subscribes and round-trips a message', async () => {
    const rec = recordingManager()
    const profile = testProfile({ scheme: 'ws', port: ws.port, path: '/mqtt', protocolVersion: 4, subscriptions: [{ filter: 'ws/#', qos: 1 }] })
    const state = await rec.manager.connect(profile, {})
    expect(state).toMatchObject({ status: 'connected', protocolVersion: 4, subscriptions: [{ filter: 'ws/#', grantedQos: 1 }] })
    await rec.manager.publish({ connectionId: profile.id, topic: 'ws/hello', payload: 'over websockets', encoding: 'utf8', qos: 1, retain: false })
    await rec.waitForMessages(profile.id, 'ws/hello')
    expect(rec.manager.recent(profile.id, 1)[0].preview).toBe('over websockets')
    await rec.manager.closeAll()
  })

  it('connects over wss, verifying the broker with the profile CA and handing over the TLS socket', async () => {
    const sockets: number[] = []
    const rec = recordingManager({ onTlsSocket: (_id, _socket, attempt) => sockets.push(attempt) })
    const profile = testProfile({ scheme: 'wss', host: 'localhost', port: wss.port, protocolVersion: 4, tls: trustRoot(), subscriptions: [{ filter: 'wss/#', qos: 0 }] })
    const state = await rec.manager.connect(profile, {})
    expect(state.status).toBe('connected')
    expect(sockets).toEqual([1])
    await rec.manager.publish({ connectionId: profile.id, topic: 'wss/hello', payload: 'secure', encoding: 'utf8', qos: 0, retain: false })
    await rec.waitForMessages(profile.id, 'wss/hello')
    await rec.manager.closeAll()
  })

  it('refuses wss to a broker the profile does not trust, with the same classification as mqtts', async () => {
    const { manager } = recordingManager()
    const profile = testProfile({ scheme: 'wss', port: wss.port, protocolVersion: 4, tls: { ...trustRoot(), ca: [{ name: 'other.crt', pem: pki.untrusted.root.cert.pem }] } })
    await rejectsWith(manager.connect(profile, {}), 'TLS_UNKNOWN_CA')
  })

  it('checks the host name over wss too, and honours the TLS server name override', async () => {
    const { manager } = recordingManager()
    const wrong = testProfile({ scheme: 'wss', port: wss.port, protocolVersion: 4, tls: trustRoot({ servername: 'wrong.example.test' }) })
    const err = await rejectsWith(manager.connect(wrong, {}), 'TLS_HOSTNAME_MISMATCH')
    expect(err.message).toContain('localhost')
  })

  it('explains a wrong WebSocket path with the HTTP status', async () => {
    const { manager } = recordingManager()
    const profile = testProfile({ scheme: 'ws', port: ws.port, path: '/not-mqtt', protocolVersion: 4 })
    const err = await rejectsWith(manager.connect(profile, {}), 'BROKER_REFUSED')
    expect(err.message).toContain('HTTP 400')
  })
})
