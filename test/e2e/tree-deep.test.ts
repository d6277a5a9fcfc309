/**
 * The deepest topic MQTT allows (65,535 bytes: 32,768 levels), sent by the raw test broker, in
 * the built app in browser mode with Debian chromium: `*` opens the whole branch, End walks to
 * its last row, whose name stays on screen (the indent stops growing), Enter selects it and the
 * detail shows its path and payload; the page keeps answering and the backend keeps running.
 */
import type { Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openAppSession, type AppSession } from '../fixtures/app-session'
import { deepTopic, startRawBroker, type RawBroker } from '../fixtures/raw-broker'
import { connect, connectionPanel, createProfile, eventually, expectNoBrowserErrors } from './ui-steps'

const PROFILE = 'Deep broker'
const DEEPEST = deepTopic(32_768)

let broker: RawBroker
let session: AppSession
let page: Page

function tree(): Locator {
  return connectionPanel(page, PROFILE).getByRole('tree')
}

/** data-path of the focused row (the tree's aria-activedescendant). */
function focusedPath(): Promise<string | undefined> {
  return page.evaluate(() => document.getElementById(document.activeElement?.getAttribute('aria-activedescendant') ?? '')?.dataset.path)
}

/** Level names of the rendered top-level rows. */
async function topLevelNames(): Promise<string[]> {
  return tree()
    .locator('[role="treeitem"][aria-level="1"]')
    .evaluateAll((els) => els.map((e) => e.querySelector('.name')?.textContent ?? ''))
}

beforeAll(async () => {
  broker = await startRawBroker()
  session = await openAppSession({ viewport: { width: 1366, height: 860 } })
  page = session.page
}, 120_000)

afterAll(async () => {
  await session?.close()
  await broker?.stop()
})

describe('a 32,768-level topic in browser mode', () => {
  it('expands, walks to and selects the deepest topic, and the page and backend keep working', async () => {
    await createProfile(page, { name: PROFILE, brokerUrl: `mqtt://127.0.0.1:${broker.port}` })
    await connect(page, PROFILE)
    await broker.waitForClients(1, { subscribed: true, timeoutMs: 20_000 })
    await broker.publish({ topic: DEEPEST, payload: 'deepest payload', qos: 1, retain: true })
    await broker.publish({ topic: 'b/leaf', payload: 'b', qos: 1 })
    await eventually(async () => expect(await topLevelNames()).toEqual(['a', 'b']))

    // '*' on the top level opens all 32,768 levels; End walks to the last of them.
    await tree().focus()
    await page.keyboard.press('Home')
    await eventually(async () => expect(await focusedPath()).toBe('a'))
    await page.keyboard.press('*')
    await eventually(async () => expect(await tree().locator('[role="treeitem"][aria-level="20"]').count()).toBe(1), 60_000)
    await page.keyboard.press('End')
    await eventually(async () => expect(await focusedPath()).toBe('b'), 60_000)
    await page.keyboard.press('ArrowUp')
    await eventually(async () => expect((await focusedPath())?.length).toBe(65_535), 60_000)
    expect((await focusedPath()) === DEEPEST).toBe(true)

    // Enter selects it: the detail shows the whole path and the payload.
    await page.keyboard.press('Enter')
    const detail = connectionPanel(page, PROFILE).getByRole('complementary', { name: 'Selected topic' })
    // (The payload view is the inspector's, tested in its own suite; the history lists the message.)
    const history = detail.getByRole('list', { name: 'Messages on this topic, newest first' })
    await eventually(async () => expect(await history.locator('.preview').allInnerTexts()).toEqual(['deepest payload']), 30_000)
    expect((await detail.getByLabel('Topic path').innerText()) === DEEPEST).toBe(true)

    // The deepest row says its level, and its name is on screen (beside the detail pane), not half a million pixels to the right.
    const row = tree().locator('[role="treeitem"][aria-level="32768"]')
    expect(await row.locator('.level').innerText()).toBe('↳32,768')
    const name = await row.locator('.name').boundingBox()
    const pane = await tree().boundingBox()
    expect(name !== null && pane !== null).toBe(true)
    expect(name!.x).toBeGreaterThanOrEqual(pane!.x)
    expect(name!.x + name!.width).toBeLessThanOrEqual(pane!.x + pane!.width)

    // The page still answers and the backend still serves: a filter narrows the tree to `b`.
    await connectionPanel(page, PROFILE).getByLabel('Filter topics').fill('leaf')
    await eventually(async () => expect(await topLevelNames()).toEqual(['b']), 30_000)
    await connectionPanel(page, PROFILE).getByLabel('Filter topics').fill('')
    // The branch is still open below `a`; Left on it closes all 32,768 levels again.
    await tree().focus()
    await page.keyboard.press('Home')
    await eventually(async () => expect(await focusedPath()).toBe('a'), 30_000)
    await page.keyboard.press('ArrowLeft')
    await eventually(async () => expect(await topLevelNames()).toEqual(['a', 'b']), 30_000)
    expect(session.app.process.exitCode).toBeNull()
    expect(session.app.stderr()).not.toMatch(/RangeError/)
    expectNoBrowserErrors(session.browser.errors)
  }, 240_000)
})
