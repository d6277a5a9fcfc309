/**
 * Charts end to end in browser mode: the built app, Debian chromium and a real mosquitto fed by
 * mqtt.js (a client we did not write). A JSON field of a live feed is charted through the
 * "Add series" form — backfilled from the topic's history, then following every message — the
 * legend's last value is the last value published, and the CSV export holds every point with
 * ISO times in milliseconds.
 */
import { readFile } from 'node:fs/promises'
import mqtt, { type MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { openAppSession, type AppSession } from '../fixtures/app-session'
import { startMosquitto, type MosquittoBroker } from '../fixtures/mosquitto'
import { connect, connectionPanel, createProfile, eventually, expectNoBrowserErrors } from './ui-steps'

const PROFILE = 'Chart broker'
const TOPIC = 'plant/line1/state'
const HISTORY = 30
const LIVE = 200

let broker: MosquittoBroker
let session: AppSession
let page: Page
let publisher: MqttClient

/** The n-th value of the feed: a smooth curve with a key that has a dot beside it. */
const valueAt = (i: number) => Math.round(Math.sin(i / 10) * 1000) / 100 + 20
const payloadAt = (i: number) => JSON.stringify({ sensor: { temp: valueAt(i), unit: 'C' }, 'fw.version': '1.2', seq: i })

/** The message total of the tree's footer (the tree tab must be shown). */
async function treeMessages(p: Page): Promise<number> {
  const m = /([\d,]+) messages/.exec(await connectionPanel(p, PROFILE).getByLabel('Tree totals').innerText())
  return m ? Number(m[1].replace(/,/g, '')) : 0
}

beforeAll(async () => {
  // $SYS once at start-up only: the test counts its own messages.
  broker = await startMosquitto({ listeners: [{}], extra: ['sys_interval 600'] })
  publisher = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, { clientId: 'e2e-chart-publisher' })
  session = await openAppSession({ viewport: { width: 1366, height: 860 } })
  page = session.page
}, 120_000)

afterAll(async () => {
  await publisher?.endAsync()
  await session?.close()
  await broker?.stop()
})

describe('charts in browser mode', () => {
  it('charts a JSON field of a live feed from the Add series form, last value and CSV exact', async () => {
    await createProfile(page, { name: PROFILE, brokerUrl: `mqtt://127.0.0.1:${broker.port}` })
    await connect(page, PROFILE)
    const panel = connectionPanel(page, PROFILE)
    await eventually(async () => expect(await panel.getByRole('status').first().innerText()).toMatch(/Connected/))
    // History first: the series starts from what the topic already holds.
    const before = await treeMessages(page)
    for (let i = 0; i < HISTORY; i++) await publisher.publishAsync(TOPIC, payloadAt(i), { qos: 1 })
    await eventually(async () => expect(await treeMessages(page)).toBeGreaterThanOrEqual(before + HISTORY))

    await panel.getByRole('tablist', { name: 'Connection views' }).getByRole('tab', { name: 'Charts' }).click()
    const charts = panel.getByRole('region', { name: 'Charts' })
    const form = charts.getByRole('form', { name: 'Add series' })
    await form.getByLabel('Topic').fill(TOPIC)
    await form.getByLabel('JSON pointer').fill('/sensor/temp')
    await form.getByLabel('Label').fill('Line 1 temperature')
    await form.getByRole('button', { name: 'Add series' }).click()

    const legend = charts.getByRole('table', { name: 'Chart series' })
    const row = legend.getByRole('row', { name: 'Line 1 temperature' })
    await eventually(async () => expect(await row.getByRole('cell').first().innerText()).toBe(String(HISTORY)))
    // The legend's figures are computed in the frame after the draw that counted the points: wait for them too.
    await eventually(async () => expect(await row.getByLabel('Last value of Line 1 temperature').getAttribute('title')).toBe(String(valueAt(HISTORY - 1))))

    // The live feed, paced like a sensor, while the chart is shown.
    for (let i = HISTORY; i < HISTORY + LIVE; i++) {
      publisher.publish(TOPIC, payloadAt(i), { qos: 0 })
      if (i % 20 === 0) await new Promise((r) => setTimeout(r, 20))
    }
    const last = HISTORY + LIVE - 1
    await publisher.publishAsync(TOPIC, payloadAt(last + 1), { qos: 1 })
    const total = HISTORY + LIVE + 1
    await eventually(async () => expect(await row.getByRole('cell').first().innerText()).toBe(String(total)))
    await eventually(async () => expect(await row.getByLabel('Last value of Line 1 temperature').getAttribute('title')).toBe(String(valueAt(last + 1))))
    // Something was drawn: uPlot's canvas is there with a size.
    const box = await charts.getByRole('img', { name: /Chart of 1 series/ }).locator('canvas').boundingBox()
    expect(box?.width ?? 0).toBeGreaterThan(100)

    const [download] = await Promise.all([page.waitForEvent('download'), charts.getByRole('button', { name: 'Export CSV' }).click()])
    expect(download.suggestedFilename()).toMatch(/^chart-.*\.csv$/)
    const lines = (await readFile((await download.path())!, 'utf8')).split('\r\n').filter((l) => l.length > 0)
    expect(lines[0]).toBe('time,Line 1 temperature')
    expect(lines).toHaveLength(total + 1)
    const cells = lines.slice(1).map((l) => l.split(','))
    for (const [time] of cells) expect(time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/)
    expect(cells.map(([, v]) => Number(v))).toEqual(Array.from({ length: total }, (_, i) => valueAt(i)))
    const times = cells.map(([t]) => Date.parse(t))
    expect(times.every((t, i) => i === 0 || t >= times[i - 1])).toBe(true)
    expectNoBrowserErrors(session.browser.errors)
  }, 120_000)

  it('says why a source cannot be charted, in the form', async () => {
    const panel = connectionPanel(page, PROFILE)
    await panel.getByRole('tablist', { name: 'Connection views' }).getByRole('tab', { name: 'Charts' }).click()
    const charts = panel.getByRole('region', { name: 'Charts' })
    const form = charts.getByRole('form', { name: 'Add series' })
    await form.getByLabel('Topic').fill('plant/+/state')
    await form.getByLabel('JSON pointer').fill('/sensor/temp')
    await form.getByRole('button', { name: 'Add series' }).click()
    await eventually(async () => expect(await form.getByRole('alert').innerText()).toMatch(/without \+ or #/))
    expectNoBrowserErrors(session.browser.errors)
  }, 60_000)
})
