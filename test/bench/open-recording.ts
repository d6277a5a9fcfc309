/**
 * `open-recording`: a 1 GB recording (BENCH_OPEN_MB=<n> for a smaller one) opened offline by the
 * real engine (RecordingStore + OfflineManager + TreeManager with the default tree settings, a
 * view open as the renderer opens one) in a child process, so its RSS is the engine's own.
 *
 * - first tree: from `offline.open` to the first view frame that has rows (what a user sees);
 * - fully indexed: to the `offline.state` that says indexing ended (every message is in the tree);
 * - seek back one message from the end: `offline.step(-1)` once indexed, until it answers (the
 *   tree then holds every message but the last), by undo as the app does (BENCH_OPEN_UNDO=0: by
 *   re-reading the file from its start, as before undo);
 * - peak RSS: the child's VmHWM (the kernel's high-water mark, so no peak falls between samples)
 *   through the open and the seek back, also once indexed (the child reads its own before the seek),
 *   with VmRSS also sampled every 50 ms by this process, which a busy child cannot delay.
 *
 * The file: 20,000 topics (factory/line/cell/device/metric), JSON payloads of 100–500 bytes, every
 * 50th a binary payload, every 40th retained, user properties on every 10th, 1 ms apart, a
 * reconnect gap every 200,000 messages. Written with format.ts's own line writer.
 */
import { fork } from 'node:child_process'
import { once } from 'node:events'
import { createWriteStream } from 'node:fs'
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { EventName, EventPayloads, OfflineState } from '../../electron/api'
import { DEFAULT_SETTINGS } from '../../electron/api/settings'
import { OFFLINE_HISTORY_BUDGET_BYTES, OFFLINE_UNDO_STEPS, offlineHistoryLimits } from '../../electron/core/offline/history-limits'
import { OfflineManager } from '../../electron/core/offline/offline-manager'
import { FORMAT_NAME, FORMAT_VERSION, gapLine, headerLine, messageLine, type RecordedMessage } from '../../electron/core/recording/format'
import { RecordingStore } from '../../electron/core/recording/recording-store'
import { TreeManager } from '../../electron/core/tree/tree-manager'
import { valueRow, type ResultRow } from './report'
import { MAIN_V8_FLAGS } from '../../build/scripts/launch-helpers.mjs'

const MB = 1024 * 1024
const TARGET_BYTES = Number(process.env.BENCH_OPEN_MB ?? 1024) * MB
const TOPICS = 20_000
/** BENCH_OPEN_HISTORY_MB=<n> runs with that tree history budget instead of the default (to see what the tree's budget costs). */
const HISTORY_BUDGET_MB = process.env.BENCH_OPEN_HISTORY_MB === undefined ? undefined : Number(process.env.BENCH_OPEN_HISTORY_MB)
/** How many last messages the offline tree can take back (the app's default, or BENCH_OPEN_UNDO=<n>). */
const UNDO_STEPS = process.env.BENCH_OPEN_UNDO === undefined ? OFFLINE_UNDO_STEPS : Number(process.env.BENCH_OPEN_UNDO)
/** The child's own bundle, next to the bench's (build/scripts/bench.mjs builds both). */
const CHILD = join(dirname(fileURLToPath(import.meta.url)), 'open-recording-child.mjs')
/** The app's main-side V8 flags, or BENCH_OUR_FLAGS="<flags>" to compare settings (as run.ts does). */
const CHILD_FLAGS = process.env.BENCH_OUR_FLAGS !== undefined ? process.env.BENCH_OUR_FLAGS.split(' ').filter(Boolean) : MAIN_V8_FLAGS
/** Set in the child: what to open. */
export const OPEN_RECORDING_CHILD = 'BENCH_OPEN_RECORDING'

interface ChildReport {
  firstTreeMs: number
  indexedMs: number
  /** The child's VmHWM once indexed, before the seek back. */
  indexedPeakMb: number
  /** `offline.step(-1)` from the end: the tree then holds every message but the last. */
  stepBackMs: number
  messages: number
  topics: number
  treeMessages: number
  heapMb: number
  arrayBuffersMb: number
}

function topicOf(i: number): string {
  const t = i % TOPICS
  return `factory${t % 4}/line${(t >> 2) % 10}/cell${(t / 40) % 10 | 0}/device${(t / 400) | 0}/${['temperature', 'pressure', 'state', 'counters', 'config'][t % 5]}`
}

/** JSON of 100–500 bytes, varying with `i` so payloads differ like real telemetry. */
function jsonPayload(i: number): Buffer {
  const size = 100 + ((i * 7919) % 401)
  const head = `{"seq":${i},"value":${((i * 31) % 1000) / 10},"ok":${i % 3 !== 0},"note":"`
  return Buffer.from(head + 'x'.repeat(Math.max(0, size - head.length - 2)) + '"}')
}

