/**
 * The accessibility audit: axe-core over every main screen of the app in browser mode (empty
 * start, the Sandbox connected with its tree, a topic selected in the inspector, the publish
 * panel, the TLS panel, Settings, Recordings, Certificates, the profile editor, the command
 * palette), in the dark theme, and again in the light one (every screen but the Recordings,
 * Certificates and shortcut dialogs, whose colours are the same variables, to keep the run short). No serious or critical violation is
 * allowed; a failure lists every violation of every screen, with the elements it found.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { AxeBuilder } from '@axe-core/playwright'
import { openAppSession, type AppSession } from '../fixtures/app-session'
import { connect, connectionPanel, eventually, expectNoBrowserErrors, waitForConnectionStatus } from './ui-steps'

const PROFILE = 'Sandbox'
const TOPIC = 'sandbox/gzip/report'

let session: AppSession
let page: Page

const LABEL_IN_NAME = 'label-content-name-mismatch'

interface Finding {
  screen: string
  rule: string
  impact: string
  help: string
  targets: string[]
}

/** Runs axe on the page as it is now; returns its serious and critical violations. */
async function audit(screen: string): Promise<Finding[]> {
  const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']
  const result = await new AxeBuilder({ page }).withTags(tags).disableRules([LABEL_IN_NAME]).analyze()
  // The one exception: a tree row's name is a summary that starts with its visible name ("report,
  // 12 messages here, retained"), while the row also shows a short count, a payload preview and
  // an age that are not in the name. Speech users say the name they see; everything else is judged.
  const labels = await new AxeBuilder({ page }).withRules([LABEL_IN_NAME]).exclude('[role="treeitem"]').analyze()
  const found = [...result.violations, ...labels.violations]
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ screen, rule: v.id, impact: v.impact ?? '', help: v.help, targets: v.nodes.slice(0, 40).map((n) => `${n.target.join(' ')}${n.failureSummary ? ` — ${n.failureSummary.split('\n').slice(1).join(' ').trim()}` : ''}`) }))
  // As it goes, so a run that stops on a later screen still tells what the earlier ones had.
  if (found.length) process.stderr.write(`${report(found)}\n`)
  return found
}

function report(findings: Finding[]): string {
  return findings.map((f) => `[${f.screen}] ${f.impact} ${f.rule}: ${f.help}\n    ${f.targets.join('\n    ')}`).join('\n')
}

async function dialog(name: string, open: () => Promise<void>, screen: string): Promise<Finding[]> {
  await open()
  const d = page.getByRole('dialog', { name, exact: true })
  await d.waitFor({ timeout: 15_000 })
  // Let async content (lists, vault state) arrive before judging it.
  await page.waitForTimeout(300)
  const found = await audit(screen)
  await page.keyboard.press('Escape')
  await d.waitFor({ state: 'detached', timeout: 10_000 })
  return found
}

/** Every screen in the current theme. */
async function auditAllScreens(theme: string, dialogs: 'all' | 'some'): Promise<Finding[]> {
  const found: Finding[] = []
  const panel = connectionPanel(page, PROFILE)
  found.push(...(await audit(`${theme}: connected, topic tree`)))

  await panel.getByLabel('Filter topics').fill(TOPIC)
  const row = panel.getByRole('tree').getByRole('treeitem', { name: /^report(,|$)/ })
  await eventually(async () => {
    expect(await row.count()).toBe(1)
    await row.click({ timeout: 2000 })
    expect(await panel.getByRole('complementary', { name: 'Selected topic' }).getByLabel('Topic path').innerText({ timeout: 2000 })).toBe(TOPIC)
  }, 30_000)
  await panel.locator('.monaco-editor').first().waitFor({ timeout: 30_000 })
  found.push(...(await audit(`${theme}: topic selected, inspector`)))

  const publish = panel.getByRole('region', { name: 'Publish' })
  await publish.getByLabel('Publish topic').first().fill('sandbox/a11y')
  await publish.getByRole('form', { name: 'Publish editor' }).waitFor({ timeout: 30_000 })
  await publish.scrollIntoViewIfNeeded()
  await page.waitForTimeout(300)
  found.push(...(await audit(`${theme}: publish panel`)))

  await panel.getByRole('button', { name: 'TLS', exact: true }).click()
  const tls = page.getByRole('region', { name: `TLS inspector for ${PROFILE}` })
  await tls.waitFor({ timeout: 15_000 })
  await page.waitForTimeout(300)
  found.push(...(await audit(`${theme}: TLS panel`)))
  await tls.focus()
  await page.keyboard.press('Escape')
  await tls.waitFor({ state: 'detached', timeout: 10_000 })

  found.push(...(await dialog('Settings', () => page.keyboard.press('Control+Comma'), `${theme}: Settings`)))
  if (dialogs === 'all') found.push(...(await dialog('Recordings', () => page.getByRole('button', { name: 'Recordings', exact: true }).click(), `${theme}: Recordings`)))
  if (dialogs === 'all') found.push(...(await dialog('Certificates', () => page.getByRole('button', { name: 'Certificates', exact: true }).click(), `${theme}: Certificates`)))
  found.push(...(await dialog('New profile', () => page.getByRole('button', { name: 'New', exact: true }).click(), `${theme}: profile editor`)))
  found.push(...(await dialog('Commands', () => page.keyboard.press('Control+Shift+P'), `${theme}: command palette`)))
  if (dialogs === 'all') found.push(...(await dialog('Keyboard shortcuts', async () => {
    await page.getByRole('tree').first().focus()
    await page.keyboard.press('Shift+Slash')
  }, `${theme}: shortcut sheet`)))
  await panel.getByLabel('Filter topics').fill('')
  return found
}

beforeAll(async () => {
  session = await openAppSession({ viewport: { width: 1366, height: 900 } })
  page = session.page
  await page.emulateMedia({ colorScheme: 'dark' })
}, 120_000)

afterAll(async () => {
  await session?.close()
})

describe('accessibility audit', () => {
  it('finds no serious or critical violation on any main screen, in either theme', async () => {
    await page.getByRole('button', { name: `Connect ${PROFILE}`, exact: true }).waitFor({ timeout: 15_000 })
    const found: Finding[] = [...(await audit('dark: empty start'))]
    await connect(page, PROFILE)
    await waitForConnectionStatus(page, PROFILE, 'Connected')
    await connectionPanel(page, PROFILE).getByRole('tree').getByRole('treeitem').first().waitFor({ timeout: 30_000 })
    found.push(...(await auditAllScreens('dark', 'all')))

    await page.emulateMedia({ colorScheme: 'light' })
    await eventually(async () => expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light'))
    found.push(...(await auditAllScreens('light', 'some')))

    expect(found, report(found)).toEqual([])
    expectNoBrowserErrors(session.browser.errors)
  }, 480_000)
})
