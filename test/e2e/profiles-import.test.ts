/**
 * End to end in browser mode with the real gnome-keyring: profiles that use a vault CA are
 * exported from the Certificates view and the same file is imported back three times. Each time
 * the dialog lists the profiles that already exist and imports nothing until each has a choice:
 * skip and keep both, then replace all, then keep both for all. The CA is recognised by its
 * fingerprint every time, so the vault keeps one item.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Locator, Page } from 'playwright-core'
import { createRootCa } from '../fixtures/cert-factory'
import { readConfig } from '../../electron/core/vault/vault-config'
import { launchBrowser, type TestBrowser } from '../fixtures/browser'
import { deleteKeychainEntry, requireSecretService } from '../fixtures/keyring'
import { openRpcSocket } from '../fixtures/rpc-socket'
import { startWebApp, type WebApp } from '../fixtures/web-app'
import { eventually, expectNoBrowserErrors, profileItem } from './ui-steps'

let app: WebApp
let browser: TestBrowser
let page: Page
let dataDir: string
let exported: { name: string; text: string }

function certificates(p: Page): Locator {
  return p.getByRole('dialog', { name: 'Certificates' })
}

async function openCertificates(p: Page): Promise<Locator> {
  await p.getByRole('button', { name: 'Certificates', exact: true }).click()
  const dialog = certificates(p)
  await dialog.waitFor()
  return dialog
}

async function newProfileWithCa(p: Page, name: string, caName: string): Promise<void> {
  await p.getByRole('button', { name: 'New', exact: true }).click()
  const editor = p.getByRole('dialog', { name: 'New profile' })
  await editor.getByLabel('Name', { exact: true }).fill(name)
  await editor.getByLabel('Broker URL').fill('mqtts://127.0.0.1:1')
  await editor.getByRole('checkbox', { name: caName }).check()
  await editor.getByRole('button', { name: 'Save', exact: true }).click()
  await editor.waitFor({ state: 'detached', timeout: 10_000 })
}

/** Picks the exported file in "Import profiles" and returns the dialog that asks about it. */
async function importExportAgain(dialog: Locator): Promise<Locator> {
  await dialog.getByLabel('Import profiles (MQTTS Explorer').setInputFiles({ name: exported.name, mimeType: 'application/json', buffer: Buffer.from(exported.text) })
  const ask = page.getByRole('dialog', { name: 'Import profiles' })
  await ask.waitFor()
  return ask
}

async function userProfileNames(p: Page): Promise<string[]> {
  const names = await p.getByRole('navigation', { name: 'Connection profiles' }).getByRole('listitem').evaluateAll((items) => items.map((i) => i.getAttribute('aria-label') ?? ''))
  return names.filter((n) => n !== 'Sandbox').sort()
}

async function caItemCount(dialog: Locator): Promise<number> {
  return dialog.getByRole('list', { name: 'Vault items' }).getByRole('listitem', { name: 'Lab Root CA' }).count()
}

/**
 * The CA is stored once. The dialog's list follows a coalesced vault.changed a moment after the
 * import result shows, so a single read could still see the list from before a second copy came;
 * the backend's own list is complete once the import has answered, and the dialog must come to match it.
 */
async function expectOneCa(dialog: Locator): Promise<void> {
  const rpc = await openRpcSocket(app)
  try {
    const items = await rpc.result<Array<{ name: string }>>('vault.list')
    expect(items.filter((i) => i.name === 'Lab Root CA')).toHaveLength(1)
  } finally {
    rpc.ws.close()
  }
  await eventually(async () => expect(await caItemCount(dialog)).toBe(1))
}

beforeAll(async () => {
  await requireSecretService()
  dataDir = await mkdtemp(join(tmpdir(), 'mqtts-e2e-import-'))
  app = await startWebApp({ dataDir })
  browser = await launchBrowser({ viewport: { width: 1366, height: 900 } })
  page = await browser.open(app.url)
}, 90_000)

afterAll(async () => {
  await browser?.close()
  await app?.stop()
  const config = dataDir ? await readConfig(join(dataDir, 'vault')).catch(() => null) : null
  if (config) await deleteKeychainEntry(config.installId).catch(() => false)
  if (dataDir) await rm(dataDir, { recursive: true, force: true })
})

