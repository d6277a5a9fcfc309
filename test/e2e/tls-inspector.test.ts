/**
 * End to end in browser mode: the TLS panel of a mutual-TLS connection and of a failing
 * wrong-host connection, read the way a person reads it, against a real mosquitto.
 */
import { copyFile, readFile, writeFile } from 'node:fs/promises'
import { X509Certificate } from 'node:crypto'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { openAppSession, startMtlsBroker, type AppSession } from '../fixtures/app-session'
import type { TestBrowser } from '../fixtures/browser'
import { freePort, startMosquitto, type MosquittoBroker } from '../fixtures/mosquitto'
import { generateTestPki, type TestPki } from '../fixtures/pki'
import type { WebApp } from '../fixtures/web-app'
import { connect, connectionPanel, createProfile, plantMtlsProfile, eventually, expectNoBrowserErrors, waitForConnectionStatus } from './ui-steps'

let pki: TestPki
let session: AppSession
let broker: MosquittoBroker
let app: WebApp
let browser: TestBrowser
let page: Page

beforeAll(async () => {
  pki = await generateTestPki()
  broker = await startMtlsBroker(pki)
  session = await openAppSession({ viewport: { width: 1366, height: 900 } })
  ;({ app, browser, page } = session)
}, 90_000)

afterAll(async () => {
  await session?.close()
  await broker?.stop()
  await pki?.cleanup()
})

function tlsPanel(name: string) {
  return page.getByRole('region', { name: `TLS inspector for ${name}` })
}