async function writeRecording(dataDir: string): Promise<{ recordingId: string; messages: number; size: number }> {
  const store = new RecordingStore(dataDir)
  const { id, path } = await store.create(false)
  const out = createWriteStream(path, { highWaterMark: 4 * MB })
  const startedAt = Date.now() - 3_600_000
  out.write(headerLine({ format: FORMAT_NAME, version: FORMAT_VERSION, app: 'bench', startedAt, startedAtIso: new Date(startedAt).toISOString(), monotonicStartNs: '0', broker: { url: 'mqtts://bench.example:8883', mqttVersion: 5, tls: null }, client: {}, subscriptions: [{ filter: '#', qos: 1 }], filters: [], part: 1 }) + '\n')
  const binary = Buffer.from(Array.from({ length: 64 }, (_, k) => (k * 37) & 0xff))
  let written = 0
  let i = 0
  let gaps = 0
  let chunk: string[] = []
  while (written < TARGET_BYTES) {
    const offsetUs = i * 1000
    const message: RecordedMessage = {
      offsetUs,
      wallMs: startedAt + i,
      topic: topicOf(i),
      qos: (i % 3) as 0 | 1 | 2,
      retain: i % 40 === 0,
      dup: false,
      onSubscribe: false,
      payload: i % 50 === 0 ? binary : jsonPayload(i),
      ...(i % 10 === 0 && { properties: { userProperties: [['site', 'bench'], ['seq', String(i)]], contentType: 'application/json' } }),
    }
    const line = messageLine(message) + '\n'
    chunk.push(line)
    written += line.length
    i++
    if (i % 200_000 === 0) {
      chunk.push(gapLine({ offsetUs: offsetUs + 500, wallMs: startedAt + i, durationUs: 2_000_000, reason: 'reconnect' }) + '\n')
      gaps++
    }
    if (chunk.length >= 2000) {
      if (!out.write(chunk.join(''))) await once(out, 'drain')
      chunk = []
    }
  }
  out.end(chunk.join(''))
  await once(out, 'finish')
  // What the recorder writes at stop, so opening it reads the library's sidecar instead of scanning the file first.
  await store.writeMeta(id, {
    name: 'bench recording', brokerUrl: 'mqtts://bench.example:8883', mqttVersion: 5, startedAt, durationMs: i - 1,
    messageCount: i, topicCount: Math.min(i, TOPICS), gaps, source: 'recorded', truncated: false, badLines: 0,
  })
  return { recordingId: id, messages: i, size: (await stat(path)).size }
}

/** VmRSS and VmHWM of a process, in MB (Linux). */
async function memoryOf(pid: number): Promise<{ rss: number; hwm: number } | null> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => null)
  if (status === null) return null
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0)
  return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 }
}

