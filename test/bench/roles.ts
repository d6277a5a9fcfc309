/**
 * The processes of a benchmark run. Each role runs in its own Node process (forked with IPC), so
 * the publisher, the reference subscriber and ours never share an event loop.
 * - publisher: publishes a load as fast as the socket takes it.
 * - sub-ref:   a bare mqtt.js subscriber that only counts (the reference).
 * - sub-ours:  the same subscriber feeding our topic tree plus one live view (frames serialized
 *              as JSON as they would be for the wire).
 */
import mqtt, { type MqttClient } from 'mqtt'
import { compileFilter, FilterScan } from '../../electron/core/tree/filters'
import { TopicTree } from '../../electron/core/tree/topic-tree'
import { ViewManager } from '../../electron/core/tree/view-manager'
import type { TreeFilterSpec } from '../../electron/api/tree'
import { firehoseTopic, jsonPayload, retainedTopic, scaleTopic } from './load'

export type LoadName = 'firehose' | 'retained' | 'scale'
const TOPICS: Record<LoadName, (i: number) => string> = { firehose: firehoseTopic, retained: retainedTopic, scale: scaleTopic }

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
  rssAfterGc: number
  heapAfterGc: number
  counted?: number
  topics?: number
  frames?: number
  frameBytes?: number
  filters?: { name: string; ms: number; matched: number }[]
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

export async function subscriber(role: 'sub-ref' | 'sub-ours', broker: Broker, filter: string, expected: number, load: LoadName): Promise<void> {
  let peakRss = 0
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 100)
  const client = await connect(broker, `bench-${role}-${process.pid}`)
  let received = 0
  let firstAt = 0
  let lastAt = 0
  let done: () => void = () => {}
  const finished = new Promise<void>((resolve) => (done = resolve))

  let tree: TopicTree | null = null
  let views: ViewManager | null = null
  let frames = 0
  let frameBytes = 0
  if (role === 'sub-ours') {
    tree = new TopicTree()
    views = new ViewManager({
      connectionId: 'bench',
      tree,
      emit: (frame) => {
        frames++
        frameBytes += JSON.stringify(frame).length
      },
    })
    const opened = views.open({ window: { offset: 0, count: 60 }, sort: 'name', expanded: [], selected: null })
    views.get(opened.viewId)?.expandToDepth(3)
    const t = tree
    client.on('message', (topic, payload, packet) => {
      t.insert(topic, payload, { qos: packet.qos, retain: packet.retain, properties: packet.properties as Record<string, unknown> | undefined })
      if (++received === 1) firstAt = now()
      if (received === expected) {
        lastAt = now()
        done()
      }
    })
  } else {
    client.on('message', () => {
      if (++received === 1) firstAt = now()
      if (received === expected) {
        lastAt = now()
        done()
      }
    })
  }

  send({ type: 'connected' })
  await nextMessage<{ type: 'subscribe' }>()
  const subscribedAt = now()
  await client.subscribeAsync(filter, { qos: 0 })
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
  views?.tick()
  const counted = tree?.messageCount
  const topics = tree?.topicCount
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
    rssAfterGc: memory.rss,
    heapAfterGc: memory.heapUsed,
    counted,
    topics,
    frames,
    frameBytes,
    filters,
  }
  send({ type: 'report', report })
  views?.dispose()
  // Keep `tree` alive until after the measurement above.
  if (tree !== null && tree.messageCount < 0) console.log('unreachable')
  await client.endAsync()
}
