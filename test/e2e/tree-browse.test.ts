/**
 * The topic tree end to end in browser mode: the built app, Debian chromium and a real mosquitto
 * holding a generated hierarchy of retained topics (published by mqtt.js, a client we did not
 * write). Browse with mouse and keyboard, filter in all three modes, select and read a payload,
 * pause and resume, delete a retained branch — checked on the broker with mosquitto_sub — and
 * type-ahead to a row among 3,000 siblings that the renderer has not loaded.
 */
import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { promisify } from 'node:util'
import mqtt, { type MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Locator, Page } from 'playwright-core'
import { openAppSession, type AppSession } from '../fixtures/app-session'
import { startMosquitto, type MosquittoBroker } from '../fixtures/mosquitto'
import { connect, connectionPanel, createProfile, eventually, expectNoBrowserErrors } from './ui-steps'

const run = promisify(execFile)
const PROFILE = 'Tree broker'

let broker: MosquittoBroker
let session: AppSession
let page: Page
let publisher: MqttClient

/** Every topic of the generated hierarchy with its payload. */
function hierarchy(): Array<[string, string | Buffer]> {
  const out: Array<[string, string | Buffer]> = []
  for (let h = 1; h <= 3; h++) {
    for (let l = 1; l <= 4; l++) {
      out.push([`plant/hall${h}/line${l}/temperature`, String(20 + h + l / 10)])
      out.push([`plant/hall${h}/line${l}/state`, JSON.stringify({ running: l % 2 === 1, speed: h * 10 + l, unit: 'rpm' })])
    }
  }
  for (let r = 1; r <= 5; r++) out.push([`office/floor1/room${r}/co2`, String(400 + r * 10)])
  out.push(['plant/hall1/camera', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0xff, 0xfe])])
  return out
}
const TOPICS = hierarchy()

function publish(topic: string, payload: string | Buffer, retain = true): Promise<void> {
  return new Promise((resolve, reject) => publisher.publish(topic, payload, { qos: 1, retain }, (err) => (err ? reject(err) : resolve())))
}

/** The text of the file a Save button downloads. */
async function saved(button: Locator): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent('download'), button.click()])
  return readFile((await file.path())!, 'utf8')
}

function tree(): Locator {
  return connectionPanel(page, PROFILE).getByRole('tree')
}

function item(name: string | RegExp): Locator {
  return tree().getByRole('treeitem', { name: typeof name === 'string' ? new RegExp(`^${name}(,|$)`) : name })
}

/** Level names of the rendered rows, in display order. */
async function rowNames(): Promise<string[]> {
  return tree()
    .getByRole('treeitem')
    .evaluateAll((els) => els.map((e) => `${'  '.repeat(Number(e.getAttribute('aria-level')) - 1)}${e.querySelector('.name')?.textContent ?? ''}`))
}

async function filterStatus(): Promise<string> {
  return connectionPanel(page, PROFILE).getByLabel('Filter status').innerText()
}

beforeAll(async () => {
  broker = await startMosquitto({ listeners: [{}] })
  publisher = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, { clientId: 'e2e-tree-publisher' })
  for (const [topic, payload] of TOPICS) await publish(topic, payload)
  session = await openAppSession({ viewport: { width: 1366, height: 860 } })
  page = session.page
}, 120_000)

afterAll(async () => {
  await publisher?.endAsync()
  await session?.close()
  await broker?.stop()
})

