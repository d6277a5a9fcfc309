/**
 * The processes of a benchmark run. Each role runs in its own Node process (forked with IPC), so
 * the publisher, the reference subscriber and ours never share an event loop.
 * - publisher: publishes a load as fast as the socket takes it.
 * - sub-ref:   a bare mqtt.js subscriber that only counts (the reference).
 * - sub-ours:  the app's real engine: ConnectionManager (sessions, message batches for the
 *              renderer) tapped by the TreeManager, with one view open three levels deep whose
 *              frames are serialized as JSON as they would be for the wire. With `record`, the
 *              RecordingManager taps it too, after the tree, as in the app (record-firehose).
 */
import { randomUUID } from 'node:crypto'
import mqtt, { type MqttClient } from 'mqtt'
import { ProfileSpec, type Profile, type TreeViewFrame } from '../../electron/api'
import { readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ConnectionManager } from '../../electron/core/connections/connection-manager'
import { RecordingManager } from '../../electron/core/recording/recording-manager'
import { readRecording } from '../../electron/core/recording/recording-source'
import { compileFilter, FilterScan } from '../../electron/core/tree/filters'
import { treeService } from '../../electron/core/tree/service'
import { TreeManager } from '../../electron/core/tree/tree-manager'
import type { TreeFilterSpec } from '../../electron/api/tree'
import { firehoseTopic, jsonPayload, retainedTopic, scaleTopic } from './load'

export type LoadName = 'firehose' | 'retained' | 'scale'
const TOPICS: Record<LoadName, (i: number) => string> = { firehose: firehoseTopic, retained: retainedTopic, scale: scaleTopic }

/** What one role process is asked to do (BENCH_ROLE, JSON). */
export interface RoleConfig {
  role: 'publisher' | 'sub-ref' | 'sub-ours'
  broker: Broker
  load: LoadName
  count: number
  retain?: boolean
  filter?: string
  /** sub-ours records everything it receives (record-firehose). */
  record?: boolean
}

export async function runRole(config: RoleConfig): Promise<void> {
  if (config.role === 'publisher') await publisher(config.broker, config.load, config.count, config.retain ?? false)
  else await subscriber(config.role, config.broker, config.filter ?? '#', config.count, config.load, config.record ?? false)
  process.disconnect?.()
}

export interface Broker {
  port: number
  caPem: string
}

/** Epoch ms with sub-ms precision, comparable across processes. */
export const now = () => performance.timeOrigin + performance.now()

export interface SubscriberReport {
  role: 'sub-ref' | 'sub-ours'
  received: number
  /** When the subscription was sent. */
  subscribedAt: number
  firstAt: number
  lastAt: number
  peakRss: number
  /** CPU time (user + system) this process spent from the subscription to the last message. */
  cpuMs: number
  /** The same for the main thread alone (Linux, 10 ms ticks): what the recorder's worker thread takes off it. */
  mainThreadCpuMs?: number
  rssAfterGc: number
  heapAfterGc: number
  counted?: number
  topics?: number
  frames?: number
  frameBytes?: number
  filters?: { name: string; ms: number; matched: number }[]
  /** With `record`: messages in the recording file once the recorder stopped, and its size. */
  recorded?: number
  recordedBytes?: number
}

/** The main thread's CPU time in ms (utime + stime of its /proc task, in 10 ms ticks), or undefined off Linux. */
function mainThreadCpuMs(): number | undefined {
  try {
    const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1].split(' ')
    return (Number(fields[11]) + Number(fields[12])) * 10
  } catch {
    return undefined
  }
}

function connect(broker: Broker, clientId: string): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    const client = mqtt.connect({
      protocol: 'mqtts',
      host: '127.0.0.1',
      port: broker.port,
      ca: broker.caPem,
      servername: 'localhost',
      rejectUnauthorized: true,
      protocolVersion: 5,
      clientId,
      reconnectPeriod: 0,
      keepalive: 120,
    })
    client.once('connect', () => resolve(client))
    client.once('error', reject)
  })
}

function send(message: unknown): void {
  process.send?.(message)
}

function nextMessage<T>(): Promise<T> {
  return new Promise((resolve) => process.once('message', (m) => resolve(m as T)))
}

