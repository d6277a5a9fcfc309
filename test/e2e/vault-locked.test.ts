/**
 * Browser mode on a machine without any Secret Service (the session bus points nowhere): the
 * first start is calm (nothing is saved yet, so nothing is locked and no banner shows); the
 * master passphrase is asked for where a secret is about to be saved (typed twice, refused when
 * short or guessable), never stored in plain text; bad files are refused with the main side's
 * sentence; after a restart the banner asks for the same passphrase, which opens the saved
 * items again.
 */
import { randomBytes } from 'node:crypto'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { launchBrowser, type TestBrowser } from '../fixtures/browser'
import { generateTestPki, type TestPki } from '../fixtures/pki'
import { startWebApp, type WebApp } from '../fixtures/web-app'
import { eventually, expectNoBrowserErrors } from './ui-steps'

const NO_BUS = { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/mqtts-explorer-e2e-bus' }
const MASTER = 'violet-harbour-2741-kite'

let pki: TestPki
let app: WebApp
let browser: TestBrowser
let page: Page
let dataDir: string

async function openCertificates(p: Page, from: 'banner' | 'footer' = 'banner') {
  if (from === 'banner') await p.getByRole('button', { name: 'Open Certificates' }).click()
  else await p.getByRole('contentinfo').getByRole('button', { name: 'Certificates', exact: true }).click()
  return p.getByRole('dialog', { name: 'Certificates' })
}

beforeAll(async () => {
  pki = await generateTestPki()
  dataDir = await mkdtemp(join(tmpdir(), 'mqtts-e2e-locked-'))
  app = await startWebApp({ dataDir, env: NO_BUS })
  browser = await launchBrowser()
  page = await browser.open(app.url)
}, 90_000)

afterAll(async () => {
  await browser?.close()
  await app?.stop()
  if (dataDir) await rm(dataDir, { recursive: true, force: true })
  await pki?.cleanup()
})

describe('the vault without a system keychain', () => {
  it('starts calm, asks for a master passphrase where a password is about to be saved, and protects items with it', async () => {
    const banner = page.getByRole('alert').filter({ hasText: 'Saved certificates and passwords are locked' })
    // The vault's state is known once the Certificates view says why it is not ready.
    const certificates = await openCertificates(page, 'footer')
    await eventually(async () => expect(await certificates.getByRole('region', { name: 'Vault status' }).innerText()).toMatch(/master passphrase/i))
    await certificates.getByRole('button', { name: 'Close dialog' }).click()
    // Nothing is saved yet, so nothing is locked: no banner on a first start.
    expect(await banner.count()).toBe(0)

    await page.getByRole('button', { name: 'New', exact: true }).click()
    const editor = page.getByRole('dialog', { name: 'New profile' })
    const where = editor.getByRole('region', { name: 'Where secrets are kept' })
    expect(await where.count()).toBe(0)
    await editor.getByLabel('Password', { exact: true }).fill('broker-password')
    await where.waitFor({ timeout: 10_000 })
    const choose = where.getByLabel('Choose a master passphrase (10+ characters)')
    const again = where.getByLabel('Type it again')
    const strength = where.getByText(/^Strength:/)
    const set = where.getByRole('button', { name: 'Set passphrase' })
    const lastAlert = () => where.getByRole('alert').last().innerText()

    // Too short, then long but guessable: each refused with a sentence, strength shown as typed.
    await choose.fill('short')
    await again.fill('short')
    await eventually(async () => expect(await strength.innerText()).toContain('too short'))
    await set.click()
    await eventually(async () => expect(await lastAlert()).toContain('at least 10 characters'))
    await choose.fill('aaaaaaaaaaaaaaaa')
    await again.fill('aaaaaaaaaaaaaaaa')
    await eventually(async () => expect(await strength.innerText()).toBe('Strength: weak'))
    await set.click()
    await eventually(async () => expect(await lastAlert()).toContain('easy to guess'))

    // A typo in the second field would have locked the vault under a passphrase nobody knows.
    await choose.fill(MASTER)
    await eventually(async () => expect(await strength.innerText()).toBe('Strength: strong'))
    await again.fill(`${MASTER}x`)
    await set.click()
    await eventually(async () => expect(await lastAlert()).toContain('do not match'))

    await again.fill(MASTER)
    await set.click()
    // The vault is ready: the password will be saved in it, and the notice goes.
    await where.waitFor({ state: 'detached', timeout: 10_000 })
    expect(await editor.getByLabel('Password', { exact: true }).getAttribute('placeholder')).toBe('saved in the vault')
    await editor.getByRole('button', { name: 'Cancel' }).click()
    expect(await banner.count()).toBe(0)

    const dialog = await openCertificates(page, 'footer')
    const picker = dialog.getByLabel('Choose certificate files')
    await picker.waitFor()
    await expect.poll(() => banner.count()).toBe(0)

    // Bad input: each refused with one sentence that names the file; nothing is stored.
    await picker.setInputFiles({ name: 'garbage.pem', mimeType: 'application/octet-stream', buffer: randomBytes(1_000_000) })
    await eventually(async () => expect(await dialog.getByRole('alert').last().innerText()).toContain('garbage.pem'))
    await picker.setInputFiles(pki.client.key.path)
    await eventually(async () => expect(await dialog.getByRole('alert').last().innerText()).toMatch(/client\.key holds a private key but no certificate/))
    expect(await dialog.getByRole('list', { name: 'Vault items' }).getByRole('listitem').count()).toBe(0)

    await picker.setInputFiles([pki.client.chain.path, pki.client.key.path])
    await dialog.getByRole('list', { name: 'Vault items' }).getByRole('listitem', { name: 'test-client' }).waitFor()

    // The passphrase and the key are nowhere in the data folder.
    const entries = await readdir(dataDir, { recursive: true, withFileTypes: true })
    for (const e of entries.filter((x) => x.isFile())) {
      const text = await readFile(join(e.parentPath, e.name), 'latin1')
      expect(text.includes(MASTER), e.name).toBe(false)
      expect(text.includes('PRIVATE KEY'), e.name).toBe(false)
    }
    expectNoBrowserErrors(browser.errors)
  }, 120_000)

  it('asks for the master passphrase after a restart and opens the saved items with it', async () => {
    await page.close()
    await app.stop()
    app = await startWebApp({ dataDir, env: NO_BUS })
    page = await browser.open(app.url)
    const banner = page.getByRole('alert').filter({ hasText: 'Saved certificates and passwords are locked' })
    await eventually(async () => expect(await banner.innerText()).toContain('Enter the master passphrase'))

    const dialog = await openCertificates(page)
    await dialog.getByLabel('Master passphrase').fill('not-the-master-passphrase')
    await dialog.getByRole('button', { name: 'Unlock' }).click()
    await eventually(async () => expect(await dialog.getByRole('alert').last().innerText()).toMatch(/passphrase/i))
    await dialog.getByLabel('Master passphrase').fill(MASTER)
    await dialog.getByRole('button', { name: 'Unlock' }).click()
    await dialog.getByRole('list', { name: 'Vault items' }).getByRole('listitem', { name: 'test-client' }).waitFor()
    expectNoBrowserErrors(browser.errors)
  }, 120_000)
})
