/**
 * `npm run bench`: the app's engine (connections + topic tree + a view) against mosquitto over TLS on 127.0.0.1, each scenario with a
 * bare mqtt.js subscriber on the same load at the same time as the reference. Usage:
 *   npm run bench [-- firehose-200k retained-100k scale-1m]
 * Publisher and subscribers are child processes of their own bundle (role-child.ts, roles.ts).
 */
import { fork, type ChildProcess } from 'node:child_process'
import { cpus, totalmem } from 'node:os'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { generateTestPki, type TestPki } from '../fixtures/pki'
import { startMosquitto, type MosquittoBroker } from '../fixtures/mosquitto'
import { MAIN_V8_FLAGS } from '../../build/scripts/launch-helpers.mjs'
import { notRunRow, printTable, ratioRow, valueRow, writeResults, type ResultRow } from './report'
import type { Broker, LoadName, RoleConfig, SubscriberReport } from './roles'
import { uiFirehose } from './ui-firehose'
import { uiWideNode } from './ui-wide-node'
import { uiRecent } from './ui-recent'
import { uiScale1m } from './ui-scale'
import { uiRetained100k } from './ui-retained'
import { decodeRate } from './decode-rate'
import { uiChartLive } from './ui-chart-live'
import { uiDiff, uiInspector } from './ui-inspector'
import { publishRate } from './publish-rate'
import { replayRate } from './replay-rate'
import { replayTiming } from './replay-timing'
import { uiEditorOpen } from './ui-editor'
import { openRecording } from './open-recording'
import { TREE_BYTES_CHILD, treeBytes, treeBytesChild } from './tree-bytes'

const MB = 1024 * 1024
/**
 * Our subscriber runs with the V8 flags of the app's main side (launch-helpers.mjs), unless
 * BENCH_OUR_FLAGS="<flags>" overrides them to compare settings.
 */
export const OUR_V8_FLAGS = process.env.BENCH_OUR_FLAGS !== undefined ? process.env.BENCH_OUR_FLAGS.split(' ').filter(Boolean) : MAIN_V8_FLAGS
/** The roles' own bundle, next to this one (build/scripts/bench.mjs): see role-child.ts. */
const ROLE_CHILD = resolve(dirname(fileURLToPath(import.meta.url)), 'role-child.mjs')

class Child {
  private readonly proc: ChildProcess
  private readonly inbox: { type: string; [k: string]: unknown }[] = []
  private waiters: (() => void)[] = []

  constructor(config: RoleConfig) {
    this.proc = fork(ROLE_CHILD, [], {
      env: { ...process.env, BENCH_ROLE: JSON.stringify(config) },
      // BENCH_PROFILE=<dir> writes CPU profiles of both subscribers there (ours runs with OUR_V8_FLAGS).
      execArgv: ['--expose-gc', '--max-old-space-size=4096', ...(config.role === 'sub-ours' ? OUR_V8_FLAGS : []), ...(process.env.BENCH_PROFILE && config.role !== 'publisher' ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : []), ...(process.env.BENCH_TRACE_GC && config.role !== 'publisher' ? ['--trace-gc'] : [])],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    this.proc.on('message', (m) => {
      this.inbox.push(m as { type: string })
      for (const w of this.waiters.splice(0)) w()
    })
    this.proc.on('exit', () => {
      for (const w of this.waiters.splice(0)) w()
    })
  }

  async wait<T>(type: string, timeoutMs = 600_000): Promise<T> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const i = this.inbox.findIndex((m) => m.type === type)
      if (i !== -1) return this.inbox.splice(i, 1)[0] as T
      if (this.proc.exitCode !== null || Date.now() > deadline) throw new Error(`bench child ended or timed out waiting for '${type}'`)
      await new Promise<void>((r) => {
        this.waiters.push(r)
        setTimeout(r, 1000)
      })
    }
  }

  send(message: unknown): void {
    this.proc.send(message as never)
  }

  /** Lets the child finish on its own (profiles are written at exit), then makes sure it is gone. */
  async close(): Promise<void> {
    if (this.proc.exitCode === null && this.proc.signalCode === null) {
      await new Promise<void>((r) => {
        const timer = setTimeout(r, 5000)
        this.proc.once('exit', () => {
          clearTimeout(timer)
          r()
        })
      })
    }
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill()
  }
}

