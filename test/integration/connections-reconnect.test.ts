/**
 * Losing the broker: the session goes to 'reconnecting' with an attempt number and a retry
 * time, keeps the reason, and once the broker is back it is 'connected' again with every
 * subscription restored by us (not by mqtt.js).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { startMosquitto, type MosquittoBroker } from '../fixtures/mosquitto'
import { recordingManager, testProfile } from './connections-helpers'

let broker: MosquittoBroker | undefined
afterEach(async () => {
  await broker?.stop()
  broker = undefined
})

describe.each([4, 5] as const)('MQTT v%i', (protocolVersion) => {
  it('reconnects and resubscribes after the broker restarts', async () => {
    broker = await startMosquitto({ listeners: [{}] })
    const rec = recordingManager()
    const profile = testProfile({
      port: broker.port,
      protocolVersion,
      subscriptions: [{ filter: 'restart/#', qos: 1 }],
      reconnect: { enabled: true, initialDelayMs: 200, maxDelayMs: 400 },
    })
    await rec.manager.connect(profile, {})
    // Added at runtime: must be restored too, not only the profile's own subscriptions.
    await rec.manager.subscribe(profile.id, { filter: 'later/+', qos: 2, noLocal: false, retainAsPublished: false, retainHandling: 0 })

    await broker.kill()
    const reconnecting = await rec.waitForState(profile.id, (s) => s.status === 'reconnecting')
    expect(reconnecting.attempt).toBe(1)
    expect(reconnecting.nextRetryAt).toBeGreaterThan(0)
    expect(reconnecting.error?.code).toBe('CONNECTION_LOST')
    expect(reconnecting.subscriptions.every((s) => s.grantedQos === null)).toBe(true)

    // While the broker is down, attempts fail and the attempt number grows.
    await rec.waitForState(profile.id, (s) => s.status === 'reconnecting' && (s.attempt ?? 0) >= 2 && s.error?.code === 'BROKER_UNREACHABLE')

    await broker.start()
    const back = await rec.waitForState(profile.id, (s) => s.status === 'connected' && s.subscriptions.every((x) => x.grantedQos !== null) && rec.states.indexOf(s) > rec.states.indexOf(reconnecting))
    expect(back.subscriptions).toMatchObject([
      { filter: 'restart/#', grantedQos: 1 },
      { filter: 'later/+', grantedQos: 2 },
    ])
    expect(back.error).toBeUndefined()
    expect(back.attempt).toBeUndefined()

    // The restored subscriptions really deliver.
    await rec.manager.publish({ connectionId: profile.id, topic: 'later/x', payload: 'after restart', encoding: 'utf8', qos: 1, retain: false })
    await rec.manager.publish({ connectionId: profile.id, topic: 'restart/y', payload: 'after restart', encoding: 'utf8', qos: 1, retain: false })
    await rec.waitForMessages(profile.id, 'later/x')
    await rec.waitForMessages(profile.id, 'restart/y')
    await rec.manager.closeAll()
  })
})

describe('without automatic reconnect', () => {
  it('goes offline with the reason when the broker goes away', async () => {
    broker = await startMosquitto({ listeners: [{}] })
    const rec = recordingManager()
    const profile = testProfile({ port: broker.port, reconnect: { enabled: false, initialDelayMs: 100, maxDelayMs: 100 } })
    await rec.manager.connect(profile, {})
    await broker.kill()
    const offline = await rec.waitForState(profile.id, (s) => s.status === 'offline')
    expect(offline.error?.code).toBe('CONNECTION_LOST')
    await new Promise((r) => setTimeout(r, 300))
    expect(rec.manager.list()[0].status).toBe('offline')
  })

  it('stops retrying when disconnected while reconnecting', async () => {
    broker = await startMosquitto({ listeners: [{}] })
    const rec = recordingManager()
    const profile = testProfile({ port: broker.port, reconnect: { enabled: true, initialDelayMs: 100, maxDelayMs: 200 } })
    await rec.manager.connect(profile, {})
    await broker.kill()
    await rec.waitForState(profile.id, (s) => s.status === 'reconnecting')
    const state = await rec.manager.disconnect(profile.id)
    expect(state.status).toBe('disconnected')
    await broker.start()
    await new Promise((r) => setTimeout(r, 600))
    expect(rec.manager.list()[0].status).toBe('disconnected')
  })
})
