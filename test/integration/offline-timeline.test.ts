/**
 * Recordings opened offline. The engine (OfflineManager with a real TreeManager and recording
 * store) against synthetic files written with format.ts, where every offset is known: the tree
 * at time t equals a fresh tree fed only the messages recorded up to t, whether t is reached by
 * seeking forward or back, stepping or playing, and a newer seek wins over one still running.
 * Then the whole service against a real mosquitto: a recording made by the recorder opens as a
 * read-only connection whose tree, inspector, diff and charts work, and which closes like a tab.
 */
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { gzipSync } from 'node:zlib'
import { join } from 'node:path'
import mqtt, { type MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ApiError, type ConnectionState, type EventName, type EventPayloads, type MethodName, type MethodParams, type MethodResult, type OfflineState } from '../../electron/api'
import { FORMAT_NAME, FORMAT_VERSION, gapLine, headerLine, messageLine, type RecordedMessage } from '../../electron/core/recording/format'
import { RecordingStore } from '../../electron/core/recording/recording-store'
import { readRecording } from '../../electron/core/recording/recording-source'
import { OfflineManager } from '../../electron/core/offline/offline-manager'
import { packetOf } from '../../electron/core/offline/recorded-packet'
import { createService, type Service } from '../../electron/core/service'
import { TreeManager } from '../../electron/core/tree/tree-manager'
import type { UndoneMessage } from '../../electron/core/tree/undo-log'
import { DEFAULT_SETTINGS, type TreeSettings } from '../../electron/api/settings'
import type { TopicTree } from '../../electron/core/tree/topic-tree'
import { historyLength, pathOf, payloadOf } from '../../electron/core/tree/topic-node'
import { startMosquitto, type MosquittoBroker } from '../fixtures/mosquitto'
import { callService } from '../fixtures/service-call'
import { waitUntil } from '../fixtures/wait-for-line'

const START_MS = Date.UTC(2026, 11, 1, 12, 0, 0)
let dir: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mqtts-offline-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

// ---- Synthetic recordings

/**
 * `count` messages 20 ms apart on 21 topics (7 devices × temp/state/cfg), every 10th sharing its
 * predecessor's offset, `cfg` retained, every 25th an empty retained payload (a deletion),
 * user properties (a repeated name) and a content type on some; one gap line after message 30.
 */
function syntheticMessages(count: number): RecordedMessage[] {
  const out: RecordedMessage[] = []
  for (let i = 0; i < count; i++) {
    const kind = ['temp', 'state', 'cfg'][i % 3]
    const deletion = i % 25 === 24 && kind === 'cfg'
    const offsetUs = i % 10 === 9 ? out[i - 1].offsetUs : i * 20_000
    out.push({
      offsetUs,
      wallMs: START_MS + offsetUs / 1000,
      topic: `plant/${i % 7}/${kind}`,
      qos: (i % 3) as 0 | 1 | 2,
      retain: kind === 'cfg',
      dup: false,
      onSubscribe: false,
      payload: deletion ? Buffer.alloc(0) : Buffer.from(JSON.stringify({ i, value: (i * 7) % 13 })),
      ...(i % 4 === 0 && { properties: { userProperties: [['k', 'a'], ['k', String(i)]], contentType: 'application/json' } }),
    })
  }
  return out
}

async function writeRecording(store: RecordingStore, messages: RecordedMessage[], options: { gapAfter?: number; cutLine?: string; gzip?: boolean } = {}): Promise<string> {
  await store.ensureDir()
  const { id, path } = await store.create(options.gzip ?? false)
  const header = headerLine({
    format: FORMAT_NAME, version: FORMAT_VERSION, app: 'test', startedAt: START_MS, startedAtIso: new Date(START_MS).toISOString(), monotonicStartNs: '0',
    broker: { url: 'mqtt://synthetic.test:1883', mqttVersion: 5, tls: null }, client: {}, subscriptions: [], filters: [], part: 1, name: 'synthetic',
  })
  const lines = [header]
  messages.forEach((m, i) => {
    lines.push(messageLine(m))
    if (i === options.gapAfter) lines.push(gapLine({ offsetUs: m.offsetUs + 1, wallMs: m.wallMs, durationUs: 5_000_000, reason: 'reconnect' }))
  })
  const text = lines.join('\n') + '\n'
  await writeFile(path, options.gzip ? gzipSync(text) : text)
  if (options.cutLine !== undefined) await appendFile(path, options.cutLine)
  return id
}