async function withBroker<T>(pki: TestPki, body: (broker: Broker) => Promise<T>): Promise<T> {
  const mosquitto: MosquittoBroker = await startMosquitto({
    listeners: [{ tls: { cafile: pki.root.cert.path, certfile: pki.server.chain.path, keyfile: pki.server.key.path } }],
    // Unbounded queues: mosquitto's defaults drop a burst for any subscriber that falls behind.
    extra: ['log_type error', 'max_queued_messages 0', 'max_queued_bytes 0'],
  })
  try {
    return await body({ port: mosquitto.port, caPem: pki.root.cert.pem })
  } finally {
    await mosquitto.stop()
  }
}

/** Starts both subscribers, lets them subscribe at the same moment, returns their reports. */
async function twoSubscribers(broker: Broker, load: LoadName, count: number, filter: string, during?: () => Promise<number>) {
  const subs = [new Child({ role: 'sub-ref', broker, load, count, filter }), new Child({ role: 'sub-ours', broker, load, count, filter })]
  try {
    await Promise.all(subs.map((s) => s.wait('connected')))
    for (const s of subs) s.send({ type: 'subscribe' })
    await Promise.all(subs.map((s) => s.wait('ready')))
    const startedAt = during ? await during() : null
    const [ref, ours] = await Promise.all(subs.map((s) => s.wait<{ report: SubscriberReport }>('report').then((m) => m.report)))
    return { ref, ours, startedAt }
  } finally {
    await Promise.all(subs.map((s) => s.close()))
  }
}

/** One subscriber alone on the broker: connect, subscribe, wait for its report. */
async function aloneSubscriber(role: 'sub-ref' | 'sub-ours', broker: Broker, load: LoadName, count: number, filter: string): Promise<SubscriberReport> {
  const sub = new Child({ role, broker, load, count, filter })
  try {
    await sub.wait('connected')
    sub.send({ type: 'subscribe' })
    return (await sub.wait<{ report: SubscriberReport }>('report')).report
  } finally {
    await sub.close()
  }
}

async function publish(broker: Broker, load: LoadName, count: number, retain: boolean): Promise<number> {
  const pub = new Child({ role: 'publisher', broker, load, count, retain })
  try {
    const { startedAt } = await pub.wait<{ startedAt: number }>('published')
    return startedAt
  } finally {
    await pub.close()
  }
}

const mb = (bytes: number) => bytes / MB

async function firehose(pki: TestPki): Promise<ResultRow[]> {
  const count = 200_000
  const { ref, ours, startedAt } = await withBroker(pki, (broker) =>
    twoSubscribers(broker, 'firehose', count, 'bench/#', () => publish(broker, 'firehose', count, false)),
  )
  const t0 = startedAt as number
  const lost = count - (ours.counted ?? 0)
  return [
    ratioRow('firehose-200k', 'time to last message', 'ms', ours.lastAt - t0, ref.lastAt - t0, 1.15, lost),
    valueRow('firehose-200k', 'messages lost by the reference', 'msgs', count - ref.received, 0),
    valueRow('firehose-200k', 'CPU time until the last message', 'ms', ours.cpuMs, undefined, ref.cpuMs),
    valueRow('firehose-200k', 'peak RSS', 'MB', mb(ours.peakRss), undefined, mb(ref.peakRss)),
    valueRow('firehose-200k', 'heap after GC (200k messages in history)', 'MB', mb(ours.heapAfterGc), undefined, mb(ref.heapAfterGc)),
    valueRow('firehose-200k', 'view frames sent (one view, 3 levels open)', 'frames', ours.frames ?? 0),
  ]
}

/**
 * `record-firehose`: firehose-200k into our engine with a recorder tapping it, against the same
 * engine without one. Each runs alone with the publisher (no other subscriber competing for the
 * two cores), in turns plain, recording, recording, plain, plain, recording; each side's best round counts, since
 * load on a shared machine only ever adds time. Lost = messages missing from the file.
 */
