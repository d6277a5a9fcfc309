/**
 * The window's panes end to end in browser mode, on the Sandbox's demo feed: at 1024×640,
 * 1280×720 and 1920×1080 no pane, toolbar control, heading, payload view or header button overlaps
 * another, the hex view of a small frame needs no sideways scrolling, and the tree toolbar is one
 * row at 1280 px; the panes resize by pointer drag and by keys, collapse, the details take the full
 * width, and every size comes back after a reload (kept by the backend, not in the page).
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Locator, Page } from 'playwright-core'
import { openAppSession, type AppSession } from '../fixtures/app-session'
import { connect, connectionPanel, eventually, expectNoBrowserErrors, selectTopic } from './ui-steps'
import { findOverlaps, topSpread, visibleBoxes } from './layout-boxes'
import { chooseLanguage } from './language-steps'
import { en, type Messages } from '../../renderer/src/lib/i18n/en'
import { de } from '../../renderer/src/lib/i18n/de'
import { zhCN } from '../../renderer/src/lib/i18n/zh-CN'

const PROFILE = 'Sandbox'
/** A small binary frame the feed repeats, so the details show a hex view and a history. */
const TOPIC = 'sandbox/series/float32le'

let session: AppSession
let page: Page

const panel = (): Locator => connectionPanel(page, PROFILE)
const detail = (): Locator => panel().getByRole('complementary', { name: 'Selected topic' })
const separator = (label: string): Locator => page.getByRole('separator', { name: `Resize ${label}` })
const valueNow = async (label: string): Promise<number> => Number(await separator(label).getAttribute('aria-valuenow'))
const widthOf = async (selector: string): Promise<number> => page.locator(selector).first().evaluate((el) => Math.round(el.getBoundingClientRect().width))

/** The names the selectors below need, in the language on screen. */
interface LayoutWords {
  toolbar: string
  payload: string
  history: string
  hex: string
}
const wordsOf = (m: Messages): LayoutWords => ({ toolbar: m.tree.toolbar.label, payload: m.inspector.payload, history: m.tree.history.region, hex: m.inspector.hex.region })

const toolbarControls = (w: LayoutWords): string => {
  const toolbar = `[role="toolbar"][aria-label="${w.toolbar}"]`
  return `${toolbar} > .filter > *, ${toolbar} > select, ${toolbar} > button, ${toolbar} > .more > button`
}
/** The elements that must not overlap one another (none of them holds another). */
const laidOut = (w: LayoutWords): Record<string, string> => ({
  'profiles pane': '#pane-profiles',
  'side panel': '.panel > .body > .side',
  splitter: '.pane-splitter',
  'header item': '.panel > header.head > :not(.spacer)',
  'view tab': '.views > .tabs [role="tab"]',
  'toolbar control': toolbarControls(w),
  tree: '.topic-tree [role="tree"]',
  'tree totals': '.topic-tree footer.foot',
  'detail header item': 'aside.detail > .head > *',
  'topic path': 'aside.detail > .path',
  'detail action': 'aside.detail > .actions > button',
  'message details': 'aside.detail > .meta',
  'payload view': `aside.detail .inspector[aria-label="${w.payload}"]`,
  'history heading': `section[aria-label="${w.history}"] > h3`,
  'history list': `section[aria-label="${w.history}"] > ol`,
})