describe('importing profiles that already exist, through the UI', () => {
  it('exports two profiles that use a vault CA', async () => {
    const ca = await createRootCa({ commonName: 'Lab Root CA' })
    let dialog = await openCertificates(page)
    await dialog.getByLabel('Choose certificate files').setInputFiles({ name: 'lab-ca.pem', mimeType: 'application/x-pem-file', buffer: Buffer.from(ca.certPem) })
    await dialog.getByRole('list', { name: 'Vault items' }).getByRole('listitem', { name: 'Lab Root CA' }).waitFor()
    await dialog.getByRole('button', { name: 'Close', exact: true }).last().click()

    await newProfileWithCa(page, 'Lab A', 'Lab Root CA')
    await newProfileWithCa(page, 'Lab B', 'Lab Root CA')
    expect(await userProfileNames(page)).toEqual(['Lab A', 'Lab B'])

    dialog = await openCertificates(page)
    const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: 'Export all profiles' }).click()])
    exported = { name: download.suggestedFilename(), text: await readFile((await download.path())!, 'utf8') }
    expect(JSON.parse(exported.text).profiles).toHaveLength(2)
  }, 60_000)

  it('lists both as already here and imports nothing until each has a choice; skip one, keep both of the other', async () => {
    const dialog = certificates(page)
    const ask = await importExportAgain(dialog)
    const conflicts = ask.getByRole('list', { name: 'Profiles that already exist' })
    expect(await conflicts.getByRole('listitem').evaluateAll((items) => items.map((i) => i.getAttribute('aria-label')))).toEqual(['Lab A', 'Lab B'])
    const importButton = ask.getByRole('button', { name: /^(Import|Choose for \d+ more)$/ })
    expect(await importButton.isDisabled()).toBe(true)
    await ask.getByLabel('What to do with “Lab A”').selectOption('skip')
    expect(await importButton.isDisabled()).toBe(true)
    await ask.getByLabel('What to do with “Lab B”').selectOption('keep-both')
    await ask.getByRole('button', { name: 'Import', exact: true }).click()
    await ask.waitFor({ state: 'detached' })

    await eventually(async () => expect(await dialog.getByRole('status', { name: 'Import result' }).innerText()).toContain('Imported 1 profile(s), skipped 1 from MQTTS Explorer (1 already in the vault).'))
    await eventually(async () => expect(await userProfileNames(page)).toEqual(['Lab A', 'Lab B', 'Lab B (2)']))
    await expectOneCa(dialog)
  }, 60_000)

  it('replace all: the same profiles take the settings from the file, nothing is added', async () => {
    const dialog = certificates(page)
    const ask = await importExportAgain(dialog)
    await ask.getByRole('group', { name: 'For all of them' }).getByRole('button', { name: 'Replace all' }).click()
    await ask.getByRole('button', { name: 'Import', exact: true }).click()
    await ask.waitFor({ state: 'detached' })
    await eventually(async () => expect(await dialog.getByRole('status', { name: 'Import result' }).innerText()).toContain('Imported 0 profile(s), replaced 2'))
    expect(await userProfileNames(page)).toEqual(['Lab A', 'Lab B', 'Lab B (2)'])
    await expectOneCa(dialog)
  }, 60_000)

  it('keep both for all: copies are numbered after the ones already there, and Cancel imports nothing', async () => {
    const dialog = certificates(page)
    let ask = await importExportAgain(dialog)
    await ask.getByRole('button', { name: 'Cancel', exact: true }).click()
    await ask.waitFor({ state: 'detached' })
    expect(await userProfileNames(page)).toEqual(['Lab A', 'Lab B', 'Lab B (2)'])

    ask = await importExportAgain(dialog)
    await ask.getByRole('group', { name: 'For all of them' }).getByRole('button', { name: 'Keep both all' }).click()
    await ask.getByRole('button', { name: 'Import', exact: true }).click()
    await ask.waitFor({ state: 'detached' })
    await eventually(async () => expect(await userProfileNames(page)).toEqual(['Lab A', 'Lab A (2)', 'Lab B', 'Lab B (2)', 'Lab B (3)']))
    await expectOneCa(dialog)
    await dialog.getByRole('button', { name: 'Close', exact: true }).last().click()
    await profileItem(page, 'Lab B (3)').waitFor()
    expectNoBrowserErrors(browser.errors)
  }, 60_000)
})
