/**
 * Replay fidelity, judged by peers we did not write. MQTT 5 traffic (QoS 0/1/2, a retained
 * message, binary payloads with invalid UTF-8, user properties with repeated names, correlation
 * data, content type, response topic, expiry) is published into one mosquitto and recorded there
 * by the app's recorder; the recording is replayed (retain `keep`) into a second mosquitto. The
 * same observers watch both brokers: `mosquitto_sub -F %J` (properties, with repeated user
 * property names in the order it received them), `mosquitto_sub -F '%t %q %r %x'` (exact payload
 * bytes, QoS, retain) and a raw mqtt.js client (correlation data as bytes, user property order as
 * mqtt.js hands it). What they saw live must be what they see replayed.
 *
 * What mosquitto_sub 2.0.11 can show: `%J` prints a JSON payload as JSON and refuses any other
 * payload (an error on stderr, an empty line on stdout), prints correlation data as raw bytes
 * (cut at the first NUL), and prints `user-properties` as an object with repeated keys in wire
 * order. So payload bytes are compared through `%x`, and correlation data with a NUL through
 * mqtt.js.
 *
 * User property order: mqtt.js hands received user properties as an object (one key per name,
 * repeated names as arrays) and publishes from such an object, so the recorder keeps names in
 * order of first appearance with each name's values in wire order, and replay sends exactly that.
 * A list whose names interleave (a, b, a) replays as a, a, b; a grouped one replays unchanged.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import mqtt, { type IPublishPacket, type MqttClient } from 'mqtt'
import type { EventName, EventPayloads, MethodName, MethodParams, MethodResult, ReplayJob } from '../../electron/api'
import { createService, type Service } from '../../electron/core/service'
import { startMosquitto, type MosquittoBroker } from '../fixtures/mosquitto'
import { callService } from '../fixtures/service-call'
import { waitForLine, waitUntil } from '../fixtures/wait-for-line'
import { rejectsWith } from './connections-helpers'
import { startPeer, type PeerProcess } from './publish-helpers'

let dir: string
let source: MosquittoBroker
let replica: MosquittoBroker
let service: Service
const events: Array<{ name: EventName; payload: unknown }> = []
const call = <M extends MethodName>(method: M, params?: MethodParams<M>): Promise<MethodResult<M>> => callService(service, method, params)

const BROKER_OPTIONS = { listeners: [{}], extra: ['max_queued_messages 0', 'max_queued_bytes 0'] }

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mqtts-replay-fidelity-'))
  ;[source, replica] = await Promise.all([startMosquitto(BROKER_OPTIONS), startMosquitto(BROKER_OPTIONS)])
  service = await createService({ dataDir: join(dir, 'data'), mode: 'browser', version: 'test', emit: <E extends EventName>(name: E, payload: EventPayloads[E]) => void events.push({ name, payload }) })
}, 60_000)

afterAll(async () => {
  await service?.close()
  await Promise.all([source?.stop(), replica?.stop()])
  await rm(dir, { recursive: true, force: true })
})

interface Observers {
  json: PeerProcess
  hex: PeerProcess
  packets: IPublishPacket[]
  client: MqttClient
  end(): Promise<void>
}

/** The three observers on one broker, each subscribed (confirmed in the broker's log) before it returns. */
async function observe(broker: MosquittoBroker, tag: string): Promise<Observers> {
  const common = ['-h', '127.0.0.1', '-p', String(broker.port), '-V', '5', '-q', '2', '--retain-as-published', '-t', 'fid/#']
  const json = startPeer('mosquitto_sub', [...common, '-i', `${tag}-json`, '-F', '%J'])
  const hex = startPeer('mosquitto_sub', [...common, '-i', `${tag}-hex`, '-F', '%t %q %r %x'])
  json.child.stdout?.setEncoding('latin1')
  const client = await mqtt.connectAsync({ host: '127.0.0.1', port: broker.port, protocolVersion: 5, clientId: `${tag}-mqttjs`, reconnectPeriod: 0 })
  const packets: IPublishPacket[] = []
  client.on('message', (_topic, _payload, packet) => packets.push(packet))
  await client.subscribeAsync('fid/#', { qos: 2, rap: true })
  for (const id of [`${tag}-json`, `${tag}-hex`]) await waitForLine(() => broker.log(), new RegExp(`Received SUBSCRIBE from ${id}`), 10_000)
  return {
    json,
    hex,
    packets,
    client,
    end: async () => {
      json.stop()
      hex.stop()
      await client.endAsync(true)
    },
  }
}

