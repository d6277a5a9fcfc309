/**
 * `replay-rate`: a replay as fast as possible (speed null) into mosquitto over TLS, against a bare
 * mqtt.js publisher of the same messages in the same run. Ours is the app's engine
 * (ConnectionManager + ReplayManager reading a recording file from the library: parsing, base64,
 * the plan, the in-flight window); the reference holds the payloads in memory and publishes them
 * in a loop. A `mosquitto_sub` (publish-rate's counting peer) counts what arrives per run topic;
 * the rate is messages over the time until it counted the last one; lost = sent − counted. Each
 * run's topic comes from the replay's own remap (a prefix rule). QoS 0 and QoS 1 in alternating
 * rounds (three each, as publish-rate); each side's best round counts, since load on a shared machine only ever adds time.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import mqtt from 'mqtt'
import { ProfileSpec, ReplayOptions, type Profile, type ReplayJob } from '../../electron/api'
import { ConnectionManager } from '../../electron/core/connections/connection-manager'
import { brokerUrl } from '../../electron/core/recording/recording-manager'
import { RecordingStore } from '../../electron/core/recording/recording-store'
import { ReplayManager } from '../../electron/core/replay/replay-manager'
import { startMosquitto } from '../fixtures/mosquitto'
import type { TestPki } from '../fixtures/pki'
import { recorded, writeRecording } from '../fixtures/recording-file'
import { countingPeer } from './publish-rate'
import { rateRow, valueRow, type ResultRow } from './report'

/** BENCH_REPLAY_SCALE=0.1 runs a tenth of the messages (a quick look). */
const SCALE = Number(process.env.BENCH_REPLAY_SCALE ?? 1)
const COUNTS = { 0: Math.round(100_000 * SCALE), 1: Math.round(50_000 * SCALE) } as const
const ROUNDS = 3
const SOURCE_TOPIC = 'recorded/sensor'

function payloadOf(i: number): Buffer {
  return Buffer.from(JSON.stringify({ device: 'bench-01', seq: i, temperature: 21.5, humidity: 48, ok: true }))
}

async function bare(port: number, caPem: string, topic: string, qos: 0 | 1, payloads: Buffer[]): Promise<number> {
  const client = await mqtt.connectAsync({ protocol: 'mqtts', host: '127.0.0.1', port, ca: caPem, servername: 'localhost', protocolVersion: 5, reconnectPeriod: 0, log: () => {} } as mqtt.IClientOptions)
  const t0 = performance.now()
  if (qos === 0) {
    // Each publish awaited, as publish-rate's reference does (200k un-awaited hang mqtt.js).
    for (const p of payloads) await client.publishAsync(topic, p, { qos })
  } else {
    await new Promise<void>((resolve, reject) => {
      let answered = 0
      for (const p of payloads) {
        client.publish(topic, p, { qos }, (err) => {
          if (err) return reject(err)
          if (++answered === payloads.length) resolve()
        })
      }
    })
  }
  await client.endAsync()
  return t0
}

