/**
 * The two tab strips (open connections, and a connection's views) and the TLS version pickers,
 * from the keyboard in browser mode: both strips follow the WAI-ARIA tabs pattern the same way
 * (one tab in the Tab order, arrows wrap, Home/End, focus follows the selection, each tab names
 * the panel it shows), and the minimum/maximum TLS version pickers offer the same versions and
 * keep what was chosen.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Locator, Page } from 'playwright-core'
import { openAppSession, type AppSession } from '../fixtures/app-session'
import { startMosquitto, type MosquittoBroker } from '../fixtures/mosquitto'
import { connect, connectionPanel, createProfile, eventually, expectNoBrowserErrors } from './ui-steps'

const PLAIN = 'Plain broker'

let broker: MosquittoBroker
let session: AppSession
let page: Page

beforeAll(async () => {
  broker = await startMosquitto({ listeners: [{}], extra: ['sys_interval 600'] })
  session = await openAppSession()
  page = session.page
}, 90_000)

afterAll(async () => {
  await session?.close()
  await broker?.stop()
})

/** Names of the strip's tabs, the selected one, and which tabs are in the Tab order. */
async function stripState(strip: Locator): Promise<{ names: string[]; selected: string[]; tabbable: string[]; focused: string | null }> {
  return strip.evaluate((el) => {
    const tabs = Array.from(el.querySelectorAll<HTMLElement>('[role="tab"]'))
    const name = (t: HTMLElement) => t.textContent?.trim() ?? ''
    return {
      names: tabs.map(name),
      selected: tabs.filter((t) => t.getAttribute('aria-selected') === 'true').map(name),
      tabbable: tabs.filter((t) => t.tabIndex === 0).map(name),
      focused: tabs.includes(document.activeElement as HTMLElement) ? name(document.activeElement as HTMLElement) : null,
    }
  })
}

/** After a key, exactly `name` is selected, focused and the only tab in the Tab order. */
async function expectOn(strip: Locator, name: string): Promise<void> {
  await eventually(async () => {
    const state = await stripState(strip)
    expect({ selected: state.selected, tabbable: state.tabbable, focused: state.focused }).toEqual({ selected: [name], tabbable: [name], focused: name })
  })
}

/** The selected tab controls a shown tabpanel that is labelled by that tab. */
async function expectPanelOf(strip: Locator): Promise<void> {
  const ids = await strip.locator('[role="tab"][aria-selected="true"]').evaluate((tab) => ({ tab: tab.id, panel: tab.getAttribute('aria-controls') }))
  expect(ids.panel).toBeTruthy()
  const panel = page.locator(`[id="${ids.panel}"]`)
  expect(await panel.getAttribute('role')).toBe('tabpanel')
  expect(await panel.isVisible()).toBe(true)
  const labelledBy = await panel.getAttribute('aria-labelledby')
  if (labelledBy) expect(labelledBy).toBe(ids.tab)
}

