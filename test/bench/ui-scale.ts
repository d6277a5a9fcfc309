/**
 * `ui-scale-1m`: the built app in browser mode with 1,000,000 distinct topics in one tree (the
 * scale load, 4 levels), three levels open. Measured: the renderer's JS heap after GC (the window
 * should hold only its visible rows, whatever the tree's size) and the app process's peak RSS.
 */
import { readFile } from 'node:fs/promises'
import type { TestPki } from '../fixtures/pki'
import { jsonPayload, scaleTopic } from './load'
import { valueRow, type ResultRow } from './report'
import { publishPaced, rendererHeap, startUiBench, waitForTreeTotal } from './ui-harness'

const TOPICS = 1_000_000
const MB = 1024 * 1024

/** Peak resident set of a process (VmHWM), in bytes; null where /proc is not there. */
async function peakRss(pid: number | undefined): Promise<number | null> {
  if (pid === undefined) return null
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '')
  const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1]
  return kb ? Number(kb) * 1024 : null
}

export async function uiScale1m(pki: TestPki): Promise<ResultRow[]> {
  const bench = await startUiBench(pki, 'scale/#')
  const { page, publisher } = bench
  try {
    await publishPaced(publisher, TOPICS, 60_000, (i) => [scaleTopic(i), jsonPayload(i)])
    const shown = await waitForTreeTotal(page, TOPICS, 180_000)
    if (shown.reachedAt === null) throw new Error(`ui-scale-1m: the tree showed ${shown.total} of ${TOPICS} messages`)
    await page.getByLabel('Expand to depth').selectOption('3')
    await page.getByRole('treeitem', { name: /^g\d+/ }).first().waitFor({ timeout: 30_000 })
    const heap = await rendererHeap(page)
    const rss = await peakRss(bench.app.process.pid)
    await page.screenshot({ path: '/tmp/mqtts-bench-ui-scale-1m.png' })
    return [
      valueRow('scale-1m', 'renderer JS heap after GC (browser mode, 1M topics, 3 levels open)', 'MB', heap / MB, 300, null, Math.max(0, TOPICS - shown.total)),
      ...(rss === null ? [] : [valueRow('scale-1m', 'app process peak RSS (browser mode, whole main side)', 'MB', rss / MB, 1024)]),
    ]
  } finally {
    await bench.close()
  }
}
