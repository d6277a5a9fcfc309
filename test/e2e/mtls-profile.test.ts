/**
 * End to end in browser mode: the built app, Debian chromium, a real mosquitto with TLS, and
 * mosquitto_pub as a peer we did not write. The profile is created through the UI, uploading
 * the CA, client certificate and key through the file inputs.
 */
import { execFile } from 'node:child_process'
import { readdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { openAppSession, startMtlsBroker, type AppSession } from '../fixtures/app-session'
import type { TestBrowser } from '../fixtures/browser'
import type { MosquittoBroker } from '../fixtures/mosquitto'
import { generateTestPki, type TestPki } from '../fixtures/pki'
import type { WebApp } from '../fixtures/web-app'
import { connect, connectionPanel, createProfile, plantMtlsProfile, eventually, expectNoBrowserErrors, messageTexts, profileItem, waitForConnectionStatus } from './ui-steps'

const run = promisify(execFile)

let pki: TestPki
let session: AppSession
let broker: MosquittoBroker
let app: WebApp
let browser: TestBrowser
let page: Page

/** Every file under `dir`, recursively, with its text. */
async function readTree(dir: string): Promise<{ path: string; text: string }[]> {
  const out: { path: string; text: string }[] = []
  for (const name of await readdir(dir)) {
    const path = join(dir, name)
    if ((await stat(path)).isDirectory()) out.push(...(await readTree(path)))
    else out.push({ path, text: await readFile(path, 'latin1') })
  }
  return out
}

beforeAll(async () => {
  pki = await generateTestPki()
  broker = await startMtlsBroker(pki)
  session = await openAppSession()
  ;({ app, browser, page } = session)
}, 90_000)

afterAll(async () => {
  await session?.close()
  await broker?.stop()
  await pki?.cleanup()
})

describe('browser mode against mosquitto over TLS', () => {
  it('connects a mutual-TLS profile made from uploaded files and shows a message sent by mosquitto_pub', async () => {
    await createProfile(page, plantMtlsProfile(pki, broker.ports.mtls))
    await expect.poll(() => profileItem(page, 'Plant mTLS').innerText()).toContain(`mqtts://127.0.0.1:${broker.ports.mtls}`)

    await connect(page, 'Plant mTLS')
    const panel = connectionPanel(page, 'Plant mTLS')
    await waitForConnectionStatus(page, 'Plant mTLS', 'Connected · MQTT 5.0')
    // Both default subscriptions must be granted before the peer publishes: '#' to receive it, and
    // '$SYS/#' so its retained burst has arrived already and cannot push the message out of view.
    await eventually(async () => expect(await panel.getByRole('listitem', { name: 'Subscription #' }).innerText()).toContain('QoS 0'))
    await eventually(async () => expect(await panel.getByRole('listitem', { name: 'Subscription $SYS/#' }).innerText()).toContain('QoS 0'))

    await run('mosquitto_pub', [
      '-h', 'localhost', '-p', String(broker.ports.mtls),
      '--cafile', pki.caBundle.path, '--cert', pki.client.cert.path, '--key', pki.client.key.path,
      '-t', 'e2e/plant/greeting', '-m', 'hello from mosquitto_pub', '-q', '1',
    ])
    await eventually(async () => {
      const rows = await messageTexts(page)
      expect(rows.find((r) => r.includes('e2e/plant/greeting'))).toContain('hello from mosquitto_pub')
    })

    // Publishing from the form goes through the same session and comes back on '#'.
    await panel.getByLabel('Publish topic').fill('e2e/plant/from-ui')
    await panel.getByLabel('Payload').fill('ping from the form')
    await panel.getByRole('button', { name: 'Publish', exact: true }).click()
    await eventually(async () => expect(await panel.getByText(/Published to e2e\/plant\/from-ui/).count()).toBe(1))
    await eventually(async () => expect((await messageTexts(page)).some((r) => r.includes('ping from the form'))).toBe(true))

    await page.screenshot({ path: '/tmp/mqtts-e2e-mtls-connected.png' })

    // The uploaded key went into the vault on save, sealed: not readable in the data folder, not in browser storage.
    const keyBody = pki.client.key.pem.split('\n')[1]
    for (const file of await readTree(app.dataDir)) {
      expect(file.text.includes(keyBody), `${file.path} holds the private key`).toBe(false)
    }
    expect(await page.evaluate(() => localStorage.length + sessionStorage.length)).toBe(0)
    expectNoBrowserErrors(browser.errors)
  }, 120_000)

  it("explains a wrong-host certificate in plain words, with TLS_HOSTNAME_MISMATCH and the certificate's names", async () => {
    await createProfile(page, {
      name: 'Wrong host',
      brokerUrl: `mqtts://127.0.0.1:${broker.ports.wrongHost}`,
      caFiles: [pki.root.cert.path],
    })
    await connect(page, 'Wrong host')
    const panel = connectionPanel(page, 'Wrong host')
    const alert = panel.getByRole('alert')
    await eventually(async () => expect(await alert.innerText()).toContain('TLS_HOSTNAME_MISMATCH'))
    const text = await alert.innerText()
    expect(text).toContain('wrong.example.test')
    expect(text).toContain('127.0.0.1')
    // The code is the small print; the sentence comes first and says what to do.
    expect(text.indexOf('TLS_HOSTNAME_MISMATCH')).toBeGreaterThan(text.indexOf('wrong.example.test'))

    await page.screenshot({ path: '/tmp/mqtts-e2e-wrong-host.png' })
    await panel.getByRole('button', { name: /^(Close|Disconnect)$/ }).click()
    await expect.poll(() => connectionPanel(page, 'Wrong host').count()).toBe(0)
  }, 90_000)

  it('connects again after a reload without asking, because the uploaded key was moved into the vault on save', async () => {
    await page.reload({ waitUntil: 'load' })
    // The session survived the reload on the main side; end it so Connect must send secrets again.
    await eventually(async () => expect(await profileItem(page, 'Plant mTLS').innerText()).toContain('Connected'))
    await page.getByRole('button', { name: 'Disconnect Plant mTLS', exact: true }).click()
    await eventually(async () => expect(await profileItem(page, 'Plant mTLS').innerText()).toContain('Not connected'))

    await connect(page, 'Plant mTLS')
    await waitForConnectionStatus(page, 'Plant mTLS', 'Connected · MQTT 5.0')
    expect(await page.getByRole('dialog').count()).toBe(0)
  }, 90_000)
})
