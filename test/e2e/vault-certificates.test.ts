/**
 * End to end in browser mode with the real gnome-keyring: a CA dropped on the Certificates
 * view, a client PKCS#12 chosen with the picker (its passphrase asked for), a profile built from
 * those vault items, mutual TLS to mosquitto, then the app restarted on the same data folder
 * and connected again without entering anything. Every WebSocket frame in both directions is
 * recorded and searched for key material.
 */
import { createPrivateKey } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { createRootCa } from '../fixtures/cert-factory'
import { readConfig } from '../../electron/core/vault/vault-config'
import { launchBrowser, type TestBrowser } from '../fixtures/browser'
import { deleteKeychainEntry, requireSecretService } from '../fixtures/keyring'
import { startMosquitto, type MosquittoBroker } from '../fixtures/mosquitto'
import { generateTestPki, TEST_PASSPHRASES, type TestPki } from '../fixtures/pki'
import { startWebApp, type WebApp } from '../fixtures/web-app'
import { connect, eventually, expectNoBrowserErrors, profileItem, waitForConnectionStatus } from './ui-steps'

let pki: TestPki
let broker: MosquittoBroker
let app: WebApp
let browser: TestBrowser
let page: Page
let dataDir: string
/** Every WebSocket frame, as text, by direction. */
const frames = { sent: [] as string[], received: [] as string[] }

function record(p: Page): void {
  p.on('websocket', (ws) => {
    const text = (payload: string | Buffer) => (typeof payload === 'string' ? payload : payload.toString('latin1'))
    ws.on('framesent', (f) => frames.sent.push(text(f.payload)))
    ws.on('framereceived', (f) => frames.received.push(text(f.payload)))
  })
}

/** Drops a file on an element the way a desktop drag and drop does (a DataTransfer with a File). */
async function dropFile(p: Page, selector: string, name: string, content: string): Promise<void> {
  const dataTransfer = await p.evaluateHandle(
    ([fileName, text]) => {
      const dt = new DataTransfer()
      dt.items.add(new File([text], fileName, { type: 'application/x-pem-file' }))
      return dt
    },
    [name, content] as const,
  )
  await p.dispatchEvent(selector, 'dragover', { dataTransfer })
  await p.dispatchEvent(selector, 'drop', { dataTransfer })
}

beforeAll(async () => {
  await requireSecretService()
  pki = await generateTestPki()
  broker = await startMosquitto({
    listeners: [{ name: 'mtls', tls: { cafile: pki.caBundle.path, certfile: pki.server.chain.path, keyfile: pki.server.key.path, requireCertificate: true } }],
  })
  dataDir = await mkdtemp(join(tmpdir(), 'mqtts-e2e-vault-'))
  app = await startWebApp({ dataDir })
  browser = await launchBrowser({ viewport: { width: 1366, height: 900 } })
  browser.context.on('page', record)
  page = await browser.open(app.url)
}, 90_000)

afterAll(async () => {
  await browser?.close()
  await app?.stop()
  const config = dataDir ? await readConfig(join(dataDir, 'vault')).catch(() => null) : null
  if (config) await deleteKeychainEntry(config.installId).catch(() => false)
  if (dataDir) await rm(dataDir, { recursive: true, force: true })
  await broker?.stop()
  await pki?.cleanup()
})

