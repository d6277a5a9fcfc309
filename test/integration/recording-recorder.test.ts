/**
 * The recorder against a real mosquitto over TLS, through the whole service: MQTT 5 traffic is
 * recorded and read back byte for byte with its flags and properties, and a broker restart in
 * the middle of a recording becomes a gap line.
 */
import { X509Certificate } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import mqtt, { type MqttClient } from 'mqtt'
import type { ConnectionState } from '../../electron/api'
import type { RecordedGap, RecordedMessage, RecordingHeader } from '../../electron/core/recording/format'
import { RecordingStore } from '../../electron/core/recording/recording-store'
import { readRecording } from '../../electron/core/recording/recording-source'
import { startPublishWorld, type PublishWorld } from './publish-helpers'
import { waitUntil } from '../fixtures/wait-for-line'

let world: PublishWorld
let publisher: MqttClient

beforeAll(async () => {
  world = await startPublishWorld()
  publisher = await mqtt.connectAsync({
    host: 'localhost',
    port: world.broker.port,
    protocol: 'mqtts',
    ca: world.pki.root.cert.pem,
    protocolVersion: 5,
    clientId: 'recording-test-publisher',
    reconnectPeriod: 0,
  })
}, 60_000)

afterAll(async () => {
  await publisher?.endAsync()
  await world?.close()
})

async function connected(connectionId: string): Promise<ConnectionState> {
  return waitUntil(`connection ${connectionId} connected`, async () => {
    const list = await world.call('connections.list')
    return list.find((s) => s.connectionId === connectionId && s.status === 'connected' && s.subscriptions.every((sub) => sub.grantedQos !== null))
  }, 15_000)
}

async function readAll(recordingId: string): Promise<{ messages: RecordedMessage[]; gaps: RecordedGap[]; headerName?: string; header?: RecordingHeader }> {
  const path = await new RecordingStore(world.dataDir).path(recordingId)
  const messages: RecordedMessage[] = []
  const gaps: RecordedGap[] = []
  let header: RecordingHeader | undefined
  for await (const item of readRecording(path)) {
    if (item.kind === 'message') messages.push(item.message)
    else if (item.kind === 'gap') gaps.push(item.gap)
    else header = item.header
  }
  return { messages, gaps, headerName: header?.name, header }
}

