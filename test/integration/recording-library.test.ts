/**
 * The recordings library and the recorder's options, through the whole service against a real
 * mosquitto over TLS: chosen filters, rotation into numbered parts that each stand alone,
 * rename and delete (refused while a recorder writes), and a persistent QoS 1 session that loses
 * nothing across a broker restart in the middle of a recording.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import mqtt, { type MqttClient } from 'mqtt'
import type { ConnectionState, RecorderState } from '../../electron/api'
import { RecordingStore } from '../../electron/core/recording/recording-store'
import { readRecording, type RecordingItem } from '../../electron/core/recording/recording-source'
import { startPublishWorld, type PublishWorld } from './publish-helpers'
import { waitUntil } from '../fixtures/wait-for-line'

let world: PublishWorld
let publisher: MqttClient
let persistence: string

const connectPublisher = () =>
  mqtt.connectAsync({ host: 'localhost', port: world.broker.port, protocol: 'mqtts', ca: world.pki.root.cert.pem, protocolVersion: 5, clientId: 'library-test-publisher', reconnectPeriod: 0 })

beforeAll(async () => {
  persistence = await mkdtemp(join(tmpdir(), 'mqtts-rec-persist-'))
  // Persistence, so the session and its queued messages survive the broker restart below.
  world = await startPublishWorld({ extra: ['max_queued_messages 10000000', 'max_queued_bytes 0', 'persistence true', `persistence_location ${persistence}/`] })
  publisher = await connectPublisher()
}, 60_000)

afterAll(async () => {
  await publisher?.endAsync(true)
  await world?.close()
  await rm(persistence, { recursive: true, force: true })
})

const sub = (filter: string, qos: 0 | 1 | 2 = 1) => ({ filter, qos, noLocal: false, retainAsPublished: false, retainHandling: 0 as const })

async function connected(connectionId: string): Promise<ConnectionState> {
  return waitUntil(`connection ${connectionId} connected`, async () => {
    const list = await world.call('connections.list')
    return list.find((s) => s.connectionId === connectionId && s.status === 'connected' && s.subscriptions.every((s2) => s2.grantedQos !== null))
  }, 20_000)
}

async function recorderWith(recorderId: string, check: (r: RecorderState) => boolean, what: string, timeoutMs = 10_000): Promise<RecorderState> {
  return waitUntil(what, async () => (await world.call('recorder.list')).find((r) => r.recorderId === recorderId && check(r)), timeoutMs)
}

async function itemsOf(recordingId: string): Promise<RecordingItem[]> {
  const items: RecordingItem[] = []
  for await (const item of readRecording(await new RecordingStore(world.dataDir).path(recordingId))) items.push(item)
  return items
}
const topicsOf = (items: RecordingItem[]) => items.flatMap((i) => (i.kind === 'message' ? [i.message.topic] : []))

describe('recordings library', () => {
  it('records only the chosen filters', async () => {
    const connectionId = await world.connect('filtered', { subscriptions: [sub('lab/filter/#')] })
    await connected(connectionId)
    const started = await world.call('recorder.start', { connectionId, filters: ['lab/filter/keep/#'], gzip: false })
    for (const t of ['lab/filter/keep/a', 'lab/filter/drop/b', 'lab/filter/keep/c/d', 'lab/filter/other']) await publisher.publishAsync(t, Buffer.from(t), { qos: 1 })
    // The last one is kept: once it is recorded, everything before it was seen.
    await publisher.publishAsync('lab/filter/keep/last', Buffer.from('x'), { qos: 1 })
    await recorderWith(started.recorderId, (r) => r.messages >= 3, '3 kept messages recorded')
    const stopped = await world.call('recorder.stop', { recorderId: started.recorderId })
    expect(stopped.messages).toBe(3)
    const items = await itemsOf(stopped.recordingId)
    expect(topicsOf(items)).toEqual(['lab/filter/keep/a', 'lab/filter/keep/c/d', 'lab/filter/keep/last'])
    const header = items.find((i) => i.kind === 'header')
    expect(header?.kind === 'header' && header.header.filters).toEqual(['lab/filter/keep/#'])
    await world.call('connections.disconnect', { connectionId })
  }, 60_000)

  it('rotates into numbered parts that each open on their own and together hold every message', async () => {
    const connectionId = await world.connect('rotating', { subscriptions: [sub('lab/rot/#')] })
    await connected(connectionId)
    const started = await world.call('recorder.start', { connectionId, gzip: false, name: 'rotation', maxBytes: 64 * 1024 })
    const payload = Buffer.alloc(1000, 0x72)
    const total = 300
    // In rounds, so batches reach the disk between them and the size limit is met more than once.
    for (let i = 0; i < total; i += 50) {
      await Promise.all(Array.from({ length: 50 }, (_, k) => publisher.publishAsync(`lab/rot/${i + k}`, payload, { qos: 1 })))
      await recorderWith(started.recorderId, (r) => r.messages >= i + 50, `${i + 50} messages recorded`)
      await new Promise((r) => setTimeout(r, 1100))
    }
    const stopped = await world.call('recorder.stop', { recorderId: started.recorderId })
    expect(stopped.messages).toBe(total)
    // 300 lines of about 1.4 kB (base64) at 64 KiB a part: at least 5 parts.
    expect(stopped.recordingIds.length).toBeGreaterThanOrEqual(5)
    const library = await world.call('recordings.list')
    const parts = stopped.recordingIds.map((id) => library.find((r) => r.id === id)!)
    expect(parts.every(Boolean)).toBe(true)
    expect(parts[0].name).toBe('rotation')
    expect(parts[1].name).toBe('rotation (part 2)')
    expect(parts.reduce((n, p) => n + p.messageCount, 0)).toBe(total)

    const all: string[] = []
    for (const [i, id] of stopped.recordingIds.entries()) {
      const items = await itemsOf(id)
      const header = items[0]
      expect(header.kind).toBe('header')
      if (header.kind === 'header') expect(header.header.part).toBe(i + 1)
      // Each part's offsets start at its own start.
      const offsets = items.flatMap((it) => (it.kind === 'message' ? [it.message.offsetUs] : []))
      expect(offsets.length).toBeGreaterThan(0)
      expect([...offsets].sort((a, b) => a - b)).toEqual(offsets)
      all.push(...topicsOf(items))
    }
    expect(all).toEqual(Array.from({ length: total }, (_, i) => `lab/rot/${i}`))
    await world.call('connections.disconnect', { connectionId })
  }, 90_000)

  it('renames and deletes, and refuses to delete a recording that is being written', async () => {
    const connectionId = await world.connect('library', { subscriptions: [sub('lab/lib/#')] })
    await connected(connectionId)
    const started = await world.call('recorder.start', { connectionId, gzip: true })
    await publisher.publishAsync('lab/lib/one', Buffer.from('1'), { qos: 1 })
    await recorderWith(started.recorderId, (r) => r.messages >= 1, 'one message recorded')
    await expect(world.call('recordings.delete', { recordingId: started.recordingId })).rejects.toMatchObject({ code: 'RECORDING_BUSY' })
    const live = (await world.call('recordings.list')).find((r) => r.id === started.recordingId)
    expect(live?.recording).toBe(true)
    const stopped = await world.call('recorder.stop', { recorderId: started.recorderId })

    // A recording opened offline is no broker to record from.
    await expect(world.call('recorder.start', { connectionId: `offline:${stopped.recordingId}` })).rejects.toMatchObject({ code: 'OFFLINE_READ_ONLY' })
    // Browser mode has no save dialog: the sentence points to Download.
    await expect(world.call('recordings.saveAs', { id: stopped.recordingId })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/Download/) })
    const renamed = await world.call('recordings.rename', { recordingId: stopped.recordingId, name: 'Line 3 — night shift' })
    expect(renamed).toMatchObject({ name: 'Line 3 — night shift', messageCount: 1, gzip: true, recording: false })
    // The name is stored, not only answered: a new service on the same data folder lists it.
    await world.restart()
    expect((await world.call('recordings.list')).find((r) => r.id === stopped.recordingId)?.name).toBe('Line 3 — night shift')

    await world.call('recordings.delete', { recordingId: stopped.recordingId })
    expect((await world.call('recordings.list')).some((r) => r.id === stopped.recordingId)).toBe(false)
    const left = await readdir(join(world.dataDir, 'recordings'))
    expect(left.filter((f) => f.startsWith(stopped.recordingId))).toEqual([])
    await expect(world.call('recordings.rename', { recordingId: stopped.recordingId, name: 'x' })).rejects.toMatchObject({ code: 'RECORDING_NOT_FOUND' })
  }, 60_000)

  it('loses nothing across a broker restart with a persistent QoS 1 session, and marks the gap', async () => {
    const connectionId = await world.connect('persistent', {
      clientId: `rec-persistent-${process.pid}`,
      cleanStart: false,
      sessionExpiryInterval: 600,
      subscriptions: [sub('lab/persist/#', 1)],
      // Slow to come back, so the messages below are queued by the broker while we are away.
      reconnect: { enabled: true, initialDelayMs: 3000, maxDelayMs: 3000 },
    })
    await connected(connectionId)
    const started = await world.call('recorder.start', { connectionId, gzip: false })
    for (let i = 0; i < 20; i++) await publisher.publishAsync(`lab/persist/${i % 4}`, Buffer.from(String(i)), { qos: 1 })
    await recorderWith(started.recorderId, (r) => r.messages >= 20, 'messages before the restart')

    await publisher.endAsync(true)
    await world.broker.restart()
    await recorderWith(started.recorderId, (r) => r.gaps >= 1, 'the outage counted', 20_000)
    publisher = await connectPublisher()
    // Published while our session is away: the broker keeps them for it.
    for (let i = 20; i < 60; i++) await publisher.publishAsync(`lab/persist/${i % 4}`, Buffer.from(String(i)), { qos: 1 })
    await recorderWith(started.recorderId, (r) => r.messages >= 60, 'every message after the reconnect', 30_000)
    const stopped = await world.call('recorder.stop', { recorderId: started.recorderId })

    const items = await itemsOf(stopped.recordingId)
    const payloads = items.flatMap((i) => (i.kind === 'message' ? [Number(i.message.payload.toString())] : []))
    expect(new Set(payloads).size).toBe(60)
    expect([...new Set(payloads)].sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => i))
    // The gap line sits between the last message before the outage and the first after it.
    const gapAt = items.findIndex((i) => i.kind === 'gap')
    expect(gapAt).toBeGreaterThan(0)
    const before = items.slice(0, gapAt).flatMap((i) => (i.kind === 'message' ? [Number(i.message.payload.toString())] : []))
    expect(Math.max(...before)).toBe(19)
    expect(stopped.gaps).toBe(1)
    await world.call('connections.disconnect', { connectionId })
  }, 90_000)
})
