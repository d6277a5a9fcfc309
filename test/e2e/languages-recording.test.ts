/**
 * The Recordings library speaks German and Simplified Chinese, in the built app in chromium: a
 * browser whose language is German starts in German, a `mosquitto_sub -F %J` dump imported there
 * is announced, listed, flagged and offered for replay and deletion in German, with German digit
 * grouping (1.200); after switching to Chinese in Settings, the same library and its dialogs
 * speak Chinese. No broker is needed: the import and the library are the app's own.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Locator, Page } from 'playwright-core'
import type { AppSession } from '../fixtures/app-session'
import { eventually, expectNoBrowserErrors } from './ui-steps'
import { openGermanApp } from './language-steps'

const DUMP = 'werk-dump'
/** Enough messages that their count needs a thousands separator, on three topics. */
const MESSAGES = 1200
const TOPICS = ['werk/a', 'werk/b', 'werk/c']

let session: AppSession
let page: Page
let scratch: string
let dumpFile: string

/** One `mosquitto_sub -F %J` line a message, 10 ms apart. */
function mosquittoDump(): string {
  const start = Date.UTC(2026, 11, 1, 10, 0, 0)
  const lines: string[] = []
  for (let i = 0; i < MESSAGES; i++) {
    const tst = new Date(start + i * 10).toISOString().replace('Z', '000Z+0000')
    lines.push(JSON.stringify({ tst, topic: TOPICS[i % TOPICS.length], qos: 0, retain: 0, payloadlen: String(i).length, payload: String(i) }))
  }
  return lines.join('\n') + '\n'
}

const footerButton = (name: string): Locator => page.getByRole('contentinfo').getByRole('button', { name, exact: true })
const dialog = (name: string): Locator => page.getByRole('dialog', { name, exact: true })
const row = (library: Locator, table: string): Locator => library.getByRole('table', { name: table }).getByRole('row', { name: DUMP, exact: true })
const cell = (r: Locator, label: string): Promise<string> => r.getByLabel(label, { exact: true }).innerText()

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'mqtts-e2e-lang-rec-'))
  dumpFile = join(scratch, `${DUMP}.jsonl`)
  await writeFile(dumpFile, mosquittoDump())
  session = await openGermanApp()
  page = session.page
}, 120_000)

afterAll(async () => {
  await session?.close()
  if (scratch) await rm(scratch, { recursive: true, force: true })
})

describe('the Recordings library in other languages', () => {
  it('imports, lists and offers a recording in German', async () => {
    await footerButton('Aufnahmen').click()
    const library = dialog('Aufnahmen')
    await library.waitFor({ timeout: 10_000 })
    expect(await library.getByText('Noch keine Aufnahmen.', { exact: true }).count()).toBe(1)
    expect(await library.getByRole('columnheader', { name: 'Nachrichten' }).count()).toBe(1)

    const importer = library.getByRole('region', { name: 'Aufnahme importieren' })
    await importer.getByLabel('Aufnahmedatei importieren').setInputFiles(dumpFile)
    await eventually(async () => expect(await importer.getByRole('status').innerText()).toBe(`„${DUMP}“ importiert: 1.200 Nachrichten auf 3 Topics.`))

    const imported = row(library, 'Aufnahmebibliothek')
    await eventually(async () => expect(await cell(imported, 'Merkmale')).toContain('importiert aus mosquitto_sub'))
    expect(await cell(imported, 'Nachrichten')).toBe('1.200')
    expect(await imported.getByRole('button', { name: `${DUMP} herunterladen` }).count()).toBe(1)

    await imported.getByRole('button', { name: `${DUMP} löschen` }).click()
    const ask = page.getByRole('alertdialog', { name: 'Aufnahme löschen?' })
    expect(await ask.innerText()).toContain(`„${DUMP}“ (1.200 Nachrichten,`)
    await ask.getByRole('button', { name: 'Abbrechen', exact: true }).click()
    await ask.waitFor({ state: 'detached', timeout: 10_000 })

    await imported.getByRole('button', { name: `${DUMP} wiedergeben` }).click()
    const replay = dialog(`${DUMP} wiedergeben`)
    await replay.waitFor({ timeout: 10_000 })
    expect(await replay.getByRole('checkbox', { name: 'So schnell wie möglich' }).count()).toBe(1)
    expect(await replay.getByRole('group', { name: 'Umschreibregel 1' }).count()).toBe(1)
    expect(await replay.getByRole('button', { name: 'Probelauf' }).count()).toBe(1)
    expect(await replay.getByRole('button', { name: 'Wiedergabe starten' }).count()).toBe(1)
    await replay.getByRole('button', { name: 'Schließen', exact: true }).click()
    await replay.waitFor({ state: 'detached', timeout: 10_000 })
    expectNoBrowserErrors(session.browser.errors)
  }, 60_000)

  it('speaks Chinese after switching the language in Settings', async () => {
    await footerButton('Einstellungen').click()
    await page.locator('#setting-language').selectOption('zh-CN')
    const settings = dialog('设置')
    await settings.waitFor({ timeout: 10_000 })
    await settings.getByRole('button', { name: '关闭对话框' }).click()
    await settings.waitFor({ state: 'detached', timeout: 10_000 })

    await footerButton('录制').click()
    const library = dialog('录制')
    await library.waitFor({ timeout: 10_000 })
    const listed = row(library, '录制库')
    await eventually(async () => expect(await cell(listed, '标记')).toContain('从 mosquitto_sub 导入'))
    expect(await cell(listed, '消息')).toBe('1,200')
    expect(await library.getByRole('columnheader', { name: '时长' }).count()).toBe(1)

    await listed.getByRole('button', { name: `导出 ${DUMP}` }).click()
    const exporter = library.getByRole('form', { name: `导出 ${DUMP}` })
    expect(await exporter.getByRole('button', { name: '导出所选内容' }).count()).toBe(1)
    await exporter.getByLabel('导出起始秒数').fill('5')
    await exporter.getByLabel('导出结束秒数').fill('1')
    await exporter.getByRole('button', { name: '导出所选内容' }).click()
    await eventually(async () => expect(await exporter.getByRole('alert').innerText()).toBe('“到”早于“从”：不会导出任何内容。'))

    await listed.getByRole('button', { name: `回放 ${DUMP}` }).click()
    const replay = dialog(`回放 ${DUMP}`)
    await replay.waitFor({ timeout: 10_000 })
    expect(await replay.getByRole('button', { name: '试运行' }).count()).toBe(1)
    expect(await replay.getByRole('button', { name: '开始回放' }).count()).toBe(1)
    expectNoBrowserErrors(session.browser.errors)
  }, 60_000)
})
