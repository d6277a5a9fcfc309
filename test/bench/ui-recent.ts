/**
 * `ui-recent`: the foundation's recent-messages view (not the tree) under a firehose: browser
 * mode, the "Recent messages" tab shown, the publisher as fast as it can (asked for 100,000 msg/s)
 * for 5 s over TLS. Measured in the page: frame intervals, long tasks, and when the header's
 * running total equals the number sent — which gives the rate the view sustained end to end.
 */
import type { TestPki } from '../fixtures/pki'
import { firehoseTopic, jsonPayload } from './load'
import { valueRow, type ResultRow } from './report'
import { installRecorder, publishPaced, quantile, startRecording, startUiBench, stopRecording, waitForHeaderTotal } from './ui-harness'

const ASKED_RATE = 100_000
const SECONDS = 5

export async function uiRecent(pki: TestPki): Promise<ResultRow[]> {
  const bench = await startUiBench(pki, 'bench/#')
  const { page, publisher } = bench
  try {
    await page.getByRole('tab', { name: 'Recent messages' }).click()
    await page.getByRole('region', { name: 'Recent messages' }).waitFor({ timeout: 10_000 })
    await installRecorder(page)
    await startRecording(page)
    const count = ASKED_RATE * SECONDS
    const sent = await publishPaced(publisher, count, ASKED_RATE, (i) => [firehoseTopic(i), jsonPayload(i)])
    const shown = await waitForHeaderTotal(page, count, 60_000)
    const { frames, longTasks } = await stopRecording(page)
    await page.screenshot({ path: '/tmp/mqtts-bench-ui-recent.png' })
    const lost = Math.max(0, count - shown.total)
    const delay = shown.reachedAt === null ? Number.POSITIVE_INFINITY : Math.max(0, shown.reachedAt - sent.lastAt)
    const sustained = shown.reachedAt === null ? 0 : count / ((shown.reachedAt - sent.startedAt) / 1000)
    return [
      valueRow('ui-recent', 'frame interval p95', 'ms', quantile(frames, 0.95), 50),
      valueRow('ui-recent', 'longest long task', 'ms', longTasks.length ? Math.max(...longTasks) : 0, 200),
      valueRow('ui-recent', 'UI total = sent, after the last message', 'ms', delay, undefined, null, lost),
      valueRow('ui-recent', 'publish rate reached', 'msg/s', count / ((sent.lastAt - sent.startedAt) / 1000)),
      valueRow('ui-recent', 'rate the view sustained (sent ÷ time until all shown)', 'msg/s', sustained),
    ]
  } finally {
    await bench.close()
  }
}