export async function replayRate(pki: TestPki): Promise<ResultRow[]> {
  const broker = await startMosquitto({
    listeners: [{ tls: { cafile: pki.root.cert.path, certfile: pki.server.chain.path, keyfile: pki.server.key.path } }],
    // As publish-rate: unbounded queues, and no Receive Maximum of 20 that only ours would honour.
    extra: ['log_type error', 'max_queued_messages 0', 'max_queued_bytes 0', 'max_inflight_messages 0'],
  })
  const dir = await mkdtemp(join(tmpdir(), 'mqtts-bench-replay-'))
  const peer = await countingPeer(broker.port, pki.root.cert.path)
  const ended = new Map<string, (job: ReplayJob) => void>()
  const connections = new ConnectionManager({ onState: (s) => replays.connectionState(s), onBatch: () => {} })
  const spec = ProfileSpec.parse({ name: 'bench replayer', scheme: 'mqtts', host: '127.0.0.1', port: broker.port, protocolVersion: 5, subscriptions: [], reconnect: { enabled: false }, tls: { ca: [{ name: 'root.crt', pem: pki.root.cert.pem }], useSystemRoots: false, servername: 'localhost' } })
  const profile: Profile = { ...spec, id: 'bench-replayer', createdAt: '', updatedAt: '' }
  const replays: ReplayManager = new ReplayManager({
    store: new RecordingStore(dir),
    channel: (id) => connections.channel(id),
    profile: async () => profile,
    emit: (name, payload) => {
      if (name !== 'replay.progress') return
      const job = payload as ReplayJob
      if (job.state !== 'running' && job.state !== 'paused') ended.get(job.jobId)?.(job)
    },
  })
  await connections.connect(profile, {})

  const rows: ResultRow[] = []
  try {
    for (const qos of [0, 1] as const) {
      const count = COUNTS[qos]
      const payloads = Array.from({ length: count }, (_, i) => payloadOf(i))
      // Recorded 1 ms apart: as fast as possible ignores the recorded pace.
      const recordingId = await writeRecording(dir, { brokerUrl: brokerUrl(profile), messages: payloads.map((p, i) => recorded(i * 1000, SOURCE_TOPIC, p, { qos })) })
      const oursRates: number[] = []
      const refRates: number[] = []
      let lostOurs = 0
      let lostRef = 0
      let unacked = 0
      for (let round = 0; round < ROUNDS * 2; round++) {
        const side = round % 4 === 0 || round % 4 === 3 ? 'ours' : 'ref'
        const topic = `bench/pub/replay/q${qos}/${side}/${round}`
        console.log(`  replay-rate: QoS ${qos} round ${round + 1}/${ROUNDS * 2}: ${side === 'ours' ? 'ours' : 'bare mqtt.js'}`)
        if (side === 'ours') {
          const options = ReplayOptions.parse({ recordingId, connectionId: profile.id, speed: null, remap: [{ kind: 'prefix', from: SOURCE_TOPIC, to: topic }] })
          const t0 = performance.now()
          const started = await replays.start(options)
          const job = await new Promise<ReplayJob>((resolve) => ended.set(started.jobId, resolve))
          unacked += job.sent - job.acknowledged
          const { at, counted } = await peer.waitFor(topic, count, 120_000)
          lostOurs = Math.max(lostOurs, count - counted)
          oursRates.push((counted * 1000) / (at - t0))
          console.log(`    ${Math.round(oursRates.at(-1)!)} msg/s, ${count - counted} lost, job ${job.state} ${job.acknowledged}/${job.sent}`)
        } else {
          const t0 = await bare(broker.port, pki.root.cert.pem, topic, qos, payloads)
          const { at, counted } = await peer.waitFor(topic, count, 120_000)
          lostRef = Math.max(lostRef, count - counted)
          refRates.push((counted * 1000) / (at - t0))
          console.log(`    ${Math.round(refRates.at(-1)!)} msg/s, ${count - counted} lost`)
        }
      }
      const o = Math.max(...oursRates)
      const r = Math.max(...refRates)
      rows.push(rateRow('replay-rate', `QoS ${qos}, ${count.toLocaleString('en-US')} messages as fast as possible: rate vs a bare mqtt.js publisher`, 'msg/s', o, r, 0.9, lostOurs))
      rows.push(valueRow('replay-rate', `QoS ${qos}: rounds in msg/s, ours ${oursRates.map(Math.round).join('/')} ref ${refRates.map(Math.round).join('/')}`, 'rounds', oursRates.length))
      rows.push(valueRow('replay-rate', `QoS ${qos}: lost by the reference / not acknowledged (ours)`, 'msgs', lostRef, undefined, null, unacked))
    }
  } finally {
    await replays.closeAll()
    await connections.closeAll()
    peer.stop()
    await broker.stop()
    await rm(dir, { recursive: true, force: true })
  }
  return rows
}
