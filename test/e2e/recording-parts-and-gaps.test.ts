/**
 * The parts of the recording workflow that the main recording e2e does not reach, in browser mode
 * against a real mosquitto: the Record form's size rotation (checked on the files in the data
 * folder, not on the app's own counts), the gap mark a broker restart leaves on the offline
 * timeline, and a replay at the recorded pace showing how late its messages went out (counted
 * by a subscriber of our own).
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import mqtt, { type MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { openAppSession, type AppSession } from '../fixtures/app-session'
import { startMosquitto, type MosquittoBroker } from '../fixtures/mosquitto'
import { connect, connectionPanel, createProfile, eventually, expectNoBrowserErrors, waitForConnectionStatus } from './ui-steps'
import { closeLibrary, libraryDialog, libraryRow as rowOf, openLibrary } from './recording-steps'

const BROKER = 'Line 4 broker'
const ROTATED = 'Rotated run'
const GAPPED = 'Run with a gap'
/** The Record form's smallest size limit, 0.0625 MB. */
const LIMIT_BYTES = 64 * 1024
const MESSAGES = 240

let broker: MosquittoBroker
let session: AppSession
let page: Page
let publisher: MqttClient
let watcher: MqttClient
const copied: string[] = []

const library = () => libraryDialog(page)
const libraryTable = () => library().getByRole('table', { name: 'Recordings library' })
const libraryRow = (name: string) => rowOf(page, name)
const recorderBar = () => connectionPanel(page, BROKER).getByRole('group', { name: 'Recorder' })

function publish(topic: string, payload: string): Promise<void> {
  return new Promise((resolve, reject) => publisher.publish(topic, payload, { qos: 1 }, (err) => (err ? reject(err) : resolve())))
}



async function startRecording(name: string, filters: string, sizeMb?: string): Promise<void> {
  await recorderBar().getByRole('button', { name: 'Record', exact: true }).click()
  const form = page.getByRole('dialog', { name: `Record ${BROKER}` })
  await form.getByRole('radio', { name: 'Chosen topic filters' }).check()
  await form.getByLabel('Topic filters to record').fill(filters)
  await form.getByLabel('Recording name').fill(name)
  if (sizeMb) await form.getByLabel('Rotate after megabytes').fill(sizeMb)
  await form.getByRole('button', { name: 'Start recording' }).click()
  await form.waitFor({ state: 'detached', timeout: 10_000 })
  await recorderBar().getByRole('status', { name: 'Recording' }).waitFor({ timeout: 10_000 })
}

async function stopRecording(count: number): Promise<void> {
  await recorderBar().getByRole('button', { name: 'Stop recording' }).click()
  await eventually(async () => expect(await recorderBar().getByRole('status', { name: 'Last recording' }).innerText()).toMatch(new RegExp(`^Recorded ${count} msgs?, `)))
}

/** The file of a library row, read from the data folder (the name's tooltip is the file's name). */
async function fileOf(name: string): Promise<Buffer> {
  const stored = await libraryRow(name).getByText(name, { exact: true }).getAttribute('title')
  return readFile(join(session.app.dataDir, 'recordings', stored!))
}

beforeAll(async () => {
  broker = await startMosquitto({ listeners: [{}], extra: ['sys_interval 600'] })
  publisher = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, { clientId: 'e2e-parts-publisher', protocolVersion: 5, reconnectPeriod: 200 })
  watcher = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, { clientId: 'e2e-parts-watcher', protocolVersion: 5 })
  watcher.on('message', (topic) => copied.push(topic))
  await watcher.subscribeAsync('copied/#', { qos: 1 })
  session = await openAppSession({ viewport: { width: 1440, height: 900 } })
  page = session.page
  await createProfile(page, { name: BROKER, brokerUrl: `mqtt://127.0.0.1:${broker.port}` })
  await connect(page, BROKER)
  await waitForConnectionStatus(page, BROKER, 'Connected')
}, 120_000)

afterAll(async () => {
  await publisher?.endAsync()
  await watcher?.endAsync()
  await session?.close()
  await broker?.stop()
})

