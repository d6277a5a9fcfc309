/**
 * `ui-firehose`: browser mode with the topic tree expanded three levels deep while 50,000
 * messages a second arrive for 10 s (the firehose load: 10,000 topics, 7 levels, ~64-byte JSON),
 * over TLS from mosquitto. Measured in the page: animation-frame intervals (p95), the longest
 * long task, and how long after the last message the tree's total equals the number sent.
 */
import { readFileSync } from 'node:fs'
import type { TestPki } from '../fixtures/pki'
import { firehoseTopic, jsonPayload } from './load'
import { valueRow, type ResultRow } from './report'
import { installRecorder, publishPaced, quantile, rendererHeap, startRecording, startUiBench, stopRecording, treeTotal, waitForMainCount, waitForTreeTotal } from './ui-harness'

const RATE = 50_000
const SECONDS = 10
const TOPICS = 10_000
const MB = 1024 * 1024

/** CPU time (user + system) a Linux process has used, in ms; null where /proc is not there. */
function processCpuMs(pid: number | undefined): number | null {
  if (pid === undefined) return null
  try {
    // Fields after the command name (which may contain spaces): utime and stime are the 12th and 13th, in ticks of 10 ms.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
    return (Number(fields[11]) + Number(fields[12])) * 10
  } catch {
    return null
  }
}

export async function uiFirehose(pki: TestPki): Promise<ResultRow[]> {
  const bench = await startUiBench(pki, 'bench/#')
  const { page, publisher } = bench
  try {
    // Every topic once, so the tree has its full shape before the load; then three levels open.
    await publishPaced(publisher, TOPICS, RATE, (i) => [firehoseTopic(i), jsonPayload(i)])
    const seeded = await waitForTreeTotal(page, TOPICS, 60_000)
    if (seeded.reachedAt === null) throw new Error(`ui-firehose: the tree showed ${seeded.total} of ${TOPICS} seed messages`)
    await page.getByLabel('Expand to depth').selectOption('3')
    await page.getByRole('treeitem', { name: /^area\d+/ }).first().waitFor({ timeout: 10_000 })

    await installRecorder(page)
    await startRecording(page)
    const cpuBefore = processCpuMs(bench.app.process.pid)
    const count = RATE * SECONDS
    const sent = await publishPaced(publisher, count, RATE, (i) => [firehoseTopic(i), jsonPayload(TOPICS + i)])
    const expected = TOPICS + count
    const [shown, mainAt] = await Promise.all([waitForTreeTotal(page, expected, 30_000), waitForMainCount(bench.app, bench.connectionId, expected, 30_000)])
    const cpuAfter = processCpuMs(bench.app.process.pid)
    const { frames, longTasks } = await stopRecording(page)
    const total = shown.reachedAt === null ? await treeTotal(page) : shown.total
    const lost = Math.max(0, expected - total)
    const delay = shown.reachedAt === null ? Number.POSITIVE_INFINITY : Math.max(0, shown.reachedAt - sent.lastAt)
    const heap = await rendererHeap(page)
    await page.screenshot({ path: '/tmp/mqtts-bench-ui-firehose.png' })
    const rate = count / ((sent.lastAt - sent.startedAt) / 1000)
    return [
      valueRow('ui-firehose', 'frame interval p95', 'ms', quantile(frames, 0.95), 50),
      valueRow('ui-firehose', 'longest long task', 'ms', longTasks.length ? Math.max(...longTasks) : 0, 200),
      valueRow('ui-firehose', 'UI total = sent, after the last message', 'ms', delay, 1000, null, lost),
      // Where the time goes: the engine counting the last message vs the tree showing it.
      valueRow('ui-firehose', 'main side counted all, after the last message', 'ms', mainAt === null ? Number.POSITIVE_INFINITY : Math.max(0, mainAt - sent.lastAt)),
      valueRow('ui-firehose', 'publish rate reached', 'msg/s', rate),
      // A steadier signal than the latencies on a shared machine: what each message cost the app.
      valueRow('ui-firehose', 'app main-side CPU per message (load + catch-up)', 'µs', cpuBefore === null || cpuAfter === null ? Number.NaN : ((cpuAfter - cpuBefore) * 1000) / count),
      valueRow('ui-firehose', 'frames recorded (max interval ' + Math.round(Math.max(0, ...frames)) + ' ms)', 'frames', frames.length),
      valueRow('ui-firehose', 'renderer JS heap after GC', 'MB', heap / MB),
    ]
  } finally {
    await bench.close()
  }
}
