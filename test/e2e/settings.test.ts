/**
 * The Settings screen end to end in browser mode, on the Sandbox: it opens from the gear and
 * with Ctrl+,, shows why a value cannot be saved next to the field, saves a valid one to
 * settings.json and applies it without a restart (a new profile starts with the chosen
 * subscriptions), and keeps it after a reload. The theme switches the page and Monaco at once
 * and follows the OS when asked to, remembered by the backend only; the time format changes the inspector's and the tree's times.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Locator, Page } from 'playwright-core'
import { openAppSession, type AppSession } from '../fixtures/app-session'
import { connect, connectionPanel, eventually, expectNoBrowserErrors } from './ui-steps'

const PROFILE = 'Sandbox'
/** A retained JSON report (gzip on the wire): the inspector shows it in Monaco. */
const JSON_TOPIC = 'sandbox/gzip/report'

let session: AppSession
let page: Page

function settingsDialog(): Locator {
  return page.getByRole('dialog', { name: 'Settings' })
}

async function openSettings(): Promise<Locator> {
  await page.getByRole('button', { name: 'Settings', exact: true }).click()
  await settingsDialog().waitFor({ timeout: 10_000 })
  return settingsDialog()
}

async function closeSettings(): Promise<void> {
  await settingsDialog().getByRole('button', { name: 'Close', exact: true }).click()
  await settingsDialog().waitFor({ state: 'detached', timeout: 10_000 })
}

async function savedSettings(): Promise<Record<string, Record<string, unknown>>> {
  return JSON.parse(await readFile(join(session.app.dataDir, 'settings.json'), 'utf8')) as Record<string, Record<string, unknown>>
}

function detail(): Locator {
  return connectionPanel(page, PROFILE).getByRole('complementary', { name: 'Selected topic' })
}

/** Filters the tree to one topic and selects it (the filter applies main-side, so retry until they agree). */
async function select(path: string): Promise<void> {
  const panel = connectionPanel(page, PROFILE)
  await panel.getByLabel('Filter topics').fill(path)
  const leaf = path.split('/').pop()!
  const row = panel.getByRole('tree').getByRole('treeitem', { name: new RegExp(`^${leaf}(,|$)`) })
  await eventually(async () => {
    expect(await row.count()).toBe(1)
    await row.click({ timeout: 2000 })
    expect(await detail().getByLabel('Topic path').innerText({ timeout: 2000 })).toBe(path)
  }, 30_000)
}

/** The Sandbox's session outlives a reload (its tab comes back from the backend); connect only if it did not. */
async function ensureConnected(): Promise<void> {
  const panel = connectionPanel(page, PROFILE)
  await panel.waitFor({ timeout: 10_000 }).catch(() => connect(page, PROFILE))
  await eventually(async () => expect(await panel.getByRole('status').first().innerText()).toMatch(/Connected/), 30_000)
}

const theme = (): Promise<string | undefined> => page.evaluate(() => document.documentElement.dataset.theme)
const pageBackground = (): Promise<string> => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor)
/** Monaco's editor background, as its theme paints it. */
const monacoBackground = (): Promise<string> =>
  detail()
    .locator('.monaco-editor-background')
    .first()
    .evaluate((el) => getComputedStyle(el).backgroundColor)

const DARK_BG = 'rgb(27, 29, 33)'
const LIGHT_BG = 'rgb(246, 247, 249)'
const DARK_EDITOR = 'rgb(21, 23, 26)'
const LIGHT_EDITOR = 'rgb(255, 255, 255)'

beforeAll(async () => {
  session = await openAppSession({ viewport: { width: 1366, height: 900 } })
  page = session.page
  // A known OS preference to start from; the app follows it while the setting is "system".
  await page.emulateMedia({ colorScheme: 'dark' })
  await connect(page, PROFILE)
  await eventually(async () => expect(await connectionPanel(page, PROFILE).getByRole('status').first().innerText()).toMatch(/Connected/), 30_000)
}, 120_000)

