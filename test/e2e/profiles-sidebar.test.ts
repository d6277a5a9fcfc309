/**
 * The sidebar with many profiles, end to end in browser mode: profiles in folders (set in the
 * editor, suggested from the folders in use), a search over names, addresses and folders, a
 * folder closed and a compact layout, both kept by the backend after a reload (the page stores
 * nothing itself).
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Locator, Page } from 'playwright-core'
import { openAppSession, type AppSession } from '../fixtures/app-session'
import { eventually, expectNoBrowserErrors, profileItem } from './ui-steps'

let session: AppSession
let page: Page

const sidebar = (): Locator => page.getByRole('navigation', { name: 'Connection profiles' })
const folder = (name: string): Locator => sidebar().getByRole('button', { name: new RegExp(`^Folder ${name}, `) })
const shownNames = async (): Promise<string[]> => sidebar().getByRole('listitem').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''))

async function createInFolder(name: string, url: string, group: string): Promise<void> {
  await page.getByRole('button', { name: 'New', exact: true }).click()
  const dialog = page.getByRole('dialog', { name: 'New profile' })
  await dialog.getByLabel('Name', { exact: true }).fill(name)
  await dialog.getByLabel('Broker URL').fill(url)
  await dialog.getByLabel('Folder', { exact: true }).fill(group)
  await dialog.getByRole('button', { name: 'Save', exact: true }).click()
  await dialog.waitFor({ state: 'detached', timeout: 10_000 })
}

beforeAll(async () => {
  session = await openAppSession({ viewport: { width: 1280, height: 720 } })
  page = session.page
  await profileItem(page, 'Sandbox').waitFor({ timeout: 20_000 })
}, 60_000)

afterAll(async () => {
  await session?.close()
})

describe('profiles at scale', () => {
  it('lists profiles in folders, and the editor suggests the folders in use', async () => {
    await createInFolder('Plant A', 'mqtts://a.plant.example:8883', 'Factories')
    await createInFolder('Plant B', 'mqtts://b.plant.example:8883', 'Factories')
    await createInFolder('Home lab', 'mqtt://home.lan:1883', 'Labs')
    await eventually(async () => expect(await shownNames()).toEqual(['Sandbox', 'Plant A', 'Plant B', 'Home lab']))
    expect(await folder('Factories').getAttribute('aria-label')).toBe('Folder Factories, 2 profiles')
    expect(await folder('Labs').getAttribute('aria-label')).toBe('Folder Labs, 1 profile')

    await page.getByRole('button', { name: 'New', exact: true }).click()
    const dialog = page.getByRole('dialog', { name: 'New profile' })
    const suggested = await dialog.locator('datalist#profile-folders option').evaluateAll((els) => els.map((e) => (e as HTMLOptionElement).value))
    expect(suggested).toEqual(['Factories', 'Labs'])
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    expectNoBrowserErrors(session.browser.errors)
  }, 60_000)

  it('searches names, addresses and folders, and says when nothing matches', async () => {
    const search = sidebar().getByRole('searchbox', { name: 'Search profiles' })
    await search.fill('plant b')
    await eventually(async () => expect(await shownNames()).toEqual(['Plant B']))
    await search.fill('home.lan')
    await eventually(async () => expect(await shownNames()).toEqual(['Home lab']))
    await search.fill('labs')
    await eventually(async () => expect(await shownNames()).toEqual(['Home lab']))
    await search.fill('no such broker')
    await eventually(async () => expect(await sidebar().getByRole('status').innerText()).toBe('No profile matches “no such broker”.'))
    expect(await shownNames()).toEqual([])
    await search.press('Escape')
    await eventually(async () => expect(await shownNames()).toHaveLength(4))
  }, 60_000)

  it('closes a folder and goes compact, and both are kept after a reload', async () => {
    await folder('Factories').click()
    await eventually(async () => expect(await shownNames()).toEqual(['Sandbox', 'Home lab']))
    expect(await folder('Factories').getAttribute('aria-expanded')).toBe('false')
    // A search still finds what a closed folder holds.
    await sidebar().getByRole('searchbox', { name: 'Search profiles' }).fill('a.plant')
    await eventually(async () => expect(await shownNames()).toEqual(['Plant A']))
    await sidebar().getByRole('searchbox', { name: 'Search profiles' }).fill('')

    const compact = sidebar().getByRole('button', { name: 'Compact list' })
    await compact.click()
    await eventually(async () => expect(await compact.getAttribute('aria-pressed')).toBe('true'))
    // One line a profile: the address is not shown, Connect still is.
    const home = profileItem(page, 'Home lab')
    expect(await home.locator('.addr').isVisible()).toBe(false)
    expect(await home.getByRole('button', { name: 'Connect Home lab' }).isVisible()).toBe(true)

    await eventually(async () => {
      const saved = JSON.parse(await readFile(join(session.app.dataDir, 'settings.json'), 'utf8')) as { layout?: { compactProfiles?: boolean; closedFolders?: string[] } }
      expect(saved.layout).toMatchObject({ compactProfiles: true, closedFolders: ['Factories'] })
    })
    await page.reload({ waitUntil: 'load' })
    await eventually(async () => expect(await shownNames()).toEqual(['Sandbox', 'Home lab']))
    await eventually(async () => expect(await sidebar().getByRole('button', { name: 'Compact list' }).getAttribute('aria-pressed')).toBe('true'))
    expect(await page.evaluate(() => localStorage.length + sessionStorage.length)).toBe(0)
    expectNoBrowserErrors(session.browser.errors)
  }, 60_000)
})
