/**
 * The keyboard end to end in browser mode: a fresh window reaches the topic tree through the
 * skip link in at most three Tab presses, Ctrl+Shift+P opens the palette (type, arrows, Enter
 * runs the command; Escape closes), `?` shows the shortcut sheet but is typed as a character in a
 * text field, Ctrl+1/Ctrl+2 and Ctrl+Tab switch connection tabs, Ctrl+Enter publishes the draft
 * from outside the editor, and Ctrl+Shift+F focuses the topic filter.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { openAppSession, type AppSession } from '../fixtures/app-session'
import { startMosquitto, type MosquittoBroker } from '../fixtures/mosquitto'
import { connect, connectionPanel, createProfile, eventually, expectNoBrowserErrors, waitForConnectionStatus } from './ui-steps'

const PLAIN = 'Plain broker'

let broker: MosquittoBroker
let session: AppSession
let page: Page

/** What has focus: its role (or tag) and accessible name as far as the page can tell. */
function focused(): Promise<{ role: string; name: string; tag: string }> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null
    return { role: el?.getAttribute('role') ?? '', name: el?.getAttribute('aria-label') ?? el?.textContent?.trim() ?? '', tag: el?.tagName ?? '' }
  })
}

function selectedTab(): Promise<string> {
  return page.getByRole('tablist', { name: 'Open connections' }).locator('[role="tab"][aria-selected="true"]').innerText()
}

beforeAll(async () => {
  broker = await startMosquitto({ listeners: [{}], extra: ['sys_interval 600'] })
  session = await openAppSession({ viewport: { width: 1366, height: 900 } })
  page = session.page
  await connect(page, 'Sandbox')
  await waitForConnectionStatus(page, 'Sandbox', 'Connected')
}, 120_000)

afterAll(async () => {
  await session?.close()
  await broker?.stop()
})

