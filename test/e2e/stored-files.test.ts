/**
 * A damaged pin file in the browser: the page shows the same storage warning a damaged
 * profiles file gets (where the file was kept), and the Sandbox still connects.
 */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { launchBrowser, type TestBrowser } from '../fixtures/browser'
import { startWebApp, type WebApp } from '../fixtures/web-app'
import { connect, connectionPanel, eventually } from './ui-steps'

let dataDir: string
let app: WebApp
let browser: TestBrowser
let page: Page

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'mqtts-stored-files-'))
  // A pin for the Sandbox without a fingerprint: once cast as a pin, it broke the connect.
  await writeFile(join(dataDir, 'tls-pins.json'), JSON.stringify({ version: 1, pins: { sandbox: { kind: 'leaf' } } }))
  app = await startWebApp({ dataDir })
  browser = await launchBrowser()
  page = await browser.open(app.url)
}, 90_000)

afterAll(async () => {
  await browser?.close()
  await app?.stop()
  await rm(dataDir, { recursive: true, force: true })
})

describe('a damaged tls-pins.json in the browser', () => {
  it('is reported with where it was kept, and the Sandbox still connects', async () => {
    const backup = (await readdir(dataDir)).find((n) => n.startsWith('tls-pins.json.corrupt-'))
    expect(backup).toBeDefined()
    const warning = page.getByRole('alert').filter({ hasText: 'Your certificate pins could not be read' })
    await eventually(async () => expect(await warning.count()).toBe(1))
    expect(await warning.innerText()).toContain(join(dataDir, backup!))

    await connect(page, 'Sandbox')
    const panel = connectionPanel(page, 'Sandbox')
    await eventually(async () => expect(await panel.getByRole('status').first().innerText()).toMatch(/Connected · MQTT/))
  }, 60_000)
})
