/**
 * `publish-rate`: a repeat job publishing as fast as allowed to mosquitto over TLS, against a
 * bare mqtt.js publisher in the same run. Ours is the app's engine (ConnectionManager +
 * PublishManager, `repeat.start` with pace `max`); the reference publishes the same messages in a
 * loop and waits for the last callback. A `mosquitto_sub` (a peer we did not write) counts what
 * arrives, per run topic, and the rate is messages over the time until it counted the last one;
 * lost = published − counted. QoS 0 and QoS 1, in alternating rounds (each side first as often
 * as last); each side's best round counts, since load on a shared machine only ever adds time.
 */
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import mqtt from 'mqtt'
import { OutgoingMessage, ProfileSpec, type Profile, type RepeatJob } from '../../electron/api'
import { ConnectionManager } from '../../electron/core/connections/connection-manager'
import { NO_SCHEMAS } from '../../electron/core/decode/types'
import { PublishHistoryStore } from '../../electron/core/publish/history-store'
import { PublishManager } from '../../electron/core/publish/publish-manager'
import { TemplateStore } from '../../electron/core/publish/template-store'
import { startMosquitto } from '../fixtures/mosquitto'
import type { TestPki } from '../fixtures/pki'
import { rateRow, valueRow, type ResultRow } from './report'

/** BENCH_PUBLISH_SCALE=0.1 runs a tenth of the messages (a quick look). */
const SCALE = Number(process.env.BENCH_PUBLISH_SCALE ?? 1)
const COUNTS = { 0: Math.round(200_000 * SCALE), 1: Math.round(50_000 * SCALE) } as const
const ROUNDS = 3
const PAYLOAD = JSON.stringify({ device: 'bench-01', temperature: 21.5, humidity: 48, ok: true })

/** mosquitto_sub counting lines (one topic per message) per topic under bench/pub/, with the time each count was reached (replay-rate counts with it too). */
export function countingPeer(port: number, caPath: string): Promise<{ waitFor(topic: string, n: number, timeoutMs: number): Promise<{ at: number; counted: number }>; stop(): void }> {
  const child = spawn('mosquitto_sub', ['-h', 'localhost', '-p', String(port), '--cafile', caPath, '-V', '5', '-q', '1', '-i', 'bench-counter', '-t', 'bench/pub/#', '-F', '%t'], { stdio: ['ignore', 'pipe', 'inherit'] })
  const counts = new Map<string, number>()
  const lastAt = new Map<string, number>()
  let rest = ''
  child.stdout.setEncoding('utf8')
  child.stdout.on('data', (chunk: string) => {
    const lines = (rest + chunk).split('\n')
    rest = lines.pop() ?? ''
    const at = performance.now()
    for (const topic of lines) {
      counts.set(topic, (counts.get(topic) ?? 0) + 1)
      lastAt.set(topic, at)
    }
  })
  const ready = new Promise<void>((r) => setTimeout(r, 500))
  return ready.then(() => ({
    async waitFor(topic, n, timeoutMs) {
      const deadline = performance.now() + timeoutMs
      let seen = -1
      let quietSince = performance.now()
      for (;;) {
        const c = counts.get(topic) ?? 0
        if (c >= n) return { at: lastAt.get(topic)!, counted: c }
        if (c !== seen) {
          seen = c
          quietSince = performance.now()
        }
        // Nothing new for 3 s: what is missing is lost.
        if (performance.now() > deadline || performance.now() - quietSince > 3000) return { at: lastAt.get(topic) ?? performance.now(), counted: c }
        await new Promise((r) => setTimeout(r, 5))
      }
    },
    stop: () => child.kill('SIGTERM'),
  }))
}

async function bare(port: number, caPem: string, topic: string, qos: 0 | 1, count: number): Promise<number> {
  const client = await mqtt.connectAsync({ protocol: 'mqtts', host: '127.0.0.1', port, ca: caPem, servername: 'localhost', protocolVersion: 5, reconnectPeriod: 0, log: () => {} } as mqtt.IClientOptions)
  const payload = Buffer.from(PAYLOAD)
  const t0 = performance.now()
  if (qos === 0) {
    // As a script would: each publish awaited, so a full socket makes it wait (publishing 200k
    // without waiting hangs mqtt.js: each one adds a 'drain' listener, and removing 200k of
    // them one by one is quadratic).
    for (let i = 0; i < count; i++) await client.publishAsync(topic, payload, { qos })
    await client.endAsync()
    return t0
  }
  // QoS 1: all at once, answered as the PUBACKs come (mqtt.js does not hold back for the broker's Receive Maximum).
  await new Promise<void>((resolve, reject) => {
    let answered = 0
    for (let i = 0; i < count; i++) {
      client.publish(topic, payload, { qos }, (err) => {
        if (err) return reject(err)
        if (++answered === count) resolve()
      })
    }
  })
  await client.endAsync()
  return t0
}

/** One side's run: when it started (performance.now), and for ours the job's end state. */
export interface RateSideRun {
  t0: number
  job?: { state: string; sent: number; acknowledged: number }
}

/**
 * Rounds of ours and a reference in turns (ours, ref, ref, ours, …: each side as often first as
 * last), each counted by the peer to its last message; each side's best round counts, since load
 * on a shared machine only ever adds time. Returns the rate row and two informational rows.
 */
