/**
 * An encoder's problem follows the language in the publish editor, in browser mode against the
 * built-in Sandbox: a browser in German starts the app in German, a Sparkplug B payload with a
 * text where an Int8 value goes is refused under the editor with the encoder's sentence in German
 * (which value, what it got: no English word inside) and its place, and after switching to
 * Simplified Chinese in Settings the same problem re-renders in Chinese without a new encode.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Locator, Page } from 'playwright-core'
import type { AppSession } from '../fixtures/app-session'
import { connectionPanel, eventually, expectNoBrowserErrors } from './ui-steps'
import { chooseLanguage, openGermanApp } from './language-steps'

let session: AppSession
let page: Page

beforeAll(async () => {
  session = await openGermanApp()
  page = session.page
}, 120_000)

afterAll(async () => {
  await session?.close()
})

const panel = (): Locator => connectionPanel(page, 'Sandbox')

/** Replaces the whole payload in Monaco (loaded on the first click), as a paste would. */
async function replacePayload(editor: Locator, region: string, text: string): Promise<void> {
  const box = editor.getByRole('region', { name: region })
  await box.click()
  await box.and(page.locator('[data-ready="true"]')).waitFor({ timeout: 30_000 })
  await box.locator('.overflow-guard').click()
  await page.keyboard.press('ControlOrMeta+A')
  await page.keyboard.press('Delete')
  await page.keyboard.insertText(text)
}

describe('an encoder’s problem in German and Chinese', () => {
  it('is said under the editor in the language on screen, with its place', async () => {
    await page.getByRole('button', { name: 'Sandbox verbinden', exact: true }).click()
    const editor = panel().getByRole('form', { name: 'Editor zum Veröffentlichen' })
    await editor.waitFor({ timeout: 30_000 })
    await editor.getByLabel('Topic zum Veröffentlichen').fill('e2e/lang/encode')
    await editor.getByLabel('Payload-Format', { exact: true }).selectOption({ label: 'Sparkplug B' })
    // Valid JSON, so only the main side's encoder finds the mistake: a text where an Int8 goes.
    await replacePayload(editor, 'Payload-Editor', '{"metrics": [{"name": "t", "datatype": "Int8", "value": "x"}]}')

    const problem = editor.getByRole('alert', { name: 'Problem mit der Payload' })
    await eventually(async () => expect(await problem.innerText()).toBe('Ein Int8-Wert ist sint64: erwartet wird eine ganze Zahl (oder ihr Dezimaltext), gegeben ist der Text "x". (bei /metrics/0/value)'), 30_000)
    expect(await editor.getByLabel('Warum Veröffentlichen gesperrt ist').innerText()).toContain('Die Payload kann nicht veröffentlicht werden: Ein Int8-Wert ist sint64')
    expect(await editor.getByRole('button', { name: 'Veröffentlichen', exact: true }).isDisabled()).toBe(true)

    await chooseLanguage(page, 'zh-CN', '设置')
    const zhEditor = panel().getByRole('form', { name: '发布编辑器' })
    const zhProblem = zhEditor.getByRole('alert', { name: '载荷问题' })
    await eventually(async () => expect(await zhProblem.innerText()).toBe('Int8 值的类型是 sint64：需要整数（或其十进制文本），而不是文本 "x"。（位于 /metrics/0/value）'))

    expectNoBrowserErrors(session.browser.errors)
  }, 180_000)
})
