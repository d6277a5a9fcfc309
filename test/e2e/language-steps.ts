/**
 * Steps the language e2e tests share: recording every CSP violation from the page's first script
 * on (a language switch must not need 'unsafe-eval'), and switching the language from Settings.
 */
import { expect as vitestExpect } from 'vitest'
import type { Page } from 'playwright-core'
import { openAppSession, type AppSession } from '../fixtures/app-session'
import { eventually } from './ui-steps'

/** Reloads the page with a listener for CSP violations in place; returns a reader of what it saw. */
export async function watchCspViolations(session: AppSession): Promise<() => Promise<string[]>> {
  await session.browser.context.addInitScript(() => {
    const seen: string[] = []
    ;(window as unknown as { cspViolations: string[] }).cspViolations = seen
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}:${e.columnNumber}`))
  })
  await session.page.reload({ waitUntil: 'load' })
  await session.page.getByRole('navigation').first().waitFor({ timeout: 60_000 })
  return () => session.page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)
}

/**
 * Picks a language in Settings, opened with its shortcut (the same in every language), waits
 * until `<html lang>` follows (and the dialog's title reads `settingsTitle`, when given), and
 * closes the dialog again. 'system' is the test browser's language, en-US unless a test says.
 */
export async function chooseLanguage(page: Page, value: 'en' | 'de' | 'zh-CN' | 'system', settingsTitle?: string): Promise<void> {
  await page.keyboard.press('Control+Comma')
  const picker = page.locator('#setting-language')
  await picker.waitFor({ timeout: 10_000 })
  await picker.selectOption(value)
  await eventually(async () => vitestExpect(await page.evaluate(() => document.documentElement.lang)).toBe(value === 'system' ? 'en' : value))
  if (settingsTitle !== undefined) await page.getByRole('dialog', { name: settingsTitle }).waitFor({ timeout: 10_000 })
  await page.keyboard.press('Escape')
  await page.getByRole('dialog').waitFor({ state: 'detached', timeout: 10_000 })
}

/** The app in a browser whose language is German, with the setting at "system": it starts in German. */
export async function openGermanApp(): Promise<AppSession> {
  const session = await openAppSession({ viewport: { width: 1366, height: 900 }, locale: 'de-DE' })
  await session.page.getByRole('heading', { name: 'Verbindungen', exact: true }).waitFor({ timeout: 60_000 })
  return session
}
