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
import { ReplayOptions, type ReplayJob } from '../../electron/api'
import { brokerUrl } from '../../electron/core/recording/recording-manager'
import { startMosquitto } from '../fixtures/mosquitto'
import type { TestPki } from '../fixtures/pki'
import { recorded, writeRecording } from '../fixtures/recording-file'
import { alternatingRateRounds, countingPeer } from './publish-rate'
import { benchReplayer } from './bench-replayer'
import type { ResultRow } from './report'

/** BENCH_REPLAY_SCALE=0.1 runs a tenth of the messages (a quick look). */
const SCALE = Number(process.env.BENCH_REPLAY_SCALE ?? 1)
const COUNTS = { 0: Math.round(100_000 * SCALE), 1: Math.round(50_000 * SCALE) } as const
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
  const { connections, replays, profile } = benchReplayer(broker.port, pki.root.cert.pem, dir, (job) => ended.get(job.jobId)?.(job))
  await connections.connect(profile, {})

  const rows: ResultRow[] = []
  try {
    for (const qos of [0, 1] as const) {
      const count = COUNTS[qos]
      const payloads = Array.from({ length: count }, (_, i) => payloadOf(i))
      // Recorded 1 ms apart: as fast as possible ignores the recorded pace.
      const recordingId = await writeRecording(dir, { brokerUrl: brokerUrl(profile), messages: payloads.map((p, i) => recorded(i * 1000, SOURCE_TOPIC, p, { qos })) })
      rows.push(...(await alternatingRateRounds({
        scenario: 'replay-rate',
        label: `QoS ${qos}, ${count.toLocaleString('en-US')} messages as fast as possible: rate vs a bare mqtt.js publisher`,
        qos,
        count,
        minRatio: 0.9,
        peer,
        topic: (side, round) => `bench/pub/replay/q${qos}/${side}/${round}`,
        ours: async (topic) => {
          const options = ReplayOptions.parse({ recordingId, connectionId: profile.id, speed: null, remap: [{ kind: 'prefix', from: SOURCE_TOPIC, to: topic }] })
          const t0 = performance.now()
          const started = await replays.start(options)
          return { t0, job: await new Promise<ReplayJob>((resolve) => ended.set(started.jobId, resolve)) }
        },
        ref: (topic) => bare(broker.port, pki.root.cert.pem, topic, qos, payloads),
      })))
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
