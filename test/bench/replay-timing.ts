/**
 * `replay-timing`: how close to its recorded timing a replay at 1× arrives. A synthetic recording
 * of 60 s (BENCH_REPLAY_SECONDS shortens it) is written with the format's own writers: about 300
 * messages a second at irregular (exponential) intervals, QoS 0, payloads of 16–600 bytes, and
 * every 5 s a burst of 20 messages with one offset. The app's engine replays it into mosquitto
 * over TLS; a plain mqtt.js subscriber in its own process (replay-timing-subscriber.mjs)
 * timestamps every arrival with its monotonic clock. The bursts are about 1 % of the messages:
 * the 20th message of a burst arrives after the 19 before it crossed the broker, so bursts add
 * transport time to the tail that no schedule can remove. BENCH_REPLAY_DEBUG=1 prints the
 * latest messages and every stall of this process's event loop over 15 ms.
 *
 * Clock alignment: the subscriber's clock and the recording's offsets have an unknown constant
 * between them (another process, the broker's hop). For each message, d = arrival − offset; the
 * smallest d over the run is the fastest the path ever was, and lateness = d − min(d). That
 * removes the constant without trusting any one message: anchored on the first arrival instead
 * (the issue's wording), a late first message would make every other one look early. That
 * figure is reported too, as info, with the engine's own lateness (send time − due time).
 */
import { fork } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { ReplayOptions, type ReplayJob } from '../../electron/api'
import type { RecordedMessage } from '../../electron/core/recording/format'
import { brokerUrl } from '../../electron/core/recording/recording-manager'
import { startMosquitto } from '../fixtures/mosquitto'
import { benchReplayer } from './bench-replayer'
import type { TestPki } from '../fixtures/pki'
import { recorded, writeRecording } from '../fixtures/recording-file'
import { valueRow, type ResultRow } from './report'
import { seededRandom as seeded } from '../fixtures/seeded-random'

const SECONDS = Number(process.env.BENCH_REPLAY_SECONDS ?? 60)
const RATE = 300
const BURST_EVERY_US = 5_000_000
const BURST = 20
const TOPIC = 'bench/timing/sensor'


/** The recording's messages: irregular traffic plus bursts; the payload's first 4 bytes are its sequence number. */
function syntheticTraffic(): RecordedMessage[] {
  const random = seeded(13)
  const out: RecordedMessage[] = []
  const endUs = SECONDS * 1_000_000
  const message = (offsetUs: number) => {
    const payload = Buffer.alloc(16 + Math.floor(random() * 585), 0x61)
    payload.writeUInt32BE(out.length, 0)
    out.push(recorded(Math.round(offsetUs), `${TOPIC}/${out.length % 50}`, payload))
  }
  let nextBurst = BURST_EVERY_US
  for (let t = 0; t < endUs; t += -Math.log(1 - random()) * (1_000_000 / RATE)) {
    while (t >= nextBurst) {
      for (let i = 0; i < BURST; i++) message(nextBurst)
      nextBurst += BURST_EVERY_US
    }
    message(t)
  }
  return out
}

function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]
}

interface SubscriberChild {
  ready: Promise<void>
  report: Promise<{ arrivals: number[]; seqs: number[] }>
  finish(): void
}

