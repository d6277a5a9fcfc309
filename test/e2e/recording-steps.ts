/** Steps the recording e2e suites share: the Recordings library dialog and its rows. */
import type { Locator, Page } from 'playwright-core'

export function libraryDialog(page: Page): Locator {
  return page.getByRole('dialog', { name: 'Recordings' })
}

export function libraryRow(page: Page, name: string): Locator {
  return libraryDialog(page).getByRole('table', { name: 'Recordings library' }).getByRole('row', { name, exact: true })
}

/** Opens the library from the footer, unless it is open already. */
export async function openLibrary(page: Page): Promise<void> {
  if ((await libraryDialog(page).count()) === 0) await page.getByRole('contentinfo').getByRole('button', { name: 'Recordings', exact: true }).click()
  await libraryDialog(page).waitFor({ timeout: 10_000 })
}

export async function closeLibrary(page: Page): Promise<void> {
  if ((await libraryDialog(page).count()) === 0) return
  await libraryDialog(page).getByRole('button', { name: 'Close dialog' }).click()
  await libraryDialog(page).waitFor({ state: 'detached', timeout: 10_000 })
}