// ---- Tree state, read with the tree's own API

interface TopicState { payload: string; count: number; retained: boolean; qos: number; time: number; kept: number; properties: unknown }

function treeState(tree: TopicTree | undefined): { topics: Record<string, TopicState>; messages: number; topicCount: number } {
  const topics: Record<string, TopicState> = {}
  if (tree === undefined) return { topics, messages: 0, topicCount: 0 }
  for (const node of tree.nodes()) {
    if (!node.attached || node.ownCount === 0 || node.last === null) continue
    const last = node.last
    topics[pathOf(node)] = { payload: payloadOf(last).toString('base64'), count: node.ownCount, retained: node.retained, qos: last.qos, time: last.time, kept: historyLength(node), properties: last.properties }
  }
  return { topics, messages: tree.messageCount, topicCount: tree.topicCount }
}

/** A fresh tree fed only `messages`, the way a live connection would have fed it. */
function replayed(messages: RecordedMessage[], settings?: TreeSettings): ReturnType<typeof treeState> {
  const trees = new TreeManager({ emit: () => {}, emitTo: () => {}, settings })
  for (const m of messages) trees.onMessage('reference', m.topic, m.payload, packetOf(m), m.wallMs)
  const state = treeState(trees.treeOf('reference'))
  trees.close()
  return state
}

const upTo = (messages: RecordedMessage[], us: number) => messages.filter((m) => m.offsetUs <= us)

interface Engine {
  store: RecordingStore
  trees: TreeManager
  offline: OfflineManager
  events: OfflineState[]
  connections: ConnectionState[]
  close(): Promise<void>
}

/** With `undo`, the tree takes short backward moves back instead of a re-read, as the service wires it. */
function engine(options: { undo?: number; settings?: TreeSettings } = {}): Engine & { clears: number } {
  const store = new RecordingStore(join(dir, 'engine-data'))
  const trees = new TreeManager({ emit: () => {}, emitTo: () => {}, settings: options.settings, undoStepsFor: () => options.undo ?? 0 })
  const events: OfflineState[] = []
  const connections: ConnectionState[] = []
  const offline = new OfflineManager({
    recordings: store,
    emit: (name, payload) => {
      if (name === 'offline.state') events.push(payload as OfflineState)
      else connections.push(payload as ConnectionState)
    },
    onMessage: trees.onMessage,
    onClear: (id) => {
      made.clears++
      trees.clear(id)
    },
    onClose: (id) => trees.dropConnection(id),
    ...(options.undo !== undefined && { onUndo: (id: string, count: number) => trees.undo(id, count), onRedo: (id: string, m: UndoneMessage) => trees.redo(id, m) }),
  })
  const made = { store, trees, offline, events, connections, clears: 0, close: async () => (await offline.closeAll(), trees.close()) }
  return made
}