export async function openRecording(): Promise<ResultRow[]> {
  const dir = await mkdtemp(join(tmpdir(), 'mqtts-bench-open-'))
  try {
    const dataDir = join(dir, 'data')
    const genStart = performance.now()
    const file = await writeRecording(dataDir)
    console.log(`  wrote ${(file.size / MB).toFixed(0)} MB, ${file.messages} messages in ${((performance.now() - genStart) / 1000).toFixed(1)} s`)
    const child = fork(CHILD, [], {
      env: { ...process.env, [OPEN_RECORDING_CHILD]: JSON.stringify({ dataDir, recordingId: file.recordingId }) },
      // BENCH_PROFILE=<dir> writes the child's CPU profile there.
      execArgv: [...CHILD_FLAGS, ...(process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [])],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    let sampledPeak = 0
    let hwm = 0
    const sampler = setInterval(() => {
      void memoryOf(child.pid!).then((m) => {
        if (m === null) return
        sampledPeak = Math.max(sampledPeak, m.rss)
        hwm = Math.max(hwm, m.hwm)
      })
    }, 50)
    const report = await new Promise<ChildReport>((resolve, reject) => {
      child.once('message', (m) => resolve(m as ChildReport))
      child.once('exit', (code) => reject(new Error(`open-recording child exited (${code}) before reporting`)))
    })
    const last = await memoryOf(child.pid!)
    if (last) hwm = Math.max(hwm, last.hwm)
    clearInterval(sampler)
    // A normal exit, so a CPU profile (BENCH_PROFILE) gets written.
    child.send('exit')
    await once(child, 'exit')
    console.log(`  tree: ${report.topics} topics, ${report.treeMessages} messages; heap ${report.heapMb.toFixed(0)} MB, array buffers ${report.arrayBuffersMb.toFixed(0)} MB at the end`)
    // The step back left every message but the last in the tree.
    if (report.treeMessages !== report.messages - 1 || report.messages !== file.messages) throw new Error(`open-recording: indexed ${report.messages} of ${file.messages} messages`)
    const mb = file.size / MB
    console.log(`  peak RSS once indexed ${report.indexedPeakMb.toFixed(0)} MB, through the seek back ${hwm.toFixed(0)} MB`)
    return [
      valueRow('open-recording', `first tree (${mb.toFixed(0)} MB file)`, 'ms', report.firstTreeMs, 3000),
      valueRow('open-recording', `fully indexed (${file.messages} messages)`, 'ms', report.indexedMs, 20_000),
      valueRow('open-recording', `peak RSS (VmHWM), tree history budget ${HISTORY_BUDGET_MB ?? OFFLINE_HISTORY_BUDGET_BYTES / MB} MB`, 'MB', hwm, 300),
      valueRow('open-recording', 'peak RSS (VmHWM) once indexed, before the seek back', 'MB', report.indexedPeakMb),
      valueRow('open-recording', 'seek back one message from the end', 'ms', report.stepBackMs),
      valueRow('open-recording', 'peak RSS (sampled every 50 ms)', 'MB', sampledPeak),
      valueRow('open-recording', 'read rate', 'MB/s', mb / (report.indexedMs / 1000)),
    ]
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** The child: the engine opens the recording with a tree view open, and reports when it saw what. */
export async function openRecordingChild(config: { dataDir: string; recordingId: string }): Promise<void> {
  let firstTreeAt: number | undefined
  let indexedAt: number | undefined
  const trees = new TreeManager({
    settings: { ...DEFAULT_SETTINGS.tree, ...(HISTORY_BUDGET_MB !== undefined && { historyBudgetBytes: HISTORY_BUDGET_MB * MB }) },
    // As the service does: an offline tree's history budget is capped (the file holds everything).
    limitsFor: (_connectionId, limits) => (HISTORY_BUDGET_MB !== undefined ? limits : offlineHistoryLimits(limits)),
    // As the service does: a short step back undoes (BENCH_OPEN_UNDO=0 measures the re-read instead).
    undoStepsFor: () => UNDO_STEPS,
    emit: () => {},
    emitTo: <E extends EventName>(_peer: string, name: E, payload: EventPayloads[E]) => {
      if (name === 'tree.view' && firstTreeAt === undefined && (payload as EventPayloads['tree.view']).rows.length > 0) firstTreeAt = performance.now()
    },
  })
  const offline = new OfflineManager({
    recordings: new RecordingStore(config.dataDir),
    emit: (name, payload) => {
      if (name === 'offline.state' && !(payload as OfflineState).indexing) indexedAt ??= performance.now()
    },
    onMessage: trees.onMessage,
    onClear: (id) => trees.clear(id),
    onUndo: (id, count) => trees.undo(id, count),
    onRedo: (id, message) => trees.redo(id, message),
    onClose: (id) => trees.dropConnection(id),
  })
  const t0 = performance.now()
  const opened = await offline.open(config.recordingId)
  // The renderer opens the tab's view as soon as the connection appears.
  const frame = trees.openView({ connectionId: opened.connectionId, window: { offset: 0, count: 100 }, sort: 'name', expanded: [], filter: null, selected: null }, { peerId: 'bench' })
  if (frame.rows.length > 0) firstTreeAt ??= performance.now()
  const recording = offline.get(opened.connectionId)
  await recording.indexed
  const state = recording.state()
  if (state.error) throw new Error(state.error.message)
  const indexedMs = (indexedAt ?? performance.now()) - t0
  const indexedPeakMb = (await memoryOf(process.pid))?.hwm ?? 0
  const stepStart = performance.now()
  const back = await recording.step(-1)
  const stepBackMs = performance.now() - stepStart
  if (back.position !== state.indexed - 1 || back.error) throw new Error(`open-recording: the step back ended at ${back.position} of ${state.indexed}`)
  const tree = trees.treeOf(opened.connectionId)
  const report: ChildReport = {
    firstTreeMs: (firstTreeAt ?? performance.now()) - t0,
    indexedMs,
    indexedPeakMb,
    stepBackMs,
    messages: state.indexed,
    topics: tree?.topicCount ?? 0,
    treeMessages: tree?.messageCount ?? 0,
    heapMb: process.memoryUsage().heapUsed / MB,
    arrayBuffersMb: process.memoryUsage().arrayBuffers / MB,
  }
  process.once('message', () => process.exit(0))
  process.send?.(report)
}
