/**
 * The topic tree, the selected topic's details and the profile editor in German and in
 * Simplified Chinese, end to end in browser mode under the app's real CSP: the Sandbox is
 * connected and one of its topics selected in English, then the language is switched in Settings
 * (live, no reload) and the toolbar, the tree's totals and rows, the details (buttons, message
 * facts, history) and the profile editor's sections must speak that language; back on "system"
 * (the browser's en-US) the English names return, which the other e2e tests rely on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Locator, Page } from 'playwright-core'
import { openAppSession, type AppSession } from '../fixtures/app-session'
import { connect, connectionPanel, eventually, expectNoBrowserErrors, selectTopic } from './ui-steps'
import { chooseLanguage, watchCspViolations } from './language-steps'

const PROFILE = 'Sandbox'
const TOPIC = 'sandbox/cbor/sensor-02'

let session: AppSession
let page: Page
let violations: () => Promise<string[]>

/** What one language calls the parts this test looks at. */
interface Words {
  settings: string
  toolbar: string
  filter: string
  filterPlaceholder: string
  pause: string
  treeTab: string
  totals: string
  totalsLine: RegExp
  row: RegExp
  detail: string
  path: string
  detailButtons: string[]
  exportGroup: string
  history: string
  facts: string
  size: string
  newProfile: string
  editorTitle: string
  editorGroups: string[]
  brokerUrl: string
  identity: string
  cancel: string
}

const GERMAN: Words = {
  settings: 'Einstellungen',
  toolbar: 'Werkzeuge des Topic-Baums',
  filter: 'Topics filtern',
  filterPlaceholder: 'Topics filtern…',
  pause: 'Anhalten',
  treeTab: 'Topic-Baum',
  totals: 'Summen des Baums',
  totalsLine: /^[\d.]+ Topics · [\d.]+ Nachrichten im Baum$/,
  row: /^sensor-02, [\d.]+ Nachrichten? hier/,
  detail: 'Ausgewähltes Topic',
  path: 'Topic-Pfad',
  detailButtons: ['Topic kopieren', 'Mit vorheriger vergleichen', 'Bearbeiten und veröffentlichen', 'Topic-Details schließen'],
  exportGroup: 'Angezeigte Nachricht kopieren oder speichern',
  history: 'Nachrichtenverlauf',
  facts: 'Nachrichtendetails',
  size: 'Größe',
  newProfile: 'Neu',
  editorTitle: 'Neues Profil',
  editorGroups: ['Allgemein', 'Broker', 'Sitzung', 'Decoder-Regeln'],
  brokerUrl: 'Broker-URL',
  identity: 'Client-Identität',
  cancel: 'Abbrechen',
}

const CHINESE: Words = {
  settings: '设置',
  toolbar: '主题树工具',
  filter: '过滤主题',
  filterPlaceholder: '过滤主题…',
  pause: '暂停',
  treeTab: '主题树',
  totals: '主题树合计',
  totalsLine: /^树中共 [\d,]+ 个主题 · [\d,]+ 条消息$/,
  row: /^sensor-02, 此处 [\d,]+ 条消息/,
  detail: '所选主题',
  path: '主题路径',
  detailButtons: ['复制主题', '与上一条比较', '编辑并发布', '关闭主题详情'],
  exportGroup: '复制或保存所显示的消息',
  history: '消息历史',
  facts: '消息详情',
  size: '大小',
  newProfile: '新建',
  editorTitle: '新建配置',
  editorGroups: ['常规', '代理', '会话', '解码规则'],
  brokerUrl: '代理 URL',
  identity: '客户端身份',
  cancel: '取消',
}

const panel = (): Locator => connectionPanel(page, PROFILE)

beforeAll(async () => {
  session = await openAppSession({ viewport: { width: 1366, height: 900 } })
  page = session.page
  violations = await watchCspViolations(session)
  await connect(page, PROFILE)
  await eventually(async () => expect(await panel().getByRole('status').first().innerText()).toMatch(/Connected/), 30_000)
  await selectTopic(page, PROFILE, TOPIC)
}, 120_000)