const lines = (text: string): string[] => text.split('\n').slice(0, -1)

/**
 * A `%J` line as what can be compared: its user properties as the raw text mosquitto_sub printed
 * (repeated keys, in order; JSON.parse would merge them), the rest parsed (so the order of other
 * property kinds, which MQTT does not give a meaning, does not matter), without what differs
 * between two deliveries (time stamp, packet id) and with the expiry apart (it counts down).
 */
function comparable(line: string): { userProperties: string | null; rest: Record<string, unknown>; expiry: number | null } {
  if (line === '') return { userProperties: null, rest: {}, expiry: null }
  const user = /"user-properties":(\{[^}]*\})/.exec(line)
  const parsed = JSON.parse(line.replace(/"user-properties":\{[^}]*\},?/, '').replace(/,\}/, '}')) as Record<string, unknown> & { properties?: Record<string, unknown> }
  delete parsed.tst
  delete parsed.mid
  const expiry = parsed.properties?.['message-expiry-interval']
  if (parsed.properties) delete parsed.properties['message-expiry-interval']
  return { userProperties: user ? user[1] : null, rest: parsed, expiry: typeof expiry === 'number' ? expiry : null }
}

/** The user properties as mqtt.js hands them: names in order, values of one name in order. */
function userPropertyPairs(packet: IPublishPacket): [string, string][] {
  const out: [string, string][] = []
  for (const [name, value] of Object.entries(packet.properties?.userProperties ?? {})) for (const v of Array.isArray(value) ? value : [value]) out.push([name, String(v)])
  return out
}

const COUNT = 7