describe('a recording opened offline (engine, synthetic files)', () => {
  let e: Engine
  let messages: RecordedMessage[]
  let connectionId: string
  const tree = () => treeState(e.trees.treeOf(connectionId))

  beforeAll(async () => {
    e = engine()
    messages = syntheticMessages(200)
    const id = await writeRecording(e.store, messages, { gapAfter: 30 })
    const opened = await e.offline.open(id)
    connectionId = opened.connectionId
    await e.offline.get(connectionId).indexed
  })
  afterAll(() => e.close())

  it('opens at the end, indexed: the tree holds the whole recording, with its gap on the timeline', async () => {
    const state = e.offline.get(connectionId).state()
    expect(connectionId).toMatch(/^offline:/)
    expect(state).toMatchObject({ indexing: false, indexed: 200, messageCount: 200, position: 200, positionUs: messages[199].offsetUs, truncated: false, name: 'synthetic', brokerUrl: 'mqtt://synthetic.test:1883' })
    expect(state.gaps).toEqual([{ atUs: messages[30].offsetUs + 1, durationUs: 5_000_000 }])
    expect(tree()).toEqual(replayed(messages))
    // The last state event says the same.
    expect(e.events.at(-1)).toMatchObject({ indexing: false, position: 200 })
    // Opening it again gives the same connection, not a second copy of its messages.
    expect((await e.offline.open(e.offline.get(connectionId).info.id)).connectionId).toBe(connectionId)
    expect(tree()).toEqual(replayed(messages))
  })

  it('the tree state at time t equals a replay of the first t seconds, forward and backward, repeated', async () => {
    const end = messages[199].offsetUs
    // Exact offsets (messages at the same offset both count), between messages, 0, the end, back and forth.
    const times = [0, 1_000_000, 1_000_000, 180_000, 2_500_000, end, 599_999, 600_000, messages[9].offsetUs, end, 0, 3_333_333]
    for (const t of times) {
      const state = await e.offline.get(connectionId).seek(t)
      expect(state.positionUs, `positionUs after seek(${t})`).toBe(t)
      expect(state.position, `position after seek(${t})`).toBe(upTo(messages, t).length)
      expect(tree(), `tree at ${t} µs`).toEqual(replayed(upTo(messages, t)))
    }
    // Past the end the timeline stops at the last message.
    expect((await e.offline.get(connectionId).seek(end + 10_000_000)).positionUs).toBe(end)
    expect(tree()).toEqual(replayed(messages))
  })

  it('steps message by message and n at a time, both ways', async () => {
    const rec = e.offline.get(connectionId)
    await rec.seek(messages[50].offsetUs)
    let position = upTo(messages, messages[50].offsetUs).length
    for (const count of [1, 1, -1, 7, -20, 3, -1]) {
      const state = await rec.step(count)
      position += count
      expect(state.position).toBe(position)
      expect(state.positionUs).toBe(messages[position - 1].offsetUs)
      expect(tree(), `after step ${count} to ${position}`).toEqual(replayed(messages.slice(0, position)))
    }
    expect((await rec.step(-10_000)).position).toBe(0)
    expect(tree()).toEqual(replayed([]))
    expect((await rec.step(10_000)).position).toBe(200)
    expect(tree()).toEqual(replayed(messages))
  })

  it('plays at 10× from a position to the end', async () => {
    const rec = e.offline.get(connectionId)
    await rec.seek(1_000_000)
    const before = e.events.length
    const started = await rec.play(10)
    expect(started).toMatchObject({ playing: true, speed: 10 })
    const ended = await waitUntil('play to reach the end', () => e.events.slice(before).find((s) => !s.playing), 20_000)
    expect(ended.position).toBe(200)
    expect(tree()).toEqual(replayed(messages))
  })

  it('a second play changes the speed, and a seek while playing plays on from there', async () => {
    const rec = e.offline.get(connectionId)
    await rec.seek(0)
    await rec.play(1)
    expect((await rec.play(2)).speed).toBe(2)
    const sought = await rec.seek(2_000_000)
    expect(sought.playing).toBe(true)
    const paused = rec.pause()
    expect(paused.position).toBeGreaterThanOrEqual(upTo(messages, 2_000_000).length)
    expect(tree()).toEqual(replayed(messages.slice(0, paused.position)))
    const before = e.events.length
    await rec.play(100)
    await waitUntil('play at 100× to reach the end', () => e.events.slice(before).find((s) => !s.playing), 20_000)
    expect(tree()).toEqual(replayed(messages))
  })

  it('pauses where it is, and play at the end starts over', async () => {
    const rec = e.offline.get(connectionId)
    await rec.play(0.1)
    const paused = rec.pause()
    expect(paused.playing).toBe(false)
    expect(tree()).toEqual(replayed(messages.slice(0, paused.position)))
    const state = rec.state()
    expect(state.position).toBe(paused.position)
  })
})

