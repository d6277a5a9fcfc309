/**
 * `chart-live`: a chart series in browser mode, measured inside the page.
 * 1. 100,000 points: a series of one topic collects 100,000 messages on the main side, then the
 *    Charts tab is opened; reported are the redraw of those points (the panel's `chart-draw`
 *    User Timing measure: setData to drawn, figures included) and the time from the click to
 *    that first full drawing (fetch of the points over the WebSocket included).
 * 2. Live: the charted topic then receives the ui-firehose load (50,000 messages a second for
 *    10 s, ~64-byte JSON) while the chart follows; reported are the animation-frame intervals
 *    (p95), the redraws' durations, and whether the legend's last value is the last value sent.
 */
import { writeFile } from 'node:fs/promises'
import type { Page } from 'playwright-core'
import type { TestPki } from '../fixtures/pki'
import { jsonPayload } from './load'
import { valueRow, type ResultRow } from './report'
import { installRecorder, publishPaced, quantile, rendererHeap, rpc, startRecording, startUiBench, stopRecording } from './ui-harness'

const TOPIC = 'bench/chart/value'
const SEED = 100_000
const RATE = 50_000
const SECONDS = 10
const LABEL = 'bench value'
const MB = 1024 * 1024

/** The `v` field the load's n-th payload carries. */
const valueOf = (i: number) => (JSON.parse(jsonPayload(i).toString()) as { v: number }).v

/** Collects the page's `chart-draw` measures from now on (rows drawn, duration). */
async function watchDraws(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __chartDraws?: Array<{ rows: number; ms: number; end: number }> }
    w.__chartDraws = []
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__chartDraws!.push({ rows: ((e as PerformanceMeasure).detail as { rows: number }).rows, ms: e.duration, end: e.startTime + e.duration })
    }).observe({ type: 'measure' })
  })
}

async function draws(page: Page): Promise<Array<{ rows: number; ms: number; end: number }>> {
  return page.evaluate(() => (window as unknown as { __chartDraws: Array<{ rows: number; ms: number; end: number }> }).__chartDraws.splice(0))
}

/** Polls the main side until the series holds `n` points (index-wise); false on timeout. */
async function waitForSeries(bench: Awaited<ReturnType<typeof startUiBench>>, seriesId: string, n: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const info = (await rpc(bench.app, 'chart.list', undefined)).find((s) => s.seriesId === seriesId)
    if ((info?.nextIndex ?? 0) >= n) return true
    await new Promise((r) => setTimeout(r, 100))
  }
  return false
}

export async function uiChartLive(pki: TestPki): Promise<ResultRow[]> {
  const bench = await startUiBench(pki, 'bench/#')
  const { page, publisher } = bench
  try {
    const series = await rpc(bench.app, 'chart.add', { source: { connectionId: bench.connectionId, topic: TOPIC, pointer: '/v' }, label: LABEL })
    await publishPaced(publisher, SEED, RATE, (i) => [TOPIC, jsonPayload(i)])
    if (!(await waitForSeries(bench, series.seriesId, SEED, 60_000))) throw new Error(`chart-live: the series did not reach ${SEED} points`)

    // 1. Open the Charts tab and time the first drawing of all 100,000 points.
    await watchDraws(page)
    const clickedAt = await page.evaluate(() => {
      const tab = Array.from(document.querySelectorAll<HTMLElement>('[role="tab"]')).find((t) => t.textContent?.trim() === 'Charts')
      if (!tab) throw new Error('no Charts tab')
      const t0 = performance.now()
      tab.click()
      return t0
    })
    await page.waitForFunction((n) => (window as unknown as { __chartDraws: Array<{ rows: number }> }).__chartDraws.some((d) => d.rows >= n), SEED, { timeout: 60_000, polling: 'raf' })
    const firstFull = (await draws(page)).find((d) => d.rows >= SEED)!
    // A second full redraw, now that the chart exists (the cost of every later frame at this size).
    await page.getByRole('button', { name: 'Reset zoom' }).click()
    await page.waitForFunction(() => (window as unknown as { __chartDraws: unknown[] }).__chartDraws.length > 0, undefined, { timeout: 10_000, polling: 'raf' })
    const redraw = (await draws(page))[0]

    // 2. The firehose load on the charted topic, the chart following.
    await installRecorder(page)
    // BENCH_CHART_PROFILE=<file> writes a CPU profile of the page during the load (DevTools format).
    const profiler = process.env.BENCH_CHART_PROFILE ? await page.context().newCDPSession(page) : null
    if (profiler) {
      await profiler.send('Profiler.enable')
      await profiler.send('Profiler.start')
    }
    await startRecording(page)
    const count = RATE * SECONDS
    const sent = await publishPaced(publisher, count, RATE, (i) => [TOPIC, jsonPayload(SEED + i)])
    const expectedLast = String(valueOf(SEED + count - 1))
    const reached = await waitForSeries(bench, series.seriesId, SEED + count, 60_000)
    const lastCell = page.getByLabel(`Last value of ${LABEL}`)
    let shownLast: string | null = null
    const deadline = Date.now() + 30_000
    while (Date.now() < deadline) {
      shownLast = await lastCell.getAttribute('title')
      if (reached && shownLast === expectedLast) break
      await page.waitForTimeout(100)
    }
    const lastShownAt = Date.now()
    const { frames, longTasks } = await stopRecording(page)
    if (profiler) {
      const { profile } = (await profiler.send('Profiler.stop')) as { profile: unknown }
      await writeFile(process.env.BENCH_CHART_PROFILE!, JSON.stringify(profile))
      await profiler.detach()
    }
    const live = await draws(page)
    const mainLast = (await rpc(bench.app, 'chart.points', { seriesId: series.seriesId, from: SEED + count - 1, maxPoints: 1 })).values[0]
    const heap = await rendererHeap(page)
    await page.screenshot({ path: '/tmp/mqtts-bench-chart-live.png' })
    const lastOk = reached && shownLast === expectedLast && String(mainLast) === expectedLast
    return [
      valueRow('chart-live', `draw of ${firstFull.rows.toLocaleString('en')} points (first, on opening)`, 'ms', firstFull.ms, 100),
      valueRow('chart-live', `redraw of ${redraw.rows.toLocaleString('en')} points`, 'ms', redraw.ms, 100),
      valueRow('chart-live', 'Charts tab click to 100,000 points drawn (fetch included)', 'ms', firstFull.end - clickedAt),
      valueRow('chart-live', 'frame interval p95 under the ui-firehose load', 'ms', quantile(frames, 0.95), 33),
      valueRow('chart-live', 'longest long task under load', 'ms', longTasks.length ? Math.max(...longTasks) : 0),
      valueRow('chart-live', `redraw p95 under load (${live.length} redraws of up to ${Math.max(0, ...live.map((d) => d.rows)).toLocaleString('en')} points)`, 'ms', quantile(live.map((d) => d.ms), 0.95), 100),
      // 1 = the legend's last value and the main side's last point both equal the last value sent.
      valueRow('chart-live', `last point = last value sent (${expectedLast}; shown ${shownLast ?? 'nothing'})`, 'ok', lastOk ? 1 : 0, undefined, null, lastOk ? 0 : 1),
      valueRow('chart-live', 'last value shown, after the last message', 'ms', Math.max(0, lastShownAt - sent.lastAt)),
      valueRow('chart-live', 'publish rate reached', 'msg/s', count / ((sent.lastAt - sent.startedAt) / 1000)),
      valueRow('chart-live', 'renderer JS heap after GC', 'MB', heap / MB),
    ]
  } finally {
    await bench.close()
  }
}
