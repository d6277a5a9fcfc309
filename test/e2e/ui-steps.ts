/**
 * What a user does in the UI, as reusable steps for the e2e tests. Everything is found by role
 * and accessible name, the way a keyboard or screen-reader user finds it.
 */
import { expect as vitestExpect } from 'vitest'
import type { Locator, Page } from 'playwright-core'
import type { TestPki } from '../fixtures/pki'

export interface ProfileInput {
  name: string
  brokerUrl: string
  caFiles?: string[]
  clientCert?: string
  clientKey?: string
}

/** The "Plant mTLS" profile the TLS suites build: the test root CA plus the client certificate and key, uploaded. */
export function plantMtlsProfile(pki: TestPki, port: number): ProfileInput {
  return {
    name: 'Plant mTLS',
    brokerUrl: `mqtts://127.0.0.1:${port}`,
    caFiles: [pki.root.cert.path],
    clientCert: pki.client.chain.path,
    clientKey: pki.client.key.path,
  }
}

/** Waits until `check` passes, polling; the failure message is the last error seen. */
export async function eventually(check: () => Promise<void>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  while (Date.now() < deadline) {
    try {
      await check()
      return
    } catch (err) {
      last = err
      await new Promise((r) => setTimeout(r, 200))
    }
  }
  throw last
}

/** Opens New, fills the form (uploading files through the file inputs) and saves. */
export async function createProfile(page: Page, input: ProfileInput): Promise<void> {
  await page.getByRole('button', { name: 'New', exact: true }).click()
  const dialog = page.getByRole('dialog', { name: 'New profile' })
  await dialog.getByLabel('Name', { exact: true }).fill(input.name)
  await dialog.getByLabel('Broker URL').fill(input.brokerUrl)
  if (input.caFiles) await dialog.getByLabel('CA certificates').setInputFiles(input.caFiles)
  if (input.clientCert || input.clientKey) {
    await dialog.getByRole('radio', { name: 'Certificate + key (PEM)' }).check()
    if (input.clientCert) await dialog.getByLabel('Client certificate').setInputFiles(input.clientCert)
    if (input.clientKey) await dialog.getByLabel('Private key').setInputFiles(input.clientKey)
  }
  await dialog.getByRole('button', { name: 'Save', exact: true }).click()
  await dialog.waitFor({ state: 'detached', timeout: 10_000 })
}

/** The sidebar entry of a profile. */
export function profileItem(page: Page, name: string): Locator {
  return page.getByRole('navigation', { name: 'Connection profiles' }).getByRole('listitem', { name, exact: true })
}

/** Clicks Connect on a profile in the sidebar. */
export async function connect(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: `Connect ${name}`, exact: true }).click()
}

/**
 * Waits until the connection panel of `name` shows a status containing `expected`. Each look is
 * short (a missing panel is looked for again, not waited on for Playwright's 30 s), and a timeout
 * says what the page showed instead: the panel's status, or, without a panel, the profile's row and
 * any alert (a connect that failed before a session existed shows its error there).
 */
export async function waitForConnectionStatus(page: Page, name: string, expected: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let seen = ''
  while (Date.now() < deadline) {
    const status = connectionPanel(page, name).getByRole('status').first()
    if ((await status.count()) > 0) {
      seen = await status.innerText({ timeout: 1_000 }).catch(() => seen)
      if (seen.includes(expected)) return
    } else seen = '(no panel)'
    await new Promise((r) => setTimeout(r, 200))
  }
  const row = await profileItem(page, name).innerText({ timeout: 1_000 }).catch(() => '(no profile row)')
  const alerts = await page.getByRole('alert').allInnerTexts().catch(() => [])
  throw new Error(`"${name}" did not show "${expected}" within ${timeoutMs} ms. Status: ${seen}. Profile row: ${row}. Alerts: ${alerts.join(' | ') || 'none'}`)
}

/** The open connection's panel. */
export function connectionPanel(page: Page, name: string): Locator {
  return page.getByRole('tabpanel', { name })
}

/** Rows of the recent-messages list currently in the DOM (header excluded). */
export function messageRows(page: Page): Locator {
  return page.getByRole('table', { name: 'Recent messages list' }).getByRole('rowgroup').getByRole('row')
}

/** Shows the Recent messages tab of the open connection (the topic tree is the first tab). */
export async function showRecent(page: Page): Promise<void> {
  const tab = page.getByRole('tab', { name: 'Recent messages', exact: true })
  if ((await tab.count()) > 0 && (await tab.getAttribute('aria-selected')) !== 'true') await tab.click()
}

/** Text of every rendered message row. */
export async function messageTexts(page: Page): Promise<string[]> {
  await showRecent(page)
  return messageRows(page).allInnerTexts()
}

/** Fails with the browser's console errors listed, so a broken page explains itself. */
export function expectNoBrowserErrors(errors: string[]): void {
  vitestExpect(errors, errors.join('\n')).toEqual([])
}

/**
 * Filters a connection's tree to one topic and selects it. The filter applies on the main side:
 * until its frame arrives the previous rows are still shown, so click and check the selected path
 * together until they agree.
 */
export async function selectTopic(page: Page, profile: string, path: string): Promise<void> {
  const panel = connectionPanel(page, profile)
  await panel.getByLabel('Filter topics').fill(path)
  const leaf = path.split('/').pop()!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const row = panel.getByRole('tree').getByRole('treeitem', { name: new RegExp(`^${leaf}(,|$)`) })
  const detail = panel.getByRole('complementary', { name: 'Selected topic' })
  await eventually(async () => {
    vitestExpect(await row.count()).toBe(1)
    await row.click({ timeout: 2000 })
    vitestExpect(await detail.getByLabel('Topic path').innerText({ timeout: 2000 })).toBe(path)
  }, 30_000)
}
