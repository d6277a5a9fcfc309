/**
 * The publish workbench end to end in browser mode: the built app, Debian chromium and a real
 * mosquitto. Templates with `{{counter}}` (saved, replaced by name after asking, used, published
 * directly, searched, deleted), the publish history (publish again, open in the editor, clear),
 * repeat jobs (200 at QoS 1 all acknowledged, Stop mid-run, still running after a reload, the
 * broker killed mid-run), MQTT 5 request/response against a mosquitto_sub | mosquitto_pub shell
 * responder, a timeout, and on MQTT 3.1.1 the Sandbox's demo responder. What was sent is counted
 * by a subscriber of our own on the broker, not by the app. The message is written in the
 * composer's editor (Monaco); the workbench's panels are tabs beside it.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import mqtt, { type MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Locator, Page } from 'playwright-core'
import { openAppSession, type AppSession } from '../fixtures/app-session'
import { startMosquitto, type MosquittoBroker } from '../fixtures/mosquitto'
import { connect, connectionPanel, createProfile, eventually, expectNoBrowserErrors } from './ui-steps'

const PROFILE = 'Workbench broker'
const TIME = /^\d\d:\d\d:\d\d\.\d{3}$/

let broker: MosquittoBroker
let session: AppSession
let page: Page
let subscriber: MqttClient
/** Payloads our own subscriber received, by topic, in order. */
const received = new Map<string, string[]>()
let responder: ChildProcess | undefined

const panel = () => connectionPanel(page, PROFILE)
const editor = (where: Locator = panel()) => where.getByRole('form', { name: 'Publish editor' })
const templates = () => panel().getByRole('region', { name: 'Templates' })
const saveForm = () => panel().getByRole('region', { name: 'Save as template' })
const history = () => panel().getByRole('region', { name: 'Publish history' })
const historyItems = () => history().getByRole('list', { name: 'Recent publishes, newest first' }).getByRole('listitem')
const repeat = () => panel().getByRole('region', { name: 'Repeat' })
const requests = () => panel().getByRole('region', { name: 'Request and response' })
const got = (topic: string) => received.get(topic) ?? []

type Tool = 'Editor' | 'Templates' | 'History' | 'Repeat' | 'Request'

/** Shows one of the publish panel's tabs (the editor, or one of the workbench's panels). */
async function show(tool: Tool, where: Locator = panel()): Promise<void> {
  const tab = where.getByRole('tablist', { name: 'Publish tools' }).getByRole('tab', { name: tool, exact: true })
  if ((await tab.getAttribute('aria-selected')) !== 'true') await tab.click()
  await eventually(async () => expect(await tab.getAttribute('aria-selected')).toBe('true'))
}

/** Monaco's text as shown (it draws spaces as no-break spaces). */
async function payloadText(where: Locator = panel()): Promise<string> {
  const lines = await editor(where).getByRole('region', { name: 'Payload editor' }).locator('.view-lines').innerText()
  return lines.replace(/\u00a0/g, ' ')
}

/** Writes the editor's message: topic, the payload typed into Monaco (as a paste), QoS. */
async function writeDraft(topic: string, payload: string, qos: 0 | 1 | 2 = 1, where: Locator = panel()): Promise<void> {
  await show('Editor', where)
  await editor(where).getByLabel('Publish topic').fill(topic)
  const box = editor(where).getByRole('region', { name: 'Payload editor' })
  await box.click()
  await box.and(page.locator('[data-ready="true"]')).waitFor({ timeout: 30_000 })
  await box.locator('.view-lines').click()
  await page.keyboard.press('ControlOrMeta+A')
  await page.keyboard.insertText(payload)
  await editor(where).getByRole('combobox', { name: 'Publish QoS' }).selectOption(String(qos))
  await eventually(async () => expect(await payloadText(where)).toBe(payload))
}

async function publishDraft(): Promise<void> {
  await show('Editor')
  await editor().getByRole('button', { name: 'Publish', exact: true }).click()
}

async function dialogAnswer(title: string, button: string): Promise<void> {
  const dialog = page.getByRole('alertdialog', { name: title })
  await dialog.getByRole('button', { name: button, exact: true }).click()
  await dialog.waitFor({ state: 'detached', timeout: 10_000 })
}

