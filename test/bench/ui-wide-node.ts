/**
 * `ui-wide-node`: one node with 100,000 children. Expand it with a click and time, inside the
 * page, from the click to the first animation frame that shows its child rows; then scroll with
 * the mouse wheel (and jump with the scrollbar) and record animation-frame intervals (p95).
 */
import type { TestPki } from '../fixtures/pki'
import { jsonPayload } from './load'
import { valueRow, type ResultRow } from './report'
import { installRecorder, publishPaced, quantile, rendererHeap, startRecording, startUiBench, stopRecording, waitForTreeTotal } from './ui-harness'

const CHILDREN = 100_000
const MB = 1024 * 1024

/** Clicks the twisty of `path` in the page and resolves with ms until a frame shows a row at `level`. */
function expandAndTime({ path, level }: { path: string; level: number }): Promise<number> {
  const twisty = document.querySelector<HTMLElement>(`[role="treeitem"][data-path="${path}"] .twisty`)
  if (!twisty) throw new Error(`no row for ${path}`)
  return new Promise((resolve) => {
    const t0 = performance.now()
    const check = () => {
      if (document.querySelector(`[role="treeitem"][aria-level="${level}"]`)) {
        // The row is in the DOM; the next frame is the one that paints it.
        requestAnimationFrame(() => resolve(performance.now() - t0))
        return
      }
      requestAnimationFrame(check)
    }
    twisty.click()
    requestAnimationFrame(check)
  })
}

export async function uiWideNode(pki: TestPki): Promise<ResultRow[]> {
  const bench = await startUiBench(pki, 'wide/#')
  const { page, publisher } = bench
  try {
    await publishPaced(publisher, CHILDREN, 50_000, (i) => [`wide/node/item${i}`, jsonPayload(i)])
    const seeded = await waitForTreeTotal(page, CHILDREN, 60_000)
    if (seeded.reachedAt === null) throw new Error(`ui-wide-node: the tree showed ${seeded.total} of ${CHILDREN} messages`)
    await page.locator('[role="treeitem"][data-path="wide"] .twisty').click()
    await page.locator('[role="treeitem"][data-path="wide/node"]').waitFor()

    const firstRowsMs = await page.evaluate(expandAndTime, { path: 'wide/node', level: 3 })
    const tree = page.getByRole('tree')
    await page.locator('[role="treeitem"][aria-level="3"]').first().waitFor()

    // Scroll like a user: wheel steps over the tree, then drag-like jumps across the whole list.
    await installRecorder(page)
    const box = await tree.boundingBox()
    if (!box) throw new Error('ui-wide-node: the tree has no box')
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
    await startRecording(page)
    for (let i = 0; i < 120; i++) {
      await page.mouse.wheel(0, 480)
      await page.waitForTimeout(16)
    }
    for (const f of [0.1, 0.35, 0.6, 0.85, 0.5, 0.2]) {
      await tree.evaluate((el, f) => (el.scrollTop = (el.scrollHeight - el.clientHeight) * f), f)
      await page.waitForTimeout(120)
    }
    const { frames } = await stopRecording(page)
    // Where the scrolling ended, the rows come in: no placeholder left.
    await page.waitForFunction(() => document.querySelectorAll('[role="tree"] .placeholder').length === 0, undefined, { timeout: 10_000 })
    const heap = await rendererHeap(page)
    await page.screenshot({ path: '/tmp/mqtts-bench-ui-wide-node.png' })
    return [
      valueRow('ui-wide-node', 'first rows painted', 'ms', firstRowsMs, 200),
      valueRow('ui-wide-node', 'scroll frame interval p95', 'ms', quantile(frames, 0.95), 20),
      valueRow('ui-wide-node', `scroll frames recorded (max interval ${Math.round(Math.max(0, ...frames))} ms)`, 'frames', frames.length),
      valueRow('ui-wide-node', 'renderer JS heap after GC', 'MB', heap / MB),
    ]
  } finally {
    await bench.close()
  }
}