export async function alternatingRateRounds(options: {
  scenario: string
  label: string
  qos: 0 | 1
  count: number
  minRatio: number
  peer: Awaited<ReturnType<typeof countingPeer>>
  topic: (side: 'ours' | 'ref', round: number) => string
  ours: (topic: string) => Promise<RateSideRun>
  ref: (topic: string) => Promise<number>
}): Promise<ResultRow[]> {
  const { scenario, qos, count, peer } = options
  const rates = { ours: [] as number[], ref: [] as number[] }
  let lostOurs = 0
  let lostRef = 0
  let unacked = 0
  for (let round = 0; round < ROUNDS * 2; round++) {
    const side = round % 4 === 0 || round % 4 === 3 ? 'ours' : 'ref'
    const topic = options.topic(side, round)
    console.log(`  ${scenario}: QoS ${qos} round ${round + 1}/${ROUNDS * 2}: ${side === 'ours' ? 'ours' : 'bare mqtt.js'}`)
    const run: RateSideRun = side === 'ours' ? await options.ours(topic) : { t0: await options.ref(topic) }
    if (run.job) unacked += run.job.sent - run.job.acknowledged
    const { at, counted } = await peer.waitFor(topic, count, 120_000)
    if (side === 'ours') lostOurs = Math.max(lostOurs, count - counted)
    else lostRef = Math.max(lostRef, count - counted)
    rates[side].push((counted * 1000) / (at - run.t0))
    console.log(`    ${Math.round(rates[side].at(-1)!)} msg/s, ${count - counted} lost${run.job ? `, job ${run.job.state} ${run.job.acknowledged}/${run.job.sent}` : ''}`)
  }
  return [
    rateRow(scenario, options.label, 'msg/s', Math.max(...rates.ours), Math.max(...rates.ref), options.minRatio, lostOurs),
    valueRow(scenario, `QoS ${qos}: rounds in msg/s, ours ${rates.ours.map(Math.round).join('/')} ref ${rates.ref.map(Math.round).join('/')}`, 'rounds', rates.ours.length),
    valueRow(scenario, `QoS ${qos}: lost by the reference / not acknowledged (ours)`, 'msgs', lostRef, undefined, null, unacked),
  ]
}

export async function publishRate(pki: TestPki): Promise<ResultRow[]> {
  const broker = await startMosquitto({
    listeners: [{ tls: { cafile: pki.root.cert.path, certfile: pki.server.chain.path, keyfile: pki.server.key.path } }],
    // Unbounded queues so the counting subscriber never loses a burst. max_inflight_messages 0
    // also lifts mosquitto's Receive Maximum of 20 in CONNACK, which our engine honours (MQTT 5
    // §3.3.4) and the bare mqtt.js publisher ignores; the default's row follows separately.
    extra: ['log_type error', 'max_queued_messages 0', 'max_queued_bytes 0', ...(process.env.BENCH_PUBLISH_RECEIVE_MAX ? [] : ['max_inflight_messages 0'])],
  })
  const dir = await mkdtemp(join(tmpdir(), 'mqtts-bench-publish-'))
  const peer = await countingPeer(broker.port, pki.root.cert.path)
  const jobs = new Map<string, (job: RepeatJob) => void>()
  const connections = new ConnectionManager({ onState: (s) => publish.connectionState(s), onBatch: () => {} })
  const publish: PublishManager = new PublishManager({
    emit: (name, payload) => {
      if (name === 'repeat.progress') {
        const job = payload as RepeatJob
        if (job.state !== 'running') jobs.get(job.jobId)?.(job)
      }
    },
    history: await PublishHistoryStore.open(dir),
    templates: await TemplateStore.open(dir),
    channel: (id) => connections.channel(id),
    profileName: async () => 'bench',
    encodeContext: () => ({ schemas: NO_SCHEMAS }),
    storedMessage: () => {
      throw new Error('not used')
    },
  })
  const spec = ProfileSpec.parse({ name: 'bench publisher', scheme: 'mqtts', host: '127.0.0.1', port: broker.port, protocolVersion: 5, subscriptions: [], reconnect: { enabled: false }, tls: { ca: [{ name: 'root.crt', pem: pki.root.cert.pem }], useSystemRoots: false, servername: 'localhost' } })
  const profile: Profile = { ...spec, id: 'bench-publisher', createdAt: '', updatedAt: '' }
  await connections.connect(profile, {})

  const ours = async (topic: string, qos: 0 | 1, count: number): Promise<{ t0: number; job: RepeatJob }> => {
    const message = OutgoingMessage.parse({ topic, payload: { format: 'json', body: PAYLOAD, placeholders: false }, qos })
    const t0 = performance.now()
    const started = await publish.startRepeat(profile.id, message, { kind: 'max' }, { kind: 'count', count })
    const job = await new Promise<RepeatJob>((resolve) => jobs.set(started.jobId, resolve))
    return { t0, job }
  }

  const rows: ResultRow[] = []
  try {
    for (const qos of [0, 1] as const) {
      const count = COUNTS[qos]
      rows.push(...(await alternatingRateRounds({
        scenario: 'publish-rate',
        label: `QoS ${qos}, ${count.toLocaleString('en-US')} messages: rate vs a bare mqtt.js publisher`,
        qos,
        count,
        minRatio: qos === 0 ? 0.9 : 0.8,
        peer,
        topic: (side, round) => `bench/pub/q${qos}/${side}/${round}`,
        ours: (topic) => ours(topic, qos, count),
        ref: (topic) => bare(broker.port, pki.root.cert.pem, topic, qos, count),
      })))
    }
  } finally {
    await connections.closeAll()
    peer.stop()
    await broker.stop()
    await rm(dir, { recursive: true, force: true })
  }
  return rows
}
