/**
 * A topic's history end to end in browser mode: the built app, Debian chromium and a real
 * mosquitto, messages published by mqtt.js (MQTT 5). Step through the history with the keyboard,
 * search the whole kept history on the main side, copy and save messages (clipboard and
 * downloads compared with the bytes published), MQTT 5 properties with duplicate user properties
 * in order, and diffs of the shown message with the previous one or of any two entries.
 */
import { readFile } from 'node:fs/promises'
import mqtt, { type IClientPublishOptions, type MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Locator, Page } from 'playwright-core'
import { openAppSession, type AppSession } from '../fixtures/app-session'
import { startMosquitto, type MosquittoBroker } from '../fixtures/mosquitto'
import { connect, connectionPanel, createProfile, eventually, expectNoBrowserErrors } from './ui-steps'

const PROFILE = 'History broker'
const TIME = /^\d\d:\d\d:\d\d\.\d{3}$/

let broker: MosquittoBroker
let session: AppSession
let page: Page
let publisher: MqttClient

function publish(topic: string, payload: string | Buffer, opts: IClientPublishOptions = {}): Promise<void> {
  return new Promise((resolve, reject) => publisher.publish(topic, payload, { qos: 1, ...opts }, (err) => (err ? reject(err) : resolve())))
}
/** Messages a few ms apart, so each has its own arrival time to the millisecond. */
async function publishSpaced(topic: string, payloads: Array<string | Buffer>): Promise<void> {
  for (const p of payloads) {
    await publish(topic, p)
    await new Promise((r) => setTimeout(r, 4))
  }
}

const panel = () => connectionPanel(page, PROFILE)
const detail = () => panel().getByRole('complementary', { name: 'Selected topic' })
const history = () => detail().getByRole('list', { name: 'Messages on this topic, newest first' })
const entries = () => history().locator('button.entry')
const shownTime = async () => (await detail().getByLabel('Arrival time').innerText()).split(' ').pop()
const entryTimeAt = async (i: number) => entries().nth(i).locator('.time').innerText()

async function select(path: string): Promise<void> {
  await panel().getByLabel('Filter topics').fill(path)
  const leaf = path.split('/').pop()!
  const item = panel().getByRole('tree').getByRole('treeitem', { name: new RegExp(`^${leaf.replace(/[$.]/g, '\\$&')}(,|$)`) })
  await eventually(async () => expect(await item.count()).toBe(1))
  await item.click()
  await eventually(async () => expect(await detail().getByLabel('Topic path').innerText()).toBe(path))
}

async function download(trigger: Locator): Promise<Buffer> {
  const [file] = await Promise.all([page.waitForEvent('download'), trigger.click()])
  return readFile((await file.path())!)
}

/** The bytes a hex dump (offset, 16 hex bytes, ASCII) stands for. */
function bytesOfDump(dump: string): Buffer {
  return Buffer.from(dump.split('\n').filter(Boolean).map((line) => line.slice(10, 59).replace(/\s+/g, '')).join(''), 'hex')
}

beforeAll(async () => {
  broker = await startMosquitto({ listeners: [{}], extra: ['sys_interval 600'] })
  publisher = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, { clientId: 'e2e-history-publisher', protocolVersion: 5 })
  session = await openAppSession({ viewport: { width: 1366, height: 900 } })
  page = session.page
  await session.browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(session.app.url).origin })
  await createProfile(page, { name: PROFILE, brokerUrl: `mqtt://127.0.0.1:${broker.port}` })
  await connect(page, PROFILE)
  await eventually(async () => expect(await panel().getByRole('tree').getByRole('treeitem').count()).toBeGreaterThan(0))
}, 120_000)

afterAll(async () => {
  await publisher?.endAsync()
  await session?.close()
  await broker?.stop()
})

