/**
 * Decoder rules and schema files end to end in browser mode (built app, Debian chromium, real
 * mosquitto): rules added in the profile editor are checked (wildcards, a Protobuf rule needs
 * its type), reordered (first match wins), saved with the profile and still there after a reload,
 * and reach the main side's inspector (a Protobuf rule decodes bytes made by `protoc --encode`
 * with the imported `.proto`); schema files are imported through their dialog with their types
 * listed, a taken name asks before replacing, and a topic carrying a `.proto` offers it for import.
 */
import { execFileSync } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import mqtt, { type MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Locator, Page } from 'playwright-core'
import { openAppSession, type AppSession } from '../fixtures/app-session'
import { startMosquitto, type MosquittoBroker } from '../fixtures/mosquitto'
import { connect, connectionPanel, createProfile, eventually, expectNoBrowserErrors } from './ui-steps'

const PROFILE = 'Rules broker'
let broker: MosquittoBroker
let session: AppSession
let page: Page
let publisher: MqttClient
let files: string

const editor = () => page.getByRole('dialog', { name: `Edit profile: ${PROFILE}` })
const rule = (n: number) => editor().getByRole('group', { name: `Decoder rule ${n}` })

async function openEditor(): Promise<Locator> {
  await page.getByRole('button', { name: `Edit ${PROFILE}`, exact: true }).click()
  await editor().waitFor()
  return editor()
}

/** Each rule row as "filter → decoder label". */
async function ruleRows(): Promise<string[]> {
  const rows = editor().getByRole('list', { name: 'Decoder rules, first match wins' }).getByRole('group')
  const out: string[] = []
  for (let i = 0; i < (await rows.count()); i++) {
    const row = rows.nth(i)
    const decoder = await row.getByRole('combobox', { name: 'Decoder', exact: true }).evaluate((el) => (el as HTMLSelectElement).selectedOptions[0]?.textContent ?? '')
    out.push(`${await row.getByLabel('Topic filter').inputValue()} → ${decoder}`)
  }
  return out
}

beforeAll(async () => {
  files = await mkdtemp(join(tmpdir(), 'mqtts-rules-'))
  broker = await startMosquitto({ listeners: [{}], extra: ['sys_interval 600'] })
  publisher = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, { clientId: 'e2e-rules-publisher', protocolVersion: 5 })
  session = await openAppSession({ viewport: { width: 1366, height: 900 } })
  page = session.page
  await createProfile(page, { name: PROFILE, brokerUrl: `mqtt://127.0.0.1:${broker.port}` })
}, 120_000)

afterAll(async () => {
  await publisher?.endAsync()
  await session?.close()
  await broker?.stop()
  if (files) await rm(files, { recursive: true, force: true })
})

