/**
 * Every decoder on the Sandbox's own demo topics, end to end in browser mode: the built app,
 * Debian chromium, the embedded broker and its feed. Each topic is selected in the tree and the
 * inspector must say what it detected (and show the view that goes with it): Sparkplug B with
 * metric names resolved from the BIRTHs, CBOR, MessagePack, base64 and gzip layers, images,
 * numbers, JSON; and the Protobuf topic decodes with field names once the `.proto` the Sandbox
 * publishes has been imported through the inspector's offer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Locator, Page } from 'playwright-core'
import { openAppSession, type AppSession } from '../fixtures/app-session'
import { connect, connectionPanel, eventually, expectNoBrowserErrors, selectTopic } from './ui-steps'

const PROFILE = 'Sandbox'

let session: AppSession
let page: Page

function detail(): Locator {
  return connectionPanel(page, PROFILE).getByRole('complementary', { name: 'Selected topic' })
}

function inspector(): Locator {
  // Monaco's own textbox carries the same label: the inspector is the box around it.
  return detail().locator('.inspector[aria-label="Decoded payload"]')
}

async function detected(): Promise<string> {
  return inspector().getByLabel('Detected decoder').innerText()
}

const select = (path: string): Promise<void> => selectTopic(page, PROFILE, path)

beforeAll(async () => {
  session = await openAppSession({ viewport: { width: 1366, height: 900 } })
  page = session.page
  await connect(page, PROFILE)
  await eventually(async () => expect(await connectionPanel(page, PROFILE).getByRole('status').first().innerText()).toMatch(/Connected/), 30_000)
}, 120_000)

afterAll(async () => {
  await session?.close()
})

describe('the inspector on the Sandbox decoder topics', () => {
  it('decodes a Sparkplug B device message and names its alias-only metrics from the DBIRTH', async () => {
    await select('spBv1.0/Sandbox/DDATA/edge-01/plc-01')
    await eventually(async () => expect(await detected()).toMatch(/Detected as Sparkplug B/), 30_000)
    const metrics = inspector().getByRole('table', { name: 'Sparkplug metrics' })
    await eventually(async () => {
      const text = await metrics.innerText()
      // DDATA carries neither names nor datatypes: both come from the stored DBIRTH.
      expect(text).toMatch(/\bDouble\b/)
      expect(text).toMatch(/\bInt32\b/)
      expect(text).not.toMatch(/Unknown/)
      expect(await metrics.getByRole('row').count()).toBeGreaterThan(1)
      expect(await inspector().getByLabel('Sparkplug B payload').innerText()).toMatch(/plc-01/)
    }, 30_000)
    const firstName = (await metrics.getByRole('row').nth(1).getByRole('cell').first().innerText()).trim()
    expect(firstName).not.toBe('')
    expect(firstName).not.toMatch(/^—?$/)
  }, 90_000)

  it('detects CBOR and MessagePack without any hint, and offers CBOR diagnostic notation', async () => {
    await select('sandbox/cbor/sensor-02')
    await eventually(async () => expect(await detected()).toMatch(/Detected as CBOR/), 30_000)
    const diagnostic = inspector().getByRole('checkbox', { name: 'Diagnostic notation' })
    await diagnostic.check()
    await eventually(async () => expect(await inspector().innerText()).toMatch(/h'[0-9a-f]+'/))
    await diagnostic.uncheck()

    await select('sandbox/msgpack/sensor-02')
    await eventually(async () => expect(await detected()).toMatch(/Detected as MessagePack/), 30_000)
  }, 90_000)

  it('undoes base64 and gzip layers, then detects what is inside', async () => {
    await select('sandbox/base64/sensor-01')
    await eventually(async () => expect(await inspector().getByLabel('Decode layers').innerText()).toMatch(/Base64\b.* → CBOR/), 30_000)
    await select('sandbox/gzip/report')
    await eventually(async () => expect(await inspector().getByLabel('Decode layers').innerText()).toMatch(/gzip\b.* → JSON/), 30_000)
    await select('sandbox/zlib/report')
    await eventually(async () => expect(await inspector().getByLabel('Decode layers').innerText()).toMatch(/zlib\b.* → JSON/), 30_000)
  }, 90_000)

  it('shows camera frames as images and a float32 topic as numbers', async () => {
    await select('cameras/gate/snapshot')
    await eventually(async () => expect(await detected()).toMatch(/Detected as Image/), 30_000)
    const png = inspector().locator('img')
    await eventually(async () => expect(await png.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(96), 30_000)
    await select('cameras/gate/preview')
    await eventually(async () => expect(await inspector().locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalHeight)).toBe(64), 30_000)

    await select('sandbox/series/float32le')
    const numbers = inspector().getByRole('table', { name: 'Payload as numbers' })
    await eventually(async () => expect(await numbers.innerText()).toMatch(/float32le/), 30_000)
  }, 90_000)

  it('decodes the Protobuf topic with field names once the offered .proto is imported', async () => {
    // The Sandbox profile's rule names sandbox.v1.Telemetry; before the import the raw decode shows, with why.
    await select('sandbox/proto/gw-02/telemetry')
    await eventually(async () => expect(await inspector().innerText()).toMatch(/sandbox\.v1\.Telemetry/), 30_000)

    await select('sandbox/schemas/telemetry.proto')
    const offer = detail().getByRole('button', { name: 'Import telemetry.proto as a schema' })
    await eventually(async () => expect(await offer.count()).toBe(1), 30_000)
    await offer.click()
    await eventually(async () => expect(await detail().innerText()).toMatch(/Imported telemetry\.proto/), 20_000)

    await select('sandbox/proto/gw-02/telemetry')
    await eventually(async () => {
      expect(await detected()).toMatch(/Protobuf/)
      expect(await inspector().getByRole('alert').count()).toBe(0)
      // Field names from the schema, where the raw decode has only numbers.
      expect(await inspector().locator('.view-lines').first().innerText()).toMatch(/"[a-z_]+[a-zA-Z]*":/)
    }, 30_000)
    await page.screenshot({ path: '/tmp/mqtts-e2e-inspector-sandbox.png' })
    expectNoBrowserErrors(session.browser.errors)
  }, 90_000)
})