async function publishTraffic(port: number): Promise<void> {
  const pub = await mqtt.connectAsync({ host: '127.0.0.1', port, protocolVersion: 5, clientId: 'fidelity-publisher', reconnectPeriod: 0 })
  // Far enough apart that a replay at 1× keeps the order even across QoS 2's extra round trip.
  const pause = () => new Promise((r) => setTimeout(r, 40))
  try {
    await pub.publishAsync('fid/json', Buffer.from('{"n":1,"s":"text"}'), { qos: 0, properties: { userProperties: { a: ['1', '2'], b: '3' }, contentType: 'application/json', payloadFormatIndicator: true } })
    await pause()
    await pub.publishAsync('fid/bin', Buffer.from([0x00, 0xff, 0xc3, 0x28, 0x80, 0x0a]), { qos: 1, properties: { correlationData: Buffer.from([0x00, 0x01, 0x22, 0xfe, 0xff]), responseTopic: 'fid-reply/1', contentType: 'application/octet-stream' } })
    await pause()
    await pub.publishAsync('fid/corr', Buffer.from('[1,2]'), { qos: 2, properties: { correlationData: Buffer.from([0x01, 0x02, 0xfe, 0xff, 0x41]), responseTopic: 'fid-reply/2', messageExpiryInterval: 3600 } })
    await pause()
    await pub.publishAsync('fid/retained', Buffer.from('kept state'), { qos: 1, retain: true, properties: { userProperties: { unit: 'C' } } })
    await pause()
    // Interleaved names (a, b, a): only mosquitto_pub can send these; mqtt.js cannot.
    const inter = startPeer('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(port), '-V', '5', '-q', '1', '-t', 'fid/inter', '-m', '{"x":2}', '-D', 'publish', 'user-property', 'a', '1', '-D', 'publish', 'user-property', 'b', '3', '-D', 'publish', 'user-property', 'a', '2'])
    await inter.exited()
    await pause()
    await pub.publishAsync('fid/text', Buffer.from('plain text'), { qos: 2, properties: { userProperties: { z: 'last name first', y: ['1', '2'] } } })
    await pause()
    await pub.publishAsync('fid/empty', Buffer.alloc(0), { qos: 0 })
  } finally {
    await pub.endAsync()
  }
}

async function seenAll(o: Observers, what: string): Promise<void> {
  await waitUntil(`${what}: all ${COUNT} messages at every observer`, () => lines(o.json.stdout()).length >= COUNT && lines(o.hex.stdout()).length >= COUNT && o.packets.length >= COUNT, 15_000)
}

describe('replay fidelity', () => {
  it('replays into another broker what peers saw live: same bytes, QoS, retain, properties and order', async () => {
    const recorderProfile = await call('profiles.create', {
      spec: { name: 'fidelity source', scheme: 'mqtt', host: '127.0.0.1', port: source.port, protocolVersion: 5, reconnect: { enabled: false }, subscriptions: [{ filter: 'fid/#', qos: 2, retainAsPublished: true }] },
    })
    await call('connections.connect', { profileId: recorderProfile.id })
    await waitUntil('the recorder subscribed', async () => (await call('connections.list')).find((s) => s.connectionId === recorderProfile.id && s.subscriptions.every((x) => x.grantedQos !== null)))
    const recorder = await call('recorder.start', { connectionId: recorderProfile.id, filters: [], gzip: false, name: 'fidelity' })

    const live = await observe(source, 'live')
    let replayed: Observers | null = null
    try {
      await publishTraffic(source.port)
      await seenAll(live, 'live')
      await waitUntil('the recorder to hold every message', async () => (await call('recorder.list')).find((r) => r.recorderId === recorder.recorderId && r.messages >= COUNT))
      const stopped = await call('recorder.stop', { recorderId: recorder.recorderId })
      expect(stopped.messages).toBe(COUNT)

      const targetProfile = await call('profiles.create', { spec: { name: 'fidelity replica', scheme: 'mqtt', host: '127.0.0.1', port: replica.port, protocolVersion: 5, reconnect: { enabled: false }, subscriptions: [] } })
      await call('connections.connect', { profileId: targetProfile.id })
      replayed = await observe(replica, 'replay')
      const options = { recordingId: stopped.recordingId, connectionId: targetProfile.id, retain: 'keep' as const }
      // Another broker than the recording's (another port): refused until confirmed, naming both.
      const refused = await rejectsWith(call('replay.start', options), 'REPLAY_OTHER_BROKER')
      expect(refused.message).toContain(`mqtt://127.0.0.1:${source.port}`)
      expect(refused.message).toContain(`mqtt://127.0.0.1:${replica.port}`)
      const dry = await call('replay.dryRun', options)
      expect(dry).toMatchObject({ total: COUNT, retainWarning: true })
      const job = await call('replay.start', { ...options, confirmOtherBroker: true })
      const end = await waitUntil('the replay to finish', () => events.find((e) => e.name === 'replay.progress' && (e.payload as ReplayJob).jobId === job.jobId && (e.payload as ReplayJob).state !== 'running')?.payload as ReplayJob | undefined, 15_000)
      expect(end).toMatchObject({ state: 'done', sent: COUNT, acknowledged: COUNT, failed: 0, skipped: 0, warnings: [] })
      await seenAll(replayed, 'replayed')

      // mosquitto_sub -F '%t %q %r %x': exact payload bytes, QoS, retain, order.
      expect(lines(replayed.hex.stdout())).toEqual(lines(live.hex.stdout()))
      const hex = (text: string) => Buffer.from(text).toString('hex')
      expect(lines(live.hex.stdout())).toEqual([
        `fid/json 0 0 ${hex('{"n":1,"s":"text"}')}`,
        'fid/bin 1 0 00ffc328800a',
        `fid/corr 2 0 ${hex('[1,2]')}`,
        `fid/retained 1 1 ${hex('kept state')}`,
        `fid/inter 1 0 ${hex('{"x":2}')}`,
        `fid/text 2 0 ${hex('plain text')}`,
        'fid/empty 0 0 ',
      ])

      // mosquitto_sub -F %J: properties as mosquitto parsed them, JSON payloads, empty lines for the others.
      const liveJson = lines(live.json.stdout()).map(comparable)
      const replayJson = lines(replayed.json.stdout()).map(comparable)
      expect(replayJson.length).toBe(COUNT)
      for (let i = 0; i < COUNT; i++) {
        const interleaved = liveJson[i].rest.topic === 'fid/inter'
        // The one documented difference: interleaved names come back grouped by name.
        expect(replayJson[i].userProperties).toBe(interleaved ? '{"a":"1","a":"2","b":"3"}' : liveJson[i].userProperties)
        expect(replayJson[i].rest).toEqual(liveJson[i].rest)
        // Expiry counts down in each broker: the replayed one is the recorded remainder, minus its own wait.
        if (liveJson[i].expiry !== null) expect(Math.abs(replayJson[i].expiry! - liveJson[i].expiry!)).toBeLessThanOrEqual(2)
        else expect(replayJson[i].expiry).toBeNull()
      }
      const byTopic = (list: typeof liveJson, topic: string) => list.find((j) => j.rest.topic === topic)!
      expect(byTopic(liveJson, 'fid/inter').userProperties).toBe('{"a":"1","b":"3","a":"2"}')
      expect(byTopic(liveJson, 'fid/json').userProperties).toBe('{"a":"1","a":"2","b":"3"}')
      expect(byTopic(replayJson, 'fid/json').rest).toMatchObject({ qos: 0, properties: { 'content-type': 'application/json', 'payload-format-indicator': 1 }, payload: { n: 1, s: 'text' } })
      expect(byTopic(replayJson, 'fid/corr').expiry).toBeGreaterThan(3590)
      // Correlation data without a NUL, as raw bytes (read as latin1).
      expect(byTopic(replayJson, 'fid/corr').rest.properties).toMatchObject({ 'correlation-data': '\u0001\u0002\u00fe\u00ffA', 'response-topic': 'fid-reply/2' })
      // The payloads that are not JSON (binary, "kept state", "plain text") are empty lines; an empty payload is printed.
      expect(replayJson.map((j) => j.rest.topic ?? null)).toEqual(['fid/json', null, 'fid/corr', null, 'fid/inter', null, 'fid/empty'])

      // A raw mqtt.js observer: correlation data bytes (NUL included) and user property order.
      const pick = (p: IPublishPacket) => ({
        topic: p.topic,
        payload: Buffer.from(p.payload).toString('hex'),
        qos: p.qos,
        retain: p.retain,
        userProperties: userPropertyPairs(p),
        correlationData: p.properties?.correlationData ? Buffer.from(p.properties.correlationData).toString('hex') : undefined,
        contentType: p.properties?.contentType,
        responseTopic: p.properties?.responseTopic,
        payloadFormatIndicator: p.properties?.payloadFormatIndicator,
        subscriptionIdentifier: p.properties?.subscriptionIdentifier,
      })
      expect(replayed.packets.map(pick)).toEqual(live.packets.map(pick))
      const bin = replayed.packets.find((p) => p.topic === 'fid/bin')!
      expect(Buffer.from(bin.properties!.correlationData!).equals(Buffer.from([0x00, 0x01, 0x22, 0xfe, 0xff]))).toBe(true)
      expect(userPropertyPairs(replayed.packets.find((p) => p.topic === 'fid/inter')!)).toEqual([['a', '1'], ['a', '2'], ['b', '3']])
      expect(userPropertyPairs(replayed.packets.find((p) => p.topic === 'fid/text')!)).toEqual([['z', 'last name first'], ['y', '1'], ['y', '2']])

      // Retain kept: the replica now holds the retained message, as a new subscriber sees.
      const late = startPeer('mosquitto_sub', ['-h', '127.0.0.1', '-p', String(replica.port), '-V', '5', '-t', 'fid/#', '-F', '%t %r %x', '-C', '1', '-W', '10'])
      expect(lines(await late.exited())).toEqual([`fid/retained 1 ${hex('kept state')}`])
    } finally {
      await live.end()
      await replayed?.end()
    }
  }, 90_000)
})