async function countOf(job: Locator, name: 'Sent' | 'Acknowledged' | 'Failed'): Promise<number> {
  return Number((await job.getByLabel(name, { exact: true }).innerText()).replace(/,/g, ''))
}

beforeAll(async () => {
  broker = await startMosquitto({ listeners: [{}], extra: ['sys_interval 600'] })
  subscriber = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, { clientId: 'e2e-workbench-subscriber', protocolVersion: 5 })
  subscriber.on('message', (topic, payload) => {
    const list = received.get(topic) ?? []
    list.push(payload.toString())
    received.set(topic, list)
  })
  await subscriber.subscribeAsync('lab/#', { qos: 1 })
  session = await openAppSession({ viewport: { width: 1366, height: 900 } })
  page = session.page
  await createProfile(page, { name: PROFILE, brokerUrl: `mqtt://127.0.0.1:${broker.port}` })
  await connect(page, PROFILE)
  await show('Repeat')
  await eventually(async () => expect(await repeat().getByRole('button', { name: 'Start repeat' }).isEnabled()).toBe(true))
}, 120_000)

afterAll(async () => {
  // The whole process group: killing bash alone left its mosquitto_sub running after the test.
  if (responder?.pid !== undefined && responder.exitCode === null) {
    try {
      process.kill(-responder.pid, 'SIGTERM')
    } catch {
      // Already gone.
    }
  }
  await subscriber?.endAsync()
  await session?.close()
  await broker?.stop()
})

describe('templates', () => {
  it('saves a message with {{counter}}, uses it twice, publishes it directly: the subscriber sees three counters in a row', async () => {
    await writeDraft('lab/tpl', '{"n":{{counter}}}')
    await show('Templates')
    await saveForm().getByLabel('Template name').fill('Counter')
    // A look at the editor and back keeps the half-filled form.
    await show('Editor')
    await show('Templates')
    expect(await saveForm().getByLabel('Template name').inputValue()).toBe('Counter')
    expect(await saveForm().innerText()).toContain('{{counter}}')
    await saveForm().getByRole('button', { name: 'Save template' }).click()
    await eventually(async () => expect(await saveForm().getByRole('status').innerText()).toBe('Saved template “Counter”.'))
    const item = templates().getByRole('listitem', { name: 'Counter', exact: true })
    // The engine's counter starts at 0 or 1; whichever it is, each publish takes the next value.
    await eventually(async () => expect(await item.innerText()).toMatch(/uses \{\{counter\}\} \(next counter [01]\)/))
    const c = Number(/next counter (\d+)/.exec(await item.innerText())![1])
    const sent = (k: number) => Array.from({ length: k }, (_, i) => `{"n":${c + i}}`)

    await writeDraft('lab/other', 'overwritten by the template')
    await show('Templates')
    await templates().getByRole('button', { name: 'Use template Counter' }).click()
    // Use brings the editor to front with the template's message.
    await eventually(async () => expect(await editor().getByLabel('Publish topic').inputValue()).toBe('lab/tpl'))
    await eventually(async () => expect(await payloadText()).toBe('{"n":{{counter}}}'))
    expect(await editor().getByRole('note').innerText()).toContain('Template “Counter”')
    await publishDraft()
    await eventually(async () => expect(got('lab/tpl')).toEqual(sent(1)))
    await publishDraft()
    await eventually(async () => expect(got('lab/tpl')).toEqual(sent(2)))
    // The editor's publishes moved the template's counter on: the list says so when shown.
    await show('Templates')
    await eventually(async () => expect(await item.innerText()).toContain(`(next counter ${c + 2})`))
    await templates().getByRole('button', { name: 'Publish template Counter' }).click()
    await eventually(async () => expect(got('lab/tpl')).toEqual(sent(3)))
    await eventually(async () => expect(await templates().getByRole('status').innerText()).toMatch(/^Published “Counter” to lab\/tpl: /))
    await eventually(async () => expect(await item.innerText()).toContain(`(next counter ${c + 3})`))
    await panel().getByRole('region', { name: 'Publish' }).screenshot({ path: '/tmp/mqtts-e2e-workbench-templates.png' })
    expect(got('lab/other')).toEqual([])
    expectNoBrowserErrors(session.browser.errors)
  }, 90_000)

  it('asks before replacing a template of the same name, then finds and deletes it', async () => {
    await writeDraft('lab/tpl2', 'first')
    await show('Templates')
    await saveForm().getByLabel('Template name').fill('Reboot')
    await saveForm().getByRole('radio', { name: 'All profiles' }).check()
    await saveForm().getByRole('button', { name: 'Save template' }).click()
    await eventually(async () => expect(await templates().getByRole('listitem', { name: 'Reboot', exact: true }).count()).toBe(1))

    await writeDraft('lab/tpl2', 'second')
    await show('Templates')
    await saveForm().getByLabel('Template name').fill('reboot')
    await saveForm().getByRole('radio', { name: 'All profiles' }).check()
    await saveForm().getByRole('button', { name: 'Save template' }).click()
    // Cancel keeps the old one; Replace writes over it (one template, not two).
    await dialogAnswer('Replace template?', 'Cancel')
    await saveForm().getByRole('button', { name: 'Save template' }).click()
    await dialogAnswer('Replace template?', 'Replace')
    await eventually(async () => expect(await saveForm().getByRole('status').innerText()).toContain('for all profiles'))
    // The replacement takes the name as typed now.
    const reboot = templates().getByRole('listitem', { name: 'reboot', exact: true })
    await eventually(async () => expect(await reboot.innerText()).toContain('all profiles'))
    expect(await templates().getByRole('listitem', { name: 'Reboot', exact: true }).count()).toBe(0)
    await templates().getByRole('button', { name: 'Publish template reboot' }).click()
    await eventually(async () => expect(got('lab/tpl2')).toEqual(['second']))

    await templates().getByLabel('Search templates').fill('TPL2')
    await eventually(async () => expect(await templates().getByRole('list', { name: 'Saved templates' }).getByRole('listitem').allInnerTexts()).toHaveLength(1))
    await templates().getByLabel('Search templates').fill('nothing like it')
    await eventually(async () => expect(await templates().innerText()).toContain('No template matches “nothing like it”.'))
    await templates().getByLabel('Search templates').fill('')

    await templates().getByRole('button', { name: 'Delete template reboot' }).click()
    await dialogAnswer('Delete template?', 'Delete')
    await eventually(async () => expect(await reboot.count()).toBe(0))
    expect(await templates().getByRole('listitem', { name: 'Counter', exact: true }).count()).toBe(1)
    // Gone on the main side too: a reload lists only what it kept.
    await page.reload({ waitUntil: 'load' })
    await show('Templates')
    await eventually(async () => expect(await templates().getByRole('listitem', { name: 'Counter', exact: true }).count()).toBe(1))
    expect(await reboot.count()).toBe(0)
    expectNoBrowserErrors(session.browser.errors)
  }, 90_000)
})