describe('a topic’s history in browser mode', () => {
  it('steps through the history with the keyboard; the shown message follows, times in ms', async () => {
    await publishSpaced('lab/steps', Array.from({ length: 6 }, (_, i) => JSON.stringify({ step: i })))
    await select('lab/steps')
    await eventually(async () => expect(await entries().count()).toBe(6))
    for (let i = 0; i < 6; i++) expect(await entryTimeAt(i)).toMatch(TIME)
    expect(await entries().first().innerText()).toContain('{"step":5}')
    expect(await shownTime()).toBe(await entryTimeAt(0))

    await entries().first().focus()
    await page.keyboard.press('ArrowDown')
    await eventually(async () => expect(await shownTime()).toBe(await entryTimeAt(1)))
    expect(await detail().innerText()).toContain('Showing an older message')
    expect(await entries().nth(1).getAttribute('aria-current')).toBe('true')
    await page.keyboard.press('j')
    await eventually(async () => expect(await shownTime()).toBe(await entryTimeAt(2)))
    await page.keyboard.press('End')
    await eventually(async () => expect(await shownTime()).toBe(await entryTimeAt(5)))
    expect(await entries().nth(5).getAttribute('aria-current')).toBe('true')
    await page.keyboard.press('k')
    await eventually(async () => expect(await shownTime()).toBe(await entryTimeAt(4)))
    await page.keyboard.press('ArrowUp')
    await eventually(async () => expect(await shownTime()).toBe(await entryTimeAt(3)))
    await page.keyboard.press('Home')
    await eventually(async () => expect(await detail().innerText()).not.toContain('Showing an older message'))
    expect(await shownTime()).toBe(await entryTimeAt(0))
    expect(await entries().first().getAttribute('aria-current')).toBe('true')
    expectNoBrowserErrors(session.browser.errors)
  }, 90_000)

  it('searches the whole kept history on the main side, beyond the loaded page', async () => {
    // The needle is the oldest of 80: the list loads 50 at first.
    await publishSpaced('lab/search', Array.from({ length: 80 }, (_, i) => (i === 0 || i === 40 ? `{"alarm":"NEEDLE-${i}"}` : `{"n":${i}}`)))
    await select('lab/search')
    await eventually(async () => expect(await entries().count()).toBe(50))
    expect(await history().innerText()).not.toContain('NEEDLE-0')
    expect(await detail().getByRole('button', { name: 'Load older messages' }).count()).toBe(1)

    await detail().getByLabel('Search history').fill('needle')
    await eventually(async () => expect(await entries().count()).toBe(2))
    expect(await entries().first().innerText()).toContain('NEEDLE-40')
    expect(await entries().nth(1).innerText()).toContain('NEEDLE-0')
    expect(await detail().getByRole('status').filter({ hasText: 'found' }).innerText()).toBe('2 found')

    // Choosing a match shows that message (its index in the whole history, not in the results).
    await entries().nth(1).click()
    await eventually(async () => expect(await shownTime()).toBe(await entryTimeAt(1)))
    await eventually(async () => expect(await detail().getByRole('group', { name: 'Copy or save the shown message' }).count()).toBe(1))
    await detail().getByRole('group', { name: 'Copy or save the shown message' }).getByRole('button', { name: 'Copy as base64' }).click()
    await eventually(async () => expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(Buffer.from('{"alarm":"NEEDLE-0"}').toString('base64')))

    await detail().getByLabel('Search history').fill('no such text')
    await eventually(async () => expect(await entries().count()).toBe(0))
    expect(await detail().innerText()).toContain('No kept message contains “no such text”')
    await detail().getByLabel('Search history').fill('')
    await eventually(async () => expect(await entries().count()).toBe(50))
    await detail().getByRole('button', { name: 'Load older messages' }).click()
    await eventually(async () => expect(await entries().count()).toBe(80))

    // End steps to the oldest, far below the list's fold: it is scrolled into view.
    await entries().first().focus()
    await page.keyboard.press('End')
    await eventually(async () => expect(await shownTime()).toBe(await entryTimeAt(79)))
    const [box, last] = await Promise.all([history().boundingBox(), entries().nth(79).boundingBox()])
    expect(last!.y).toBeGreaterThanOrEqual(box!.y)
    expect(last!.y + last!.height).toBeLessThanOrEqual(box!.y + box!.height + 1)
  }, 90_000)

  it('copies and saves a binary message as hex, base64 and raw bytes equal to what was published', async () => {
    const blob = Buffer.from(Array.from({ length: 600 }, (_, i) => (i * 7 + 3) & 0xff))
    const older = Buffer.from('older message \x00\x01\x02', 'latin1')
    await publishSpaced('lab/blob', [older, blob])
    await select('lab/blob')
    await eventually(async () => expect(await entries().count()).toBe(2))
    const shownGroup = detail().getByRole('group', { name: 'Copy or save the shown message' })

    await shownGroup.getByRole('button', { name: 'Copy as hex' }).click()
    await eventually(async () => expect(bytesOfDump(await page.evaluate(() => navigator.clipboard.readText()))).toEqual(blob))
    const dump = await page.evaluate(() => navigator.clipboard.readText())
    expect(dump.split('\n')[0]).toMatch(/^00000000  03 0a 11 18 1f 26 2d 34  3b 42 49 50 57 5e 65 6c  /)
    expect(dump.split('\n')[37]).toMatch(/^00000250  /)

    await shownGroup.getByRole('button', { name: 'Copy as base64' }).click()
    await eventually(async () => expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(blob.toString('base64')))

    expect(await download(shownGroup.getByRole('button', { name: 'Save raw bytes' }))).toEqual(blob)
    expect(bytesOfDump((await download(shownGroup.getByRole('button', { name: 'Save as hex' }))).toString())).toEqual(blob)
    expect((await download(shownGroup.getByRole('button', { name: 'Save as base64' }))).toString()).toBe(blob.toString('base64'))

    // From a history entry's menu: the older message, not the shown one.
    // Scoped to the second list item: two messages may arrive within one millisecond, and their
    // menus would then carry the same time in their names.
    const olderItem = history().getByRole('listitem').nth(1)
    await olderItem.getByRole('button', { name: /^Copy or save \d/ }).click()
    const menu = olderItem.getByRole('group', { name: /^Copy or save the message of / })
    expect(await download(menu.getByRole('button', { name: 'Save raw bytes' }))).toEqual(older)
    await menu.getByRole('button', { name: 'Copy as hex' }).click()
    await eventually(async () => expect(bytesOfDump(await page.evaluate(() => navigator.clipboard.readText()))).toEqual(older))
    const [file] = await Promise.all([page.waitForEvent('download'), menu.getByRole('button', { name: 'Save as base64' }).click()])
    expect(file.suggestedFilename()).toMatch(/^blob_\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z\.b64\.txt$/)
    expect(await readFile((await file.path())!, 'utf8')).toBe(older.toString('base64'))
  }, 90_000)

  it('shows every MQTT 5 property by name, user properties in arrival order with duplicates', async () => {
    await publish('lab/props', '{"t":21.5}', {
      properties: {
        payloadFormatIndicator: true,
        contentType: 'application/json',
        responseTopic: 'lab/replies',
        correlationData: Buffer.from([0xca, 0xfe, 0x00, 0x01]),
        messageExpiryInterval: 3600,
        userProperties: { site: 'north', tag: ['a', 'b', 'a'], unit: 'C' },
      },
    })
    await select('lab/props')
    const table = detail().getByRole('table', { name: 'User properties' })
    await eventually(async () => expect(await table.getByRole('row').count()).toBe(6))
    const rows = await table.getByRole('row').allInnerTexts()
    expect(rows.slice(1).map((r) => r.split('\t').slice(1).join('='))).toEqual(['site=north', 'tag=a', 'tag=b', 'tag=a', 'unit=C'])
    const props = await detail().getByLabel('MQTT 5 properties', { exact: true }).innerText()
    expect(props).toMatch(/Payload Format Indicator\s+1 \(UTF-8 text\)/)
    expect(props).toMatch(/Content Type\s+application\/json/)
    expect(props).toMatch(/Response Topic\s+lab\/replies/)
    expect(props).toMatch(/Correlation Data\s+hex cafe0001\s+base64 yv4AAQ==/)
    // The broker counts the expiry down while the message waits: at most the 3,600 s sent.
    expect(Number(/Message Expiry Interval\s+([\d,]+) s/.exec(props)?.[1].replace(/,/g, ''))).toBeGreaterThan(3500)
    // The history marks entries that carry properties.
    expect(await entries().first().innerText()).toMatch(/\bP\b/)
  }, 60_000)

  it('diffs the shown message with the previous one, and any two entries marked to compare', async () => {
    await publishSpaced('lab/diff', ['{"v":1}', '{"v":2}', '{"v":3}', '{"v":4}'])
    await select('lab/diff')
    await eventually(async () => expect(await entries().count()).toBe(4))
    const times = await Promise.all([0, 1, 2, 3].map(entryTimeAt))
    const compared = detail().getByRole('region', { name: 'Compared messages' })
    const sideTimes = async () => {
      const [l, r] = await Promise.all([compared.getAttribute('data-left-time'), compared.getAttribute('data-right-time')])
      return [l, r].map((t) => new Date(Number(t)).toTimeString().slice(0, 8))
    }

    await detail().getByRole('button', { name: 'Diff with previous' }).click()
    await compared.waitFor()
    await eventually(async () => expect(await compared.innerText()).toContain(`${times[1]} (left) against ${times[0]} (right)`))
    expect(await sideTimes()).toEqual([times[1].slice(0, 8), times[0].slice(0, 8)])
    await compared.getByRole('button', { name: 'Close the comparison' }).click()
    await eventually(async () => expect(await compared.count()).toBe(0))

    // Mark the newest, then compare with the oldest: the older one goes left.
    // By list item, not by the time in the name: two messages may arrive within one millisecond.
    const compare = (i: number) => history().getByRole('listitem').nth(i).getByRole('button', { name: /^Compare / })
    await compare(0).click()
    expect(await compare(0).getAttribute('aria-pressed')).toBe('true')
    await compare(3).click()
    await eventually(async () => expect(await compared.innerText()).toContain(`${times[3]} (left) against ${times[0]} (right)`))

    // Shift-click: the shown message (entry 2) against the one clicked.
    await entries().nth(2).click()
    await eventually(async () => expect(await shownTime()).toBe(times[2]))
    await entries().nth(1).click({ modifiers: ['Shift'] })
    await eventually(async () => expect(await compared.innerText()).toContain(`${times[2]} (left) against ${times[1]} (right)`))
    expect(await shownTime()).toBe(times[2])
    expectNoBrowserErrors(session.browser.errors)
  }, 60_000)
})