describe('the tab strips', () => {
  it('moves between open connections with the arrow keys, Home and End', async () => {
    await createProfile(page, { name: PLAIN, brokerUrl: `mqtt://127.0.0.1:${broker.port}` })
    await connect(page, 'Sandbox')
    await eventually(async () => expect(await connectionPanel(page, 'Sandbox').getByRole('status').first().innerText()).toMatch(/Connected/))
    await connect(page, PLAIN)
    await eventually(async () => expect(await connectionPanel(page, PLAIN).getByRole('status').first().innerText()).toMatch(/Connected/))

    const strip = page.getByRole('tablist', { name: 'Open connections' })
    const order = (await stripState(strip)).names
    expect([...order].sort()).toEqual([PLAIN, 'Sandbox'].sort())
    const [first, second] = order as [string, string]

    await strip.getByRole('tab', { name: first }).click()
    await expectOn(strip, first)
    await expectPanelOf(strip)
    await page.keyboard.press('ArrowRight')
    await expectOn(strip, second)
    await expectPanelOf(strip)
    await page.keyboard.press('ArrowRight')
    await expectOn(strip, first)
    await page.keyboard.press('ArrowLeft')
    await expectOn(strip, second)
    await page.keyboard.press('Home')
    await expectOn(strip, first)
    await page.keyboard.press('End')
    await expectOn(strip, second)
    await expectPanelOf(strip)
    expectNoBrowserErrors(session.browser.errors)
  }, 90_000)

  it("moves between a connection's views the same way, showing the chosen view's panel", async () => {
    const panel = connectionPanel(page, PLAIN)
    await page.getByRole('tablist', { name: 'Open connections' }).getByRole('tab', { name: PLAIN }).click()
    const strip = panel.getByRole('tablist', { name: 'Connection views' })
    expect((await stripState(strip)).names).toEqual(['Topic tree', 'Recent messages', 'Charts'])

    await strip.getByRole('tab', { name: 'Topic tree' }).click()
    await expectOn(strip, 'Topic tree')
    await expectPanelOf(strip)
    await page.keyboard.press('ArrowRight')
    await expectOn(strip, 'Recent messages')
    await expectPanelOf(strip)
    await eventually(async () => expect(await panel.getByRole('table', { name: 'Recent messages list' }).count()).toBe(1))
    await page.keyboard.press('ArrowRight')
    await expectOn(strip, 'Charts')
    await expectPanelOf(strip)
    await eventually(async () => expect(await panel.getByRole('region', { name: 'Charts' }).count()).toBe(1))
    await page.keyboard.press('ArrowRight')
    await expectOn(strip, 'Topic tree')
    await expectPanelOf(strip)
    await page.keyboard.press('ArrowLeft')
    await expectOn(strip, 'Charts')
    await page.keyboard.press('Home')
    await expectOn(strip, 'Topic tree')
    await page.keyboard.press('End')
    await expectOn(strip, 'Charts')
    await expectPanelOf(strip)
    await page.keyboard.press('Home')
    expectNoBrowserErrors(session.browser.errors)
  }, 60_000)
})

describe('the TLS version pickers', () => {
  it('offer the same versions for the minimum and the maximum, and keep the choice', async () => {
    await createProfile(page, { name: 'Versions', brokerUrl: 'mqtts://127.0.0.1:1' })
    await page.getByRole('button', { name: 'Edit Versions', exact: true }).click()
    const dialog = page.getByRole('dialog', { name: 'Edit profile: Versions' })
    const min = dialog.getByLabel('Minimum TLS version')
    const max = dialog.getByLabel('Maximum TLS version')
    const options = (select: Locator) => select.locator('option').allInnerTexts()
    expect(await options(min)).toEqual(['Default', 'TLS 1.2', 'TLS 1.3'])
    expect(await options(max)).toEqual(['Default', 'TLS 1.2', 'TLS 1.3'])
    expect(await min.evaluate((el: HTMLSelectElement) => el.selectedOptions[0]?.textContent)).toBe('Default')

    await min.selectOption({ label: 'TLS 1.2' })
    await max.selectOption({ label: 'TLS 1.3' })
    await dialog.getByRole('button', { name: 'Save', exact: true }).click()
    await dialog.waitFor({ state: 'detached', timeout: 10_000 })

    await page.getByRole('button', { name: 'Edit Versions', exact: true }).click()
    await dialog.waitFor()
    expect(await min.evaluate((el: HTMLSelectElement) => el.selectedOptions[0]?.textContent)).toBe('TLS 1.2')
    expect(await max.evaluate((el: HTMLSelectElement) => el.selectedOptions[0]?.textContent)).toBe('TLS 1.3')
    await max.selectOption({ label: 'Default' })
    await dialog.getByRole('button', { name: 'Save', exact: true }).click()
    await dialog.waitFor({ state: 'detached', timeout: 10_000 })
    await page.getByRole('button', { name: 'Edit Versions', exact: true }).click()
    await dialog.waitFor()
    expect(await max.evaluate((el: HTMLSelectElement) => el.selectedOptions[0]?.textContent)).toBe('Default')
    expectNoBrowserErrors(session.browser.errors)
  }, 60_000)
})