function startSubscriber(port: number, ca: string, count: number): SubscriberChild {
  // Plain JavaScript next to this file; the bench runs from the repository root (bench.mjs).
  const child = fork(resolve('test/bench/replay-timing-subscriber.mjs'), [], {
    env: { ...process.env, REPLAY_TIMING_SUB: JSON.stringify({ port, ca, filter: `${TOPIC}/#`, count }) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  let readyResolve: () => void = () => {}
  let reportResolve: (r: { arrivals: number[]; seqs: number[] }) => void = () => {}
  const ready = new Promise<void>((r) => (readyResolve = r))
  const report = new Promise<{ arrivals: number[]; seqs: number[] }>((r, reject) => {
    reportResolve = r
    child.once('exit', (code) => reject(new Error(`the timing subscriber exited (${code}) before reporting`)))
  })
  report.catch(() => undefined)
  child.on('message', (m: { type: string; arrivals?: number[]; seqs?: number[] }) => {
    if (m.type === 'ready') readyResolve()
    if (m.type === 'report') reportResolve({ arrivals: m.arrivals ?? [], seqs: m.seqs ?? [] })
  })
  return { ready, report, finish: () => child.connected && child.send({ type: 'finish' }) }
}

export async function replayTiming(pki: TestPki): Promise<ResultRow[]> {
  const broker = await startMosquitto({
    listeners: [{ tls: { cafile: pki.root.cert.path, certfile: pki.server.chain.path, keyfile: pki.server.key.path } }],
    // Without TCP_NODELAY mosquitto holds a burst's small writes behind the subscriber's delayed
    // ACK: 40 ms of lateness that is the broker's socket option, not the replay's timing.
    extra: ['log_type error', 'max_queued_messages 0', 'max_queued_bytes 0', 'set_tcp_nodelay true'],
  })
  const dir = await mkdtemp(join(tmpdir(), 'mqtts-bench-replay-timing-'))
  let ended: (job: ReplayJob) => void = () => {}
  const done = new Promise<ReplayJob>((r) => (ended = r))
  const { connections, replays, profile } = benchReplayer(broker.port, pki.root.cert.pem, dir, (job) => ended(job))
  try {
    const messages = syntheticTraffic()
    const offsetsMs = messages.map((m) => m.offsetUs / 1000)
    const recordingId = await writeRecording(dir, { brokerUrl: brokerUrl(profile), messages })
    await connections.connect(profile, {})
    const sub = startSubscriber(broker.port, pki.root.cert.pem, messages.length)
    await sub.ready
    console.log(`  replay-timing: ${messages.length.toLocaleString('en-US')} messages over ${SECONDS} s at 1×`)
    const probeStart = performance.now()
    let last = probeStart
    let lastCpu = process.cpuUsage()
    const stalls: string[] = []
    // A stall with as much CPU time as wall time was this process's own work; with little, the
    // machine did not give it a core (other processes share it).
    const probe = process.env.BENCH_REPLAY_DEBUG
      ? setInterval(() => {
          const now = performance.now()
          const cpu = process.cpuUsage()
          if (now - last > 15) stalls.push(`stall ${(now - last).toFixed(1)} ms (CPU ${((cpu.user + cpu.system - lastCpu.user - lastCpu.system) / 1000).toFixed(1)} ms) ending at ${((now - probeStart) / 1000).toFixed(3)} s`)
          last = now
          lastCpu = cpu
        }, 1)
      : null
    const cpuBefore = process.cpuUsage()
    const wallBefore = performance.now()
    await replays.start(ReplayOptions.parse({ recordingId, connectionId: profile.id, speed: 1 }))
    const job = await done
    const cpu = process.cpuUsage(cpuBefore)
    const cpuShare = (cpu.user + cpu.system) / 1000 / (performance.now() - wallBefore)
    if (probe) clearInterval(probe)
    if (stalls.length) console.log(stalls.slice(0, 40).join('\n'))
    // Whatever has not arrived a few seconds after the last send is lost.
    const timer = setTimeout(() => sub.finish(), 3000)
    const { arrivals, seqs } = await sub.report
    clearTimeout(timer)

    const d = arrivals.map((at, i) => at - offsetsMs[seqs[i]])
    const anchor = Math.min(...d)
    const lateness = d.map((x) => x - anchor).sort((a, b) => a - b)
    const firstIndex = seqs.indexOf(0)
    const fromFirst = firstIndex === -1 ? [] : d.map((x) => x - d[firstIndex]).sort((a, b) => a - b)
    const lost = messages.length - arrivals.length
    if (process.env.BENCH_REPLAY_DEBUG) {
      const worst = d.map((x, i) => ({ late: x - anchor, offset: offsetsMs[seqs[i]] })).sort((a, b) => b.late - a.late).slice(0, 15)
      console.log(worst.map((w) => `${w.late.toFixed(1)} ms at ${(w.offset / 1000).toFixed(3)} s`).join('\n'))
    }
    let outOfOrder = 0
    for (let i = 1; i < seqs.length; i++) if (seqs[i] < seqs[i - 1]) outOfOrder++
    return [
      valueRow('replay-timing', `${SECONDS} s at 1×, lateness p95 at a subscriber (anchored on the fastest message)`, 'ms', percentile(lateness, 0.95), 2, null, lost),
      valueRow('replay-timing', 'lateness max at the subscriber', 'ms', lateness.at(-1) ?? 0, 10, null, lost),
      valueRow('replay-timing', 'lateness p50 at the subscriber', 'ms', percentile(lateness, 0.5)),
      valueRow('replay-timing', `anchored on the first arrival instead: p95 / max ${fromFirst.length ? `${percentile(fromFirst, 0.95).toFixed(2)} / ${fromFirst.at(-1)!.toFixed(2)}` : '—'} ms`, 'ms', fromFirst.length ? percentile(fromFirst, 0.95) : 0),
      valueRow('replay-timing', `the engine's own lateness (send − due): p95 ${job.lateness?.p95Ms ?? '—'} ms`, 'ms', job.lateness?.maxMs ?? 0),
      valueRow('replay-timing', `messages (${job.state}, ${job.sent} sent, the rest lost)`, 'msgs', messages.length, undefined, null, lost),
      valueRow('replay-timing', 'messages out of order at the subscriber', 'msgs', outOfOrder),
      valueRow('replay-timing', 'CPU of the replaying process (share of one core, polling included)', '%', cpuShare * 100),
    ]
  } finally {
    await replays.closeAll()
    await connections.closeAll()
    await broker.stop()
    await rm(dir, { recursive: true, force: true })
  }
}