describe('recorder', () => {
  it('records MQTT 5 traffic with exact bytes, flags and properties, and marks retained-on-subscribe', async () => {
    await publisher.publishAsync('lab/rec/retained', Buffer.from('kept'), { qos: 1, retain: true })
    const connectionId = await world.connect('recorder', { subscriptions: [{ filter: 'lab/rec/live/#', qos: 2, noLocal: false, retainAsPublished: false, retainHandling: 0 }] })
    await connected(connectionId)
    const started = await world.call('recorder.start', { connectionId, filters: [], gzip: false, name: 'mqtt5 traffic' })
    expect(started.state).toBe('recording')

    const binary = Buffer.from([0x00, 0xff, 0x80, 0x0a, 0x0d, 0x7f, 0xc3])
    await publisher.publishAsync('lab/rec/live/a', Buffer.from('zero'), { qos: 0 })
    await publisher.publishAsync('lab/rec/live/b', binary, {
      qos: 1,
      properties: { userProperties: { dup: ['one', 'two'], other: 'x' }, correlationData: Buffer.from([1, 2, 3, 0xfe]), contentType: 'application/octet-stream', responseTopic: 'lab/reply' },
    })
    await publisher.publishAsync('lab/rec/live/c', Buffer.from('two'), { qos: 2, retain: true })
    // A subscribe during the recording: its retained message arrives because of the subscribe.
    await world.call('connections.subscribe', { connectionId, subscription: { filter: 'lab/rec/retained', qos: 1, noLocal: false, retainAsPublished: false, retainHandling: 0 } })

    await waitUntil('4 messages recorded', async () => (await world.call('recorder.list')).find((r) => r.recorderId === started.recorderId && r.messages >= 4), 10_000)
    const stopped = await world.call('recorder.stop', { recorderId: started.recorderId })
    expect(stopped.state).toBe('stopped')
    expect(stopped.messages).toBe(4)

    const library = await world.call('recordings.list')
    const info = library.find((r) => r.id === stopped.recordingId)
    expect(info).toMatchObject({ name: 'mqtt5 traffic', messageCount: 4, topicCount: 4, recording: false, truncated: false, badLines: 0, mqttVersion: 5 })

    const { messages, header } = await readAll(stopped.recordingId)
    // The header says which TLS session the traffic came over: the broker's own certificate
    // (fingerprinted by Node's X509 here, not by the app), the version and cipher negotiated.
    expect(header?.broker.tls).toEqual({
      verified: true,
      trusted: true,
      protocol: expect.stringMatching(/^TLSv1\.[23]$/),
      cipher: expect.stringMatching(/^TLS_/),
      peerSubject: expect.stringContaining('localhost'),
      peerFingerprint256: new X509Certificate(world.pki.server.cert.pem).fingerprint256,
    })
    const byTopic = new Map(messages.map((m) => [m.topic, m]))
    expect(byTopic.get('lab/rec/live/a')).toMatchObject({ qos: 0, retain: false, onSubscribe: false })
    expect(byTopic.get('lab/rec/live/a')!.payload.toString()).toBe('zero')
    const b = byTopic.get('lab/rec/live/b')!
    expect(b.qos).toBe(1)
    expect(b.payload.equals(binary)).toBe(true)
    expect(b.properties?.userProperties).toEqual([['dup', 'one'], ['dup', 'two'], ['other', 'x']])
    expect(b.properties?.correlationData?.equals(Buffer.from([1, 2, 3, 0xfe]))).toBe(true)
    expect(b.properties?.contentType).toBe('application/octet-stream')
    expect(b.properties?.responseTopic).toBe('lab/reply')
    // Live retained traffic without retain-as-published: the broker clears the flag.
    expect(byTopic.get('lab/rec/live/c')).toMatchObject({ qos: 2, retain: false, onSubscribe: false })
    expect(byTopic.get('lab/rec/retained')).toMatchObject({ qos: 1, retain: true, onSubscribe: true })
    // Offsets grow in arrival order.
    const offsets = messages.map((m) => m.offsetUs)
    expect([...offsets].sort((x, y) => x - y)).toEqual(offsets)
    await world.call('connections.disconnect', { connectionId })
  }, 60_000)

  it('writes a gap line when the broker restarts mid-recording', async () => {
    const connectionId = await world.connect('recorder-gap', {
      subscriptions: [{ filter: 'lab/gap/#', qos: 1, noLocal: false, retainAsPublished: false, retainHandling: 0 }],
      reconnect: { enabled: true, initialDelayMs: 200, maxDelayMs: 500 },
    })
    await connected(connectionId)
    const started = await world.call('recorder.start', { connectionId, filters: [], gzip: true })
    await publisher.publishAsync('lab/gap/before', Buffer.from('1'), { qos: 1 })
    await waitUntil('message before the restart', async () => (await world.call('recorder.list')).find((r) => r.recorderId === started.recorderId && r.messages >= 1))

    await publisher.endAsync(true)
    await world.broker.restart()
    await waitUntil('a gap counted', async () => (await world.call('recorder.list')).find((r) => r.recorderId === started.recorderId && r.gaps >= 1), 20_000)
    await connected(connectionId)
    publisher = await mqtt.connectAsync({ host: 'localhost', port: world.broker.port, protocol: 'mqtts', ca: world.pki.root.cert.pem, protocolVersion: 5, clientId: 'recording-test-publisher', reconnectPeriod: 0 })
    await publisher.publishAsync('lab/gap/after', Buffer.from('2'), { qos: 1 })
    await waitUntil('message after the restart', async () => (await world.call('recorder.list')).find((r) => r.recorderId === started.recorderId && r.messages >= 2), 10_000)
    const stopped = await world.call('recorder.stop', { recorderId: started.recorderId })

    const { messages, gaps } = await readAll(stopped.recordingId)
    expect(messages.map((m) => m.topic)).toEqual(['lab/gap/before', 'lab/gap/after'])
    expect(gaps).toHaveLength(1)
    expect(gaps[0].offsetUs).toBeGreaterThan(messages[0].offsetUs)
    expect(gaps[0].offsetUs).toBeLessThan(messages[1].offsetUs)
    expect(gaps[0].durationUs).toBeGreaterThan(0)
    const info = (await world.call('recordings.list')).find((r) => r.id === stopped.recordingId)
    expect(info).toMatchObject({ gzip: true, gaps: 1, messageCount: 2 })
    await world.call('connections.disconnect', { connectionId })
  }, 60_000)
})