describe('publish history', () => {
  it('lists each publish with its time in ms, publishes one again, opens one in the editor, clears', async () => {
    await writeDraft('lab/hist', 'hello history', 1)
    await publishDraft()
    await eventually(async () => expect(got('lab/hist')).toEqual(['hello history']))
    await show('History')
    const entry = historyItems().filter({ hasText: 'lab/hist' }).first()
    await eventually(async () => expect(await entry.count()).toBe(1))
    expect(await entry.locator('.time').innerText()).toMatch(TIME)
    expect(await entry.innerText()).toContain('13 B · QoS 1')

    await entry.getByRole('button', { name: /^Publish again / }).click()
    await eventually(async () => expect(got('lab/hist')).toEqual(['hello history', 'hello history']))
    await eventually(async () => expect(await historyItems().filter({ hasText: 'lab/hist' }).count()).toBe(2))

    await writeDraft('lab/elsewhere', 'not this')
    await show('History')
    await historyItems().filter({ hasText: 'lab/hist' }).first().getByRole('button', { name: /^Open in editor / }).click()
    await eventually(async () => expect(await editor().getByLabel('Publish topic').inputValue()).toBe('lab/hist'))
    await eventually(async () => expect(await payloadText()).toBe('hello history'))
    expect(await editor().getByRole('note').innerText()).toMatch(/^From the publish of \d\d:\d\d:\d\d\.\d{3}/)

    await show('History')
    await history().getByRole('button', { name: 'Clear history' }).click()
    await dialogAnswer('Clear publish history?', 'Clear')
    await eventually(async () => expect(await history().innerText()).toContain('Nothing published yet.'))
    await page.reload({ waitUntil: 'load' })
    await show('History')
    await eventually(async () => expect(await history().innerText()).toContain('Nothing published yet.'))
    expectNoBrowserErrors(session.browser.errors)
  }, 90_000)
})