describe('TLS inspector in browser mode', () => {
  it('shows the mutual-TLS session, its chain, CONNACK and a key log indicator', async () => {
    await createProfile(page, plantMtlsProfile(pki, broker.ports.mtls))
    await connect(page, 'Plant mTLS')
    const panel = connectionPanel(page, 'Plant mTLS')
    await waitForConnectionStatus(page, 'Plant mTLS', 'Connected · MQTT 5.0')

    await panel.getByRole('button', { name: /^TLS/ }).click()
    const tls = tlsPanel('Plant mTLS')
    await eventually(async () => expect(await tls.getByRole('region', { name: 'TLS session' }).innerText()).toContain('TLSv1.3'))
    const session = await tls.getByRole('region', { name: 'TLS session' }).innerText()
    expect(session).toContain('TLS_AES_256_GCM_SHA384')
    expect(session).toContain('Verified')
    expect(session).toContain('CN=test-client')
    const chain = tls.getByRole('region', { name: 'Certificate chain' })
    expect(await chain.getByRole('listitem').allInnerTexts()).toEqual([
      expect.stringContaining('CN=localhost'),
      expect.stringContaining('CN=MQTTS Explorer Test Intermediate CA'),
      expect.stringContaining('CN=MQTTS Explorer Test Root CA'),
    ])
    expect(await chain.getByRole('listitem').first().innerText()).toContain('sent by the broker')
    expect(await chain.getByRole('listitem').last().innerText()).toContain('from the local trust store')
    await eventually(async () => expect(await tls.getByRole('region', { name: 'Connects and CONNACK' }).innerText()).toMatch(/CONNACK of connect #1/i))
    const connects = await tls.getByRole('region', { name: 'Connects and CONNACK' }).innerText()
    expect(connects).toContain('0x00 Success')
    expect(connects).toMatch(/Topic alias maximum\s+10/)
    await eventually(async () => expect(await tls.getByRole('region', { name: 'Handshake history' }).innerText()).toContain('first seen'))
    await page.screenshot({ path: '/tmp/mqtts-e2e-tls-mtls-top.png' })

    // The exported chain is the broker's chain, leaf first.
    const [download] = await Promise.all([page.waitForEvent('download'), chain.getByRole('button', { name: 'Export chain (PEM)' }).click()])
    const pem = await readFile((await download.path())!, 'utf8')
    expect(pem.match(/BEGIN CERTIFICATE/g)).toHaveLength(3)
    expect(pem.indexOf(pki.intermediate.cert.pem.trim().split('\n')[1])).toBeGreaterThan(0)

    // Key log: the default path is in the app's data folder; on → the indicator shows it.
    const keyLog = tls.getByRole('region', { name: 'Key log' })
    expect(await keyLog.getByLabel('Key log file').inputValue()).toBe(`${app.dataDir}/keylogs/Plant-mTLS.keys`)
    await keyLog.getByRole('button', { name: 'Turn key log on' }).click()
    await eventually(async () => expect(await tls.getByRole('status').filter({ hasText: 'Key log ON' }).first().innerText()).toContain(`${app.dataDir}/keylogs/Plant-mTLS.keys`))
    await page.screenshot({ path: '/tmp/mqtts-e2e-tls-mtls-keylog.png' })

    await tls.getByRole('button', { name: 'Close TLS' }).click()
    // Still visible on the connection after the panel closed.
    expect(await panel.getByRole('status').filter({ hasText: 'Key log ON' }).innerText()).toContain('Plant-mTLS.keys')
    await page.screenshot({ path: '/tmp/mqtts-e2e-tls-keylog-indicator.png' })
    await panel.getByRole('button', { name: /^TLS/ }).click()
    await tls.getByRole('region', { name: 'Key log' }).getByRole('button', { name: 'Turn key log off' }).click()
    await eventually(async () => expect(await panel.getByRole('status').filter({ hasText: 'Key log ON' }).count()).toBe(0))
    await tls.getByRole('button', { name: 'Close TLS' }).click()
    // Focus goes back to the button that opened the inspector, not to the page's start.
    expect(await panel.getByRole('button', { name: /^TLS/ }).evaluate((el) => el === document.activeElement)).toBe(true)
    expectNoBrowserErrors(browser.errors)
  }, 120_000)

  it("explains a failing wrong-host connection with the certificate's names and the SNI override", async () => {
    await createProfile(page, { name: 'Wrong host', brokerUrl: `mqtts://127.0.0.1:${broker.ports.wrongHost}`, caFiles: [pki.root.cert.path] })
    await connect(page, 'Wrong host')
    const panel = connectionPanel(page, 'Wrong host')
    await eventually(async () => expect(await panel.getByRole('alert').first().innerText()).toContain('TLS_HOSTNAME_MISMATCH'))

    await panel.getByRole('button', { name: /^TLS/ }).click()
    const tls = tlsPanel('Wrong host')
    const diagnosis = tls.getByRole('alert', { name: 'Diagnosis' })
    await eventually(async () => expect(await diagnosis.innerText()).toContain('The certificate is for another name'))
    const text = await diagnosis.innerText()
    expect(text).toContain('wrong.example.test')
    expect(text).toContain('not 127.0.0.1')
    expect(text).toMatch(/set the TLS server name \(SNI\)/)
    expect(await tls.getByRole('region', { name: 'TLS session' }).innerText()).toContain('Not trusted')
    expect(await tls.getByRole('region', { name: 'Certificate chain' }).innerText()).toContain('The certificate is for wrong.example.test, not 127.0.0.1.')
    await page.screenshot({ path: '/tmp/mqtts-e2e-tls-wrong-host.png' })
    expectNoBrowserErrors(browser.errors)
  }, 90_000)

  it('says nothing is listening when the broker is stopped, in the header and the TLS panel alike, with no TLS time', async () => {
    const port = await freePort()
    await createProfile(page, { name: 'Stopped', brokerUrl: `mqtts://127.0.0.1:${port}`, caFiles: [pki.root.cert.path] })
    await connect(page, 'Stopped')
    const panel = connectionPanel(page, 'Stopped')
    await eventually(async () => expect(await panel.getByRole('alert').first().innerText()).toContain('BROKER_UNREACHABLE'))

    await panel.getByRole('button', { name: /^TLS/ }).click()
    const tls = tlsPanel('Stopped')
    const diagnosis = tls.getByRole('alert', { name: 'Diagnosis' })
    await eventually(async () => expect(await diagnosis.innerText()).toContain(`Nothing is listening on 127.0.0.1:${port}`))
    const text = await diagnosis.innerText()
    expect(text).toContain('BROKER_UNREACHABLE · failed at the TCP connect')
    expect(text).not.toContain('TLS_HANDSHAKE_FAILED')
    expect(text).not.toMatch(/probe/i)
    expect(await tls.getByRole('region', { name: 'TLS session' }).innerText()).toContain('never reached TLS')
    const row = tls.getByRole('region', { name: 'Connects and CONNACK' }).getByRole('row').nth(1)
    // The attempts table fills in after the diagnosis: wait for its row, do not read it once.
    await eventually(async () => {
      const cells = await row.getByRole('cell').allInnerTexts()
      // #, time, DNS, TCP, TLS, CONNACK, result
      expect(cells.slice(4, 6)).toEqual(['not reached', 'not reached'])
      expect(cells[6]).toBe('BROKER_UNREACHABLE · failed at TCP connect')
    })
    await tls.getByRole('button', { name: 'Close TLS' }).click()
    expectNoBrowserErrors(browser.errors)
  }, 90_000)

  it('blocks a pinned connection when the broker certificate changes, compares both, and trusts the new one in one click', async () => {
    const certFile = join(pki.dir, 'pinned-broker.crt')
    const keyFile = join(pki.dir, 'pinned-broker.key')
    await copyFile(pki.server.chain.path, certFile)
    await copyFile(pki.server.key.path, keyFile)
    const pinned = await startMosquitto({ listeners: [{ tls: { cafile: pki.caBundle.path, certfile: certFile, keyfile: keyFile } }] })
    try {
      await createProfile(page, { name: 'Pinned', brokerUrl: `mqtts://127.0.0.1:${pinned.port}`, caFiles: [pki.root.cert.path, pki.rotation.root.cert.path] })
      await connect(page, 'Pinned')
      const panel = connectionPanel(page, 'Pinned')
      await waitForConnectionStatus(page, 'Pinned', 'Connected')
      await panel.getByRole('button', { name: /^TLS/ }).click()
      const tls = tlsPanel('Pinned')
      const pin = tls.getByRole('region', { name: 'Pinning' })
      await pin.getByRole('button', { name: 'Pin certificate' }).click()
      await eventually(async () => expect(await pin.innerText()).toContain(pki.server.issued.cert.fingerprint256))
      await tls.getByRole('button', { name: 'Close TLS' }).click()
      await panel.getByRole('button', { name: 'Disconnect', exact: true }).click()
      await expect.poll(() => connectionPanel(page, 'Pinned').count()).toBe(0)

      await writeFile(certFile, pki.rotation.server.chain.pem)
      await writeFile(keyFile, pki.rotation.server.key.pem)
      await pinned.restart()
      const sessions = async () => ((await pinned.log()).match(/New client connected/g) ?? []).length
      const sessionsBefore = await sessions()
      await connect(page, 'Pinned')
      await eventually(async () => expect(await panel.getByRole('alert').first().innerText()).toContain('TLS_PIN_MISMATCH'))
      await panel.getByRole('button', { name: /^TLS/ }).click()
      const blocked = pin.getByRole('alert')
      await eventually(async () => expect(await blocked.innerText()).toContain('Blocked'))
      const compare = await blocked.getByRole('table').innerText()
      expect(compare).toContain(pki.server.issued.cert.fingerprint256)
      const presented = new X509Certificate(pki.rotation.server.cert.pem).fingerprint256
      expect(compare).toContain(presented)
      expect(compare).toContain('MQTTS Explorer Rotation Root CA')
      await page.screenshot({ path: '/tmp/mqtts-e2e-tls-pin-blocked.png' })
      // Blocked before CONNECT: the broker never saw an MQTT client.
      expect(await sessions()).toBe(sessionsBefore)

      await blocked.getByRole('button', { name: 'Trust the new certificate' }).click()
      await eventually(async () => expect(await panel.getByRole('status').first().innerText()).toContain('Connected'))
      await eventually(async () => expect(await pin.innerText()).toContain(`Pinned to the certificate ${presented}`))
      await eventually(async () => expect(await tls.getByRole('region', { name: 'Handshake history' }).innerText()).toContain('new key'))
      await tls.getByRole('button', { name: 'Close TLS' }).click()
      expectNoBrowserErrors(browser.errors)
    } finally {
      await pinned.stop()
    }
  }, 120_000)
})