describe('rotation from the Record form', () => {
  it('cuts a recording into numbered parts, each within its size limit, every message in exactly one part, in order', async () => {
    await startRecording(ROTATED, 'rot/#', '0.0625')
    // About 1 kB a message: some 240 kB of lines, so at least four parts of 64 KiB.
    const filler = 'x'.repeat(900)
    for (let i = 0; i < MESSAGES; i++) await publish(`rot/${i % 12}`, JSON.stringify({ i, filler }))
    await eventually(async () => expect(await recorderBar().getByLabel('Recorded messages').innerText()).toBe(String(MESSAGES)))
    await stopRecording(MESSAGES)

    await openLibrary(page)
    await eventually(async () => expect(await libraryRow(ROTATED).count()).toBe(1))
    // The library's rows arrive as the list is read: wait until every part is listed, in a row.
    let parts: string[] = []
    await eventually(async () => {
      const names = (await libraryTable().getByRole('row').allInnerTexts()).map((text) => /Rotated run(?: \(part \d+\))?/.exec(text)?.[0]).filter((n): n is string => Boolean(n))
      parts = [ROTATED, ...names.filter((n) => n !== ROTATED).sort((a, b) => Number(/\d+/.exec(a)![0]) - Number(/\d+/.exec(b)![0]))]
      expect(parts.length).toBeGreaterThanOrEqual(4)
      expect(parts.slice(1)).toEqual(parts.slice(1).map((_, i) => `${ROTATED} (part ${i + 2})`))
    })

    const seen: number[] = []
    for (const part of parts) {
      const bytes = await fileOf(part)
      expect(bytes.length).toBeLessThanOrEqual(LIMIT_BYTES)
      const lines = bytes.toString('utf8').trim().split('\n').map((l) => JSON.parse(l) as { topic?: string; payload?: string })
      const messages = lines.filter((l) => l.topic !== undefined)
      expect(await libraryRow(part).getByLabel('Messages', { exact: true }).innerText()).toBe(String(messages.length))
      for (const m of messages) {
        seen.push((JSON.parse(Buffer.from(m.payload!, 'base64').toString('utf8')) as { i: number }).i)
      }
    }
    expect(seen).toEqual(Array.from({ length: MESSAGES }, (_, i) => i))
    await closeLibrary(page)
    expectNoBrowserErrors(session.browser.errors)
  }, 90_000)
})

describe('a replay at the recorded pace', () => {
  it('sends every message of a part and shows how late they went out', async () => {
    await openLibrary(page)
    const expected = (await fileOf(ROTATED)).toString('utf8').trim().split('\n').map((l) => JSON.parse(l) as { topic?: string }).filter((l) => l.topic !== undefined).map((l) => `copied/${l.topic!}`)
    await libraryRow(ROTATED).getByRole('button', { name: `Replay ${ROTATED}` }).click()
    const dialog = page.getByRole('dialog', { name: `Replay ${ROTATED}` })
    await dialog.getByRole('combobox', { name: 'Replay into' }).selectOption({ label: BROKER })
    await dialog.getByRole('spinbutton', { name: 'Replay speed' }).fill('1')
    await dialog.getByLabel('Rule 1 prefix to replace').fill('rot/')
    await dialog.getByLabel('Rule 1 replacement').fill('copied/rot/')
    // The recording's own broker: no question to answer.
    await dialog.getByRole('button', { name: 'Start replay' }).click()
    const job = dialog.getByRole('group', { name: `Replay of ${ROTATED}` })
    await eventually(async () => {
      const refused = dialog.getByRole('alert')
      if ((await refused.count()) > 0) throw new Error(`The replay was refused: ${(await refused.allInnerTexts()).join(' | ')}`)
      expect(await job.getByRole('status').innerText({ timeout: 1000 })).toBe(`Done: ${expected.length} sent`)
    }, 30_000)
    await eventually(async () => expect(copied).toEqual(expected))
    expect(await job.getByLabel('Replay lateness').innerText()).toMatch(/^late p95 \d+(\.\d+)? ms, max \d+(\.\d+)? ms$/)
    await dialog.getByRole('button', { name: 'Close', exact: true }).click()
    expectNoBrowserErrors(session.browser.errors)
  }, 60_000)
})

describe('gaps on the offline timeline', () => {
  it('marks the time a broker restart cut the connection, with its length', async () => {
    await closeLibrary(page)
    await startRecording(GAPPED, 'gap/#')
    await publish('gap/before', '1')
    await eventually(async () => expect(await recorderBar().getByLabel('Recorded messages').innerText()).toBe('1'))
    await broker.restart()
    await eventually(async () => expect(await recorderBar().getByRole('status', { name: 'Recording' }).innerText()).toMatch(/1 gap/), 60_000)
    await waitForConnectionStatus(page, BROKER, 'Connected', 30_000)
    await eventually(async () => expect(publisher.connected).toBe(true), 30_000)
    await publish('gap/after', '2')
    await eventually(async () => expect(await recorderBar().getByLabel('Recorded messages').innerText()).toBe('2'), 30_000)
    await stopRecording(2)

    await openLibrary(page)
    await libraryRow(GAPPED).getByRole('button', { name: `Open ${GAPPED} offline` }).click()
    await library().waitFor({ state: 'detached', timeout: 10_000 })
    const timeline = page.getByRole('region', { name: 'Timeline' })
    await timeline.waitFor({ timeout: 20_000 })
    const marks = timeline.getByRole('img', { name: /^Gap at / })
    await eventually(async () => expect(await marks.count()).toBe(1))
    expect(await marks.first().getAttribute('aria-label')).toMatch(/^Gap at .+, .+ without a connection$/)
    expectNoBrowserErrors(session.browser.errors)
  }, 120_000)
})
