/**
 * The message inspector end to end in browser mode: the built app, Debian chromium and a real
 * mosquitto, payloads published by mqtt.js. Monaco loads lazily with no CSP violation; a JSON
 * payload shows in Monaco and offers to chart a clicked number by its JSON Pointer; the Hex
 * override shows hex rows; invalid UTF-8 bytes are marked; an image (a PNG from Chromium's canvas encoder) shows
 * as an <img>; a 16 MB payload opens in the paged hex view and scrolls to its last row; 16 MB of
 * JSON shows its first page, then its checked total, and a broken one ends as text; a diff
 * of two history entries shows the change and next/previous move between changes; two long
 * messages are diffed trimmed to their changes, numbered as the full messages, or whole on request.
 */
import mqtt, { type MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Locator, Page } from 'playwright-core'
import { openAppSession, type AppSession } from '../fixtures/app-session'
import { startMosquitto, type MosquittoBroker } from '../fixtures/mosquitto'
import { connect, connectionPanel, createProfile, eventually, expectNoBrowserErrors } from './ui-steps'

const PROFILE = 'Inspector broker'
const BIG = 16 * 1024 * 1024

let broker: MosquittoBroker
let session: AppSession
let page: Page
let publisher: MqttClient

function publish(topic: string, payload: string | Buffer, retain = true): Promise<void> {
  return new Promise((resolve, reject) => publisher.publish(topic, payload, { qos: 1, retain }, (err) => (err ? reject(err) : resolve())))
}

/** 16 MiB whose every byte is known: byte i is (i * 7 + (i >> 16)) & 0xff. */
function bigPayload(): Buffer {
  const b = Buffer.allocUnsafe(BIG)
  for (let i = 0; i < BIG; i++) b[i] = (i * 7 + (i >> 16)) & 0xff
  return b
}

function detail(): Locator {
  return connectionPanel(page, PROFILE).getByRole('complementary', { name: 'Selected topic' })
}

function inspector(): Locator {
  return detail().getByLabel('Decoded payload', { exact: true })
}

/** Filters the tree to one topic and selects it. */
async function select(path: string): Promise<void> {
  const panel = connectionPanel(page, PROFILE)
  await panel.getByLabel('Filter topics').fill(path)
  const leaf = path.split('/').pop()!
  const row = panel.getByRole('tree').getByRole('treeitem', { name: new RegExp(`^${leaf}(,|$)`) })
  await eventually(async () => expect(await row.count()).toBe(1))
  await row.click()
  await eventually(async () => expect(await detail().getByLabel('Topic path').innerText()).toBe(path))
}

/** The text Monaco renders for the visible lines under `where` (it draws spaces as U+00A0). */
async function monacoText(where: Locator): Promise<string> {
  return (await where.locator('.view-lines').first().innerText()).replace(/\u00a0/g, ' ')
}

async function editorText(): Promise<string> {
  return monacoText(inspector())
}

