/**
 * The README's screenshots, taken from the running app rather than drawn: browser mode on a
 * fresh data folder, the built-in Sandbox connected, a JSON topic selected in the inspector, and
 * the TLS inspector open, each in the light and the dark theme (the OS preference the default
 * 'system' theme follows is emulated, so nothing is written to the settings).
 *
 * `npm run screenshots` writes them to docs/screenshots/; the e2e test
 * (test/e2e/readme-screenshots.test.ts) runs the same function into a temp folder.
 */
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { openAppSession } from '../fixtures/app-session'
import { connect, connectionPanel, selectTopic } from '../e2e/ui-steps'

export const SCREENSHOT_VIEWPORT = { width: 1440, height: 900 }
/** The topic shown in the inspector: a JSON object with a few numbers, refreshed every tick. */
const INSPECTED_TOPIC = 'sandbox/series/climate'

export interface Screenshot {
  name: string
  theme: 'light' | 'dark'
  path: string
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`screenshots: ${what} did not happen within ${timeoutMs / 1000} s`)
    await new Promise((r) => setTimeout(r, 200))
  }
}

/** Selects the topic, then shows its siblings with the selection kept and no focus ring on the filter. */
async function selectForPicture(page: Page, path: string): Promise<void> {
  await selectTopic(page, 'Sandbox', path)
  await connectionPanel(page, 'Sandbox').getByLabel('Filter topics').fill(path.split('/')[0])
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
}

/** Takes every README screenshot into `outDir` and returns what it wrote. */
export async function takeReadmeScreenshots(outDir: string): Promise<Screenshot[]> {
  await mkdir(outDir, { recursive: true })
  const session = await openAppSession({ viewport: SCREENSHOT_VIEWPORT })
  const { page } = session
  const shots: Screenshot[] = []
  const shoot = async (name: string, theme: 'light' | 'dark') => {
    await page.emulateMedia({ colorScheme: theme })
    await until(async () => (await page.evaluate(() => document.documentElement.dataset.theme)) === theme, `the ${theme} theme`)
    // Let the tree's and the inspector's next frames land in the new colours.
    await page.waitForTimeout(400)
    const path = join(outDir, `${name}-${theme}.png`)
    await page.screenshot({ path })
    shots.push({ name, theme, path })
  }
  try {
    await connect(page, 'Sandbox')
    const panel = connectionPanel(page, 'Sandbox')
    await until(async () => /Connected/.test(await panel.getByRole('status').first().innerText()), 'connecting to the Sandbox')
    await selectForPicture(page, INSPECTED_TOPIC)
    // Monaco is loaded on first use: wait until it shows the JSON, not an empty box.
    const decoded = panel.locator('.inspector[aria-label="Decoded payload"] .view-lines')
    await until(async () => (await decoded.first().innerText()).includes('temp.c'), 'the inspector showing the topic')
    await panel.getByLabel('Topic path').scrollIntoViewIfNeeded()
    for (const theme of ['light', 'dark'] as const) await shoot('workbench', theme)
    await panel.getByRole('button', { name: /^TLS/ }).click()
    await until(async () => (await page.getByRole('region', { name: 'TLS inspector for Sandbox' }).count()) === 1, 'the TLS inspector opening')
    for (const theme of ['light', 'dark'] as const) await shoot('tls-inspector', theme)
    return shots
  } finally {
    await session.close()
  }
}
