/**
 * The connection engine against a real mosquitto over plain MQTT: connecting, subscriptions,
 * publishing, message counting, and the network failures every user meets first.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { PublishParser } from '../../electron/core/connections/publish-parser'
import { startMosquitto, freePort, type MosquittoBroker } from '../fixtures/mosquitto'
import { recordingManager, rejectsWith, testProfile } from './connections-helpers'

let broker: MosquittoBroker

beforeAll(async () => {
  broker = await startMosquitto({ listeners: [{ name: 'plain' }] })
})
afterAll(async () => {
  await broker?.stop()
})

describe.each([4, 5] as const)('plain MQTT, protocol version %i', (protocolVersion) => {
  it('connects, subscribes and reports the negotiated version', async () => {
    const { manager } = recordingManager()
    const profile = testProfile({ port: broker.port, protocolVersion, subscriptions: [{ filter: 'plain/#', qos: 1 }] })
    const state = await manager.connect(profile, {})
    expect(state.status).toBe('connected')
    expect(state.protocolVersion).toBe(protocolVersion)
    expect(state.subscriptions).toMatchObject([{ filter: 'plain/#', grantedQos: 1 }])
    expect(state.warnings).toEqual([])
    await manager.closeAll()
  })

  it('publishes and receives its own message, counting messages and bytes', async () => {
    const rec = recordingManager()
    const profile = testProfile({ port: broker.port, protocolVersion, subscriptions: [{ filter: `roundtrip/${protocolVersion}/#`, qos: 1 }] })
    await rec.manager.connect(profile, {})
    await rec.manager.publish({ connectionId: profile.id, topic: `roundtrip/${protocolVersion}/text`, payload: 'hello broker', encoding: 'utf8', qos: 1, retain: false })
    await rec.manager.publish({ connectionId: profile.id, topic: `roundtrip/${protocolVersion}/bin`, payload: Buffer.from([0, 1, 2, 255]).toString('base64'), encoding: 'base64', qos: 0, retain: false })
    await rec.waitForMessages(profile.id, `roundtrip/${protocolVersion}/bin`)
    const recent = rec.manager.recent(profile.id, 10)
    expect(recent.map((m) => [m.topic, m.preview, m.size, m.qos])).toEqual([
      [`roundtrip/${protocolVersion}/text`, 'hello broker', 12, 1],
      [`roundtrip/${protocolVersion}/bin`, '00 01 02 ff', 4, 0],
    ])
    const last = rec.batches.at(-1)!
    expect(last.total).toBe(2)
    expect(last.totalBytes).toBe(16)
    expect(rec.manager.list()[0].messageCount).toBe(2)
    await rec.manager.closeAll()
  })

  it('decodes the messages it receives on the PUBLISH fast path', async () => {
    // `publish` is the parser's own decoder (private): a packet it returns skipped mqtt-packet.
    const fast = vi.spyOn(PublishParser.prototype as unknown as { publish: () => unknown }, 'publish')
    try {
      const rec = recordingManager()
      const profile = testProfile({ port: broker.port, protocolVersion, subscriptions: [{ filter: `fast/${protocolVersion}/#`, qos: 1 }] })
      await rec.manager.connect(profile, {})
      await rec.manager.publish({ connectionId: profile.id, topic: `fast/${protocolVersion}/a`, payload: 'one', encoding: 'utf8', qos: 1, retain: false })
      await rec.waitForMessages(profile.id, `fast/${protocolVersion}/a`)
      expect(fast.mock.results.some((r) => r.type === 'return' && r.value !== null)).toBe(true)
      await rec.manager.closeAll()
    } finally {
      fast.mockRestore()
    }
  })

  it('adds and removes a subscription while connected', async () => {
    const rec = recordingManager()
    const profile = testProfile({ port: broker.port, protocolVersion })
    const publisher = testProfile({ port: broker.port, protocolVersion })
    await rec.manager.connect(profile, {})
    await rec.manager.connect(publisher, {})
    const topic = `dynamic/${protocolVersion}/a`

    const subscribed = await rec.manager.subscribe(profile.id, { filter: `dynamic/${protocolVersion}/#`, qos: 2, noLocal: false, retainAsPublished: false, retainHandling: 0 })
    expect(subscribed.subscriptions).toMatchObject([{ filter: `dynamic/${protocolVersion}/#`, grantedQos: 2 }])
    await rec.manager.publish({ connectionId: publisher.id, topic, payload: 'one', encoding: 'utf8', qos: 1, retain: false })
    await rec.waitForMessages(profile.id, topic, 1)

    const unsubscribed = await rec.manager.unsubscribe(profile.id, `dynamic/${protocolVersion}/#`)
    expect(unsubscribed.subscriptions).toEqual([])
    await rec.manager.publish({ connectionId: publisher.id, topic, payload: 'two', encoding: 'utf8', qos: 1, retain: false })
    // A marker on a topic we still hear proves the broker had time to deliver "two".
    await rec.manager.subscribe(profile.id, { filter: `marker/${protocolVersion}`, qos: 1, noLocal: false, retainAsPublished: false, retainHandling: 0 })
    await rec.manager.publish({ connectionId: publisher.id, topic: `marker/${protocolVersion}`, payload: 'm', encoding: 'utf8', qos: 1, retain: false })
    await rec.waitForMessages(profile.id, `marker/${protocolVersion}`, 1)
    expect(rec.manager.recent(profile.id, 100).filter((m) => m.topic === topic).map((m) => m.preview)).toEqual(['one'])
    await rec.manager.closeAll()
  })

  it('disconnects cleanly and reports it', async () => {
    const { manager } = recordingManager()
    const profile = testProfile({ port: broker.port, protocolVersion })
    await manager.connect(profile, {})
    const state = await manager.disconnect(profile.id)
    expect(state.status).toBe('disconnected')
    await rejectsWith(manager.publish({ connectionId: profile.id, topic: 't', payload: 'x', encoding: 'utf8', qos: 0, retain: false }), 'MQTT_NOT_CONNECTED')
  })
})

describe('network failures', () => {
  it('reports a port where nothing listens as BROKER_UNREACHABLE and stays in error without retrying', async () => {
    const rec = recordingManager()
    const port = await freePort()
    const profile = testProfile({ port })
    const err = await rejectsWith(rec.manager.connect(profile, {}), 'BROKER_UNREACHABLE')
    expect(err.message).toContain(`127.0.0.1:${port}`)
    expect(rec.manager.list()[0]).toMatchObject({ status: 'error', error: { code: 'BROKER_UNREACHABLE' } })
    await new Promise((r) => setTimeout(r, 300))
    expect(rec.states.map((s) => s.status)).toEqual(['connecting', 'error'])
  })

  it('reports a name that does not resolve as DNS_NOT_FOUND', async () => {
    const { manager } = recordingManager()
    const err = await rejectsWith(manager.connect(testProfile({ host: 'no-such-broker.invalid', port: 1883 }), {}), 'DNS_NOT_FOUND')
    expect(err.message).toContain('no-such-broker.invalid')
  })

  it('reports a listener that never answers MQTT as CONNECT_TIMEOUT', async () => {
    const net = await import('node:net')
    const silent = net.createServer(() => undefined)
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r))
    const port = (silent.address() as { port: number }).port
    const { manager } = recordingManager()
    await rejectsWith(manager.connect(testProfile({ port, connectTimeoutMs: 1000 }), {}), 'CONNECT_TIMEOUT')
    silent.close()
  })
})
