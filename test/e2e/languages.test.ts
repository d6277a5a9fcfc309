/**
 * Languages end to end in browser mode, under the app's real CSP (no 'unsafe-eval'): the
 * language switches live from Settings (no reload: a marker set on the page survives), the
 * sidebar and the dialog change to German and to Simplified Chinese, `<html lang>` follows, the
 * choice is saved, and no CSP violation (`securitypolicyviolation`) happens on the way. A
 * browser whose language is German starts in German while the setting is "system".
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { openAppSession, type AppSession } from '../fixtures/app-session'
import { eventually, expectNoBrowserErrors } from './ui-steps'
import { watchCspViolations } from './language-steps'

let session: AppSession | undefined

afterEach(async () => {
  await session?.close()
  session = undefined
})
afterAll(async () => {
  await session?.close()
})

/** Opens the app with a listener that records every CSP violation from the first script on. */
async function open(locale?: string): Promise<{ page: Page; violations: () => Promise<string[]> }> {
  session = await openAppSession({ viewport: { width: 1366, height: 900 }, locale })
  return { page: session.page, violations: await watchCspViolations(session) }
}

const lang = (page: Page): Promise<string> => page.evaluate(() => document.documentElement.lang)

async function savedLanguage(): Promise<unknown> {
  const text = await readFile(join(session!.app.dataDir, 'settings.json'), 'utf8').catch(() => '{}')
  return (JSON.parse(text) as { appearance?: { language?: unknown } }).appearance?.language
}

describe('languages', () => {
  it('switches the UI to German and Chinese and back from Settings, live and under the CSP', async () => {
    const { page, violations } = await open()
    expect(await lang(page)).toBe('en')
    await page.getByRole('heading', { name: 'Connections', exact: true }).waitFor({ timeout: 10_000 })
    await page.evaluate(() => ((window as unknown as { marker: string }).marker = 'same page'))

    await page.getByRole('button', { name: 'Settings', exact: true }).click()
    const picker = page.locator('#setting-language')
    await picker.waitFor({ timeout: 10_000 })

    await picker.selectOption('de')
    await page.getByRole('dialog', { name: 'Einstellungen' }).waitFor({ timeout: 10_000 })
    await page.getByRole('heading', { name: 'Verbindungen', exact: true }).waitFor({ timeout: 10_000 })
    expect(await page.getByRole('button', { name: 'Sandbox verbinden' }).count()).toBe(1)
    expect(await lang(page)).toBe('de')
    await eventually(async () => expect(await savedLanguage()).toBe('de'))

    await picker.selectOption('zh-CN')
    await page.getByRole('dialog', { name: '设置' }).waitFor({ timeout: 10_000 })
    await page.getByRole('heading', { name: '连接', exact: true }).waitFor({ timeout: 10_000 })
    expect(await page.getByRole('dialog').getByText('外观', { exact: true }).count()).toBe(1)
    expect(await lang(page)).toBe('zh-CN')

    // 'system' is the browser's language here: en-US.
    await picker.selectOption('system')
    await page.getByRole('dialog', { name: 'Settings' }).waitFor({ timeout: 10_000 })
    await page.getByRole('heading', { name: 'Connections', exact: true }).waitFor({ timeout: 10_000 })
    expect(await lang(page)).toBe('en')
    await eventually(async () => expect(await savedLanguage()).toBe('system'))

    expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe('same page')
    expect(await violations()).toEqual([])
    expectNoBrowserErrors(session!.browser.errors)
  }, 180_000)

  it('starts in German when the setting is "system" and the browser’s language is German', async () => {
    const { page, violations } = await open('de-DE')
    await page.getByRole('heading', { name: 'Verbindungen', exact: true }).waitFor({ timeout: 10_000 })
    expect(await lang(page)).toBe('de')
    expect(await violations()).toEqual([])
    expectNoBrowserErrors(session!.browser.errors)
  }, 180_000)
})