describe('stepping back by undo (no re-read of the file)', () => {
  // Three messages a topic kept, so taking one back must bring back what its ring dropped.
  const settings: TreeSettings = { ...DEFAULT_SETTINGS.tree, historyMessagesPerTopic: 3 }

  it('steps and seeks back and forth: the tree equals a fresh replay each time, and only a long way back re-reads', async () => {
    const e = engine({ undo: 100, settings })
    // No retained deletions: undo stops at one (the test after this one shows it re-reads there).
    const messages = syntheticMessages(400).map((m) => (m.payload.length === 0 ? { ...m, payload: Buffer.from('{}') } : m))
    const id = await writeRecording(e.store, messages, { gapAfter: 30 })
    const { connectionId } = await e.offline.open(id)
    const rec = e.offline.get(connectionId)
    await rec.indexed
    const tree = () => treeState(e.trees.treeOf(connectionId))
    let position = 400
    for (const count of [-1, -1, -7, 3, -30, 1, 35, -2]) {
      const state = await rec.step(count)
      position += count
      expect(state.position).toBe(position)
      expect(state.positionUs).toBe(messages[position - 1].offsetUs)
      expect(state.messageCount, 'messages counted').toBe(400)
      expect(tree(), `after step ${count} to ${position}`).toEqual(replayed(messages.slice(0, position), settings))
    }
    // Seeks by time within the undo log's reach, back and then forward past where undo began.
    for (const t of [messages[380].offsetUs, messages[350].offsetUs - 1, messages[398].offsetUs, messages[360].offsetUs]) {
      const state = await rec.seek(t)
      expect(state.position, `position after seek(${t})`).toBe(upTo(messages, t).length)
      expect(tree(), `tree at ${t} µs`).toEqual(replayed(upTo(messages, t), settings))
    }
    expect(e.clears, 'no re-read so far').toBe(0)
    // Further back than the log holds: a re-read from the start, then undo again from there.
    await rec.seek(messages[100].offsetUs)
    expect(e.clears).toBe(1)
    expect(tree()).toEqual(replayed(upTo(messages, messages[100].offsetUs), settings))
    expect((await rec.step(-3)).position).toBe(upTo(messages, messages[100].offsetUs).length - 3)
    expect(e.clears).toBe(1)
    expect(tree()).toEqual(replayed(messages.slice(0, upTo(messages, messages[100].offsetUs).length - 3), settings))
    // Play from there to the end goes through what undo took back, then reads on.
    const before = e.events.length
    await rec.play(100)
    await waitUntil('play to reach the end', () => e.events.slice(before).find((s) => !s.playing), 20_000)
    expect(rec.state().position).toBe(400)
    expect(tree()).toEqual(replayed(messages, settings))
    await e.close()
  }, 60_000)

  it('re-reads from the start where undo must stop (a topic made again after its retained deletion), with the same tree', async () => {
    const e = engine({ undo: 100, settings })
    const messages = syntheticMessages(100)
    const id = await writeRecording(e.store, messages)
    const { connectionId } = await e.offline.open(id)
    const rec = e.offline.get(connectionId)
    await rec.indexed
    // Message 74 deletes the retained plant/4/cfg, and message 95 is the first of the topic made again.
    expect((await rec.step(-4)).position).toBe(96)
    expect(e.clears).toBe(0)
    expect(treeState(e.trees.treeOf(connectionId))).toEqual(replayed(messages.slice(0, 96), settings))
    expect((await rec.step(-26)).position).toBe(70)
    expect(e.clears).toBe(1)
    expect(treeState(e.trees.treeOf(connectionId))).toEqual(replayed(messages.slice(0, 70), settings))
    expect((await rec.step(30)).position).toBe(100)
    expect(treeState(e.trees.treeOf(connectionId))).toEqual(replayed(messages, settings))
    await e.close()
  })
})