describe('repeat', () => {
  it('publishes 200 at QoS 1 as fast as allowed: all acknowledged, all received', async () => {
    await writeDraft('lab/rep/{{counter}}', 'tick', 1)
    await show('Repeat')
    expect(await repeat().innerText()).toContain('a pattern, rendered for every message')
    await writeDraft('lab/rep', 'tick {{counter}}', 1)
    await show('Repeat')
    await repeat().getByRole('combobox', { name: 'Repeat pace' }).selectOption('max')
    await repeat().getByRole('combobox', { name: 'Repeat until' }).selectOption('count')
    await repeat().getByLabel('Count').fill('200')
    await repeat().getByRole('button', { name: 'Start repeat' }).click()
    const job = repeat().getByRole('listitem', { name: 'Repeat job lab/rep' }).first()
    await eventually(async () => expect(await job.getByRole('status').innerText()).toBe('Done: 200 sent, 200 acknowledged.'), 60_000)
    expect(await job.getByRole('progressbar').getAttribute('value')).toBe('100')
    await eventually(async () => expect(got('lab/rep')).toHaveLength(200))
    // One counter value per message, consecutive (the job's counter may start at 0 or 1).
    const counters = got('lab/rep').map((p) => Number(p.slice('tick '.length)))
    expect(counters).toEqual(Array.from({ length: 200 }, (_, i) => counters[0]! + i))
    await panel().getByRole('region', { name: 'Publish' }).screenshot({ path: '/tmp/mqtts-e2e-workbench-repeat.png' })
    await job.getByRole('button', { name: 'Dismiss repeat lab/rep' }).click()
    await eventually(async () => expect(await job.count()).toBe(0))
  }, 90_000)

  it('renders a topic pattern for every message', async () => {
    await writeDraft('lab/pat/{{counter}}/cmd', 'go', 0)
    await show('Repeat')
    await repeat().getByRole('combobox', { name: 'Repeat pace' }).selectOption('interval')
    await repeat().getByLabel('Interval (ms)').fill('10')
    await repeat().getByRole('combobox', { name: 'Repeat until' }).selectOption('count')
    await repeat().getByLabel('Count').fill('3')
    await repeat().getByRole('button', { name: 'Start repeat' }).click()
    const job = repeat().getByRole('listitem', { name: 'Repeat job lab/pat/{{counter}}/cmd' })
    await eventually(async () => expect(await job.getByRole('status').innerText()).toBe('Done: 3 sent, 3 acknowledged.'))
    const patternTopics = () => [...received.keys()].filter((t) => t.startsWith('lab/pat/'))
    await eventually(async () => expect(patternTopics()).toHaveLength(3))
    const topics = patternTopics()
    const first = Number(topics[0]!.split('/')[2])
    expect(topics).toEqual([first, first + 1, first + 2].map((n) => `lab/pat/${n}/cmd`))
  }, 60_000)

  it('keeps running across a window reload and stops at once on Stop', async () => {
    await writeDraft('lab/slow', 'slow', 1)
    await show('Repeat')
    await repeat().getByRole('combobox', { name: 'Repeat pace' }).selectOption('interval')
    await repeat().getByLabel('Interval (ms)').fill('50')
    await repeat().getByRole('combobox', { name: 'Repeat until' }).selectOption('stopped')
    await repeat().getByRole('button', { name: 'Start repeat' }).click()
    const job = repeat().getByRole('listitem', { name: 'Repeat job lab/slow' })
    await eventually(async () => expect(await countOf(job, 'Acknowledged')).toBeGreaterThanOrEqual(5))

    // The job lives on the main side: a fresh page lists it, still running.
    await page.reload({ waitUntil: 'load' })
    await show('Repeat')
    await eventually(async () => expect(await job.getByRole('status').innerText()).toMatch(/^Running: /))
    const before = got('lab/slow').length
    await eventually(async () => expect(got('lab/slow').length).toBeGreaterThan(before + 3))

    await job.getByRole('button', { name: 'Stop repeat lab/slow' }).click()
    await eventually(async () => expect(await job.getByRole('status').innerText()).toMatch(/^Stopped by you: /))
    const sent = await countOf(job, 'Sent')
    expect(await countOf(job, 'Acknowledged')).toBe(sent)
    // Nothing after Stop: what the broker delivered is exactly what the job says it sent.
    await eventually(async () => expect(got('lab/slow')).toHaveLength(sent))
    await new Promise((r) => setTimeout(r, 500))
    expect(got('lab/slow')).toHaveLength(sent)
    expectNoBrowserErrors(session.browser.errors)
  }, 90_000)
})

