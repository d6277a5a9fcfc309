/**
 * The decoder's own sentences in German and Simplified Chinese, end to end in browser mode: on
 * the Sandbox's Protobuf topic (its profile's rule names a type no imported .proto defines yet)
 * the decoder bar's reason and the decode error, and on its gzip topic the reason and the
 * layer's note, must read in the language picked live in Settings, with that language's digits,
 * and as main's English again after switching back, with no CSP violation on the way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Locator, Page } from 'playwright-core'
import { openAppSession, type AppSession } from '../fixtures/app-session'
import { connect, connectionPanel, eventually, expectNoBrowserErrors, selectTopic } from './ui-steps'

const PROFILE = 'Sandbox'
const PROTO_TOPIC = 'sandbox/proto/gw-02/telemetry'
const GZIP_TOPIC = 'sandbox/gzip/report'

let session: AppSession
let page: Page

/** The inspector's own box (Monaco's textbox carries its label too, so by class and panel). */
function inspector(): Locator {
  return connectionPanel(page, PROFILE).locator('.inspector')
}

const detected = (): Promise<string> => inspector().locator('.detected').innerText()
const decodeError = (): Promise<string> => inspector().locator('.decode-error').innerText()
const layers = async (): Promise<string> => (await inspector().locator('.detected .layers').innerText()).trim()

/** Picks a language in Settings (its button named in the language on screen) and closes the dialog again. */
async function switchLanguage(settingsButton: string, locale: string): Promise<void> {
  await page.getByRole('button', { name: settingsButton, exact: true }).click()
  const picker = page.locator('#setting-language')
  await picker.waitFor({ timeout: 10_000 })
  await picker.selectOption(locale)
  await eventually(async () => expect(await page.evaluate(() => document.documentElement.lang)).toBe(locale === 'system' ? 'en' : locale))
  await page.keyboard.press('Escape')
  await page.getByRole('dialog').waitFor({ state: 'detached', timeout: 10_000 })
}

beforeAll(async () => {
  session = await openAppSession({ viewport: { width: 1366, height: 900 } })
  page = session.page
  await session.browser.context.addInitScript(() => {
    const seen: string[] = []
    ;(window as unknown as { cspViolations: string[] }).cspViolations = seen
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`))
  })
  await page.reload({ waitUntil: 'load' })
  await page.getByRole('navigation').first().waitFor({ timeout: 60_000 })
  await connect(page, PROFILE)
  await eventually(async () => expect(await connectionPanel(page, PROFILE).getByRole('status').first().innerText()).toMatch(/Connected/), 30_000)
}, 120_000)

afterAll(async () => {
  await session?.close()
})

describe('the decoder’s sentences in other languages', () => {
  it('reads a rule’s reason and its decode error in German and Chinese after a live switch, and main’s English again', async () => {
    await selectTopic(page, PROFILE, PROTO_TOPIC)
    const english = 'Type sandbox.v1.Telemetry is not in any imported schema; shown without a schema.'
    await eventually(async () => {
      expect(await detected()).toMatch(/ — rule sandbox\/proto\/#/)
      expect(await decodeError()).toBe(english)
    }, 30_000)

    await switchLanguage('Settings', 'de')
    await eventually(async () => {
      expect(await detected()).toMatch(/^Erkannt als .* — Regel sandbox\/proto\/#/)
      expect(await decodeError()).toBe('Der Typ sandbox.v1.Telemetry steht in keinem importierten Schema; angezeigt ohne Schema.')
    })
    await page.screenshot({ path: '/tmp/mqtts-e2e-decode-de.png' })

    await switchLanguage('Einstellungen', 'zh-CN')
    await eventually(async () => {
      expect(await detected()).toMatch(/^检测为 .* — 规则 sandbox\/proto\/#/)
      expect(await decodeError()).toBe('类型 sandbox.v1.Telemetry 不在任何已导入的 Schema 中；当前未使用 Schema 显示。')
    })

    await switchLanguage('设置', 'system')
    await eventually(async () => {
      expect(await detected()).toMatch(/^Detected as .* — rule sandbox\/proto\/#/)
      expect(await decodeError()).toBe(english)
    })
  }, 120_000)

  it('reads the gzip layer’s note with German digits, and main’s English again', async () => {
    await selectTopic(page, PROFILE, GZIP_TOPIC)
    await eventually(async () => {
      expect(await detected()).toMatch(/^Detected as gzip — magic bytes 1f 8b/)
      expect(await layers()).toMatch(/^· gzip \(\d{1,3}(,\d{3})* → \d{1,3}(,\d{3})* bytes\) → JSON$/)
    }, 30_000)
    const sizes = (await layers()).match(/\((.*) bytes\)/)![1].split(' → ').map((n) => n.replace(/,/g, ''))

    await switchLanguage('Settings', 'de')
    await eventually(async () => {
      expect(await detected()).toMatch(/^Erkannt als gzip — Magic Bytes 1f 8b/)
      // The same sizes, grouped the German way.
      const german = sizes.map((n) => Number(n).toLocaleString('de-DE'))
      expect(await layers()).toBe(`· gzip (${german[0]} → ${german[1]} Bytes) → JSON`)
    })

    await switchLanguage('Einstellungen', 'system')
    await eventually(async () => expect(await detected()).toMatch(/^Detected as gzip — magic bytes 1f 8b/))

    expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([])
    expectNoBrowserErrors(session.browser.errors)
  }, 120_000)
})
