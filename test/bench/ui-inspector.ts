/**
 * `inspector-16mb` and `diff-1mb`: the message inspector in browser mode against mosquitto over
 * TLS. Timed inside the page from the click to the first animation frame that shows the view:
 * a 16 MB binary payload in the paged hex view, 16 MB of text and 16 MB of JSON in Monaco (one
 * page of each), and Monaco's diff of two 1 MB JSON messages with its changes computed. Long
 * tasks are recorded over each selection. Monaco's chunk is loaded once before (a small JSON
 * topic), so the rows measure the views, not the first download of the editor.
 */
import type { Page } from 'playwright-core'
import type { TestPki } from '../fixtures/pki'
import { valueRow, type ResultRow } from './report'
import { installRecorder, rpc, startRecording, startUiBench, stopRecording, type UiBench } from './ui-harness'

const MB = 1024 * 1024

/** 16 MiB of bytes that are not text. */
function binaryPayload(): Buffer {
  const b = Buffer.allocUnsafe(16 * MB)
  for (let i = 0; i < b.length; i++) b[i] = (i * 131 + (i >> 9)) & 0xff
  return b
}

/** Just under 16 MiB of lines of text. */
function textPayload(): Buffer {
  const line = 'The quick brown fox jumps over the lazy dog, line number '
  const parts: string[] = []
  let size = 0
  for (let i = 0; size < 16 * MB - 200; i++) {
    const l = `${line}${i}\n`
    parts.push(l)
    size += l.length
  }
  return Buffer.from(parts.join(''))
}

/** A JSON array of objects, `bytes` long at most. */
function jsonPayload(bytes: number, salt = 0): Buffer {
  const parts: string[] = []
  let size = 2
  for (let i = 0; ; i++) {
    const item = JSON.stringify({ id: i, name: `sensor-${i}`, value: ((i * 7919 + salt * (i % 97 === 0 ? 1 : 0)) % 1000) / 10, ok: i % 3 !== 0 })
    if (size + item.length + 1 > bytes) break
    parts.push(item)
    size += item.length + 1
  }
  return Buffer.from(`[${parts.join(',')}]`)
}

/** Clicks the tree row of `path` and resolves with ms until a frame shows the view `ready` names. */
function selectAndTime({ path, ready, expect }: { path: string; ready: 'hex' | 'text'; expect: string }): Promise<number> {
  const row = document.querySelector<HTMLElement>(`[role="treeitem"][data-path="${path}"]`)
  if (!row) throw new Error(`no row for ${path}`)
  return new Promise((resolve, reject) => {
    const t0 = performance.now()
    const shown = (): boolean => {
      if (document.querySelector('[aria-label="Topic path"]')?.textContent !== path) return false
      if (ready === 'hex') return document.querySelector('[aria-label="Payload as hex"] .hex-row:not(.pending)') !== null
      const editor = document.querySelector('[aria-label="Decoded payload text"][data-ready="true"]')
      // Monaco draws spaces as U+00A0.
      return (editor?.querySelector('.view-lines')?.textContent ?? '').replace(/\u00a0/g, ' ').includes(expect)
    }
    const check = () => {
      if (shown()) {
        requestAnimationFrame(() => resolve(performance.now() - t0))
        return
      }
      if (performance.now() - t0 > 60_000) return reject(new Error(`${path}: no ${ready} view within 60 s`))
      requestAnimationFrame(check)
    }
    row.click()
    requestAnimationFrame(check)
  })
}

/** Clicks "Diff with previous" and resolves with ms until a frame shows the diff with its changes. */
function diffAndTime(): Promise<number> {
  const button = Array.from(document.querySelectorAll<HTMLButtonElement>('button')).find((b) => b.textContent?.trim() === 'Diff with previous')
  if (!button) throw new Error('no "Diff with previous" button')
  return new Promise((resolve, reject) => {
    const t0 = performance.now()
    const check = () => {
      const editor = document.querySelector('[aria-label="Diff of the two messages"]')
      if (editor && Number(editor.getAttribute('data-changes')) > 0 && editor.querySelector('.editor.modified .view-lines')?.textContent) {
        requestAnimationFrame(() => resolve(performance.now() - t0))
        return
      }
      if (performance.now() - t0 > 60_000) {
        // Say what the page shows instead (e.g. "No earlier message of this topic is kept").
        const said = Array.from(document.querySelectorAll('[aria-label="Selected topic"] [role="alert"], [aria-label="Selected topic"] [role="status"]')).map((e) => e.textContent?.trim()).filter(Boolean).join(' | ')
        return reject(new Error(`diff: not shown within 60 s (page says: ${said || 'nothing'})`))
      }
      requestAnimationFrame(check)
    }
    button.click()
    requestAnimationFrame(check)
  })
}

async function measure(page: Page, run: () => Promise<number>): Promise<{ ms: number; longest: number }> {
  await startRecording(page)
  const ms = await run()
  // Long tasks of the selection settle within a moment of its first paint.
  await page.waitForTimeout(300)
  const { longTasks } = await stopRecording(page)
  return { ms, longest: longTasks.length ? Math.max(...longTasks) : 0 }
}