describe('decoder rules and schema files in browser mode', () => {
  it('checks, reorders and saves rules with the profile; they are there after a reload', async () => {
    const dialog = await openEditor()
    expect(await dialog.innerText()).toContain('The first matching rule wins')
    await dialog.getByRole('button', { name: 'Add rule' }).click()
    await rule(1).getByLabel('Topic filter').fill('lab/#/cbor')
    await rule(1).getByRole('combobox', { name: 'Decoder', exact: true }).selectOption('cbor')
    await dialog.getByRole('button', { name: 'Add rule' }).click()
    await rule(2).getByLabel('Topic filter').fill('lab/proto/#')
    await rule(2).getByRole('combobox', { name: 'Decoder', exact: true }).selectOption('protobuf')
    expect(await rule(2).getByRole('combobox', { name: 'Message type', exact: true }).count()).toBe(1)

    // Save refuses, and says why in words a user can act on.
    await dialog.getByRole('button', { name: 'Save', exact: true }).click()
    const summary = dialog.getByRole('alert').filter({ hasText: 'Fix these before saving' })
    await eventually(async () => expect(await summary.innerText()).toContain('Rule 1: # must be the last level of a filter (lab/#/cbor has levels after it).'))
    expect(await summary.innerText()).toContain('Rule 2: pick the Protobuf message type')

    await rule(1).getByLabel('Topic filter').fill('lab/+/cbor')
    await rule(2).getByRole('combobox', { name: 'Decoder', exact: true }).selectOption('protobuf-raw')
    await dialog.getByRole('button', { name: 'Add rule' }).click()
    await rule(3).getByLabel('Topic filter').fill('lab/special/cbor')
    await rule(3).getByRole('combobox', { name: 'Decoder', exact: true }).selectOption('text')
    // The most specific rule goes first: it would never match below lab/+/cbor.
    await rule(3).getByRole('button', { name: 'Move rule 3 up' }).click()
    await rule(2).getByRole('button', { name: 'Move rule 2 up' }).click()
    expect(await ruleRows()).toEqual(['lab/special/cbor → Text (UTF-8)', 'lab/+/cbor → CBOR', 'lab/proto/# → Protobuf, raw (no schema)'])
    await dialog.getByRole('button', { name: 'Save', exact: true }).click()
    await dialog.waitFor({ state: 'detached', timeout: 10_000 })

    await page.reload({ waitUntil: 'load' })
    await openEditor()
    expect(await ruleRows()).toEqual(['lab/special/cbor → Text (UTF-8)', 'lab/+/cbor → CBOR', 'lab/proto/# → Protobuf, raw (no schema)'])
    // Remove one and save: gone after a reload too.
    await rule(3).getByRole('button', { name: 'Remove rule 3' }).click()
    await editor().getByRole('button', { name: 'Save', exact: true }).click()
    await editor().waitFor({ state: 'detached', timeout: 10_000 })
    await page.reload({ waitUntil: 'load' })
    await openEditor()
    expect(await ruleRows()).toEqual(['lab/special/cbor → Text (UTF-8)', 'lab/+/cbor → CBOR'])
    await editor().getByRole('button', { name: 'Cancel' }).click()
    expectNoBrowserErrors(session.browser.errors)
  }, 90_000)

  it('refuses a file whose name is not a schema file’s, with a sentence, from the rules’ Schema files dialog', async () => {
    const dialog = await openEditor()
    await dialog.getByRole('button', { name: 'Schema files…' }).click()
    const schemas = page.getByRole('dialog', { name: 'Schema files' })
    await schemas.waitFor()
    const bad = join(files, 'notes.txt')
    await writeFile(bad, 'syntax = "proto3";')
    await schemas.getByLabel('Import schema files').setInputFiles(bad)
    await eventually(async () => expect(await schemas.getByRole('alert').innerText()).toContain('notes.txt: a schema file name ends in .proto or .avsc'))
    await schemas.getByRole('button', { name: 'Close', exact: true }).click()
    await schemas.waitFor({ state: 'detached' })
    await editor().getByRole('button', { name: 'Cancel' }).click()
  }, 60_000)

  it('imports several schema files at once, lists what each says, asks before replacing one, and deletes', async () => {
    const dialog = await openEditor()
    await dialog.getByRole('button', { name: 'Schema files…' }).click()
    const schemas = page.getByRole('dialog', { name: 'Schema files' })
    await schemas.waitFor()
    // It imports a file not imported yet: kept, with the problem listed, until that file comes.
    const waiting = join(files, 'plant.proto')
    await writeFile(waiting, 'syntax = "proto3";\nimport "units.proto";\npackage plant;\nmessage Telemetry { units.Reading reading = 1; }\n')
    const bad = join(files, 'bad name.proto')
    await writeFile(bad, 'syntax = "proto3";')
    await schemas.getByLabel('Import schema files').setInputFiles([waiting, bad])
    const list = schemas.getByRole('list', { name: 'Imported schema files' })
    await eventually(async () => expect(await list.getByRole('listitem', { name: 'plant.proto' }).count()).toBe(1))
    expect(await list.getByRole('listitem', { name: 'plant.proto' }).getByRole('note').innerText()).toMatch(/^Does not compile: /)
    expect(await schemas.getByRole('alert').innerText()).toContain('bad name.proto: a schema file name ends in .proto or .avsc')

    // The same name again: asked first; Cancel keeps the old file, Replace takes the new one.
    await schemas.getByLabel('Import schema files').setInputFiles(waiting)
    const confirm = page.getByRole('alertdialog', { name: 'Replace schema file' })
    await confirm.waitFor()
    expect(await confirm.innerText()).toContain('A schema file named plant.proto is already imported. Replace it?')
    await confirm.getByRole('button', { name: 'Cancel' }).click()
    await confirm.waitFor({ state: 'detached' })
    await schemas.getByLabel('Import schema files').setInputFiles(waiting)
    await confirm.waitFor()
    await confirm.getByRole('button', { name: 'Replace' }).click()
    await confirm.waitFor({ state: 'detached' })
    await eventually(async () => expect(await schemas.getByRole('status').innerText()).toContain('plant.proto'))

    // Kept on the main side: the list comes back after a reload.
    await schemas.getByRole('button', { name: 'Close', exact: true }).click()
    await editor().getByRole('button', { name: 'Cancel' }).click()
    await page.reload({ waitUntil: 'load' })
    await (await openEditor()).getByRole('button', { name: 'Schema files…' }).click()
    await eventually(async () => expect(await list.getByRole('listitem', { name: 'plant.proto' }).count()).toBe(1))
    await list.getByRole('button', { name: 'Delete plant.proto' }).click()
    await eventually(async () => expect(await list.getByRole('listitem').count()).toBe(0))
    expect(await schemas.innerText()).toContain('No schema files yet.')
    await schemas.getByRole('button', { name: 'Close', exact: true }).click()
    await editor().getByRole('button', { name: 'Cancel' }).click()
  }, 90_000)

  it('lists a .proto’s types for rules; a rule with its type decodes the topic’s protoc-made bytes', async () => {
    const proto = join(files, 'meter.proto')
    await writeFile(proto, 'syntax = "proto3";\npackage meter;\nmessage Reading { double value = 1; string unit = 2; }\nmessage Status { bool ok = 1; }\n')
    const bytes = execFileSync('protoc', ['--encode=meter.Reading', `-I${files}`, proto], { input: 'value: 21.5 unit: "kWh"' })
    const dialog = await openEditor()
    await dialog.getByRole('button', { name: 'Schema files…' }).click()
    const schemas = page.getByRole('dialog', { name: 'Schema files' })
    await schemas.getByLabel('Import schema files').setInputFiles(proto)
    await eventually(async () => expect(await schemas.getByRole('list', { name: 'Types in meter.proto' }).getByRole('listitem').allInnerTexts()).toEqual(['meter.Reading', 'meter.Status']))
    await schemas.getByRole('button', { name: 'Close', exact: true }).click()
    await schemas.waitFor({ state: 'detached' })

    // The type picker offers what the file defines; the rule goes first (first match wins).
    await dialog.getByRole('button', { name: 'Add rule' }).click()
    const added = rule(3)
    await added.getByLabel('Topic filter').fill('lab/+/meter')
    await added.getByRole('combobox', { name: 'Decoder', exact: true }).selectOption('protobuf')
    const types = added.getByRole('combobox', { name: 'Message type', exact: true })
    expect(await types.locator('option:not([disabled])').allInnerTexts()).toEqual(['meter.Reading', 'meter.Status'])
    await types.selectOption('meter.Reading')
    await added.getByRole('button', { name: 'Move rule 3 up' }).click()
    await rule(2).getByRole('button', { name: 'Move rule 2 up' }).click()
    await dialog.getByRole('button', { name: 'Save', exact: true }).click()
    await dialog.waitFor({ state: 'detached', timeout: 10_000 })

    await connect(page, PROFILE)
    const panel = connectionPanel(page, PROFILE)
    await eventually(async () => expect(await panel.getByRole('tree').getByRole('treeitem').count()).toBeGreaterThan(0))
    await new Promise<void>((resolve, reject) => publisher.publish('lab/hall/meter', bytes, { qos: 1 }, (err) => (err ? reject(err) : resolve())))
    await panel.getByLabel('Filter topics').fill('lab/hall/meter')
    const item = panel.getByRole('tree').getByRole('treeitem', { name: /^meter(,|$)/ })
    await eventually(async () => expect(await item.count()).toBe(1))
    await item.click()
    const detail = panel.getByRole('complementary', { name: 'Selected topic' })
    const shown = detail.getByRole('group', { name: 'Copy or save the shown message' })
    await eventually(async () => expect(await shown.count()).toBe(1))
    // The decoded document is the rule's: field names from the .proto, not raw field numbers.
    const [file] = await Promise.all([page.waitForEvent('download'), shown.getByRole('button', { name: 'Save decoded' }).click()])
    expect(JSON.parse(await readFile((await file.path())!, 'utf8'))).toEqual({ value: 21.5, unit: 'kWh' })
    await panel.getByLabel('Filter topics').fill('')
    expectNoBrowserErrors(session.browser.errors)
  }, 90_000)

  it('offers a topic’s .proto payload as a schema and imports it with its types', async () => {
    const panel = connectionPanel(page, PROFILE)
    const proto = 'syntax = "proto3";\npackage lab;\nmessage Reading { double value = 1; string unit = 2; }\n'
    await new Promise<void>((resolve, reject) => publisher.publish('lab/schemas/reading.proto', proto, { qos: 1, retain: true }, (err) => (err ? reject(err) : resolve())))
    await panel.getByLabel('Filter topics').fill('reading.proto')
    const item = panel.getByRole('tree').getByRole('treeitem', { name: /^reading\.proto(,|$)/ })
    await eventually(async () => expect(await item.count()).toBe(1))
    await item.click()
    const detail = panel.getByRole('complementary', { name: 'Selected topic' })
    const offer = detail.getByRole('button', { name: 'Import reading.proto as a schema' })
    await eventually(async () => expect(await offer.count()).toBe(1))
    await offer.click()
    await eventually(async () => expect(await detail.getByRole('status').filter({ hasText: 'reading.proto' }).innerText()).toBe('Imported reading.proto: 1 type'))
    await detail.getByRole('button', { name: 'Schemas…' }).click()
    const schemas = page.getByRole('dialog', { name: 'Schema files' })
    await eventually(async () => expect(await schemas.getByRole('list', { name: 'Types in reading.proto' }).innerText()).toBe('lab.Reading'))
    await schemas.getByRole('button', { name: 'Close', exact: true }).click()
    expectNoBrowserErrors(session.browser.errors)
  }, 60_000)
})