export async function publisher(broker: Broker, load: LoadName, count: number, retain: boolean): Promise<void> {
  const client = await connect(broker, `bench-pub-${process.pid}`)
  const topic = TOPICS[load]
  const startedAt = now()
  for (let i = 0; i < count; i++) {
    const last = i === count - 1
    // Wait for the socket every 512 messages so we never run far ahead of it; the last one is
    // QoS 1, so its PUBACK means the broker has processed everything before it.
    if ((i & 511) === 511 || last) {
      await new Promise<void>((resolve, reject) =>
        client.publish(topic(i), jsonPayload(i), { qos: last ? 1 : 0, retain }, (err) => (err ? reject(err) : resolve())),
      )
    } else client.publish(topic(i), jsonPayload(i), { qos: 0, retain })
  }
  send({ type: 'published', startedAt, endedAt: now() })
  await client.endAsync()
}

/** The profile our engine connects with: what a user would set up for the bench broker. */
function benchProfile(broker: Broker): Profile {
  const spec = ProfileSpec.parse({
    name: 'bench',
    scheme: 'mqtts',
    host: '127.0.0.1',
    port: broker.port,
    protocolVersion: 5,
    keepalive: 120,
    subscriptions: [],
    reconnect: { enabled: false },
    tls: { ca: [{ name: 'bench-ca.pem', pem: broker.caPem }], useSystemRoots: false, servername: 'localhost' },
  })
  const now = new Date().toISOString()
  return { ...spec, id: `bench-${randomUUID()}`, createdAt: now, updatedAt: now }
}

/** A subscriber's side of the measurement: connect, subscribe on cue, count. */
interface Receiver {
  subscribe(filter: string): Promise<void>
  /** Called with every message. */
  onMessage(count: () => void): void
  close(): Promise<void>
}

function bareReceiver(client: MqttClient): Receiver {
  return {
    subscribe: async (filter) => void (await client.subscribeAsync(filter, { qos: 0 })),
    onMessage: (count) => client.on('message', count),
    close: () => client.endAsync(),
  }
}