describe('seeks that overlap', () => {
  it('lets the last seek win over those still running', async () => {
    const e = engine()
    const messages = syntheticMessages(60_000)
    const id = await writeRecording(e.store, messages)
    const { connectionId } = await e.offline.open(id)
    await e.offline.get(connectionId).indexed
    const rec = e.offline.get(connectionId)
    await rec.seek(messages[1000].offsetUs)
    const target = messages[30_000].offsetUs
    // A long forward seek, running, then a backward one and the one that counts, without waiting in between.
    let firstDone = false
    const first = rec.seek(messages[59_000].offsetUs).finally(() => (firstDone = true))
    await waitUntil('the first seek to be under way', () => firstDone || rec.position > 1001, 30_000)
    const all = await Promise.all([first, rec.seek(messages[10].offsetUs), rec.seek(target)])
    expect(all[2]).toMatchObject({ positionUs: target, position: upTo(messages, target).length })
    expect(rec.state().positionUs).toBe(target)
    expect(treeState(e.trees.treeOf(connectionId))).toEqual(replayed(upTo(messages, target)))
    await e.close()
  }, 120_000)

  it('seeks while the file is still being indexed, and the tree follows the seek', async () => {
    const e = engine()
    const messages = syntheticMessages(60_000)
    const id = await writeRecording(e.store, messages)
    const { connectionId } = await e.offline.open(id)
    const rec = e.offline.get(connectionId)
    const target = messages[20_000].offsetUs
    await rec.seek(target)
    await rec.indexed
    expect(rec.state()).toMatchObject({ indexing: false, indexed: 60_000, positionUs: target, position: upTo(messages, target).length })
    expect(treeState(e.trees.treeOf(connectionId))).toEqual(replayed(upTo(messages, target)))
    await e.close()
  }, 120_000)
})

describe('damaged and missing recordings', () => {
  it('opens a file cut mid-line as truncated, with every whole line before the cut', async () => {
    const e = engine()
    const messages = syntheticMessages(40)
    const id = await writeRecording(e.store, messages, { cutLine: '{"t":900000,"w":1,"topic":"plant/cut","qos":0,"ret' })
    const { connectionId } = await e.offline.open(id)
    await e.offline.get(connectionId).indexed
    expect(e.offline.get(connectionId).state()).toMatchObject({ truncated: true, indexed: 40, position: 40 })
    expect(treeState(e.trees.treeOf(connectionId))).toEqual(replayed(messages))
    await e.close()
  })

  it('opens a gzip recording and seeks back in it (re-inflated from the start)', async () => {
    const e = engine()
    const messages = syntheticMessages(300)
    const id = await writeRecording(e.store, messages, { gzip: true, gapAfter: 100 })
    const { connectionId } = await e.offline.open(id)
    const rec = e.offline.get(connectionId)
    await rec.indexed
    expect(rec.state()).toMatchObject({ indexed: 300, gaps: [{ atUs: messages[100].offsetUs + 1, durationUs: 5_000_000 }] })
    for (const t of [4_000_000, 1_500_000, 5_000_000]) {
      await rec.seek(t)
      expect(treeState(e.trees.treeOf(connectionId)), `tree at ${t} µs`).toEqual(replayed(upTo(messages, t)))
    }
    await e.close()
  })

  it('refuses an unknown recording with RECORDING_NOT_FOUND', async () => {
    const e = engine()
    await expect(e.offline.open('0123456789abcdef')).rejects.toMatchObject({ code: 'RECORDING_NOT_FOUND' })
    expect(() => e.offline.get('offline:nothing')).toThrow(ApiError)
    await e.close()
  })

  it('closes: the tree goes and the connection says disconnected', async () => {
    const e = engine()
    const id = await writeRecording(e.store, syntheticMessages(10))
    const { connectionId } = await e.offline.open(id)
    await e.offline.get(connectionId).indexed
    await e.offline.close(connectionId)
    expect(e.trees.treeOf(connectionId)).toBeUndefined()
    expect(e.connections.map((c) => c.status)).toEqual(['connected', 'disconnected'])
    expect(e.offline.connectionStates()).toEqual([])
    await e.close()
  })
})