// A test that fails with the dialog open must not make the next ones fail behind its overlay.
afterEach(async () => {
  if ((await settingsDialog().count()) > 0) await closeSettings()
})

afterAll(async () => {
  await session?.close()
})

describe('the Settings screen', () => {
  it('opens from the gear button and with Ctrl+, and closes with Escape', async () => {
    await page.keyboard.press('Control+Comma')
    await settingsDialog().waitFor({ timeout: 10_000 })
    // Focus moved into the dialog: the keyboard user is already in it.
    expect(await settingsDialog().evaluate((el) => el.contains(document.activeElement))).toBe(true)
    await page.keyboard.press('Escape')
    await settingsDialog().waitFor({ state: 'detached', timeout: 10_000 })
    await openSettings()
    await closeSettings()
  }, 30_000)

  it('shows why a value cannot be saved, saves a valid one, applies it live and keeps it after a reload', async () => {
    const dialog = await openSettings()
    const messages = dialog.getByLabel('History messages per topic')
    await messages.fill('0')
    const reason = dialog.locator('#setting-tree-historyMessagesPerTopic-error')
    await eventually(async () => expect(await reason.innerText()).toBe('Pick between 1 (the latest only) and 100,000 messages.'))
    expect(await messages.getAttribute('aria-invalid')).toBe('true')
    await messages.press('Tab')
    // Nothing invalid reached the file.
    await expect(savedSettings()).rejects.toThrow()

    await messages.fill('7')
    await messages.press('Tab')
    await eventually(async () => expect((await savedSettings()).tree?.historyMessagesPerTopic).toBe(7))
    expect(await reason.innerText()).not.toMatch(/Pick between/)

    // Default subscriptions for new profiles: only `plant/#`, then New shows exactly that.
    const firstFilter = dialog.getByRole('group', { name: 'Subscription 1' }).getByLabel('Topic filter', { exact: true })
    await firstFilter.fill('plant/#')
    await firstFilter.press('Tab')
    await dialog.getByRole('button', { name: 'Remove subscription 2' }).click()
    await eventually(async () => expect(((await savedSettings()).profiles?.defaultSubscriptions as { filter: string }[] | undefined)?.map((s) => s.filter)).toEqual(['plant/#']))
    // Highlight: the open tree's toolbar follows at once.
    await dialog.getByLabel('Highlight topics when a message arrives').uncheck()
    await eventually(async () => expect((await savedSettings()).tree?.highlightChanges).toBe(false))
    await closeSettings()
    const toolbarHighlight = connectionPanel(page, PROFILE).getByLabel('Highlight changes')
    await eventually(async () => expect(await toolbarHighlight.isChecked()).toBe(false))
    await openSettings()
    await dialog.getByLabel('Highlight topics when a message arrives').check()
    await eventually(async () => expect((await savedSettings()).tree?.highlightChanges).toBe(true))
    await eventually(async () => expect(await toolbarHighlight.isChecked()).toBe(true))
    // A key log folder that is not a full path is refused with the reason.
    const folder = dialog.getByLabel('Key log folder')
    await folder.fill('relative/keys')
    await eventually(async () => expect(await dialog.locator('#setting-tls-keyLogFolder-error').innerText()).toMatch(/^Enter a full path/))
    await folder.fill('')
    await folder.press('Tab')
    await closeSettings()

    await page.getByRole('button', { name: 'New', exact: true }).click()
    const editor = page.getByRole('dialog', { name: 'New profile' })
    await editor.waitFor({ timeout: 10_000 })
    const filters = editor.getByLabel('Topic filter', { exact: true })
    expect(await filters.count()).toBe(1)
    expect(await filters.first().inputValue()).toBe('plant/#')
    await editor.getByRole('button', { name: 'Close dialog' }).click()
    await editor.waitFor({ state: 'detached', timeout: 10_000 })

    await page.reload({ waitUntil: 'load' })
    const again = await openSettings()
    await eventually(async () => expect(await again.getByLabel('History messages per topic').inputValue()).toBe('7'))
    expect(await again.getByRole('group', { name: 'Subscription 1' }).getByLabel('Topic filter', { exact: true }).inputValue()).toBe('plant/#')
    await closeSettings()
  }, 90_000)

  it('switches the page and Monaco to light and back at once, follows the system when asked, and remembers the choice', async () => {
    await ensureConnected()
    await select(JSON_TOPIC)
    await eventually(async () => expect(await detail().locator('.monaco-editor-background').count()).toBeGreaterThan(0), 30_000)
    expect(await theme()).toBe('dark')
    expect(await pageBackground()).toBe(DARK_BG)
    expect(await monacoBackground()).toBe(DARK_EDITOR)

    const dialog = await openSettings()
    await dialog.getByRole('radio', { name: 'Light' }).check()
    await eventually(async () => {
      expect(await theme()).toBe('light')
      expect(await pageBackground()).toBe(LIGHT_BG)
      expect(await monacoBackground()).toBe(LIGHT_EDITOR)
    })
    await eventually(async () => expect((await savedSettings()).appearance?.theme).toBe('light'))

    // Following the system: the OS switching to light and back is followed live.
    await dialog.getByRole('radio', { name: 'Follow the system' }).check()
    await eventually(async () => expect(await monacoBackground()).toBe(DARK_EDITOR))
    await page.emulateMedia({ colorScheme: 'light' })
    await eventually(async () => {
      expect(await theme()).toBe('light')
      expect(await monacoBackground()).toBe(LIGHT_EDITOR)
    })
    await page.emulateMedia({ colorScheme: 'dark' })
    await eventually(async () => expect(await theme()).toBe('dark'))

    // Light under a dark OS, kept across a reload.
    await dialog.getByRole('radio', { name: 'Light' }).check()
    await eventually(async () => expect((await savedSettings()).appearance?.theme).toBe('light'))
    await closeSettings()
    await page.reload({ waitUntil: 'load' })
    await eventually(async () => {
      expect(await theme()).toBe('light')
      expect(await pageBackground()).toBe(LIGHT_BG)
    })
    const after = await openSettings()
    expect(await after.getByRole('radio', { name: 'Light' }).isChecked()).toBe(true)
    // Remembered by the backend, not by the browser: the app stores nothing there.
    expect(await page.evaluate(() => localStorage.length + sessionStorage.length)).toBe(0)
    await after.getByRole('radio', { name: 'Dark' }).check()
    await eventually(async () => expect(await theme()).toBe('dark'))
    await closeSettings()
  }, 120_000)

  it('writes the inspector’s, the history’s and the tree’s times in the chosen format', async () => {
    await ensureConnected()
    await select(JSON_TOPIC)
    const arrival = detail().getByLabel('Arrival time')
    const row = connectionPanel(page, PROFILE).getByRole('tree').getByRole('treeitem', { name: /^report(,|$)/ })
    await eventually(async () => expect(await arrival.innerText()).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/))
    expect(await row.locator('.age').getAttribute('title')).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/)
    const historyTime = detail().getByRole('list', { name: 'Messages on this topic, newest first' }).locator('.time').first()
    await eventually(async () => expect(await historyTime.innerText()).toMatch(/^(\d{4}-\d{2}-\d{2} )?\d{2}:\d{2}:\d{2}\.\d{3}$/))

    const dialog = await openSettings()
    await dialog.getByRole('radio', { name: /ISO 8601, UTC/ }).check()
    await closeSettings()
    await eventually(async () => expect(await arrival.innerText()).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/))
    expect(await row.locator('.age').getAttribute('title')).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/)
    await eventually(async () => expect(await historyTime.innerText()).toMatch(/^(\d{4}-\d{2}-\d{2}T)?\d{2}:\d{2}:\d{2}\.\d{3}Z$/))
    await eventually(async () => expect((await savedSettings()).appearance?.timeFormat).toBe('utc'))

    const back = await openSettings()
    await back.getByRole('radio', { name: /Local, 24 h/ }).check()
    await closeSettings()
    await eventually(async () => expect(await arrival.innerText()).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/))
    expectNoBrowserErrors(session.browser.errors)
  }, 90_000)
})