describe('the keyboard', () => {
  it('reaches the topic tree from a fresh load in at most three Tab presses', async () => {
    await page.reload()
    await connectionPanel(page, 'Sandbox').getByRole('tree').waitFor({ timeout: 30_000 })
    let presses = 0
    for (; presses < 3; ) {
      await page.keyboard.press('Tab')
      presses++
      const f = await focused()
      if (f.role === 'tree') break
      if (f.tag === 'A' && f.name === 'Skip to topic tree') {
        await page.keyboard.press('Enter')
        break
      }
    }
    await eventually(async () => expect((await focused()).role).toBe('tree'), 5_000)
    expect(presses).toBeLessThanOrEqual(3)
  }, 60_000)

  it('opens the palette with Ctrl+Shift+P, filters as you type and runs the chosen command', async () => {
    await page.keyboard.press('Control+Shift+P')
    const palette = page.getByRole('dialog', { name: 'Commands' })
    await palette.waitFor({ timeout: 10_000 })
    const box = palette.getByRole('combobox', { name: 'Search commands' })
    expect(await box.evaluate((el) => el === document.activeElement)).toBe(true)
    const options = palette.getByRole('listbox', { name: 'Commands' }).getByRole('option')
    // Every command that can run now is listed, with its shortcut.
    expect(await options.count()).toBeGreaterThan(10)
    expect(await options.filter({ hasText: 'Show all commands' }).innerText()).toContain('Ctrl+Shift+P')
    await box.fill('settings')
    await eventually(async () => expect(await options.allInnerTexts()).toEqual([expect.stringMatching(/^Open settings\s*Ctrl\+,$/)]))
    expect(await options.first().getAttribute('aria-selected')).toBe('true')
    expect(await box.getAttribute('aria-activedescendant')).toBe(await options.first().getAttribute('id'))
    await page.keyboard.press('Enter')
    const settings = page.getByRole('dialog', { name: 'Settings' })
    await settings.waitFor({ timeout: 10_000 })
    await palette.waitFor({ state: 'detached', timeout: 10_000 })
    await page.keyboard.press('Escape')
    await settings.waitFor({ state: 'detached', timeout: 10_000 })

    // Arrows move the choice; Escape closes without running anything.
    await page.keyboard.press('Control+Shift+P')
    await palette.waitFor({ timeout: 10_000 })
    await box.fill('open')
    await eventually(async () => expect(await options.count()).toBeGreaterThan(1))
    await page.keyboard.press('ArrowDown')
    expect(await options.nth(1).getAttribute('aria-selected')).toBe('true')
    await page.keyboard.press('ArrowUp')
    expect(await options.nth(0).getAttribute('aria-selected')).toBe('true')
    await page.keyboard.press('Escape')
    await palette.waitFor({ state: 'detached', timeout: 10_000 })
    expect(await page.getByRole('dialog').count()).toBe(0)
  }, 60_000)

  it('shows every shortcut on ?, but types ? into a text field', async () => {
    const filter = connectionPanel(page, 'Sandbox').getByLabel('Filter topics')
    await filter.fill('')
    await filter.press('Shift+Slash')
    expect(await filter.inputValue()).toBe('?')
    expect(await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).count()).toBe(0)
    await filter.fill('')

    await page.getByRole('tree').first().focus()
    await page.keyboard.press('Shift+Slash')
    const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' })
    await sheet.waitFor({ timeout: 10_000 })
    const rows = await sheet.getByRole('row').allInnerTexts()
    expect(rows).toContainEqual(expect.stringMatching(/^Show all commands\s+Ctrl\+Shift\+P$/))
    expect(rows).toContainEqual(expect.stringMatching(/^Next connection tab\s+Ctrl\+Tab$/))
    expect(rows).toContainEqual(expect.stringMatching(/^Open recordings\s+palette only$/))
    await page.keyboard.press('Escape')
    await sheet.waitFor({ state: 'detached', timeout: 10_000 })
  }, 30_000)

  it('switches connection tabs with Ctrl+1, Ctrl+2 and Ctrl+Tab', async () => {
    await createProfile(page, { name: PLAIN, brokerUrl: `mqtt://127.0.0.1:${broker.port}` })
    await connect(page, PLAIN)
    await waitForConnectionStatus(page, PLAIN, 'Connected')
    const names = await page.getByRole('tablist', { name: 'Open connections' }).getByRole('tab').allInnerTexts()
    expect(names).toHaveLength(2)
    await page.locator('body').focus()
    await page.keyboard.press('Control+1')
    await eventually(async () => expect(await selectedTab()).toBe(names[0]))
    await page.keyboard.press('Control+2')
    await eventually(async () => expect(await selectedTab()).toBe(names[1]))
    await page.keyboard.press('Control+Tab')
    await eventually(async () => expect(await selectedTab()).toBe(names[0]))
    await page.keyboard.press('Control+Shift+Tab')
    await eventually(async () => expect(await selectedTab()).toBe(names[1]))
  }, 90_000)

  it('publishes the current draft with Ctrl+Enter from outside the editor, through the editor', async () => {
    await page.getByRole('tablist', { name: 'Open connections' }).getByRole('tab', { name: 'Sandbox' }).click()
    const publish = connectionPanel(page, 'Sandbox').getByRole('region', { name: 'Publish' })
    await publish.getByLabel('Publish topic').first().fill('sandbox/keys/shortcut')
    // Focus on the page itself (the tree keeps Enter, with or without Ctrl, for selecting its row).
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
    await page.keyboard.press('Control+Enter')
    await eventually(async () => expect(await publish.getByRole('status', { name: 'Publish outcome' }).innerText()).toMatch(/Published to sandbox\/keys\/shortcut|Sent\. Published to sandbox\/keys\/shortcut/), 15_000)
  }, 30_000)

  it('focuses the topic filter with Ctrl+Shift+F', async () => {
    await page.getByRole('tablist', { name: 'Open connections' }).getByRole('tab', { name: 'Sandbox' }).click()
    await page.getByRole('tree').first().focus()
    await page.keyboard.press('Control+Shift+F')
    await eventually(async () => expect(await focused()).toMatchObject({ tag: 'INPUT', name: 'Filter topics' }), 5_000)
    expectNoBrowserErrors(session.browser.errors)
  }, 30_000)
})