async function recordFirehose(pki: TestPki): Promise<ResultRow[]> {
  const count = 200_000
  const rounds = await withBroker(pki, async (broker) => {
    const out: { record: boolean; ms: number; report: SubscriberReport }[] = []
    for (const record of (process.env.BENCH_RECORD_ROUNDS ?? '0,1,1,0,0,1').split(',').map((r) => r === '1')) {
      const sub = new Child({ role: 'sub-ours', broker, load: 'firehose', count, filter: 'bench/#', record })
      try {
        await sub.wait('connected')
        sub.send({ type: 'subscribe' })
        await sub.wait('ready')
        const startedAt = await publish(broker, 'firehose', count, false)
        const { report } = await sub.wait<{ report: SubscriberReport }>('report')
        out.push({ record, ms: report.lastAt - startedAt, report })
      } finally {
        await sub.close()
      }
    }
    return out
  })
  const best = (record: boolean) => rounds.filter((r) => r.record === record).reduce((a, b) => (b.ms < a.ms ? b : a))
  const plain = best(false)
  const recording = best(true)
  const lost = Math.max(...rounds.filter((r) => r.record).map((r) => count - (r.report.recorded ?? 0)))
  return [
    ratioRow('record-firehose', 'time to last message, recording vs not (best of 3 each)', 'ms', recording.ms, plain.ms, 1.1, lost),
    valueRow('record-firehose', 'messages missing from the file (worst round)', 'msgs', lost, 0),
    valueRow('record-firehose', 'CPU time until the last message, recording vs not', 'ms', recording.report.cpuMs, undefined, plain.report.cpuMs),
    valueRow('record-firehose', 'main thread CPU until the last message, recording vs not', 'ms', recording.report.mainThreadCpuMs ?? 0, undefined, plain.report.mainThreadCpuMs ?? 0),
    valueRow('record-firehose', 'peak RSS, recording vs not', 'MB', mb(recording.report.peakRss), undefined, mb(plain.report.peakRss)),
    valueRow('record-firehose', 'recording file size', 'MB', mb(recording.report.recordedBytes ?? 0)),
    valueRow('record-firehose', `rounds in ms: plain ${rounds.filter((r) => !r.record).map((r) => Math.round(r.ms)).join('/')}, recording ${rounds.filter((r) => r.record).map((r) => Math.round(r.ms)).join('/')}`, 'rounds', rounds.length),
  ]
}

/**
 * Retained delivery is measured with each subscriber alone on the broker, in turns (ref, ours,
 * ours, ref, ref, ours: each side as often first as last), and each side's times are averaged. Run side by side, mosquitto serves the two
 * subscriptions one after the other, so whichever SUBSCRIBE it reads first gets a head start of
 * about a second and the ratio measured the race, not the subscribers (1.05 to 2.9 over runs).
 */
async function retained(pki: TestPki): Promise<ResultRow[]> {
  const count = 100_000
  const order = ['sub-ref', 'sub-ours', 'sub-ours', 'sub-ref', 'sub-ref', 'sub-ours'] as const
  const reports = await withBroker(pki, async (broker) => {
    await publish(broker, 'retained', count, true)
    const out: SubscriberReport[] = []
    for (const role of order) out.push(await aloneSubscriber(role, broker, 'retained', count, 'retained/#'))
    return out
  })
  const refs = reports.filter((r) => r.role === 'sub-ref')
  const ours = reports.filter((r) => r.role === 'sub-ours')
  const mean = (rs: SubscriberReport[], pick: (r: SubscriberReport) => number) => rs.reduce((sum, r) => sum + pick(r), 0) / rs.length
  const lost = Math.max(...ours.map((r) => count - (r.counted ?? 0)))
  return [
    ratioRow('retained-100k', 'subscribe to full tree (mean of 3, each alone)', 'ms', mean(ours, (r) => r.lastAt - r.subscribedAt), mean(refs, (r) => r.lastAt - r.subscribedAt), 1.5, lost),
    valueRow('retained-100k', 'CPU time until the full tree (mean of 3)', 'ms', mean(ours, (r) => r.cpuMs), undefined, mean(refs, (r) => r.cpuMs)),
    valueRow(`retained-100k`, `rounds in ms, ours ${ours.map((r) => Math.round(r.lastAt - r.subscribedAt)).join('/')} ref ${refs.map((r) => Math.round(r.lastAt - r.subscribedAt)).join('/')}`, 'rounds', ours.length),
    valueRow('retained-100k', 'peak RSS', 'MB', mb(Math.max(...ours.map((r) => r.peakRss))), undefined, mb(Math.max(...refs.map((r) => r.peakRss)))),
  ]
}

