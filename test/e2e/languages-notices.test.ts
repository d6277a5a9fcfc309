/**
 * Sentences the main side writes with a notice code follow the language end to end, in browser
 * mode with a German browser: the rule a refused topic filter breaks and the CONNACK table's
 * words, on the Sandbox, and the vault's reason on a machine without a Secret Service (the session bus points nowhere), both in
 * German while main still writes them in English.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openAppSession, type AppSession } from '../fixtures/app-session'
import { launchBrowser, type TestBrowser } from '../fixtures/browser'
import { startWebApp, type WebApp } from '../fixtures/web-app'
import { connectionPanel, eventually, expectNoBrowserErrors } from './ui-steps'

const NO_BUS = { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/mqtts-explorer-e2e-notices-bus' }

let session: AppSession | undefined
let app: WebApp | undefined
let browser: TestBrowser | undefined
let dataDir: string | undefined

afterAll(async () => {
  await session?.close()
  await browser?.close()
  await app?.stop()
  if (dataDir) await rm(dataDir, { recursive: true, force: true })
})

describe('main-side sentences in German', () => {
  it('names the rule a refused topic filter breaks in German', async () => {
    session = await openAppSession({ viewport: { width: 1366, height: 900 }, locale: 'de-DE' })
    const page = session.page
    await page.getByRole('heading', { name: 'Verbindungen', exact: true }).waitFor({ timeout: 60_000 })
    await page.getByRole('button', { name: 'Sandbox verbinden', exact: true }).click()
    const subs = connectionPanel(page, 'Sandbox').getByRole('region', { name: 'Abonnements' })
    await subs.waitFor({ timeout: 30_000 })
    await subs.getByLabel('Topic-Filter', { exact: true }).fill('bad/#/x')
    await subs.getByRole('button', { name: 'Abonnieren', exact: true }).click()

    const item = subs.getByRole('listitem', { name: 'Abonnement bad/#/x' })
    await eventually(async () => expect(await item.innerText()).toContain('MQTT_FILTER_INVALID'))
    expect(await item.innerText()).toContain('ungültig')
    const rule = item.getByTitle('# muss die letzte Ebene eines Filters sein (wie in sensors/#): bad/#/x hat danach noch Ebenen.', { exact: true })
    expect(await rule.count()).toBe(1)
    expectNoBrowserErrors(session.browser.errors)
  }, 120_000)

  it('words an accepted MQTT 3.1.1 CONNACK in German', async () => {
    const page = session!.page
    await connectionPanel(page, 'Sandbox').getByRole('button', { name: /^TLS/ }).click()
    const connects = page.getByRole('region', { name: 'TLS-Inspektor für Sandbox' }).getByRole('region', { name: 'Verbindungsversuche und CONNACK' })
    await eventually(async () => expect(await connects.innerText()).toMatch(/CONNACK von Versuch #1/i))
    // The Sandbox speaks MQTT 3.1.1, whose return code 0 has no name in the specification: the app's own words.
    expect(await connects.innerText()).toContain('0x00 Verbindung angenommen')
    expect(await connects.innerText()).not.toContain('Connection accepted')
  }, 60_000)

  it('says why the vault is not ready in German when no system keychain is reachable', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'mqtts-e2e-notices-'))
    app = await startWebApp({ dataDir, env: NO_BUS })
    browser = await launchBrowser({ locale: 'de-DE' })
    const page = await browser.open(app.url)
    await page.getByRole('contentinfo').getByRole('button', { name: 'Zertifikate', exact: true }).click()
    const status = page.getByRole('dialog', { name: 'Zertifikate' }).getByRole('region', { name: 'Tresorstatus' })
    await eventually(async () => expect(await status.innerText()).toContain('Wählen Sie stattdessen eine Master-Passphrase, die gespeicherte Zertifikate und Passwörter schützt.'))
    // The keychain's own failure comes first, by its code too.
    expect(await status.innerText()).toMatch(/Schlüsselbund/)
    expect(await status.innerText()).not.toContain('Choose a master passphrase')
    expectNoBrowserErrors(browser.errors)
  }, 120_000)
})
