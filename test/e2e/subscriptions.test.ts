/**
 * A subscription that cannot be granted says so where the user looks: an invalid filter typed
 * into the Subscriptions panel is listed as invalid, with its code and the rule it breaks,
 * instead of "pending" forever; the connection's other subscriptions keep their granted QoS.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { openAppSession, type AppSession } from '../fixtures/app-session'
import { connect, connectionPanel, eventually, expectNoBrowserErrors } from './ui-steps'

let session: AppSession
let page: Page

beforeAll(async () => {
  session = await openAppSession()
  page = session.page
}, 90_000)

afterAll(async () => {
  await session?.close()
})

describe('the Subscriptions panel', () => {
  it('shows an invalid filter as invalid, with its code and sentence, not as pending', async () => {
    await connect(page, 'Sandbox')
    const panel = connectionPanel(page, 'Sandbox')
    await eventually(async () => expect(await panel.getByRole('status').first().innerText()).toMatch(/Connected/))
    const subs = panel.getByRole('region', { name: 'Subscriptions' })
    await subs.getByLabel('Topic filter').fill('bad/#/x')
    await subs.getByRole('button', { name: 'Subscribe', exact: true }).click()

    const item = subs.getByRole('listitem', { name: 'Subscription bad/#/x' })
    await eventually(async () => expect(await item.innerText()).toContain('MQTT_FILTER_INVALID'))
    const text = await item.innerText()
    expect(text).toMatch(/invalid/)
    expect(text).not.toMatch(/pending/)
    expect(text).toContain('# must be the last level of a filter')
    // The Sandbox's own subscriptions are still granted.
    expect(await subs.getByRole('listitem', { name: 'Subscription #' }).innerText()).toMatch(/QoS \d/)
    expectNoBrowserErrors(session.browser.errors)
  }, 90_000)
})
