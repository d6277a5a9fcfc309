/**
 * The zero-setup path in browser mode: connect to the built-in Sandbox and watch its demo
 * feed arrive, with the list rendering only the rows in view.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { openAppSession, type AppSession } from '../fixtures/app-session'
import type { TestBrowser } from '../fixtures/browser'
import type { WebApp } from '../fixtures/web-app'
import { connect, connectionPanel, eventually, expectNoBrowserErrors, messageRows, profileItem, showRecent } from './ui-steps'

let session: AppSession
let app: WebApp
let browser: TestBrowser
let page: Page

beforeAll(async () => {
  session = await openAppSession()
  ;({ app, browser, page } = session)
}, 90_000)

afterAll(async () => {
  await session?.close()
})

describe('the Sandbox in browser mode', () => {
  it('lists the Sandbox first, marked builtin, and shows the app mode in the footer', async () => {
    const items = page.getByRole('navigation', { name: 'Connection profiles' }).getByRole('listitem')
    await eventually(async () => expect(await items.first().getAttribute('aria-label')).toBe('Sandbox'))
    expect(await profileItem(page, 'Sandbox').innerText()).toMatch(/builtin/i)
    expect(await page.getByRole('contentinfo').innerText()).toContain('Browser mode')
  })

  it('connects to the Sandbox and shows its demo messages, rendering only the visible rows', async () => {
    await connect(page, 'Sandbox')
    const panel = connectionPanel(page, 'Sandbox')
    await eventually(async () => expect(await panel.getByRole('status').first().innerText()).toMatch(/Connected · MQTT (3\.1\.1|5\.0)/))

    // Enough demo messages to overflow the viewport several times over.
    await showRecent(page)
    await eventually(async () => expect(Number((await panel.getByText(/\d+ shown/).innerText()).split(' ')[0])).toBeGreaterThan(120), 30_000)
    const rows = messageRows(page)
    const rendered = await rows.count()
    expect(rendered).toBeGreaterThan(5)
    expect(rendered).toBeLessThanOrEqual(60)
    const first = await rows.first().innerText()
    expect(first).toMatch(/\d\d:\d\d:\d\d\.\d{3}/)
    expect(first).toMatch(/\w+\/\w+/)
    expect(Number((await panel.getByRole('definition').first().innerText()).replace(/,/g, ''))).toBeGreaterThan(120)

    await page.screenshot({ path: '/tmp/mqtts-e2e-sandbox.png' })
    expectNoBrowserErrors(browser.errors)
  }, 90_000)

  it('clears the recent list and disconnects, closing the tab', async () => {
    const panel = connectionPanel(page, 'Sandbox')
    await panel.getByRole('button', { name: 'Pause' }).click()
    await panel.getByRole('button', { name: 'Clear', exact: true }).click()
    await eventually(async () => expect(await panel.getByText('0 shown').count()).toBe(1))
    await panel.getByRole('button', { name: 'Disconnect', exact: true }).click()
    await expect.poll(() => page.getByRole('tab', { name: 'Sandbox' }).count()).toBe(0)
    expect(await profileItem(page, 'Sandbox').innerText()).toContain('Not connected')
  }, 60_000)

  it('opens the profile editor from the keyboard and closes it with Escape, focus returning to New', async () => {
    const newButton = page.getByRole('button', { name: 'New', exact: true })
    await newButton.focus()
    await page.keyboard.press('Enter')
    const dialog = page.getByRole('dialog', { name: 'New profile' })
    await dialog.waitFor()
    expect(await page.evaluate(() => document.activeElement?.closest('label')?.textContent?.trim())).toBe('Name')
    await dialog.getByRole('radio', { name: 'Certificate + key (PEM)' }).check()
    await dialog.getByLabel("Verify the broker's certificate").uncheck()
    await page.screenshot({ path: '/tmp/mqtts-e2e-editor.png' })
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'detached' })
    expect(await newButton.evaluate((el) => el === document.activeElement)).toBe(true)
  }, 60_000)

  it('says so when the app backend goes away', async () => {
    await app.stop()
    await eventually(async () => expect(await page.getByRole('alert').filter({ hasText: 'Lost contact with the app backend' }).count()).toBe(1))
    expect(await page.getByRole('contentinfo').innerText()).toContain('Backend unreachable')
  }, 60_000)
})