describe('the topic tree in browser mode', () => {
  it('shows the broker’s retained hierarchy as top-level branches with their counts', async () => {
    await createProfile(page, { name: PROFILE, brokerUrl: `mqtt://127.0.0.1:${broker.port}` })
    await connect(page, PROFILE)
    // New profiles subscribe to '#' and '$SYS/#': the broker's own topics are a branch of their own, first.
    await eventually(async () => expect(await rowNames()).toEqual(['$SYS', 'office', 'plant']))
    expect(await item('\\$SYS').getAttribute('class')).toContain('sys')
    // 12 lines × 2 topics + the camera below plant; 5 rooms below office.
    await eventually(async () => expect(await item('plant').getAttribute('aria-label')).toBe('plant, 25 topics, 25 messages below'))
    expect(await item('office').innerText()).toMatch(/5 · 5/)
    expect(await item('plant').getAttribute('aria-expanded')).toBe('false')
    expect(await item('plant').getAttribute('aria-level')).toBe('1')
    const totals = await connectionPanel(page, PROFILE).getByLabel('Tree totals').innerText()
    expect(Number(/([\d,]+) topics/.exec(totals)?.[1].replace(/,/g, ''))).toBeGreaterThan(30)

    // Broker statistics come from $SYS (the button is behind the toolbar's ⋯).
    await connectionPanel(page, PROFILE).getByRole('button', { name: 'More tree tools' }).click()
    await connectionPanel(page, PROFILE).getByRole('button', { name: 'Broker stats' }).click()
    const stats = connectionPanel(page, PROFILE).getByRole('region', { name: 'Broker statistics' })
    await eventually(async () => expect(await stats.innerText()).toMatch(/VERSION\s*mosquitto version \d/i))
    await stats.getByRole('button', { name: 'Close broker statistics' }).click()
  }, 90_000)

  it('expands with the mouse and the keyboard: arrows, Home/End, * for a subtree, type-ahead', async () => {
    // Mouse: the twisty toggles.
    await item('plant').locator('.twisty').click()
    await eventually(async () => expect(await rowNames()).toEqual(['$SYS', 'office', 'plant', '  hall1', '  hall2', '  hall3']))
    expect(await item('plant').getAttribute('aria-expanded')).toBe('true')

    // Keyboard: focus moves with the arrows; Right expands, Left collapses then goes to the parent.
    await tree().focus()
    await page.keyboard.press('Home')
    await page.keyboard.press('ArrowDown')
    const focused = async () => page.evaluate(() => document.getElementById(document.activeElement?.getAttribute('aria-activedescendant') ?? '')?.dataset.path)
    await eventually(async () => expect(await focused()).toBe('office'))
    await page.keyboard.press('ArrowRight')
    await eventually(async () => expect(await item('office').getAttribute('aria-expanded')).toBe('true'))
    await page.keyboard.press('ArrowRight')
    await eventually(async () => expect(await focused()).toBe('office/floor1'))
    await page.keyboard.press('ArrowLeft')
    await eventually(async () => expect(await focused()).toBe('office'))
    await page.keyboard.press('ArrowLeft')
    await eventually(async () => expect(await item('office').getAttribute('aria-expanded')).toBe('false'))

    // Type-ahead jumps to "plant", '*' opens everything below it.
    await page.keyboard.type('pl')
    await eventually(async () => expect(await focused()).toBe('plant'))
    await page.keyboard.press('*')
    await eventually(async () => expect(await item('temperature').count()).toBeGreaterThan(3))
    await eventually(async () => expect(await item('line1').first().getAttribute('aria-level')).toBe('3'))
    await page.keyboard.press('End')
    await eventually(async () => expect(await focused()).toMatch(/^plant\/hall3\/line4\//))
    await page.keyboard.press('Home')
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('Enter')
    await eventually(async () => expect(await item('plant').getAttribute('aria-selected')).toBe('true'))

    // Expand to depth 1 collapses the rest again.
    await connectionPanel(page, PROFILE).getByLabel('Expand to depth').selectOption('1')
    await eventually(async () => expect(await rowNames()).toEqual(['$SYS', 'office', 'plant']))
    await page.screenshot({ path: '/tmp/mqtts-e2e-tree-keyboard.png' })
  }, 90_000)

  it('filters by substring, regular expression and MQTT filter, keeping ancestors of matches', async () => {
    const panel = connectionPanel(page, PROFILE)
    const input = panel.getByLabel('Filter topics')

    await input.fill('co2')
    await eventually(async () => expect(await filterStatus()).toMatch(/^5 of [\d,]+ topics match$/))
    await eventually(async () => expect(await rowNames()).toEqual(['office', '  floor1', '    room1', '      co2', '    room2', '      co2', '    room3', '      co2', '    room4', '      co2', '    room5', '      co2']))

    await panel.getByLabel('Filter mode').selectOption('regex')
    await input.fill('hall[23]/line4/temp')
    await eventually(async () => expect(await filterStatus()).toMatch(/^2 of [\d,]+ topics match$/))
    await eventually(async () =>
      expect(await rowNames()).toEqual(['plant', '  hall2', '    line4', '      temperature', '  hall3', '    line4', '      temperature']),
    )
    await input.fill('hall[')
    await eventually(async () => expect(await panel.getByRole('alert').filter({ hasText: /regular expression/i }).count()).toBe(1))

    await panel.getByLabel('Filter mode').selectOption('mqtt')
    await input.fill('plant/+/line2/#')
    await eventually(async () => expect(await filterStatus()).toMatch(/^6 of [\d,]+ topics match$/))
    await eventually(async () => expect((await rowNames()).filter((n) => n.trim() === 'line2').length).toBe(3))
    expect((await rowNames()).some((n) => n.includes('office'))).toBe(false)

    // Payload text: only JSON states that say running:false.
    await panel.getByLabel('Filter mode').selectOption('substring')
    await panel.getByLabel('Match payload').check()
    await input.fill('"running":false')
    const stopped = ['hall1', 'hall2', 'hall3'].flatMap((h) => [`  ${h}`, '    line2', '      state', '    line4', '      state'])
    await eventually(async () => expect(await rowNames()).toEqual(['plant', ...stopped]))
    expect(await filterStatus()).toMatch(/^6 of [\d,]+ topics match$/)
    await page.screenshot({ path: '/tmp/mqtts-e2e-tree-filter.png' })

    await panel.getByLabel('Match payload').uncheck()
    await input.fill('')
    await eventually(async () => expect(await rowNames()).toEqual(['$SYS', 'office', 'plant']))
  }, 90_000)

  it('selects a topic and shows its payload as pretty JSON and hex, and its history', async () => {
    const panel = connectionPanel(page, PROFILE)
    await panel.getByLabel('Filter topics').fill('hall2/line3/state')
    await eventually(async () => expect(await item('state').count()).toBe(1))
    await item('state').click()
    const detail = panel.getByRole('complementary', { name: 'Selected topic' })
    await eventually(async () => expect(await detail.getByLabel('Topic path').innerText()).toBe('plant/hall2/line3/state'))
    // The payload itself is the inspector's (test/e2e/inspector.test.ts); here: what Save writes.
    const shown = detail.getByRole('group', { name: 'Copy or save the shown message' })
    await eventually(async () => expect(await shown.count()).toBe(1))
    expect(await saved(shown.getByRole('button', { name: 'Save decoded' }))).toBe('{\n  "running": true,\n  "speed": 23,\n  "unit": "rpm"\n}')
    // Published at QoS 1, delivered at the subscription's QoS 0; retained because it came from the broker's store.
    expect(await detail.getByLabel('Message details').innerText()).toMatch(/QoS\s*0\s*Retain\s*yes/i)
    expect(await saved(shown.getByRole('button', { name: 'Save as hex' }))).toContain('00000000  7b 22 72 75 6e 6e 69 6e')

    // Three live messages: the history lists all four, newest first.
    for (let i = 1; i <= 3; i++) await publish('plant/hall2/line3/state', JSON.stringify({ running: false, speed: i, unit: 'rpm' }), false)
    const history = detail.getByRole('list', { name: 'Messages on this topic, newest first' })
    await eventually(async () => expect(await history.getByRole('listitem').count()).toBe(4))
    const entries = await history.getByRole('listitem').allInnerTexts()
    expect(entries[0]).toContain('"speed":3')
    expect(entries[3]).toContain('"speed":23')
    await history.locator('button.entry').nth(3).click()
    await eventually(async () => expect(await detail.innerText()).toContain('Showing an older message'))
    expect(await saved(shown.getByRole('button', { name: 'Save decoded' }))).toContain('"speed": 23')
    await page.screenshot({ path: '/tmp/mqtts-e2e-tree-detail.png' })

    // Binary payloads: every byte in the hex dump.
    await panel.getByLabel('Filter topics').fill('camera')
    await eventually(async () => expect(await item('camera').count()).toBe(1))
    await item('camera').click()
    await eventually(async () => expect(await detail.getByLabel('Topic path').innerText()).toBe('plant/hall1/camera'))
    expect(await saved(shown.getByRole('button', { name: 'Save as hex' }))).toContain('89 50 4e 47 00 01 ff fe')
    await panel.getByLabel('Filter topics').fill('')
  }, 90_000)

  it('freezes the view while paused and catches up on resume', async () => {
    const panel = connectionPanel(page, PROFILE)
    await panel.getByRole('button', { name: 'Close topic details' }).click()
    await eventually(async () => expect(await rowNames()).toEqual(['$SYS', 'office', 'plant']))
    const before = await item('office').getAttribute('aria-label')
    expect(before).toBe('office, 5 topics, 5 messages below')

    await panel.getByRole('button', { name: 'Pause', exact: true }).click()
    // The status appears once the main side has confirmed the pause in a frame.
    await panel.getByRole('status').filter({ hasText: 'paused —' }).waitFor()
    for (let i = 0; i < 4; i++) await publish(`office/floor2/room${i}/co2`, String(500 + i), false)
    // The count covers everything the connection receives ($SYS included), so at least these four.
    await eventually(async () => expect(Number(/paused — ([\d,]+) new/.exec(await panel.getByRole('status').filter({ hasText: 'paused' }).innerText())?.[1])).toBeGreaterThanOrEqual(4))
    expect(await item('office').getAttribute('aria-label')).toBe(before)

    await panel.getByRole('button', { name: 'Resume', exact: true }).click()
    await eventually(async () => expect(await item('office').getAttribute('aria-label')).toBe('office, 9 topics, 9 messages below'))
    expect(await panel.getByText(/paused —/).count()).toBe(0)
  }, 60_000)

  it('deletes every retained message under a branch after a confirmation that names the count', async () => {
    const panel = connectionPanel(page, PROFILE)
    await item('plant').click()
    const detail = panel.getByRole('complementary', { name: 'Selected topic' })
    await eventually(async () => expect(await detail.getByLabel('Topic path').innerText()).toBe('plant'))
    await detail.getByRole('button', { name: 'Delete retained below…' }).click()

    const confirm = page.getByRole('alertdialog', { name: 'Delete retained messages' })
    await confirm.waitFor()
    expect(await confirm.innerText()).toContain('Delete 25 retained messages under “plant” from the broker?')
    await page.screenshot({ path: '/tmp/mqtts-e2e-tree-delete-confirm.png' })
    await confirm.getByRole('button', { name: 'Delete', exact: true }).click()

    const progress = page.getByRole('dialog', { name: 'Delete retained messages' })
    await eventually(async () => expect(await progress.getByRole('status').innerText()).toContain('Deleted 25 retained messages.'), 30_000)
    await progress.getByRole('button', { name: 'Close', exact: true }).click()

    // The broker holds nothing retained under plant/ any more; office/ is untouched.
    const { stdout } = await run('mosquitto_sub', ['-h', '127.0.0.1', '-p', String(broker.port), '-t', 'plant/#', '--retained-only', '-W', '2', '-v']).catch(
      (err: { stdout?: string; code?: number }) => ({ stdout: err.stdout ?? '' }),
    )
    expect(stdout.trim()).toBe('')
    const office = await run('mosquitto_sub', ['-h', '127.0.0.1', '-p', String(broker.port), '-t', 'office/#', '--retained-only', '-W', '2', '-v']).catch(
      (err: { stdout?: string }) => ({ stdout: err.stdout ?? '' }),
    )
    expect(office.stdout.trim().split('\n')).toHaveLength(5)
    expectNoBrowserErrors(session.browser.errors)
  }, 90_000)

  it('type-ahead finds a row far below the loaded window among 3,000 siblings', async () => {
    // qos 1 each, all in flight at once: the broker holds every one before the tree is checked.
    await Promise.all(Array.from({ length: 3000 }, (_, i) => publish(`wide/dev${i}`, String(i))))
    await eventually(async () => expect(await item('wide').getAttribute('aria-label')).toBe('wide, 3,000 topics, 3,000 messages below'))
    await item('wide').locator('.twisty').click()
    const focused = async () => page.evaluate(() => document.getElementById(document.activeElement?.getAttribute('aria-activedescendant') ?? '')?.dataset.path)
    await eventually(async () => expect(await item('dev0').count()).toBe(1))
    await page.keyboard.press('ArrowDown')
    await eventually(async () => expect(await focused()).toBe('wide/dev0'))
    // Natural order puts dev2999 last, ~3,000 rows below: the renderer holds only a screenful plus overscan.
    expect(await tree().locator('[data-path="wide/dev2999"]').count()).toBe(0)

    await page.keyboard.type('dev2999')
    await eventually(async () => expect(await focused()).toBe('wide/dev2999'))
    expect(await item('dev2999').getAttribute('class')).toContain('focused')
    await page.screenshot({ path: '/tmp/mqtts-e2e-tree-typeahead.png' })

    // Wrapping: from the last row, "dev1" goes round to the top of the list and finds dev1.
    await page.waitForTimeout(800) // let the type-ahead buffer expire so a new prefix starts
    await page.keyboard.type('dev1')
    await eventually(async () => expect(await focused()).toBe('wide/dev1'))
    expectNoBrowserErrors(session.browser.errors)
  }, 90_000)
})
