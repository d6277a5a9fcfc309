/**
 * Replay jobs through the whole service against a real mosquitto over TLS: the dry run's rows
 * (speed, gap cap, remap, window, filters, overrides), the other-broker confirmation, pause,
 * resume, step and stop with exact counts, loops, a target that drops, refused targets and
 * recordings, all observed by a plain mqtt.js subscriber.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import mqtt, { type MqttClient } from 'mqtt'
import type { ReplayJob } from '../../electron/api'
import { recorded, writeRecording } from '../fixtures/recording-file'
import { rejectsWith } from './connections-helpers'
import { eventsOf, startPublishWorld, waitUntil, type PublishWorld } from './publish-helpers'

let world: PublishWorld
let target: string
let url: string

beforeAll(async () => {
  world = await startPublishWorld()
  target = await world.connect('replay target')
  url = `mqtts://127.0.0.1:${world.broker.port}`
}, 60_000)

afterAll(async () => {
  await world?.close()
})

interface Seen {
  topic: string
  payload: string
  qos: number
  retain: boolean
}

/** A plain mqtt.js subscriber that keeps what arrives, in order. */
async function observer(filter: string): Promise<{ seen: Seen[]; end(): Promise<void> }> {
  const client: MqttClient = await mqtt.connectAsync({ protocol: 'mqtts', host: '127.0.0.1', port: world.broker.port, ca: world.pki.root.cert.pem, servername: 'localhost', protocolVersion: 5, reconnectPeriod: 0 })
  const seen: Seen[] = []
  client.on('message', (topic, payload, packet) => seen.push({ topic, payload: payload.toString(), qos: packet.qos, retain: packet.retain }))
  await client.subscribeAsync(filter, { qos: 2 })
  return { seen, end: () => client.endAsync(true) }
}

async function jobOf(jobId: string): Promise<ReplayJob> {
  return (await world.call('replay.list')).find((j) => j.jobId === jobId)!
}

function ended(jobId: string, timeoutMs = 30_000): Promise<ReplayJob> {
  return waitUntil(`replay ${jobId} to end`, () => eventsOf(world, 'replay.progress').find((j) => j.jobId === jobId && (j.state === 'done' || j.state === 'stopped' || j.state === 'failed')), timeoutMs)
}

/** `n` messages on `topic`, `stepUs` apart, payloads "0", "1", … */
function evenly(topic: string, n: number, stepUs: number, qos: 0 | 1 | 2 = 1) {
  return Array.from({ length: n }, (_, i) => recorded(i * stepUs, topic, String(i), { qos }))
}