async function scale(pki: TestPki): Promise<ResultRow[]> {
  const count = 1_000_000
  const { ref, ours, startedAt } = await withBroker(pki, (broker) =>
    twoSubscribers(broker, 'scale', count, 'scale/#', () => publish(broker, 'scale', count, false)),
  )
  const t0 = startedAt as number
  const lost = count - (ours.counted ?? 0)
  const rows = [
    valueRow('scale-1m', 'peak RSS (main side)', 'MB', mb(ours.peakRss), 1024, mb(ref.peakRss), lost),
    valueRow('scale-1m', 'RSS after GC', 'MB', mb(ours.rssAfterGc), undefined, mb(ref.rssAfterGc)),
    valueRow('scale-1m', 'heap after GC', 'MB', mb(ours.heapAfterGc), undefined, mb(ref.heapAfterGc)),
    valueRow('scale-1m', 'topics in the tree', 'topics', ours.topics ?? 0, undefined, null, lost),
    valueRow('scale-1m', 'time to last message', 'ms', ours.lastAt - t0, undefined, ref.lastAt - t0, lost),
  ]
  // The bound is for filtering topics; matching payload text as well is reported, unbounded.
  for (const f of ours.filters ?? []) rows.push(valueRow('scale-1m', `filter ${f.name} (${f.matched} matches)`, 'ms', f.ms, f.name.includes('payload') ? undefined : 300))
  return rows
}

const SCENARIOS: Record<string, (pki: TestPki) => Promise<ResultRow[]>> = {
  'firehose-200k': firehose,
  'record-firehose': recordFirehose,
  'retained-100k': retained,
  'scale-1m': scale,
  // In a child process, no broker: the tree's own bytes per topic for the scale-1m load.
  'tree-bytes-1m': () => treeBytes(),
  // Browser mode + chromium: needs `npm run build` first.
  'ui-firehose': uiFirehose,
  'ui-wide-node': uiWideNode,
  'ui-recent': uiRecent,
  'ui-scale-1m': uiScale1m,
  // Click Connect in the page against mosquitto_sub on 100,000 retained topics.
  'ui-retained-100k': uiRetained100k,
  // In-process, no broker: the decoders against their libraries.
  'decode-rate': () => decodeRate(),
  'chart-live': uiChartLive,
  'inspector-16mb': uiInspector,
  // The diff row alone (it also runs at the end of inspector-16mb).
  'diff-1mb': uiDiff,
  // A repeat job against a bare mqtt.js publisher, counted by mosquitto_sub.
  'publish-rate': publishRate,
  // A replay as fast as possible against a bare mqtt.js publisher, counted by mosquitto_sub.
  'replay-rate': replayRate,
  // A replay at 1× timed at a subscriber in its own process (BENCH_REPLAY_SECONDS shortens it).
  'replay-timing': replayTiming,
  'editor-open': uiEditorOpen,
  // A 1 GB recording opened offline by the engine in a child process (BENCH_OPEN_MB shrinks it).
  'open-recording': () => openRecording(),
}

async function main(): Promise<void> {
  const asked = process.argv.slice(2).filter((a) => !a.startsWith('-'))
  const names = asked.length > 0 ? asked : Object.keys(SCENARIOS)
  for (const n of names) if (!SCENARIOS[n]) throw new Error(`Unknown scenario ${n}; known: ${Object.keys(SCENARIOS).join(', ')}`)
  console.log(`MQTTS Explorer bench: node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 1024 ** 3)} GB`)
  const pki = await generateTestPki()
  const rows: ResultRow[] = []
  try {
    for (const name of names) {
      console.log(`running ${name} …`)
      rows.push(...(await SCENARIOS[name](pki)))
    }
  } finally {
    await pki.cleanup()
  }
  const why = 'not asked for in this run'
  if (!names.includes('ui-firehose')) rows.push(notRunRow('ui-firehose', 'frame interval p95', 'ms', '<= 50 ms', why))
  if (!names.includes('ui-wide-node')) rows.push(notRunRow('ui-wide-node', 'first rows painted', 'ms', '<= 200 ms', why))
  if (!names.includes('chart-live')) rows.push(notRunRow('chart-live', 'frame interval p95 under the ui-firehose load', 'ms', '<= 33 ms', why))
  if (!names.includes('ui-retained-100k')) rows.push(notRunRow('ui-retained-100k', 'click Connect to the tree showing all topics', 'ms', '<= 1.2x mosquitto_sub', why))
  if (!names.includes('ui-scale-1m')) rows.push(notRunRow('scale-1m', 'renderer JS heap', 'MB', '<= 300 MB', why))
  printTable(rows)
  const out = resolve(process.env.BENCH_OUT_DIR ?? 'test/bench', 'results.json')
  await writeResults(out, rows)
  console.log(`wrote ${out}`)
  if (rows.some((r) => r.pass === false)) process.exitCode = 1
}

const treeBytesConfig = process.env[TREE_BYTES_CHILD]
if (treeBytesConfig) {
  treeBytesChild(Number(treeBytesConfig)).catch((err) => {
    console.error(err)
    process.exit(1)
  })
} else {
  main().catch((err) => {
    console.error(err)
    process.exit(1)
  })
}