describe('certificates in the vault, through the UI', () => {
  it('imports a dropped CA and a PKCS#12, connects a profile built from them, and shows their metadata', async () => {
    await page.getByRole('button', { name: 'Certificates', exact: true }).click()
    const dialog = page.getByRole('dialog', { name: 'Certificates' })
    const items = dialog.getByRole('list', { name: 'Vault items' })

    await dropFile(page, '[aria-label="Drop certificate files here"]', 'root-ca.crt', pki.root.cert.pem)
    await items.getByRole('listitem', { name: 'MQTTS Explorer Test Root CA' }).waitFor()

    await dialog.getByLabel('Choose certificate files').setInputFiles(pki.client.p12.path)
    const passphrase = dialog.getByLabel('Passphrase for client.p12')
    await passphrase.fill('not the passphrase')
    await dialog.getByRole('button', { name: 'Import', exact: true }).click()
    await eventually(async () => expect(await dialog.getByRole('alert').first().innerText()).toMatch(/passphrase/i))
    await passphrase.fill(TEST_PASSPHRASES.pkcs12)
    await dialog.getByRole('button', { name: 'Import', exact: true }).click()
    const identity = items.getByRole('listitem', { name: 'test-client' })
    await identity.waitFor()

    await identity.getByRole('button', { name: 'test-client' }).click()
    const details = await identity.innerText()
    expect(details).toContain('CN=test-client')
    expect(details).toContain('MQTTS Explorer Test Intermediate CA')
    expect(details).toMatch(/SHA-256\s+([0-9A-F]{2}:){31}[0-9A-F]{2}/)
    expect(details).toMatch(/\d+ days left/)
    expect(details).toContain('clientAuth')
    expect(details).toContain('Issuer 1')
    await page.screenshot({ path: '/tmp/mqtts-e2e-vault-certificates.png' })
    await dialog.getByRole('button', { name: 'Close', exact: true }).last().click()

    await page.getByRole('button', { name: 'New', exact: true }).click()
    const editor = page.getByRole('dialog', { name: 'New profile' })
    await editor.getByLabel('Name', { exact: true }).fill('Plant vault')
    await editor.getByLabel('Broker URL').fill(`mqtts://127.0.0.1:${broker.ports.mtls}`)
    await editor.getByRole('checkbox', { name: 'MQTTS Explorer Test Root CA' }).check()
    await editor.getByRole('radio', { name: 'Only these CAs' }).check()
    await editor.getByRole('radio', { name: 'From the vault' }).check()
    await editor.getByLabel('Client identity from the vault').selectOption({ label: 'test-client' })
    await editor.getByRole('button', { name: 'Save', exact: true }).click()
    await editor.waitFor({ state: 'detached', timeout: 10_000 })

    await connect(page, 'Plant vault')
    await waitForConnectionStatus(page, 'Plant vault', 'Connected · MQTT 5.0')
    expectNoBrowserErrors(browser.errors)
  }, 120_000)

  it('sends no private key material over the WebSocket in either direction', async () => {
    const keyDer = createPrivateKey(pki.client.key.pem).export({ type: 'pkcs8', format: 'der' })
    const keyBase64 = keyDer.toString('base64')
    const all = [...frames.sent, ...frames.received]
    expect(frames.sent.some((f) => f.includes('vault.import'))).toBe(true)
    expect(frames.received.some((f) => f.includes('vault.changed'))).toBe(true)
    for (const frame of all) {
      expect(frame).not.toContain('PRIVATE KEY')
      expect(frame).not.toContain(keyBase64.slice(20, 80))
      expect(frame.includes(keyDer.toString('latin1'))).toBe(false)
    }
    // The passphrase travels only inside the import requests that carry it, never back.
    for (const frame of frames.sent.filter((f) => f.includes(TEST_PASSPHRASES.pkcs12))) expect(frame).toContain('"vault.import"')
    for (const frame of frames.received) expect(frame).not.toContain(TEST_PASSPHRASES.pkcs12)
  })

  it('flags a CA expiring within 30 days in the list and on the profile that uses it', async () => {
    const soon = await createRootCa({ commonName: 'Expiring Lab CA', notAfter: new Date(Date.now() + 10 * 86_400_000) })
    await page.getByRole('button', { name: 'Certificates', exact: true }).click()
    const dialog = page.getByRole('dialog', { name: 'Certificates' })
    await dropFile(page, '[aria-label="Drop certificate files here"]', 'expiring-ca.pem', soon.certPem)
    const item = dialog.getByRole('list', { name: 'Vault items' }).getByRole('listitem', { name: 'Expiring Lab CA' })
    await eventually(async () => expect(await item.getByRole('status').innerText()).toMatch(/expires in (9|10) days/))
    await dialog.getByRole('button', { name: 'Close', exact: true }).last().click()

    await page.getByRole('button', { name: 'New', exact: true }).click()
    const editor = page.getByRole('dialog', { name: 'New profile' })
    await editor.getByLabel('Name', { exact: true }).fill('Lab soon expiring')
    await editor.getByLabel('Broker URL').fill('mqtts://127.0.0.1:1')
    await editor.getByRole('checkbox', { name: /Expiring Lab CA/ }).check()
    await editor.getByRole('button', { name: 'Save', exact: true }).click()
    await editor.waitFor({ state: 'detached', timeout: 10_000 })
    await eventually(async () => expect(await profileItem(page, 'Lab soon expiring').innerText()).toMatch(/CA certificate "Expiring Lab CA" expires in (9|10) days/))
  }, 60_000)

  it('connects again after the app restarts on the same data folder, without asking for anything', async () => {
    await page.close()
    await app.stop()
    app = await startWebApp({ dataDir })
    page = await browser.open(app.url)
    await connect(page, 'Plant vault')
    await waitForConnectionStatus(page, 'Plant vault', 'Connected · MQTT 5.0')
    expect(await page.getByRole('dialog').count()).toBe(0)
    for (const frame of [...frames.sent, ...frames.received]) expect(frame).not.toContain('PRIVATE KEY')
    expectNoBrowserErrors(browser.errors)
  }, 90_000)
})