describe('replay', () => {
  it('dry run lists what would be sent: speed, gap cap, remap (prefix and regex groups), window, filters, QoS and retain overrides', async () => {
    const recordingId = await writeRecording(world.dataDir, {
      brokerUrl: url,
      messages: [
        recorded(1_000_000, 'site/a/temp', 'a', { qos: 0 }),
        recorded(1_200_000, 'home/kitchen/light', 'bb', { qos: 1, retain: true, onSubscribe: true }),
        recorded(1_300_000, 'noise/x', 'ignored'),
        recorded(31_200_000, 'site/b/temp', 'ccc', { qos: 2 }),
        recorded(31_700_000, 'keep/this', 'dddd'),
        recorded(40_000_000, 'site/late', 'outside the window'),
      ],
    })
    const base = { recordingId, connectionId: target, selection: { fromUs: 1_000_000, toUs: 35_000_000, filters: ['site/#', 'home/#', 'keep/#'] } }
    const dry = await world.call('replay.dryRun', {
      ...base,
      speed: 2,
      maxGapMs: 1000,
      remap: [
        { kind: 'prefix', from: 'site/', to: 'replayed/site/' },
        { kind: 'regex', pattern: '^home/(?<room>[^/]+)/(\\w+)$', replacement: 'house/$2/$<room>' },
      ],
      retain: 'keep',
    })
    expect(dry.rows).toEqual([
      { offsetUs: 1_000_000, atMs: 0, topic: 'replayed/site/a/temp', originalTopic: 'site/a/temp', qos: 0, retain: false, size: 1 },
      { offsetUs: 1_200_000, atMs: 100, topic: 'house/light/kitchen', originalTopic: 'home/kitchen/light', qos: 1, retain: true, size: 2 },
      // 30 s gap capped to 1 s, then halved: 0.2 s + 1 s at 2× = 600 ms.
      { offsetUs: 31_200_000, atMs: 600, topic: 'replayed/site/b/temp', originalTopic: 'site/b/temp', qos: 2, retain: false, size: 3 },
      { offsetUs: 31_700_000, atMs: 850, topic: 'keep/this', qos: 0, retain: false, size: 4 },
    ])
    expect(dry).toMatchObject({ total: 4, durationMs: 850, otherBroker: null, retainWarning: true })

    const overridden = await world.call('replay.dryRun', { ...base, qos: 1, limit: 2 })
    expect(overridden.rows.map((r) => [r.topic, r.qos, r.retain, r.atMs])).toEqual([
      ['site/a/temp', 1, false, 0],
      ['home/kitchen/light', 1, false, 200],
    ])
    // Retain off (the default): nothing would overwrite the broker's retained state.
    expect(overridden).toMatchObject({ total: 4, durationMs: 30_700, retainWarning: false })
  })

  it('refuses another broker than the recording\'s until confirmed, naming both, and then replays into it', async () => {
    const recordingId = await writeRecording(world.dataDir, { brokerUrl: 'mqtts://broker.elsewhere.example:8883', messages: evenly('lab/replay/other', 3, 1000) })
    const refused = await rejectsWith(world.call('replay.start', { recordingId, connectionId: target }), 'REPLAY_OTHER_BROKER')
    expect(refused.message).toContain('mqtts://broker.elsewhere.example:8883')
    expect(refused.message).toContain(url)
    expect(refused.detail).toEqual({ recording: 'mqtts://broker.elsewhere.example:8883', target: url })
    const dry = await world.call('replay.dryRun', { recordingId, connectionId: target })
    expect(dry.otherBroker).toEqual({ recording: 'mqtts://broker.elsewhere.example:8883', target: url })

    const sub = await observer('lab/replay/other')
    try {
      const job = await world.call('replay.start', { recordingId, connectionId: target, confirmOtherBroker: true })
      expect(await ended(job.jobId)).toMatchObject({ state: 'done', sent: 3, acknowledged: 3, failed: 0, passes: 1 })
      await waitUntil('3 replayed messages', () => sub.seen.length >= 3)
      expect(sub.seen.map((m) => m.payload)).toEqual(['0', '1', '2'])
    } finally {
      await sub.end()
    }
  })

  it('pauses, steps one message at a time while paused, resumes and ends with exact counts', async () => {
    const recordingId = await writeRecording(world.dataDir, { brokerUrl: url, messages: evenly('lab/replay/pause', 40, 50_000) })
    const sub = await observer('lab/replay/pause')
    try {
      const job = await world.call('replay.start', { recordingId, connectionId: target })
      await waitUntil('a few sent', async () => (await jobOf(job.jobId)).sent >= 3)
      const paused = await world.call('replay.pause', { jobId: job.jobId })
      expect(paused.state).toBe('paused')
      await waitUntil('what was sent before the pause to arrive', () => sub.seen.length >= paused.sent)
      // Nothing more goes out while paused (the schedule would have sent several more by now).
      await new Promise((r) => setTimeout(r, 300))
      expect((await jobOf(job.jobId)).sent).toBe(paused.sent)
      expect(sub.seen.length).toBe(paused.sent)

      const stepped = await world.call('replay.step', { jobId: job.jobId })
      expect(stepped).toMatchObject({ state: 'paused', sent: paused.sent + 1 })
      await world.call('replay.step', { jobId: job.jobId })
      await waitUntil('the two stepped messages', () => sub.seen.length >= paused.sent + 2)
      expect(sub.seen.map((m) => m.payload)).toEqual(Array.from({ length: paused.sent + 2 }, (_, i) => String(i)))

      await rejectsWith(world.call('replay.step', { jobId: (await world.call('replay.resume', { jobId: job.jobId })).jobId }), 'BAD_REQUEST')
      const end = await ended(job.jobId)
      expect(end).toMatchObject({ state: 'done', sent: 40, acknowledged: 40, failed: 0, skipped: 0, passes: 1, total: 40, positionUs: 39 * 50_000 })
      expect(end.lateness).not.toBeNull()
      await waitUntil('all 40', () => sub.seen.length >= 40)
      expect(sub.seen.map((m) => m.payload)).toEqual(Array.from({ length: 40 }, (_, i) => String(i)))
      const progress = eventsOf(world, 'replay.progress').filter((j) => j.jobId === job.jobId)
      expect(progress.at(-1)!.state).toBe('done')
      expect(progress.filter((j) => j.state === 'done')).toHaveLength(1)
    } finally {
      await sub.end()
    }
  })

  it('stops at once with exact counts: what was sent is what arrived', async () => {
    const recordingId = await writeRecording(world.dataDir, { brokerUrl: url, messages: evenly('lab/replay/stop', 500, 20_000) })
    const sub = await observer('lab/replay/stop')
    try {
      const job = await world.call('replay.start', { recordingId, connectionId: target })
      await waitUntil('some sent', async () => (await jobOf(job.jobId)).sent >= 10)
      const stopped = await world.call('replay.stop', { jobId: job.jobId })
      expect(stopped.state).toBe('stopped')
      expect(stopped.sent).toBeLessThan(500)
      expect(stopped.acknowledged + stopped.failed).toBe(stopped.sent)
      await waitUntil('what was sent to arrive', () => sub.seen.length >= stopped.acknowledged)
      await new Promise((r) => setTimeout(r, 200))
      expect(sub.seen.length).toBe(stopped.sent)
      expect((await jobOf(job.jobId)).sent).toBe(stopped.sent)
      await rejectsWith(world.call('replay.resume', { jobId: job.jobId }), 'BAD_REQUEST')
    } finally {
      await sub.end()
    }
  })

  it('replays as fast as possible with every message acknowledged, in order', async () => {
    const recordingId = await writeRecording(world.dataDir, { brokerUrl: url, messages: evenly('lab/replay/fast', 3000, 1_000_000) })
    const sub = await observer('lab/replay/fast')
    try {
      // Recorded over 50 minutes; as fast as possible it takes moments.
      const job = await world.call('replay.start', { recordingId, connectionId: target, speed: null })
      expect(await ended(job.jobId)).toMatchObject({ state: 'done', sent: 3000, acknowledged: 3000, failed: 0, lateness: null, speed: null })
      await waitUntil('all 3000', () => sub.seen.length >= 3000, 20_000)
      expect(sub.seen.map((m) => Number(m.payload))).toEqual(Array.from({ length: 3000 }, (_, i) => i))
    } finally {
      await sub.end()
    }
  })

  it('loops: each pass re-reads the file and is counted', async () => {
    const recordingId = await writeRecording(world.dataDir, { brokerUrl: url, messages: evenly('lab/replay/loop', 3, 10_000) })
    const sub = await observer('lab/replay/loop')
    try {
      const job = await world.call('replay.start', { recordingId, connectionId: target, loop: true, speed: 10 })
      await waitUntil('three passes', async () => (await jobOf(job.jobId)).passes >= 3)
      const stopped = await world.call('replay.stop', { jobId: job.jobId })
      expect(stopped.state).toBe('stopped')
      expect(stopped.sent).toBeGreaterThanOrEqual(9)
      expect(stopped.sent).toBeGreaterThanOrEqual(stopped.passes * 3)
      expect(stopped.sent).toBeLessThan((stopped.passes + 1) * 3 + 1)
      await waitUntil('all sent to arrive', () => sub.seen.length >= stopped.sent)
      expect(sub.seen.map((m) => m.payload)).toEqual(Array.from({ length: stopped.sent }, (_, i) => String(i % 3)))
    } finally {
      await sub.end()
    }
  })

  it('skips messages whose remapped topic cannot be published, counts them and says why', async () => {
    const recordingId = await writeRecording(world.dataDir, { brokerUrl: url, messages: [recorded(0, 'lab/replay/skip/ok', '1'), recorded(1000, 'lab/replay/skip/bad', '2'), recorded(2000, 'lab/replay/skip/ok', '3')] })
    const sub = await observer('lab/replay/skip/#')
    try {
      const remap = [{ kind: 'regex' as const, pattern: '^lab/replay/skip/bad$', replacement: 'lab/+/bad' }]
      const dry = await world.call('replay.dryRun', { recordingId, connectionId: target, remap })
      expect(dry.total).toBe(2)
      const job = await world.call('replay.start', { recordingId, connectionId: target, remap })
      const end = await ended(job.jobId)
      expect(end).toMatchObject({ state: 'done', sent: 2, skipped: 1, acknowledged: 2 })
      expect(end.warnings.join(' ')).toContain('"lab/replay/skip/bad" remaps to "lab/+/bad", which holds a wildcard')
      await waitUntil('two messages', () => sub.seen.length >= 2)
      expect(sub.seen.map((m) => m.payload)).toEqual(['1', '3'])
    } finally {
      await sub.end()
    }
  })

  it('drops MQTT 5 properties into an MQTT 3.1.1 connection, and says so', async () => {
    const v4 = await world.connect('replay target 3.1.1', { protocolVersion: 4 })
    const recordingId = await writeRecording(world.dataDir, {
      brokerUrl: url,
      messages: [recorded(0, 'lab/replay/v4', 'with props', { qos: 1, properties: { contentType: 'text/plain', userProperties: [['k', 'v']] } })],
    })
    const sub = await observer('lab/replay/v4')
    try {
      const job = await world.call('replay.start', { recordingId, connectionId: v4 })
      const end = await ended(job.jobId)
      expect(end).toMatchObject({ state: 'done', sent: 1, acknowledged: 1 })
      expect(end.warnings).toContain('MQTT 5 properties were not sent: the target connection uses MQTT 3.1.1.')
      await waitUntil('the message', () => sub.seen.length >= 1)
      expect(sub.seen[0]).toMatchObject({ topic: 'lab/replay/v4', payload: 'with props', qos: 1 })
    } finally {
      await sub.end()
      await world.call('connections.disconnect', { connectionId: v4 })
    }
  })

  it('ends `failed` when the target connection goes down', async () => {
    const dropping = await world.connect('replay target that drops')
    const recordingId = await writeRecording(world.dataDir, { brokerUrl: url, messages: evenly('lab/replay/drop', 200, 50_000) })
    const job = await world.call('replay.start', { recordingId, connectionId: dropping })
    await waitUntil('some sent', async () => (await jobOf(job.jobId)).sent >= 3)
    await world.call('connections.disconnect', { connectionId: dropping })
    const end = await ended(job.jobId)
    expect(end.state).toBe('failed')
    expect(end.error?.code).toBe('CONNECTION_LOST')
    expect(end.error?.message).toMatch(/target connection dropped/)
    expect(end.acknowledged + end.failed).toBe(end.sent)
    expect(end.sent).toBeLessThan(200)
    // A connection that is not up is refused before anything runs.
    await rejectsWith(world.call('replay.start', { recordingId, connectionId: dropping }), 'MQTT_NOT_CONNECTED')
  })

  it('refuses an offline recording as a target, a missing recording, an unknown job and a remap pattern that is not a regular expression', async () => {
    const recordingId = await writeRecording(world.dataDir, { brokerUrl: url, messages: evenly('lab/replay/refused', 1, 0) })
    const offline = await rejectsWith(world.call('replay.start', { recordingId, connectionId: `offline:${recordingId}` }), 'OFFLINE_READ_ONLY')
    expect(offline.message).toMatch(/read-only/)
    await rejectsWith(world.call('replay.dryRun', { recordingId, connectionId: `offline:${recordingId}` }), 'OFFLINE_READ_ONLY')
    await rejectsWith(world.call('replay.start', { recordingId: 'no-such-recording', connectionId: target }), 'RECORDING_NOT_FOUND')
    await rejectsWith(world.call('replay.dryRun', { recordingId: 'no-such-recording', connectionId: target }), 'RECORDING_NOT_FOUND')
    await rejectsWith(world.call('replay.pause', { jobId: 'no-such-job' }), 'RECORDING_NOT_FOUND')
    await rejectsWith(world.call('replay.start', { recordingId, connectionId: 'no-such-connection' }), 'NOT_FOUND')
    const badPattern = await rejectsWith(world.call('replay.dryRun', { recordingId, connectionId: target, remap: [{ kind: 'prefix', from: 'a', to: 'b' }, { kind: 'regex', pattern: '(unclosed', replacement: 'x' }] }), 'BAD_REQUEST')
    expect(badPattern.message).toMatch(/^Remap rule 2 is not a valid regular expression \(\/\(unclosed\/: .+\): correct the pattern\.$/)
    await rejectsWith(world.call('replay.start', { recordingId, connectionId: target, remap: [{ kind: 'regex', pattern: '[', replacement: 'x' }] }), 'BAD_REQUEST')
  })
})