describe('request/response', () => {
  it('matches a shell responder’s reply by correlation data and shows its round trip', async () => {
    // A responder we did not write: mosquitto_sub prints each request's response topic and
    // correlation data, mosquitto_pub answers there with the same correlation data.
    const port = String(broker.port)
    const script = [
      `mosquitto_sub -V 5 -p ${port} -t lab/rpc/ask -F '%R %D' | while read -r rt cd; do`,
      `  mosquitto_pub -V 5 -p ${port} -t "$rt" -m '{"answer":42}' -D publish correlation-data "$cd" -D publish content-type application/json -D publish user-property handled-by shell`,
      'done',
    ].join('\n')
    responder = spawn('bash', ['-c', script], { stdio: 'ignore', detached: true })
    // The responder is ready once its subscription is in place: a probe request gets answered.
    const probe = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, { clientId: 'e2e-rpc-probe', protocolVersion: 5 })
    await probe.subscribeAsync('lab/rpc/probe-reply')
    const answered = new Promise<void>((resolve) => probe.once('message', () => resolve()))
    await eventually(async () => {
      await probe.publishAsync('lab/rpc/ask', 'probe', { properties: { responseTopic: 'lab/rpc/probe-reply', correlationData: Buffer.from('probe') } })
      await Promise.race([answered, new Promise((_, reject) => setTimeout(() => reject(new Error('no answer yet')), 500))])
    })
    await probe.endAsync()

    await writeDraft('lab/rpc/ask', '{"question":"?"}', 1)
    await show('Request')
    expect(await requests().getByLabel('Response topic').getAttribute('placeholder')).toBe('lab/rpc/ask/reply')
    await requests().getByLabel('Correlation data', { exact: true }).fill('req-7')
    await requests().getByLabel('Timeout (s)').fill('3')
    await requests().getByRole('button', { name: 'Send request' }).click()
    const request = requests().getByRole('list', { name: 'Requests' }).getByRole('listitem').first()
    await eventually(async () => expect(await request.getByRole('status').first().innerText()).toMatch(/^1 reply/))
    const reply = request.getByRole('listitem', { name: 'Reply 1' })
    expect(await reply.getByLabel('Round trip').innerText()).toMatch(/^\d[\d,]* ms$/)
    expect(await reply.innerText()).toContain('lab/rpc/ask/reply')
    expect(await reply.getByLabel('Reply preview').innerText()).toContain('{"answer":42}')
    expect(await reply.innerText()).toContain('application/json')
    expect(await reply.innerText()).toContain('handled-by=shell')
    expect(await request.innerText()).toContain(Buffer.from('req-7').toString('hex'))
    // After the timeout the request closes with its reply kept.
    await eventually(async () => expect(await request.getByRole('status').first().innerText()).toBe('1 reply'), 10_000)
    await panel().getByRole('region', { name: 'Publish' }).screenshot({ path: '/tmp/mqtts-e2e-workbench-request.png' })
    // The reply is a message like any other: shown in the tree's selected-topic details, and
    // the connection's views switch to the tree when another view was in front.
    await panel().getByRole('tab', { name: 'Recent messages' }).click()
    await reply.getByRole('button', { name: 'Show reply 1 in the tree' }).click()
    await eventually(async () => expect(await panel().getByRole('tab', { name: 'Topic tree' }).getAttribute('aria-selected')).toBe('true'))
    await eventually(async () => expect(await panel().getByRole('complementary', { name: 'Selected topic' }).getByLabel('Topic path').innerText()).toBe('lab/rpc/ask/reply'))
    expectNoBrowserErrors(session.browser.errors)
  }, 90_000)

  it('says a request timed out when nobody answers', async () => {
    await writeDraft('lab/rpc/nobody', 'anyone?', 0)
    await show('Request')
    await requests().getByRole('button', { name: 'Unique topic' }).click()
    expect(await requests().getByLabel('Response topic').inputValue()).toMatch(/^reply\/[0-9a-f]{12}$/)
    await requests().getByRole('button', { name: 'Generate' }).click()
    expect(await requests().getByLabel('Correlation data', { exact: true }).inputValue()).toMatch(/^[0-9a-f]{32}$/)
    await requests().getByLabel('Timeout (s)').fill('1')
    await requests().getByRole('button', { name: 'Send request' }).click()
    const request = requests().getByRole('listitem', { name: /^Request lab\/rpc\/nobody at / })
    await eventually(async () => expect(await request.getByRole('status').innerText()).toBe('Timed out after 1 s: no reply'), 10_000)
    await request.getByRole('button', { name: 'Dismiss request lab/rpc/nobody' }).click()
    await eventually(async () => expect(await request.count()).toBe(0))
  }, 60_000)

  it('on MQTT 3.1.1 says the request travels in a JSON envelope, and the Sandbox’s demo responder answers it', async () => {
    await connect(page, 'Sandbox')
    const sandbox = connectionPanel(page, 'Sandbox')
    await eventually(async () => expect(await sandbox.getByText('MQTT 3.1.1').count()).toBeGreaterThan(0), 30_000)
    await writeDraft('sandbox/rpc/add', '{"a": 1, "b": 2}', 1, sandbox)
    await show('Request', sandbox)
    const region = sandbox.getByRole('region', { name: 'Request and response' })
    expect(await region.getByRole('note').innerText()).toContain('JSON envelope')
    // The responder never answers under its own request prefix, so not sandbox/rpc/add/reply.
    await region.getByRole('button', { name: 'Unique topic' }).click()
    await eventually(async () => expect(await region.getByRole('button', { name: 'Send request' }).isEnabled()).toBe(true))
    await region.getByRole('button', { name: 'Send request' }).click()
    const request = region.getByRole('listitem', { name: /^Request sandbox\/rpc\/add at / })
    await eventually(async () => expect(await request.getByRole('status').first().innerText()).toMatch(/^1 reply/), 15_000)
    const preview = await request.getByRole('listitem', { name: 'Reply 1' }).getByLabel('Reply preview').innerText()
    expect(JSON.parse(preview)).toMatchObject({ method: 'add', result: 3 })
    await page.getByRole('tab', { name: PROFILE }).click()
    expectNoBrowserErrors(session.browser.errors)
  }, 60_000)
})