beforeAll(async () => {
  broker = await startMosquitto({ listeners: [{}], extra: ['sys_interval 600'] })
  publisher = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, { clientId: 'e2e-inspector-publisher' })
  await publish('insp/json', JSON.stringify({ temp: 21.5, unit: 'C', nested: { 'a/b': [1, 2, 3] } }))
  await publish('insp/badutf8', Buffer.concat([Buffer.from('valid text '), Buffer.from([0xff, 0xfe]), Buffer.from(' more text')]))
  session = await openAppSession({ viewport: { width: 1366, height: 900 } })
  page = session.page
  // A PNG from Chromium's own encoder (a canvas), not from code of ours.
  const dataUrl = await page.evaluate(() => {
    const canvas = document.createElement('canvas')
    canvas.width = 3
    canvas.height = 2
    const ctx = canvas.getContext('2d')!
    ctx.fillStyle = '#ff0000'
    ctx.fillRect(0, 0, 3, 2)
    return canvas.toDataURL('image/png')
  })
  await publish('insp/image', Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64'))
  // Every CSP violation the page sees, from before Monaco's chunk and workers load.
  await page.evaluate(() => {
    const w = window as unknown as { cspViolations: string[] }
    w.cspViolations = []
    document.addEventListener('securitypolicyviolation', (e) => w.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`))
  })
  await createProfile(page, { name: PROFILE, brokerUrl: `mqtt://127.0.0.1:${broker.port}` })
  await connect(page, PROFILE)
  // Subscribed once the retained topics are in the tree: live messages published later arrive.
  await eventually(async () => expect(await connectionPanel(page, PROFILE).getByRole('tree').getByRole('treeitem', { name: /^insp(,|$)/ }).count()).toBe(1))
}, 120_000)

afterAll(async () => {
  await publisher?.endAsync()
  await session?.close()
  await broker?.stop()
})

describe('the message inspector in browser mode', () => {
  it('loads Monaco lazily and shows a JSON payload in it, with no CSP violation', async () => {
    const before = await page.evaluate(() => performance.getEntriesByType('resource').filter((r) => /monaco/.test(r.name)).length)
    expect(before).toBe(0)
    await select('insp/json')
    await eventually(async () => expect(await inspector().getByLabel('Detected decoder').innerText()).toMatch(/^Detected as JSON/))
    await eventually(async () => expect(await editorText()).toContain('"temp": 21.5'))
    // Monaco's JSON tokens: highlighted, not plain text.
    expect(await inspector().locator('.view-lines span[class*="mtk"]').count()).toBeGreaterThan(3)
    // Its chunk and its workers came from our own origin.
    const loaded = await page.evaluate(() => performance.getEntriesByType('resource').map((r) => r.name).filter((n) => /monaco|worker/.test(n)))
    expect(loaded.some((n) => /monaco-.*\.js$/.test(n))).toBe(true)
    expect(loaded.every((n) => n.startsWith(session.app.origin))).toBe(true)
    await eventually(async () => expect(await page.evaluate(() => performance.getEntriesByType('resource').some((r) => /json\.worker/.test(r.name)))).toBe(true))
    expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([])
    expectNoBrowserErrors(session.browser.errors)
  }, 90_000)

  it('offers to chart a clicked number by its JSON Pointer', async () => {
    await inspector().locator('.view-lines span', { hasText: /^21\.5$/ }).click()
    await eventually(async () => expect(await inspector().getByRole('button', { name: /^Chart / }).innerText()).toBe('Chart /temp'))
    await inspector().locator('.view-lines span', { hasText: /^2$/ }).click()
    await eventually(async () => expect(await inspector().getByRole('button', { name: /^Chart / }).innerText()).toBe('Chart /nested/a~1b/1'))
  }, 60_000)

  it('shows hex rows when Hex is forced, and goes back to automatic', async () => {
    await inspector().getByRole('group', { name: 'Decode as' }).getByRole('button', { name: 'Hex', exact: true }).click()
    const hex = inspector().getByRole('region', { name: 'Payload as hex' })
    await eventually(async () => expect(await hex.innerText()).toContain('00000000  7b 22 74 65 6d 70 22 3a  32 31 2e 35 2c 22 75 6e  {"temp":21.5,"un'))
    expect(await inspector().getByLabel('Detected decoder').innerText()).toMatch(/^Shown as Hex; detected as JSON/)
    // No horizontal scrolling at the pane's width.
    expect(await hex.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true)
    await inspector().getByRole('button', { name: 'Auto', exact: true }).click()
    await eventually(async () => expect(await editorText()).toContain('"unit": "C"'))
  }, 60_000)

  it('marks bytes that are not valid UTF-8', async () => {
    await select('insp/badutf8')
    await eventually(async () => expect(await inspector().getByLabel('Detected decoder').count()).toBe(1))
    // Text is offered for these bytes; if detection picked another view, force it.
    if (!/^Detected as Text/.test(await inspector().getByLabel('Detected decoder').innerText())) {
      const quick = inspector().getByRole('group', { name: 'Decode as' }).getByRole('button', { name: 'Text', exact: true })
      if ((await quick.count()) > 0) await quick.click()
      else await inspector().getByLabel('Other decoder').selectOption('text')
    }
    await eventually(async () => expect(await editorText()).toContain('valid text'))
    await eventually(async () => expect(await inspector().locator('.view-lines .mqtts-invalid-byte').count()).toBe(2))
    expect(await inspector().getByRole('note').filter({ hasText: 'not valid UTF-8' }).innerText()).toMatch(/^2 bytes are not valid UTF-8/)
  }, 60_000)

  it('shows an image payload inline', async () => {
    await select('insp/image')
    const img = inspector().getByRole('img')
    await eventually(async () => expect(await img.getAttribute('alt')).toMatch(/PNG image, 3 × 2 px/))
    await eventually(async () => expect(await img.evaluate((el: HTMLImageElement) => [el.complete, el.naturalWidth, el.naturalHeight])).toEqual([true, 3, 2]))
    expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([])
  }, 60_000)

  it('opens a 16 MB payload in the paged hex view and scrolls to its last row', async () => {
    const big = bigPayload()
    await publish('insp/big', big)
    await select('insp/big')
    const hex = inspector().getByRole('region', { name: 'Payload as hex' })
    await eventually(async () => expect(await hex.getAttribute('data-rows')).toBe(String(BIG / 16)), 60_000)
    const row = (i: number) => Array.from(big.subarray(i * 16, i * 16 + 8), (b) => b.toString(16).padStart(2, '0')).join(' ')
    await eventually(async () => expect(await hex.innerText()).toContain(`00000000  ${row(0)}`))
    // Halfway, then the very end: the rows there are fetched from the main side as they come into view.
    await hex.evaluate((el) => (el.scrollTop = el.scrollHeight / 2))
    await eventually(async () => expect(await hex.locator('.hex-row:not(.pending)').count()).toBeGreaterThan(5))
    await hex.evaluate((el) => (el.scrollTop = el.scrollHeight))
    const last = BIG / 16 - 1
    await eventually(async () => expect(await hex.innerText()).toContain(`${(last * 16).toString(16).padStart(8, '0')}  ${row(last)}`))
    expectNoBrowserErrors(session.browser.errors)
  }, 120_000)

  it('shows 16 MB of JSON while its rest is checked, then its total; a broken one ends as text with where it stopped', async () => {
    const items: string[] = []
    for (let i = 0, size = 2; size < BIG - 200; i++) {
      const item = JSON.stringify({ id: i, name: `sensor-${i}`, ok: i % 3 !== 0 })
      items.push(item)
      size += item.length + 1
    }
    const json = Buffer.from(`[${items.join(',')}]`)
    const broken = Buffer.concat([json.subarray(0, -1), Buffer.from(',}')])
    await publish('insp/bigjson', json)
    await publish('insp/brokenjson', broken)
    const detected = inspector().getByLabel('Detected decoder')
    const pager = inspector().getByLabel('Text page')

    await select('insp/bigjson')
    await eventually(async () => expect(await editorText()).toContain('"name": "sensor-0"'), 60_000)
    // Whether "Checking whether it is JSON…" is still on screen depends on the machine's speed;
    // what it ends as does not: JSON, with the re-indented total in the pager.
    await eventually(async () => expect(await detected.innerText()).toBe('Detected as JSON — parses as JSON'), 60_000)
    await eventually(async () => expect(await pager.innerText()).toMatch(/^Characters 1–65,536 of [\d,]+$/))
    const total = Number((await pager.innerText()).replace(/^.* of /, '').replace(/,/g, ''))
    expect(total).toBeGreaterThan(json.length)
    await inspector().getByRole('button', { name: 'Next page' }).click()
    await eventually(async () => expect(await pager.innerText()).toMatch(/^Characters 65,537–131,072 of /))

    await select('insp/brokenjson')
    await eventually(async () => expect(await detected.innerText()).toBe(`Detected as Text — valid UTF-8; it stops being JSON at byte ${broken.length.toLocaleString('en-US')}`), 60_000)
    await eventually(async () => expect(await editorText()).toContain('[{"id":0,"name":"sensor-0"'))
    expect(await pager.innerText()).toBe(`Characters 1–65,536 of ${broken.length.toLocaleString('en-US')}`)
    expectNoBrowserErrors(session.browser.errors)
  }, 180_000)

  it('diffs two history entries and steps between the changes', async () => {
    // Two changes (a and e) with three equal lines between them, so no diff joins them.
    await publish('insp/diff', JSON.stringify({ e: 5, d: 'z', c: 'y', b: 'x', a: 1 }), false)
    await publish('insp/diff', JSON.stringify({ a: 2, b: 'x', c: 'y', d: 'z', e: 6, f: true }), false)
    await select('insp/diff')
    await eventually(async () => expect(await detail().getByRole('list', { name: 'Messages on this topic, newest first' }).getByRole('listitem').count()).toBe(2))
    await detail().getByRole('button', { name: 'Diff with previous' }).click()
    const diff = detail().getByRole('region', { name: 'Message diff' })
    const editor = diff.getByRole('region', { name: 'Diff of the two messages' })
    await eventually(async () => expect(Number(await editor.getAttribute('data-changes'))).toBe(2))
    // Keys sorted: the older message's {e, d, c, b, a} compares line by line with the newer {a, …, f}.
    expect(await monacoText(editor.locator('.editor.original'))).toMatch(/"a": 1,\s*"b": "x",\s*"c": "y",\s*"d": "z",\s*"e": 5/)
    expect(await monacoText(editor.locator('.editor.modified'))).toContain('"f": true')
    expect(await editor.locator('.editor.modified .line-insert, .editor.modified .char-insert').count()).toBeGreaterThan(0)
    const activeLine = async () => Number(await editor.locator('.editor.modified .line-numbers.active-line-number').innerText())
    const position = diff.getByLabel('Diff position')
    await diff.getByRole('button', { name: 'Next change' }).click()
    await eventually(async () => expect(await position.innerText()).toBe('Change 1 of 2'))
    await eventually(async () => expect(await activeLine()).toBe(2))
    await diff.getByRole('button', { name: 'Next change' }).click()
    await eventually(async () => expect(await position.innerText()).toBe('Change 2 of 2'))
    await eventually(async () => expect(await activeLine()).toBe(6))
    await page.keyboard.press('Shift+F7')
    await eventually(async () => expect(await position.innerText()).toBe('Change 1 of 2'))
    await eventually(async () => expect(await activeLine()).toBe(2))
    // Inline instead of side by side.
    expect(await editor.locator('.monaco-diff-editor.side-by-side').count()).toBe(1)
    await diff.getByLabel('Side by side').uncheck()
    await eventually(async () => expect(await editor.locator('.monaco-diff-editor.side-by-side').count()).toBe(0))
    expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([])
    expectNoBrowserErrors(session.browser.errors)
  }, 90_000)

  it('trims two long messages to their changes, numbered as the full messages, and shows them whole on request', async () => {
    // 3,000 readings pretty-print to 15,002 lines (~180,000 characters): reading i's value is on
    // line 5 + 5i. The newer message changes the first and the last reading only.
    const readings = (first: number, last: number) => JSON.stringify(Array.from({ length: 3000 }, (_, i) => ({ id: i, name: `sensor-${i}`, value: i === 0 ? first : i === 2999 ? last : i })))
    await publish('insp/long', readings(0, 2999), false)
    await publish('insp/long', readings(-1, -2999), false)
    await select('insp/long')
    await eventually(async () => expect(await detail().getByRole('list', { name: 'Messages on this topic, newest first' }).getByRole('listitem').count()).toBe(2))
    await detail().getByRole('button', { name: 'Diff with previous' }).click()
    const diff = detail().getByRole('region', { name: 'Message diff' })
    const editor = diff.getByRole('region', { name: 'Diff of the two messages' })
    await eventually(async () => expect(Number(await editor.getAttribute('data-changes'))).toBe(2))
    await eventually(async () => expect(await diff.getByRole('note', { name: 'Trimmed diff' }).innerText()).toMatch(/15,002 lines.*only the changed lines/))
    // The first change is at the top; the unchanged middle is one separator line on each side.
    expect(await monacoText(editor.locator('.editor.modified'))).toMatch(/"value": -1\s*\},?\s*\{\s*"id": 1,[\s\S]*⋯ 14,[\d,]+ unchanged lines ⋯/)
    const activeLine = async () => (await editor.locator('.editor.modified .line-numbers.active-line-number').innerText()).trim()
    const position = diff.getByLabel('Diff position')
    await diff.getByRole('button', { name: 'Next change' }).click()
    await eventually(async () => expect(await position.innerText()).toBe('Change 1 of 2'))
    await eventually(async () => expect(await activeLine()).toBe('5'))
    await page.keyboard.press('F7')
    await eventually(async () => expect(await position.innerText()).toBe('Change 2 of 2'))
    await eventually(async () => expect(await activeLine()).toBe('15000'))
    expect(await monacoText(editor.locator('.editor.modified'))).toContain('"value": -2999')
    expect(await monacoText(editor.locator('.editor.original'))).toContain('"value": 2999')
    // Inline: the same two changes.
    await diff.getByLabel('Side by side').uncheck()
    await eventually(async () => expect(await editor.locator('.monaco-diff-editor.side-by-side').count()).toBe(0))
    expect(Number(await editor.getAttribute('data-changes'))).toBe(2)
    await diff.getByLabel('Side by side').check()
    // Whole: every line, the same changes on the same line numbers.
    await diff.getByRole('button', { name: 'Show whole messages' }).click()
    await eventually(async () => expect(await diff.getByRole('note', { name: 'Whole diff' }).isVisible()).toBe(true))
    await eventually(async () => expect(Number(await editor.getAttribute('data-changes'))).toBe(2))
    await diff.getByRole('button', { name: 'Previous change' }).click()
    await eventually(async () => expect(await position.innerText()).toBe('Change 2 of 2'))
    await eventually(async () => expect(await activeLine()).toBe('15000'))
    await diff.getByRole('button', { name: 'Show only the changes' }).click()
    await eventually(async () => expect(await diff.getByRole('note', { name: 'Trimmed diff' }).isVisible()).toBe(true))
    expectNoBrowserErrors(session.browser.errors)
  }, 120_000)
})