// ---- The whole service, with a recording made from a real mosquitto

describe('an offline recording through the service', () => {
  let broker: MosquittoBroker
  let service: Service
  let publisher: MqttClient
  const events: Array<{ name: EventName; payload: unknown }> = []
  let recordingId: string
  let offlineId: string

  async function call<M extends MethodName>(method: M, params?: MethodParams<M>): Promise<MethodResult<M>> {
    return callService(service, method, params)
  }
  async function failure<M extends MethodName>(method: M, params?: MethodParams<M>): Promise<ApiError> {
    const err = await call(method, params).then(() => undefined, (e: unknown) => e)
    if (!(err instanceof ApiError)) throw new Error(`${method} should fail with an ApiError, got ${String(err)}`)
    return err
  }

  beforeAll(async () => {
    broker = await startMosquitto({ listeners: [{}] })
    service = await createService({
      dataDir: join(dir, 'service-data'),
      mode: 'browser',
      version: 'test',
      emit: <E extends EventName>(name: E, payload: EventPayloads[E]) => void events.push({ name, payload }),
    })
    const profile = await call('profiles.create', { spec: { name: 'recorded broker', scheme: 'mqtt', host: '127.0.0.1', port: broker.port, reconnect: { enabled: false }, subscriptions: [{ filter: 'site/#', qos: 1 }] } })
    await call('connections.connect', { profileId: profile.id })
    publisher = await mqtt.connectAsync({ host: '127.0.0.1', port: broker.port, protocolVersion: 5, clientId: 'offline-test-publisher', reconnectPeriod: 0 })
    const recorder = await call('recorder.start', { connectionId: profile.id, name: 'site traffic' })
    for (let i = 0; i < 30; i++) {
      await publisher.publishAsync(`site/line${i % 3}/temp`, JSON.stringify({ celsius: 20 + i, seq: i }), {
        qos: 1,
        retain: i % 3 === 0,
        properties: { userProperties: { unit: 'C', dup: ['x', String(i)] }, contentType: 'application/json' },
      })
    }
    await waitUntil('30 messages recorded', async () => (await call('recorder.list')).find((r) => r.recorderId === recorder.recorderId && r.messages >= 30), 20_000)
    recordingId = (await call('recorder.stop', { recorderId: recorder.recorderId })).recordingId
    await call('connections.disconnect', { connectionId: profile.id })
  }, 60_000)

  afterAll(async () => {
    await publisher?.endAsync()
    await service?.close()
    await broker?.stop()
  })

  it('opens as a read-only connection whose tree holds what the file holds', async () => {
    const opened = await call('offline.open', { recordingId })
    offlineId = opened.connectionId
    expect(offlineId).toBe(`offline:${recordingId}`)
    const indexed = await waitUntil('indexing to end', () => events.find((ev) => ev.name === 'offline.state' && (ev.payload as OfflineState).connectionId === offlineId && !(ev.payload as OfflineState).indexing)?.payload as OfflineState | undefined, 20_000)
    expect(indexed).toMatchObject({ messageCount: 30, indexed: 30, position: 30, name: 'site traffic' })

    const listed = (await call('connections.list')).find((c) => c.connectionId === offlineId)
    expect(listed).toMatchObject({ status: 'connected', offline: { recordingId }, name: 'site traffic', subscriptions: [], messageCount: 30 })
    expect(events.some((ev) => ev.name === 'connections.state' && (ev.payload as ConnectionState).connectionId === offlineId)).toBe(true)

    // The tree, read through its views, matches a replay of the recorded file.
    const recorded: RecordedMessage[] = []
    for await (const item of readRecording(await new RecordingStore(join(dir, 'service-data')).path(recordingId))) if (item.kind === 'message') recorded.push(item.message)
    const expected = replayed(recorded)
    const view = await call('tree.view.open', { connectionId: offlineId, window: { offset: 0, count: 100 }, expanded: ['site', 'site/line0', 'site/line1', 'site/line2'] })
    const rows = Object.fromEntries(view.rows.filter((r) => r.ownCount > 0).map((r) => [r.path, { count: r.ownCount, retained: r.retained }]))
    expect(rows).toEqual(Object.fromEntries(Object.entries(expected.topics).map(([path, t]) => [path, { count: t.count, retained: t.retained }])))
    expect(view.totals).toEqual({ messages: 30, topics: 3 })
    await call('tree.view.close', { viewId: view.viewId })
    // Messages keep their recorded times.
    const history = await call('tree.topic.history', { connectionId: offlineId, path: 'site/line0/temp', offset: 0, limit: 1 })
    expect(history[0].time).toBe(expected.topics['site/line0/temp'].time)
  })

  it('inspects, diffs and charts the offline connection like a live one', async () => {
    const latest = await call('inspect.decode', { message: { connectionId: offlineId, path: 'site/line1/temp', index: 0 } })
    expect(latest.detected).toBe('json')
    expect(latest.message.userProperties).toEqual([['unit', 'C'], ['dup', 'x'], ['dup', '28']])
    const older = await call('inspect.decode', { message: { connectionId: offlineId, path: 'site/line1/temp', index: 1 } })
    const diff = await call('inspect.diff', { left: older.docId, right: latest.docId })
    expect(JSON.stringify(diff)).toContain('25')
    expect(JSON.stringify(diff)).toContain('28')
    const series = await call('chart.add', { source: { connectionId: offlineId, topic: 'site/line2/temp', pointer: '/celsius' } })
    const points = await call('chart.points', { seriesId: series.seriesId, from: 0, maxPoints: 100 })
    expect(points.values).toEqual([22, 25, 28, 31, 34, 37, 40, 43, 46, 49])
    // Back in time the chart holds only what the tree holds.
    await call('offline.step', { connectionId: offlineId, count: -6 })
    const fewer = await call('chart.points', { seriesId: series.seriesId, from: 0, maxPoints: 100 })
    expect(fewer.values).toEqual([22, 25, 28, 31, 34, 37, 40, 43])
    await call('chart.remove', { seriesId: series.seriesId })
  })

  it('refuses to publish, subscribe or delete retained messages there with OFFLINE_READ_ONLY', async () => {
    const publish = await failure('connections.publish', { connectionId: offlineId, topic: 'site/x', payload: 'no', encoding: 'utf8', qos: 0, retain: false })
    expect(publish.code).toBe('OFFLINE_READ_ONLY')
    expect(publish.message).toMatch(/recording opened offline/)
    expect((await failure('connections.subscribe', { connectionId: offlineId, subscription: { filter: 'x/#', qos: 0 } })).code).toBe('OFFLINE_READ_ONLY')
    expect((await failure('publish.send', { connectionId: offlineId, message: { topic: 'site/x', payload: { format: 'text', body: 'no' } } })).code).toBe('OFFLINE_READ_ONLY')
    expect((await failure('tree.retained.delete', { connectionId: offlineId, path: 'site', subtree: true })).code).toBe('OFFLINE_READ_ONLY')
    expect((await failure('tree.clear', { connectionId: offlineId })).code).toBe('OFFLINE_READ_ONLY')
    expect(await call('messages.recent', { connectionId: offlineId, limit: 10 })).toEqual([])
  })

  it('closes with a disconnect: the tab goes, its state is gone, a missing recording is RECORDING_NOT_FOUND', async () => {
    const closed = await call('connections.disconnect', { connectionId: offlineId })
    expect(closed.status).toBe('disconnected')
    expect((await call('connections.list')).some((c) => c.connectionId === offlineId)).toBe(false)
    expect((await failure('offline.state', { connectionId: offlineId })).code).toBe('RECORDING_NOT_FOUND')
    expect((await failure('offline.open', { recordingId: 'fedcba9876543210' })).code).toBe('RECORDING_NOT_FOUND')
  })
})