export async function subscriber(role: 'sub-ref' | 'sub-ours', broker: Broker, filter: string, expected: number, load: LoadName, record = false): Promise<void> {
  let peakRss = 0
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 100)
  let received = 0
  let firstAt = 0
  let lastAt = 0
  let done: () => void = () => {}
  const finished = new Promise<void>((resolve) => (done = resolve))
  const count = () => {
    if (++received === 1) firstAt = now()
    if (received === expected) {
      lastAt = now()
      cpuAtLast = process.cpuUsage(cpuAtSubscribe)
      mainAtLast = mainThreadCpuMs()
      done()
    }
  }

  let frames = 0
  let frameBytes = 0
  let trees: TreeManager | null = null
  let recording: { dataDir: string; manager: RecordingManager; recorderId: string } | null = null
  let connectionId = ''
  let receiver: Receiver
  if (role === 'sub-ours') {
    const profile = benchProfile(broker)
    connectionId = profile.id
    const service = (trees = new TreeManager({
      emit: () => {},
      emitTo: (_peer, _name, frame) => {
        frames++
        frameBytes += JSON.stringify(frame as TreeViewFrame).length
      },
    }))
    let counter: () => void = () => {}
    if (record) {
      const dataDir = await mkdtemp(join(tmpdir(), 'mqtts-bench-record-'))
      recording = { dataDir, manager: new RecordingManager({ dataDir, emit: () => {}, profile: async () => profile, connectionState: (id) => manager.list().find((s) => s.connectionId === id) }), recorderId: '' }
    }
    const recorder = recording
    const onRecordMessage = recorder?.manager.onMessage ?? (() => {})
    const manager: ConnectionManager = new ConnectionManager({
      onState: (state) => recorder?.manager.onState(state),
      // The renderer's message list gets these batches; serialize them as the wire would.
      onBatch: (batch) => void JSON.stringify(batch),
      onMessage: (id, topic, payload, packet, time) => {
        service.onMessage(id, topic, payload, packet, time)
        onRecordMessage(id, topic, payload, packet, time)
        counter()
      },
    })
    await manager.connect(profile, {})
    if (recorder) recorder.recorderId = (await recorder.manager.start({ connectionId, filters: [], gzip: false })).recorderId
    const handlers = treeService(service)
    const context = { peerId: 'bench-window' }
    const view = await handlers['tree.view.open']({ connectionId, window: { offset: 0, count: 60 }, sort: 'name', expanded: [], filter: null, selected: null }, context)
    await handlers['tree.view.expandToDepth']({ viewId: view.viewId, depth: 3 }, context)
    receiver = {
      subscribe: async (f) => void (await manager.subscribe(connectionId, { filter: f, qos: 0, noLocal: false, retainAsPublished: false, retainHandling: 0 })),
      onMessage: (c) => (counter = c),
      close: () => manager.closeAll(),
    }
  } else {
    receiver = bareReceiver(await connect(broker, `bench-${role}-${process.pid}`))
  }
  receiver.onMessage(count)

  send({ type: 'connected' })
  await nextMessage<{ type: 'subscribe' }>()
  const subscribedAt = now()
  const cpuAtSubscribe = process.cpuUsage()
  const mainAtSubscribe = mainThreadCpuMs()
  let cpuAtLast: NodeJS.CpuUsage | null = null
  let mainAtLast: number | undefined
  await receiver.subscribe(filter)
  send({ type: 'ready' })
  // Stop waiting when nothing arrived for a while: what is missing then is lost.
  let lastSeen = received
  const idle = setInterval(() => {
    if (received === lastSeen && received > 0) done()
    lastSeen = received
  }, 20_000)
  await finished
  clearInterval(idle)
  clearInterval(sampler)
  peakRss = Math.max(peakRss, process.memoryUsage.rss())
  if (lastAt === 0) lastAt = now()
  const cpu = cpuAtLast ?? process.cpuUsage(cpuAtSubscribe)

  const tree = trees?.treeOf(connectionId) ?? null
  const filters: SubscriberReport['filters'] = []
  if (tree !== null && load === 'scale') {
    const specs: [string, TreeFilterSpec][] = [
      ['substring "dev12345"', { mode: 'substring', text: 'dev12345', matchPayload: false, caseSensitive: false }],
      ['regex "g4\\d/dev\\d*7$"', { mode: 'regex', text: 'g4\\d/dev\\d*7$', matchPayload: false, caseSensitive: false }],
      ['mqtt "scale/b7/+/#"', { mode: 'mqtt', text: 'scale/b7/+/#', matchPayload: false, caseSensitive: false }],
      ['substring on payload "seq\\":99999"', { mode: 'substring', text: 'seq":99999', matchPayload: true, caseSensitive: false }],
    ]
    for (const [name, spec] of specs) {
      const compiled = compileFilter(spec)
      if (!compiled.ok) throw new Error(compiled.error)
      const scan = new FilterScan(tree, compiled.filter)
      await scan.run()
      filters.push({ name, ms: scan.elapsedMs, matched: scan.matched })
    }
  }
  // Let the view's timer send the frame that shows the end state.
  if (trees !== null) await new Promise((r) => setTimeout(r, 120))
  const counted = tree?.messageCount
  const topics = tree?.topicCount
  let recorded: number | undefined
  let recordedBytes: number | undefined
  if (recording) {
    // What the file holds once the recorder has written its last batch: the "0 lost" check.
    const stopped = await recording.manager.stop(recording.recorderId)
    recordedBytes = stopped.fileBytes
    recorded = 0
    for await (const item of readRecording(await recording.manager.store.path(stopped.recordingId))) if (item.kind === 'message') recorded++
    await rm(recording.dataDir, { recursive: true, force: true })
  }
  const gc = (globalThis as { gc?: () => void }).gc
  gc?.()
  const memory = process.memoryUsage()
  const report: SubscriberReport = {
    role,
    received,
    subscribedAt,
    firstAt,
    lastAt,
    peakRss,
    cpuMs: (cpu.user + cpu.system) / 1000,
    mainThreadCpuMs: mainAtLast !== undefined && mainAtSubscribe !== undefined ? mainAtLast - mainAtSubscribe : undefined,
    rssAfterGc: memory.rss,
    heapAfterGc: memory.heapUsed,
    counted,
    topics,
    frames,
    frameBytes,
    filters,
    recorded,
    recordedBytes,
  }
  send({ type: 'report', report })
  // Keep the tree alive until after the measurement above.
  if (tree !== null && tree.messageCount < 0) console.log('unreachable')
  trees?.close()
  await receiver.close()
}