/** No overlaps at this size, nothing scrolls sideways, and at 1280 px and wider the tree toolbar is one row. */
async function expectCleanLayout(width: number, height: number, words: LayoutWords, shot: string): Promise<void> {
  await page.setViewportSize({ width, height })
  await page.screenshot({ path: `/tmp/mqtts-e2e-panes-${shot}.png` })
  // The resize observers need a frame or two: measure until the layout has settled.
  await eventually(async () => {
    const boxes = await visibleBoxes(page, laidOut(words))
    const names = boxes.map((b) => b.name)
    for (const name of ['profiles pane', 'side panel', 'tree', 'payload view', 'history heading', 'toolbar control #1']) expect(names, `${name} in ${names.join(', ')}`).toContain(name)
    expect(findOverlaps(boxes)).toEqual([])
  }, 10_000)
  // The hex view of a small frame fits its pane: no sideways scrolling there or in the details.
  // The details pane by its element: its accessible name is in the language on screen.
  const details = panel().locator('aside.detail')
  expect(await details.getByRole('region', { name: words.hex }).evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(1)
  expect(await details.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(1)
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0)
  if (width >= 1280) {
    const controls = await visibleBoxes(page, { control: toolbarControls(words) })
    expect(controls.length).toBeGreaterThanOrEqual(6)
    expect(topSpread(controls), JSON.stringify(controls)).toBeLessThanOrEqual(4)
  }
  expectNoBrowserErrors(session.browser.errors)
}

beforeAll(async () => {
  session = await openAppSession({ viewport: { width: 1280, height: 720 } })
  page = session.page
  await connect(page, PROFILE)
  await eventually(async () => expect(await panel().getByRole('status').first().innerText()).toMatch(/Connected/), 30_000)
  await selectTopic(page, PROFILE, TOPIC)
  await detail().getByRole('group', { name: 'Decode as' }).getByRole('button', { name: 'Hex', exact: true }).click()
  await detail().getByRole('region', { name: 'Payload as hex' }).waitFor({ timeout: 20_000 })
  await detail().getByRole('region', { name: 'Message history' }).waitFor({ timeout: 30_000 })
}, 120_000)

afterAll(async () => {
  await session?.close()
})

describe('the window layout at the sizes people use', () => {
  for (const [width, height] of [[1024, 640], [1280, 720], [1920, 1080]] as const) {
    it(`lays out every pane without overlaps at ${width}×${height}`, async () => {
      await expectCleanLayout(width, height, wordsOf(en), `${width}x${height}`)
    }, 60_000)
  }
})

describe('the window layout in the longer words of other languages', () => {
  it('lays out every pane without overlaps in German and Chinese at 1024×640 and 1280×720, the toolbar one row', async () => {
    try {
      for (const [locale, messages] of [['de', de], ['zh-CN', zhCN]] as const) {
        await chooseLanguage(page, locale)
        for (const [width, height] of [[1024, 640], [1280, 720]] as const) await expectCleanLayout(width, height, wordsOf(messages), `${locale}-${width}x${height}`)
      }
    } finally {
      await chooseLanguage(page, 'system')
    }
  }, 120_000)
})

describe('resizing and collapsing the panes', () => {
  it('resizes by pointer drag and by keys, collapses, maximises the details, and keeps it all after a reload', async () => {
    await page.setViewportSize({ width: 1280, height: 720 })
    // Drag the profiles splitter 60 px to the right.
    const before = await valueNow('profiles')
    const handle = await separator('profiles').boundingBox()
    if (!handle) throw new Error('the profiles splitter has no box')
    await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2)
    await page.mouse.down()
    await page.mouse.move(handle.x + handle.width / 2 + 30, handle.y + handle.height / 2, { steps: 3 })
    await page.mouse.move(handle.x + handle.width / 2 + 60, handle.y + handle.height / 2, { steps: 3 })
    await page.mouse.up()
    await eventually(async () => expect(await valueNow('profiles')).toBe(before + 60))
    expect(await widthOf('#pane-profiles')).toBe(before + 60)

    // Keys on the side panel's splitter: two steps narrower, then End and Home.
    const side = separator('subscriptions and publish')
    const sideBefore = await valueNow('subscriptions and publish')
    await side.focus()
    await page.keyboard.press('ArrowLeft')
    await page.keyboard.press('ArrowLeft')
    await eventually(async () => expect(await valueNow('subscriptions and publish')).toBe(sideBefore - 32))
    await page.keyboard.press('Home')
    await eventually(async () => expect(await valueNow('subscriptions and publish')).toBe(Number(await side.getAttribute('aria-valuemin'))))
    await page.keyboard.press('End')
    await eventually(async () => expect(await valueNow('subscriptions and publish')).toBe(Number(await side.getAttribute('aria-valuemax'))))
    await page.keyboard.press('Home')
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight')
    const sideMin = Number(await side.getAttribute('aria-valuemin'))
    await eventually(async () => expect(await valueNow('subscriptions and publish')).toBe(sideMin + 48))
    expect(await widthOf('.panel > .body > .side')).toBe(sideMin + 48)

    // Enter collapses the details and brings them back; the button does the same.
    const details = separator('topic details')
    await details.focus()
    await page.keyboard.press('Enter')
    await eventually(async () => expect(await detail().isVisible()).toBe(false))
    expect(await details.getAttribute('aria-valuetext')).toBe('topic details collapsed')
    await page.getByRole('button', { name: 'Show topic details' }).click()
    await eventually(async () => expect(await detail().isVisible()).toBe(true))

    // Maximised, the details take the tree's width too.
    const maximise = detail().getByRole('button', { name: 'Maximise topic details' })
    await maximise.click()
    await eventually(async () => expect(await panel().getByRole('tree').isVisible()).toBe(false))
    const viewsWidth = await widthOf('.topic-tree .split')
    expect(await widthOf('aside.detail')).toBe(viewsWidth)
    await maximise.click()
    await eventually(async () => expect(await panel().getByRole('tree').isVisible()).toBe(true))

    // The profiles pane collapses by its button, and comes back.
    await page.getByRole('button', { name: 'Collapse profiles' }).click()
    await eventually(async () => expect(await page.locator('#pane-profiles').isVisible()).toBe(false))
    await page.getByRole('button', { name: 'Show profiles' }).click()
    await eventually(async () => expect(await page.locator('#pane-profiles').isVisible()).toBe(true))

    await eventually(async () => {
      const saved = JSON.parse(await readFile(join(session.app.dataDir, 'settings.json'), 'utf8')) as { layout?: Record<string, unknown> }
      expect(saved.layout).toMatchObject({ profilesWidth: before + 60, profilesCollapsed: false, sidePanelWidth: sideMin + 48, detailCollapsed: false, detailMaximized: false })
    })
    await page.reload({ waitUntil: 'load' })
    await eventually(async () => expect(await valueNow('profiles')).toBe(before + 60))
    expect(await widthOf('#pane-profiles')).toBe(before + 60)
    await eventually(async () => expect(await valueNow('subscriptions and publish')).toBe(sideMin + 48), 30_000)
    expect(await page.evaluate(() => localStorage.length + sessionStorage.length)).toBe(0)
    expectNoBrowserErrors(session.browser.errors)
  }, 90_000)
})
