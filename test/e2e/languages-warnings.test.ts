/**
 * Warnings and words the main side writes in English follow the language end to end, in browser
 * mode with a German browser: the warning about a damaged settings file at start, an MQTTX
 * import's warning, the separator line of a trimmed diff in the inspector (the text inside
 * both Monaco documents) and a refused regular expression in the tree's filter, all in German
 * while main still writes them in English.
 */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import mqtt, { type MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Locator, Page } from 'playwright-core'
import { launchBrowser, type TestBrowser } from '../fixtures/browser'
import { startMosquitto, type MosquittoBroker } from '../fixtures/mosquitto'
import { startWebApp, type WebApp } from '../fixtures/web-app'
import { connectionPanel, eventually, expectNoBrowserErrors } from './ui-steps'

const PROFILE = 'Prüfstand'

let broker: MosquittoBroker
let publisher: MqttClient
let dataDir: string
let app: WebApp
let browser: TestBrowser
let page: Page

function publish(topic: string, payload: string): Promise<void> {
  return new Promise((resolve, reject) => publisher.publish(topic, payload, { qos: 1 }, (err) => (err ? reject(err) : resolve())))
}

function detail(): Locator {
  return connectionPanel(page, PROFILE).getByRole('complementary', { name: 'Ausgewähltes Topic' })
}

/** The text Monaco renders for the visible lines under `where` (it draws spaces as U+00A0). */
async function monacoText(where: Locator): Promise<string> {
  return (await where.locator('.view-lines').first().innerText()).replace(/\u00a0/g, ' ')
}

beforeAll(async () => {
  broker = await startMosquitto({ listeners: [{}], extra: ['sys_interval 600'] })
  publisher = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, { clientId: 'e2e-languages-warnings-publisher' })
  dataDir = await mkdtemp(join(tmpdir(), 'mqtts-e2e-lang-warnings-'))
  await writeFile(join(dataDir, 'settings.json'), '{ "tree": ')
  app = await startWebApp({ dataDir })
  browser = await launchBrowser({ viewport: { width: 1366, height: 900 }, locale: 'de-DE' })
  page = await browser.open(app.url)
  await page.getByRole('heading', { name: 'Verbindungen', exact: true }).waitFor({ timeout: 60_000 })
}, 120_000)

afterAll(async () => {
  await publisher?.endAsync()
  await browser?.close()
  await app?.stop()
  await broker?.stop()
  if (dataDir) await rm(dataDir, { recursive: true, force: true })
})

describe('main-side warnings and words in German', () => {
  it('reports a damaged settings file at start in German, with where it was kept', async () => {
    const backup = (await readdir(dataDir)).find((n) => n.startsWith('settings.json.corrupt-'))
    expect(backup).toBeDefined()
    const warning = page.getByRole('alert').filter({ hasText: 'Die Datei Ihrer Einstellungen konnte nicht gelesen werden' })
    await eventually(async () => expect(await warning.count()).toBe(1))
    const text = await warning.innerText()
    expect(text).toContain(`daher startete MQTTS Explorer mit den Standardeinstellungen; die Datei wurde unverändert unter ${join(dataDir, backup!)} aufbewahrt.`)
    expect(text).not.toContain('Your settings')
  }, 60_000)

  it('says what an MQTTX import could not bring over in German', async () => {
    await page.getByRole('contentinfo').getByRole('button', { name: 'Zertifikate', exact: true }).click()
    const dialog = page.getByRole('dialog', { name: 'Zertifikate' })
    await dialog.waitFor()
    const mqttx = [{ name: PROFILE, host: '127.0.0.1', port: broker.port, protocol: 'mqtt', clientId: 'e2e-languages-warnings', mqttVersion: '3.1', ssl: false, subscriptions: [{ topic: 'lang/#', qos: 0 }] }]
    await dialog.getByLabel('Profile importieren (MQTTS Explorer').setInputFiles({ name: 'mqttx.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(mqttx)) })
    const result = dialog.getByRole('status', { name: 'Ergebnis des Imports' })
    await eventually(async () => expect(await result.innerText()).toContain(`„${PROFILE}“: MQTT 3.1 wird nicht unterstützt; das Profil verwendet MQTT 3.1.1.`))
    expect(await result.innerText()).not.toContain('is not supported')
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'detached', timeout: 10_000 })
  }, 60_000)

  it('writes the separator of a trimmed diff in German on both sides', async () => {
    await page.getByRole('button', { name: `${PROFILE} verbinden`, exact: true }).click()
    const panel = connectionPanel(page, PROFILE)
    await panel.getByRole('tree').waitFor({ timeout: 30_000 })
    // 3,000 readings pretty-print to 15,002 lines; the newer one changes the first and the last.
    const readings = (first: number, last: number) => JSON.stringify(Array.from({ length: 3000 }, (_, i) => ({ id: i, name: `sensor-${i}`, value: i === 0 ? first : i === 2999 ? last : i })))
    await eventually(async () => {
      await publish('lang/long', readings(0, 2999))
      expect(await panel.getByRole('tree').getByRole('treeitem', { name: /^lang(,|$)/ }).count()).toBe(1)
    })
    await publish('lang/long', readings(-1, -2999))
    await panel.getByLabel('Topics filtern').fill('lang/long')
    const row = panel.getByRole('tree').getByRole('treeitem', { name: /^long(,|$)/ })
    await eventually(async () => expect(await row.count()).toBe(1))
    await row.click()
    await eventually(async () => expect(await detail().getByRole('list', { name: 'Nachrichten auf diesem Topic, neueste zuerst' }).getByRole('listitem').count()).toBeGreaterThanOrEqual(2))
    await detail().getByRole('button', { name: 'Mit vorheriger vergleichen' }).click()
    const diff = detail().getByRole('region', { name: 'Nachrichtenvergleich' })
    const editor = diff.getByRole('region', { name: 'Vergleich der beiden Nachrichten' })
    await eventually(async () => expect(await diff.getByRole('note', { name: 'Gekürzter Vergleich' }).count()).toBe(1))
    await eventually(async () => expect(await monacoText(editor.locator('.editor.modified'))).toMatch(/⋯ 14\.\d{3} unveränderte Zeilen ⋯/))
    const separator = (await monacoText(editor.locator('.editor.modified'))).match(/⋯ [\d.]+ unveränderte Zeilen ⋯/)![0]
    expect(await monacoText(editor.locator('.editor.original'))).toContain(separator)
    expect(await monacoText(editor)).not.toContain('unchanged lines')
    expectNoBrowserErrors(browser.errors)
  }, 120_000)

  it('says why a regular expression cannot filter the tree in German', async () => {
    const panel = connectionPanel(page, PROFILE)
    await panel.getByLabel('Filtermodus').selectOption('regex')
    await panel.getByLabel('Topics filtern').fill('lang[')
    const alert = panel.getByRole('alert').filter({ hasText: 'Das ist kein gültiger regulärer Ausdruck' })
    await eventually(async () => expect(await alert.count()).toBe(1))
    expect(await alert.innerText()).toContain('korrigieren Sie ihn oder stellen Sie den Filter auf einfachen Text um.')
    expect(await alert.innerText()).not.toContain('not a valid regular expression')
  }, 60_000)
})