describe('repeat when the broker goes away', () => {
  it('ends the job as failed with the reason and the exact acknowledged count', async () => {
    await page.getByRole('tab', { name: PROFILE }).click()
    await writeDraft('lab/doomed', 'doomed', 1)
    await show('Repeat')
    await repeat().getByRole('combobox', { name: 'Repeat pace' }).selectOption('interval')
    await repeat().getByLabel('Interval (ms)').fill('20')
    await repeat().getByRole('combobox', { name: 'Repeat until' }).selectOption('stopped')
    await repeat().getByRole('button', { name: 'Start repeat' }).click()
    const job = repeat().getByRole('listitem', { name: 'Repeat job lab/doomed' })
    await eventually(async () => expect(await countOf(job, 'Acknowledged')).toBeGreaterThanOrEqual(10))
    await broker.kill()
    await eventually(async () => expect(await job.getByRole('status').innerText()).toMatch(/^Failed: /), 30_000)
    const acknowledged = await countOf(job, 'Acknowledged')
    const text = await job.getByRole('status').innerText()
    expect(text).toContain(`Exactly ${acknowledged.toLocaleString('en-US')} of ${(await countOf(job, 'Sent')).toLocaleString('en-US')} sent were acknowledged.`)
    // Every acknowledged message reached our subscriber before the broker died.
    expect(got('lab/doomed').length).toBeGreaterThanOrEqual(acknowledged)
  }, 90_000)
})