afterAll(async () => {
  await session?.close()
})

async function expectTreeIn(words: Words): Promise<void> {
  const toolbar = panel().getByRole('toolbar', { name: words.toolbar, exact: true })
  await toolbar.waitFor({ timeout: 10_000 })
  expect(await toolbar.getByRole('button', { name: words.pause, exact: true }).count()).toBe(1)
  expect(await toolbar.getByLabel(words.filter, { exact: true }).getAttribute('placeholder')).toBe(words.filterPlaceholder)
  expect(await panel().getByRole('tab', { name: words.treeTab, exact: true }).getAttribute('aria-selected')).toBe('true')
  await eventually(async () => expect((await panel().getByLabel(words.totals, { exact: true }).innerText()).trim()).toMatch(words.totalsLine))
  // The row's label follows the next view frame after the switch: wait for it, do not read once.
  await eventually(async () => expect(await panel().getByRole('tree').getByRole('treeitem', { name: words.row }).count()).toBe(1))
}

async function expectDetailIn(words: Words): Promise<void> {
  const detail = panel().getByRole('complementary', { name: words.detail, exact: true })
  await detail.waitFor({ timeout: 10_000 })
  // The topic itself is a name: the same in every language.
  expect(await detail.getByLabel(words.path, { exact: true }).innerText()).toBe(TOPIC)
  for (const name of words.detailButtons) expect(await detail.getByRole('button', { name, exact: true }).count(), name).toBe(1)
  expect(await detail.getByRole('group', { name: words.exportGroup, exact: true }).count()).toBe(1)
  expect(await detail.getByRole('region', { name: words.history, exact: true }).count()).toBe(1)
  // textContent: the facts' names are upper-cased by CSS, which innerText would apply.
  expect(await detail.getByLabel(words.facts, { exact: true }).textContent()).toContain(words.size)
}

async function expectEditorIn(words: Words): Promise<void> {
  await page.getByRole('navigation').getByRole('button', { name: words.newProfile, exact: true }).click()
  const editor = page.getByRole('dialog', { name: words.editorTitle, exact: true })
  await editor.waitFor({ timeout: 10_000 })
  for (const name of words.editorGroups) expect(await editor.getByRole('group', { name, exact: true }).count(), name).toBe(1)
  expect(await editor.getByRole('textbox', { name: words.brokerUrl, exact: true }).count()).toBe(1)
  expect(await editor.getByRole('radiogroup', { name: words.identity, exact: true }).count()).toBe(1)
  await editor.getByRole('button', { name: words.cancel, exact: true }).click()
  await editor.waitFor({ state: 'detached', timeout: 10_000 })
}

describe('the topic tree, its details and the profile editor in other languages', () => {
  it('speak German, then Chinese, then English again, live and under the CSP', async () => {
    await chooseLanguage(page, 'de', GERMAN.settings)
    await expectTreeIn(GERMAN)
    await expectDetailIn(GERMAN)
    await expectEditorIn(GERMAN)

    await chooseLanguage(page, 'zh-CN', CHINESE.settings)
    await expectTreeIn(CHINESE)
    await expectDetailIn(CHINESE)
    await expectEditorIn(CHINESE)

    // 'system' is the browser's language here: en-US, the names the other e2e tests find.
    await chooseLanguage(page, 'system', 'Settings')
    await panel().getByRole('toolbar', { name: 'Topic tree tools', exact: true }).waitFor({ timeout: 10_000 })
    expect(await panel().getByRole('complementary', { name: 'Selected topic', exact: true }).getByRole('button', { name: 'Diff with previous', exact: true }).count()).toBe(1)
    expect((await panel().getByLabel('Tree totals', { exact: true }).innerText()).trim()).toMatch(/^[\d,]+ topics · [\d,]+ messages in the tree$/)

    expect(await violations()).toEqual([])
    expectNoBrowserErrors(session.browser.errors)
  }, 180_000)
})
