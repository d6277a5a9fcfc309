/**
 * The message inspector in German and Simplified Chinese, end to end in browser mode: the
 * Sandbox's Sparkplug B device topic is selected, then the language is switched live in Settings
 * and the inspector's decoder bar, its Metrics/JSON switch and the metrics table (headings and
 * name) must read in that language, and in English again after switching back, with no CSP
 * violation on the way. The inspector is found by what is ours here (its box in the Sandbox's
 * panel), not by the detail pane's names, which other files translate.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Locator, Page } from 'playwright-core'
import { openAppSession, type AppSession } from '../fixtures/app-session'
import { connect, connectionPanel, eventually, expectNoBrowserErrors, selectTopic } from './ui-steps'
import { chooseLanguage, watchCspViolations } from './language-steps'

const PROFILE = 'Sandbox'
const TOPIC = 'spBv1.0/Sandbox/DDATA/edge-01/plc-01'

let session: AppSession
let page: Page
let violations: () => Promise<string[]>

/** The inspector's own box (Monaco's textbox carries its label too, so by class and panel). */
function inspector(): Locator {
  return connectionPanel(page, PROFILE).locator('.inspector')
}

/** What the decoder bar says it detected. */
async function detected(): Promise<string> {
  return inspector().locator('.detected').innerText()
}

/** The metrics table's named column headings, in order (the sixth, Chart, is for screen readers only). */
async function headings(): Promise<string[]> {
  return (await inspector().locator('table.metrics thead th').allInnerTexts()).slice(0, 5).map((h) => h.trim())
}

beforeAll(async () => {
  session = await openAppSession({ viewport: { width: 1366, height: 900 } })
  page = session.page
  violations = await watchCspViolations(session)
  await connect(page, PROFILE)
  await eventually(async () => expect(await connectionPanel(page, PROFILE).getByRole('status').first().innerText()).toMatch(/Connected/), 30_000)
}, 120_000)

afterAll(async () => {
  await session?.close()
})

describe('the inspector in other languages', () => {
  it('shows the decoder bar and the Sparkplug metrics in German and Chinese after a live switch, and English again', async () => {
    await selectTopic(page, PROFILE, TOPIC)
    await eventually(async () => expect(await detected()).toMatch(/^Detected as Sparkplug B/), 30_000)
    await eventually(async () => expect(await headings()).toEqual(['Name', 'Alias', 'Datatype', 'Value', 'Timestamp']), 30_000)

    await chooseLanguage(page, 'de')
    await eventually(async () => {
      expect(await detected()).toMatch(/^Erkannt als Sparkplug B/)
      expect(await headings()).toEqual(['Name', 'Alias', 'Datentyp', 'Wert', 'Zeitstempel'])
      expect(await inspector().getByRole('table', { name: 'Sparkplug-Metriken' }).count()).toBe(1)
      expect(await inspector().getByRole('radio', { name: 'Metriken' }).count()).toBe(1)
      expect(await inspector().getByRole('group', { name: 'Dekodieren als' }).count()).toBe(1)
      expect(await inspector().getByLabel('Sparkplug-B-Payload').innerText()).toMatch(/Edge Node/i)
    })
    await page.screenshot({ path: '/tmp/mqtts-e2e-inspector-de.png' })

    await chooseLanguage(page, 'zh-CN')
    await eventually(async () => {
      expect(await detected()).toMatch(/^检测为 Sparkplug B/)
      expect(await headings()).toEqual(['名称', '别名', '数据类型', '值', '时间戳'])
      expect(await inspector().getByRole('table', { name: 'Sparkplug 指标' }).count()).toBe(1)
      expect(await inspector().getByRole('radio', { name: '指标' }).count()).toBe(1)
      expect(await inspector().getByRole('group', { name: '解码为' }).count()).toBe(1)
      expect(await inspector().getByLabel('Sparkplug B 载荷').innerText()).toMatch(/边缘节点/)
    })
    await page.screenshot({ path: '/tmp/mqtts-e2e-inspector-zh.png' })

    // 'system' is the browser's language here: en-US.
    await chooseLanguage(page, 'system')
    await eventually(async () => {
      expect(await detected()).toMatch(/^Detected as Sparkplug B/)
      expect(await headings()).toEqual(['Name', 'Alias', 'Datatype', 'Value', 'Timestamp'])
      expect(await inspector().getByRole('group', { name: 'Decode as' }).count()).toBe(1)
    })

    expect(await violations()).toEqual([])
    expectNoBrowserErrors(session.browser.errors)
  }, 120_000)
})
