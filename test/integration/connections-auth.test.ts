/**
 * MQTT-level refusals against real brokers: CONNACK codes for credentials and authorization,
 * SUBACK refusals stored on the subscription, and the protocol version a 3.1.1-only broker
 * refuses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAedesTcp } from '../fixtures/aedes-ws'
import { startMosquitto, type MosquittoBroker } from '../fixtures/mosquitto'
import { recordingManager, rejectsWith, testProfile } from './connections-helpers'

let broker: MosquittoBroker

beforeAll(async () => {
  broker = await startMosquitto({
    listeners: [{ name: 'auth' }],
    users: { alice: 'alice-secret' },
    acl: 'user alice\ntopic readwrite allowed/#\n',
  })
})
afterAll(async () => {
  await broker?.stop()
})

describe.each([4, 5] as const)('mosquitto with a password file and ACL, MQTT v%i', (protocolVersion) => {
  const profile = (username?: string) => testProfile({ port: broker.port, protocolVersion, username })

  it('connects with the right user name and password', async () => {
    const { manager } = recordingManager()
    const state = await manager.connect(profile('alice'), { password: 'alice-secret' })
    expect(state.status).toBe('connected')
    expect(state.warnings).toEqual(['This connection is not encrypted: the password and every message travel in plain text.'])
    await manager.closeAll()
  })

  // mosquitto answers a wrong password with "not authorized" (3.1.1: 5, MQTT 5: 0x87), not with
  // "bad user name or password"; we report what the broker said, and the sentence names both.
  it('reports a wrong password the way mosquitto does: not authorized, naming the password', async () => {
    const { manager } = recordingManager()
    const err = await rejectsWith(manager.connect(profile('alice'), { password: 'wrong' }), 'MQTT_NOT_AUTHORIZED')
    expect(err.detail).toMatchObject({ protocolVersion, connackCode: protocolVersion === 5 ? 0x87 : 5 })
    expect(err.message).toMatch(/password/)
  })

  it('reports a client without credentials on a closed broker as not authorized', async () => {
    const { manager } = recordingManager()
    const err = await rejectsWith(manager.connect(profile(), {}), 'MQTT_NOT_AUTHORIZED')
    expect(err.detail).toMatchObject({ connackCode: protocolVersion === 5 ? 0x87 : 5 })
  })

  // mosquitto 2.0 grants a subscription its ACL forbids and just never delivers; the refusal
  // path is exercised against aedes below.
  it('refuses or drops a publish the ACL forbids, while allowed topics flow', async () => {
    const rec = recordingManager()
    const p = { ...profile('alice'), subscriptions: [{ filter: '#', qos: 1 as const, noLocal: false, retainAsPublished: false, retainHandling: 0 as const }] }
    await rec.manager.connect(p, { password: 'alice-secret' })
    const hidden = rec.manager.publish({ connectionId: p.id, topic: `secret/${protocolVersion}`, payload: 'hidden', encoding: 'utf8', qos: 1, retain: false })
    if (protocolVersion === 5) {
      // MQTT 5 lets the broker say so in the PUBACK (0x87); 3.1.1 has no way to refuse a publish.
      const err = await rejectsWith(hidden, 'MQTT_PUBLISH_FAILED')
      expect(err.message).toMatch(/not authorized/i)
    } else {
      await hidden
    }
    await rec.manager.publish({ connectionId: p.id, topic: `allowed/${protocolVersion}`, payload: 'visible', encoding: 'utf8', qos: 1, retain: false })
    await rec.waitForMessages(p.id, `allowed/${protocolVersion}`)
    expect(rec.manager.recent(p.id, 10).map((m) => m.topic)).toEqual([`allowed/${protocolVersion}`])
    await rec.manager.closeAll()
  })
})

describe('aedes (MQTT 3.1.1 only)', () => {
  it('reports CONNACK 4 as MQTT_BAD_CREDENTIALS', async () => {
    const aedes = await startAedesTcp({
      aedes: {
        authenticate: (_client, _user, _password, done) => done(Object.assign(new Error('bad password'), { returnCode: 4 }), false),
      },
    })
    try {
      const { manager } = recordingManager()
      const err = await rejectsWith(manager.connect(testProfile({ port: aedes.port, protocolVersion: 4, username: 'bob' }), { password: 'nope' }), 'MQTT_BAD_CREDENTIALS')
      expect(err.detail).toMatchObject({ connackCode: 4 })
    } finally {
      await aedes.stop()
    }
  })

  it('stores a refused subscription (SUBACK 0x80) as an error on that subscription only', async () => {
    const aedes = await startAedesTcp({
      aedes: {
        // aedes refuses with SUBACK 0x80 when the hook returns no subscription (an error would drop the client).
        authorizeSubscribe: (_client, sub, done) => done(null, sub.topic.startsWith('secret/') ? null : sub),
      },
    })
    try {
      const { manager } = recordingManager()
      const p = testProfile({ port: aedes.port, protocolVersion: 4, subscriptions: [{ filter: 'open/#', qos: 1 }] })
      await manager.connect(p, {})
      const state = await manager.subscribe(p.id, { filter: 'secret/#', qos: 1, noLocal: false, retainAsPublished: false, retainHandling: 0 })
      const open = state.subscriptions.find((s) => s.filter === 'open/#')
      const refused = state.subscriptions.find((s) => s.filter === 'secret/#')
      expect(open).toMatchObject({ grantedQos: 1 })
      expect(open?.error).toBeUndefined()
      expect(refused).toMatchObject({ grantedQos: null, error: { code: 'MQTT_SUBSCRIBE_FAILED', detail: { subackCode: 0x80 } } })
      expect(refused?.error?.message).toContain('secret/#')
      await manager.closeAll()
    } finally {
      await aedes.stop()
    }
  })
})

describe('protocol version', () => {
  it('reports an MQTT 5 CONNECT refused by a 3.1.1-only broker as MQTT_PROTOCOL_VERSION', async () => {
    const aedes = await startAedesTcp()
    try {
      const { manager } = recordingManager()
      const err = await rejectsWith(manager.connect(testProfile({ port: aedes.port, protocolVersion: 5 }), {}), 'MQTT_PROTOCOL_VERSION')
      expect(err.message).toContain('MQTT 3.1.1')
      const ok = await manager.connect(testProfile({ port: aedes.port, protocolVersion: 4 }), {})
      expect(ok.protocolVersion).toBe(4)
      await manager.closeAll()
    } finally {
      await aedes.stop()
    }
  })
})