/** Publishes the two 1 MB JSON messages of `insp/diff` and waits until the main side keeps both. */
async function publishDiffPair(bench: UiBench): Promise<void> {
  const publish = (payload: Buffer) => bench.publisher.publishAsync('insp/diff', payload, { qos: 1, retain: false })
  await publish(jsonPayload(MB, 0))
  await publish(jsonPayload(MB, 1))
  for (let deadline = Date.now() + 60_000; ; ) {
    const kept = await rpc(bench.app, 'tree.topic.history', { connectionId: bench.connectionId, path: 'insp/diff', offset: 0, limit: 2, maxPayloadBytes: 0 })
    if (kept.length === 2) break
    if (Date.now() > deadline) throw new Error('diff-1mb: the two diff messages did not arrive')
    await bench.page.waitForTimeout(200)
  }
}

/** Expands `insp`, waits for the leaves, and loads Monaco's chunk and workers once (on `insp/small`). */
async function openLeavesAndWarm(page: Page, leaves: string[]): Promise<void> {
  await page.locator('[role="treeitem"][data-path="insp"]').waitFor({ timeout: 60_000 })
  await page.locator('[role="treeitem"][data-path="insp"] .twisty').click()
  for (const leaf of leaves) await page.locator(`[role="treeitem"][data-path="insp/${leaf}"]`).waitFor({ timeout: 60_000 })
  await page.locator('[role="treeitem"][data-path="insp/small"]').click()
  await page.locator('[aria-label="Decoded payload text"][data-ready="true"]').waitFor({ timeout: 30_000 })
  await installRecorder(page)
}

/** Selects `insp/diff` and times "Diff with previous" (1 MB JSON against 1 MB JSON). */
async function diffRows(page: Page): Promise<ResultRow[]> {
  await page.locator('[role="treeitem"][data-path="insp/diff"]').click()
  // The detail must show insp/diff's own latest message before "Diff with previous" is clicked: the
  // previous selection's inspector (16 MB of JSON) may still be ready on screen for a moment.
  await page.locator('[aria-label="Topic path"]', { hasText: /^insp\/diff$/ }).waitFor({ timeout: 30_000 })
  await page.locator('[aria-label="Message details"]').waitFor({ timeout: 30_000 })
  await page.locator('[aria-label="Decoded payload text"][data-ready="true"]').waitFor({ timeout: 30_000 })
  const diff = await measure(page, () => page.evaluate(diffAndTime))
  console.log(`diff-1mb: shown in ${Math.round(diff.ms)} ms, longest task ${Math.round(diff.longest)} ms`)
  return [
    valueRow('diff-1mb', 'diff of two 1 MB JSON messages shown', 'ms', diff.ms, 500),
    valueRow('diff-1mb', 'longest long task', 'ms', diff.longest),
  ]
}

export async function uiInspector(pki: TestPki): Promise<ResultRow[]> {
  const bench = await startUiBench(pki, 'insp/#')
  const { page, publisher } = bench
  try {
    const publish = (topic: string, payload: Buffer, retain = true) => publisher.publishAsync(topic, payload, { qos: 1, retain })
    await publish('insp/small', Buffer.from('{"warm":1}'))
    await publish('insp/bin', binaryPayload())
    await publish('insp/text', textPayload())
    await publish('insp/json', jsonPayload(16 * MB - 200))
    await publishDiffPair(bench)
    await openLeavesAndWarm(page, ['small', 'bin', 'text', 'json', 'diff'])
    console.log('inspector-16mb: Monaco loaded, measuring')

    const rows: ResultRow[] = []
    const cases = [
      ['bin', 'hex', 'binary (hex view)', ''],
      ['text', 'text', 'text (Monaco)', 'The quick brown fox'],
      ['json', 'text', 'JSON (Monaco)', 'sensor-0'],
    ] as const
    for (const [leaf, ready, label, expect] of cases) {
      const { ms, longest } = await measure(page, () => page.evaluate(selectAndTime, { path: `insp/${leaf}`, ready, expect }))
      console.log(`inspector-16mb: ${label} first paint ${Math.round(ms)} ms, longest task ${Math.round(longest)} ms`)
      rows.push(valueRow('inspector-16mb', `first paint, ${label}`, 'ms', ms, 300))
      rows.push(valueRow('inspector-16mb', `longest long task, ${label}`, 'ms', longest, 200))
    }
    rows.push(...(await diffRows(page)))
    return rows
  } finally {
    await bench.close()
  }
}

/** `diff-1mb` alone: the same diff as at the end of `inspector-16mb`, without the 16 MB payloads. */
export async function uiDiff(pki: TestPki): Promise<ResultRow[]> {
  const bench = await startUiBench(pki, 'insp/#')
  try {
    await bench.publisher.publishAsync('insp/small', Buffer.from('{"warm":1}'), { qos: 1, retain: true })
    await publishDiffPair(bench)
    await openLeavesAndWarm(bench.page, ['small', 'diff'])
    return await diffRows(bench.page)
  } finally {
    await bench.close()
  }
}
