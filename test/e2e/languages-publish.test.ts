/**
 * The publish workbench's own sentences follow the language end to end, in browser mode against
 * the built-in Sandbox: a browser in German starts the app in German, the editor explains a
 * wildcard topic in German, a repeat job reports its state with German words and counts, and
 * after switching to Simplified Chinese in Settings the same job's state re-renders in Chinese
 * without a reload, as do the editor's reason and the outcome of a publish.
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

/** Shows a tab of the publish tools, found by its name in the language on screen. */
async function show(tools: string, tab: string): Promise<void> {
  const button = panel().getByRole('tablist', { name: tools }).getByRole('tab', { name: tab, exact: true })
  if ((await button.getAttribute('aria-selected')) !== 'true') await button.click()
  await eventually(async () => expect(await button.getAttribute('aria-selected')).toBe('true'))
}

describe('the publish workbench in German and Chinese', () => {
  it('words the editor’s reasons, a repeat job’s state and a publish’s outcome in the language on screen', async () => {
    await page.getByRole('button', { name: 'Sandbox verbinden', exact: true }).click()
    const editor = panel().getByRole('form', { name: 'Editor zum Veröffentlichen' })
    await editor.waitFor({ timeout: 30_000 })

    await editor.getByLabel('Topic zum Veröffentlichen').fill('e2e/+/x')
    await eventually(async () => expect(await editor.getByLabel('Warum Veröffentlichen gesperrt ist').innerText()).toContain('„+“ und „#“ sind Wildcards zum Abonnieren'))
    await editor.getByLabel('Topic zum Veröffentlichen').fill('e2e/lang/rep')

    await show('Werkzeuge zum Veröffentlichen', 'Wiederholen')
    const repeat = panel().getByRole('region', { name: 'Wiederholen' })
    await repeat.getByRole('combobox', { name: 'Takt der Wiederholung' }).selectOption('max')
    await repeat.getByRole('combobox', { name: 'Wiederholen bis' }).selectOption('count')
    await repeat.getByLabel('Anzahl', { exact: true }).fill('3')
    await eventually(async () => expect(await repeat.getByRole('button', { name: 'Wiederholung starten' }).isEnabled()).toBe(true))
    await repeat.getByRole('button', { name: 'Wiederholung starten' }).click()
    const job = repeat.getByRole('listitem', { name: 'Wiederholungsauftrag e2e/lang/rep' }).first()
    await eventually(async () => expect(await job.getByRole('status').innerText()).toMatch(/^Fertig: 3 gesendet, \d bestätigt\.$/))
    expect(await job.innerText()).toContain('so schnell wie möglich, 3 Nachrichten')

    await chooseLanguage(page, 'zh-CN', '设置')

    // The same job, re-rendered in Chinese: nothing was asked of the main side again.
    const sameJob = panel().getByRole('listitem', { name: '重复任务 e2e/lang/rep' }).first()
    await eventually(async () => expect(await sameJob.getByRole('status').innerText()).toMatch(/^已完成：已发送 3，已确认 \d。$/))

    await show('发布工具', '编辑器')
    const zhEditor = panel().getByRole('form', { name: '发布编辑器' })
    await zhEditor.getByLabel('发布主题').fill('e2e/+/x')
    await eventually(async () => expect(await zhEditor.getByLabel('无法发布的原因').innerText()).toContain('通配符'))
    await zhEditor.getByLabel('发布主题').fill('e2e/lang/once')
    await zhEditor.getByRole('button', { name: '发布', exact: true }).click()
    await eventually(async () => expect(await zhEditor.getByLabel('发布结果').innerText()).toMatch(/^已发送。于 .+ 发布到 e2e\/lang\/once（0 字节，QoS 0：不会有确认）。/))

    expectNoBrowserErrors(session.browser.errors)
  }, 180_000)
})
