/**
 * `tree-bytes-1m`: what the topic tree itself keeps per topic, without a broker, TLS or mqtt.js.
 * A child process builds the scale-1m load (the same topics and payloads, a TreeManager with one
 * view open three levels deep, as sub-ours has) and reports its heap and array buffers after a
 * full GC, minus what it held before the first message. Unlike scale-1m's peak RSS this does not
 * move with the machine's load, so it is the number to follow when changing the representation.
 *   BENCH_TREE_TOPICS=<n>          builds n topics instead of 1,000,000
 *   BENCH_HEAP_SNAPSHOT=<file>     writes a heap snapshot of the child at the end (use ~100k topics)
 */
import { fork } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { writeHeapSnapshot } from 'node:v8'
import { TreeManager } from '../../electron/core/tree/tree-manager'
import { treeService } from '../../electron/core/tree/service'
import { MAIN_V8_FLAGS } from '../../build/scripts/launch-helpers.mjs'
import { jsonPayload, scaleTopic } from './load'
import { valueRow, type ResultRow } from './report'

export const TREE_BYTES_CHILD = 'BENCH_TREE_BYTES'
const SELF = fileURLToPath(import.meta.url)

interface ChildReport {
  topics: number
  heapBytes: number
  arrayBufferBytes: number
  /** The child's heap reserved (heapTotal) and resident set after the same GC, whole process. */
  heapTotal: number
  rss: number
}

export async function treeBytes(): Promise<ResultRow[]> {
  const count = Number(process.env.BENCH_TREE_TOPICS ?? 1_000_000)
  const child = fork(SELF, [], {
    env: { ...process.env, [TREE_BYTES_CHILD]: String(count) },
    execArgv: ['--expose-gc', '--max-old-space-size=4096', ...MAIN_V8_FLAGS],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const report = await new Promise<ChildReport>((resolve, reject) => {
    child.once('message', (m) => resolve(m as ChildReport))
    child.once('exit', (code) => reject(new Error(`tree-bytes child exited (${code}) before reporting`)))
  })
  child.send('exit')
  await once(child, 'exit')
  const lost = count - report.topics
  return [
    valueRow('tree-bytes-1m', `JS heap per topic (${count} topics, after GC)`, 'B', report.heapBytes / count, undefined, null, lost),
    valueRow('tree-bytes-1m', 'payload slabs and message columns per topic (64-byte payloads)', 'B', report.arrayBufferBytes / count, undefined, null, lost),
    valueRow('tree-bytes-1m', 'child heap reserved / RSS after GC (whole process)', 'MB', report.heapTotal / 2 ** 20, undefined, report.rss / 2 ** 20),
  ]
}

/** The child: builds the tree as the connection's tap would, then measures after a full GC. */
export async function treeBytesChild(count: number): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc
  if (gc === undefined) throw new Error('tree-bytes needs --expose-gc')
  const trees = new TreeManager({ emit: () => {}, emitTo: (_peer, _name, frame) => void JSON.stringify(frame) })
  const handlers = treeService(trees)
  const context = { peerId: 'bench-window' }
  const connectionId = 'bench'
  const view = await handlers['tree.view.open']({ connectionId, window: { offset: 0, count: 60 }, sort: 'name', expanded: [], filter: null, selected: null }, context)
  await handlers['tree.view.expandToDepth']({ viewId: view.viewId, depth: 3 }, context)
  gc()
  const before = process.memoryUsage()
  for (let i = 0; i < count; i++) {
    // As from the wire: a topic string of its own and the payload as a view into a bigger chunk.
    const topic = Buffer.from(scaleTopic(i)).toString('utf8')
    const packet = { cmd: 'publish', qos: 0, retain: false, dup: false, topic, payload: Buffer.alloc(0) } as const
    trees.onMessage(connectionId, topic, jsonPayload(i), packet as never, Date.now())
    // Let the view's timer run now and then, as it would between socket reads.
    if ((i & 0xffff) === 0xffff) await new Promise((r) => setTimeout(r, 0))
  }
  await new Promise((r) => setTimeout(r, 120))
  gc()
  const after = process.memoryUsage()
  const topics = trees.treeOf(connectionId)?.topicCount ?? 0
  if (process.env.BENCH_HEAP_SNAPSHOT) writeHeapSnapshot(process.env.BENCH_HEAP_SNAPSHOT)
  process.send?.({ topics, heapBytes: after.heapUsed - before.heapUsed, arrayBufferBytes: after.arrayBuffers - before.arrayBuffers, heapTotal: after.heapTotal, rss: after.rss } satisfies ChildReport)
  process.once('message', () => process.exit(0))
}
