/**
 * The publish editor end to end in browser mode: the built app, Debian chromium and mosquitto
 * over mutual TLS, with mosquitto_sub (a peer we did not write) as the judge of what went out.
 * Text is typed into Monaco; a JSON syntax error blocks Publish with its sentence and a marker;
 * every MQTT 5 property set in the form reaches the subscriber; hex bytes go out exactly, from
 * Ctrl+Enter inside Monaco; CBOR, MessagePack, Protobuf (with a .proto imported through the
 * Schemas dialog; wrong fields refused in place) and Sparkplug B are encoded on the main side and
 * read back by decoders we did not write; a file's bytes go out exactly; a received message is
 * edited from the inspector and published again.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { execFileSync } from 'node:child_process'
import { decode as decodeMsgpack } from '@msgpack/msgpack'
import { decode as decodeCbor } from 'cbor2'
import mqtt, { type MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Locator, Page } from 'playwright-core'
import { openAppSession, startMtlsBroker, type AppSession } from '../fixtures/app-session'
import type { MosquittoBroker } from '../fixtures/mosquitto'
import { generateTestPki, type TestPki } from '../fixtures/pki'
import { waitForLine } from '../fixtures/wait-for-line'
import { LARGE_DRAFT_CHARS } from '../../renderer/src/lib/monaco/draft-options'
import { connect, connectionPanel, createProfile, eventually, plantMtlsProfile, selectTopic } from './ui-steps'

const PROFILE = 'Plant mTLS'

let pki: TestPki
let broker: MosquittoBroker
let session: AppSession
let page: Page
let publisher: MqttClient
const peers: ChildProcess[] = []
/** Everything each mosquitto_sub wrote so far. */
const seen = { json: '', hex: '' }

/** mosquitto_sub over mutual TLS, MQTT 5, retain flags as published, printing with `format`. */
function subscribe(filter: string, format: string, into: keyof typeof seen): Promise<void> {
  // Line-buffered: mosquitto_sub 2.0 block-buffers a pipe, so a line could wait for 4 kB more.
  const sub = spawn('stdbuf', ['-oL', 'mosquitto_sub',
    '-V', '5', '-h', 'localhost', '-p', String(broker.ports.mtls),
    '--cafile', pki.caBundle.path, '--cert', pki.client.cert.path, '--key', pki.client.key.path,
    '-q', '2', '--retain-as-published', '-t', filter, '-F', format, '-d',
  ], { stdio: ['ignore', 'pipe', 'pipe'] })
  peers.push(sub)
  sub.stdout!.setEncoding('utf8').on('data', (chunk: string) => (seen[into] += chunk))
  // Its errors (a refused TLS handshake, say) land in the same text, so a timeout shows them.
  sub.stderr!.setEncoding('utf8').on('data', (chunk: string) => (seen[into] += chunk))
  // -d logs the SUBACK: the subscription is in place before anything is published.
  return waitForLine(() => seen[into], /SUBACK/, 15_000).then(() => undefined)
}

/** `protoc --decode_raw`: the fields of a Protobuf message, read by a decoder we did not write. */
function protocDecodeRaw(bytes: Buffer): string {
  return execFileSync('protoc', ['--decode_raw'], { input: bytes }).toString('utf8')
}

function panel(): Locator {
  return connectionPanel(page, PROFILE)
}

function editor(): Locator {
  return panel().getByRole('form', { name: 'Publish editor' })
}

/** Clicks into the payload box (loading Monaco the first time) and waits until it edits. */
async function focusPayload(): Promise<void> {
  const box = editor().getByRole('region', { name: 'Payload editor' })
  await box.click()
  await box.and(page.locator('[data-ready="true"]')).waitFor({ timeout: 30_000 })
  // The editor's visible frame: a long draft's lines box reaches far outside what is on screen.
  await box.locator('.overflow-guard').click()
}

/** Replaces the whole payload in Monaco, as a paste would. */
async function replacePayload(text: string): Promise<void> {
  await focusPayload()
  await page.keyboard.press('ControlOrMeta+A')
  // Cleared first: text arriving over a selection may be taken as "surround the selection".
  await page.keyboard.press('Delete')
  if (text !== '') await page.keyboard.insertText(text)
}

async function chooseFormat(label: string): Promise<void> {
  await editor().getByLabel('Payload format', { exact: true }).selectOption({ label })
}

async function publishButton(): Promise<Locator> {
  return editor().getByRole('button', { name: 'Publish', exact: true })
}

beforeAll(async () => {
  pki = await generateTestPki()
  broker = await startMtlsBroker(pki)
  await subscribe('e2e/pub/json/#', '%J', 'json')
  await subscribe('e2e/pub/bin/#', '%t %q %r %x', 'hex')
  publisher = await mqtt.connectAsync({
    protocol: 'mqtts', host: 'localhost', port: broker.ports.mtls, protocolVersion: 5, clientId: 'e2e-publish-editor-peer',
    ca: pki.caBundle.pem, cert: pki.client.cert.pem, key: pki.client.key.pem,
  })
  await publisher.publishAsync('e2e/in/reading', JSON.stringify({ temp: 21.5, unit: 'C' }), { qos: 1, retain: true, properties: { contentType: 'application/json', userProperties: { site: 'north' } } })
  session = await openAppSession({ viewport: { width: 1366, height: 900 } })
  page = session.page
  await createProfile(page, plantMtlsProfile(pki, broker.ports.mtls))
  await connect(page, PROFILE)
  await eventually(async () => expect(await panel().getByRole('status').first().innerText()).toContain('Connected · MQTT 5.0'))
  await eventually(async () => expect(await panel().getByRole('tree').getByRole('treeitem', { name: /^e2e(,|$)/ }).count()).toBe(1))
}, 120_000)

afterAll(async () => {
  for (const p of peers) p.kill()
  await publisher?.endAsync()
  await session?.close()
  await broker?.stop()
  await pki?.cleanup()
})

describe('the publish editor in browser mode', { timeout: 60_000 }, () => {
  it('loads Monaco only when the payload is first written', async () => {
    const loaded = await page.evaluate(() => performance.getEntriesByType('resource').filter((r) => /monaco-setup.*\.js$/.test(r.name)).length)
    expect(loaded).toBe(0)
    await focusPayload()
    await eventually(async () => expect(await page.evaluate(() => performance.getEntriesByType('resource').filter((r) => /monaco-setup.*\.js$/.test(r.name)).length)).toBe(1))
  })

  it('blocks Publish on a JSON syntax error typed in Monaco, with the sentence and a marker at the place', async () => {
    await editor().getByLabel('Publish topic').fill('e2e/pub/json/typed')
    await chooseFormat('JSON')
    await replacePayload('')
    // Typed key by key: Monaco closes the brackets and quotes, and the typed closers step over them.
    await page.keyboard.type('{"n": 1,}')
    const reason = editor().getByLabel('Why Publish is disabled')
    await eventually(async () => expect(await reason.innerText()).toMatch(/The payload cannot be published: A trailing comma is not allowed before “}” \(line 1, column 9\)/))
    expect(await (await publishButton()).isDisabled()).toBe(true)
    await eventually(async () => expect(await editor().locator('.squiggly-error').count()).toBeGreaterThan(0))

    await page.keyboard.press('ArrowLeft')
    await page.keyboard.press('Backspace')
    await eventually(async () => expect(await reason.count()).toBe(0))
    await (await publishButton()).click()
    await eventually(async () => expect(await editor().getByLabel('Publish outcome').innerText()).toMatch(/^Sent\. Published to e2e\/pub\/json\/typed/))
    const line = await waitForLine(() => seen.json, /"topic":"e2e\/pub\/json\/typed"/, 15_000)
    // mosquitto_sub re-prints JSON payloads compactly; the length is of the bytes as typed.
    expect(line).toContain('"payloadlen":8,"payload":{"n":1}')
  })

  it('refuses a wildcard topic with the reason', async () => {
    await editor().getByLabel('Publish topic').fill('e2e/pub/+/x')
    await eventually(async () => expect(await editor().getByLabel('Why Publish is disabled').innerText()).toMatch(/wildcards for subscribing/))
    expect(await (await publishButton()).isDisabled()).toBe(true)
  })

  it('sends QoS 1, retain and every MQTT 5 property it sets, as mosquitto_sub receives them, and shows the acknowledgement', async () => {
    await editor().getByLabel('Publish topic').fill('e2e/pub/json/props')
    await replacePayload('{"cmd": "reboot"}')
    await editor().getByLabel('Publish QoS').selectOption('1')
    await editor().getByLabel('Retain').check()
    await editor().getByText('MQTT 5 properties').click()
    await editor().getByLabel('Payload is UTF-8 text (payload format indicator)').check()
    await editor().getByLabel('Content type').fill('application/json')
    await editor().getByLabel('Message expiry (s)').fill('120')
    await editor().getByLabel('Response topic').fill('e2e/replies/ui')
    await editor().getByLabel('Correlation data', { exact: true }).fill('req-42')
    for (const [name, value] of [['k', '1'], ['k', '2'], ['site', 'south']]) {
      await editor().getByRole('button', { name: '+ Add' }).click()
      const n = await editor().getByLabel(/^User property name \d+$/).count()
      await editor().getByLabel(`User property name ${n}`).fill(name!)
      await editor().getByLabel(`User property value ${n}`).fill(value!)
    }
    // Reordered: the last row moves to the top.
    await editor().getByRole('button', { name: 'Move user property 3 up' }).click()
    await editor().getByRole('button', { name: 'Move user property 2 up' }).click()
    await editor().getByLabel('Payload editor').locator('.view-lines').click()
    await page.keyboard.press('ControlOrMeta+Enter')

    await eventually(async () => expect(await editor().getByLabel('Publish outcome').innerText()).toMatch(/Published to e2e\/pub\/json\/props .*QoS 1\), acknowledged: (Success|No matching subscribers)/))
    // The README's picture of the editor (docs/screenshots/publish-editor.png is copied from it).
    await page.setViewportSize({ width: 1366, height: 1180 })
    await editor().getByLabel('Publish outcome').scrollIntoViewIfNeeded()
    await page.screenshot({ path: '/tmp/mqtts-e2e-publish-editor.png' })
    await page.setViewportSize({ width: 1366, height: 900 })
    const line = await waitForLine(() => seen.json, /"topic":"e2e\/pub\/json\/props"/, 15_000)
    expect(line).toMatch(/"qos":1,"retain":1/)
    expect(line).toContain('"content-type":"application/json"')
    expect(line).toContain('"correlation-data":"req-42"')
    expect(line).toContain('"payload-format-indicator":1')
    expect(line).toContain('"response-topic":"e2e/replies/ui"')
    // Ordered, duplicate names kept (mosquitto_sub prints them as written).
    expect(line).toContain('"user-properties":{"site":"south","k":"1","k":"2"}')
    expect(line).toMatch(/"message-expiry-interval":1[12]\d/)
    expect(line).toContain('"payloadlen":17,')
    expect(line).toContain('"payload":{"cmd":"reboot"}')
  })

  it('checks JSON against a JSON Schema file with Monaco, blocking Publish until it matches', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mqtts-e2e-schema-'))
    try {
      const file = join(dir, 'command.schema.json')
      await writeFile(file, JSON.stringify({ type: 'object', required: ['cmd'], properties: { cmd: { type: 'string', enum: ['reboot', 'ping'] } } }))
      await editor().getByLabel('Publish topic').fill('e2e/pub/json/schema')
      await editor().getByLabel('JSON Schema file').setInputFiles(file)
      await eventually(async () => expect(await editor().getByLabel('JSON Schema').innerText()).toBe('command.schema.json'))
      await replacePayload('{"cmd": "explode"}')
      const reason = editor().getByLabel('Why Publish is disabled')
      await eventually(async () => expect(await reason.innerText()).toMatch(/^The payload does not match the schema command\.schema\.json: .*\(line 1, column 9\)\.$/))
      expect(await (await publishButton()).isDisabled()).toBe(true)
      await replacePayload('{"cmd": "ping"}')
      await eventually(async () => expect(await reason.count()).toBe(0))
      await editor().getByRole('button', { name: 'Clear schema' }).click()
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('refuses bad hex in place and publishes the exact bytes with Ctrl+Enter from Monaco', async () => {
    await editor().getByLabel('Publish topic').fill('e2e/pub/bin/hex')
    await editor().getByLabel('Publish QoS').selectOption('0')
    await editor().getByLabel('Retain').uncheck()
    await chooseFormat('Hex')
    await replacePayload('de ad\nbe zz')
    await eventually(async () => expect(await editor().getByLabel('Payload problem').innerText()).toBe('“z” is not a hex digit: write bytes as pairs of 0-9 and a-f (spaces and line breaks are allowed) (line 2, column 4)'))
    expect(await (await publishButton()).isDisabled()).toBe(true)
    await replacePayload('de ad\nbe ef 00 ff')
    await page.keyboard.press('ControlOrMeta+Enter')
    expect(await waitForLine(() => seen.hex, /^e2e\/pub\/bin\/hex /, 15_000)).toBe('e2e/pub/bin/hex 0 0 deadbeef00ff')
  })

  it('edits a large draft (over 256 k characters: its own model, without the whole-text features) opened from the inspector; keys typed at its end are checked and published exactly', async () => {
    // About 400 kB of pretty JSON in 8,002 lines, well past LARGE_DRAFT_CHARS, retained on a topic.
    const rows = Array.from({ length: 8000 }, (_, i) => `  {"i": ${i}, "name": "sensor-${String(i).padStart(5, '0')}", "v": ${(i * 0.37).toFixed(2)}}`)
    const text = `[\n${rows.join(',\n')}\n]`
    expect(text.length).toBeGreaterThan(LARGE_DRAFT_CHARS)
    await publisher.publishAsync('e2e/in/large', text, { qos: 1, retain: true })
    await selectTopic(page, PROFILE, 'e2e/in/large')
    await panel().getByRole('complementary', { name: 'Selected topic' }).getByRole('button', { name: 'Edit and publish' }).click()
    await eventually(async () => expect(await editor().getByLabel('Publish topic').inputValue()).toBe('e2e/in/large'))
    // As received: retained. Sent on without the flag, so the broker keeps one large copy only.
    expect(await editor().getByLabel('Retain').isChecked()).toBe(true)
    await editor().getByLabel('Retain').uncheck()
    await editor().getByLabel('Publish topic').fill('e2e/pub/bin/large')
    await focusPayload()

    // Keys at the end: take off the closing bracket (the app's own check still runs on a large draft) ...
    await page.keyboard.press('ControlOrMeta+End')
    await page.keyboard.press('Backspace')
    const reason = editor().getByLabel('Why Publish is disabled')
    await eventually(async () => expect(await reason.innerText()).toMatch(/^The payload cannot be published: .*\(line 8002, column \d+\)/), 30_000)
    expect(await (await publishButton()).isDisabled()).toBe(true)
    // ... and type another element and the bracket back.
    await page.keyboard.type(',7]')
    await eventually(async () => expect(await reason.count()).toBe(0), 30_000)
    await (await publishButton()).click()
    const line = await waitForLine(() => seen.hex, /^e2e\/pub\/bin\/large /, 30_000)
    const sent = Buffer.from(line.split(' ')[3]!, 'hex').toString('utf8')
    expect(sent).toBe(`${text.slice(0, -1)},7]`)
  })

  it('encodes CBOR on the main side: a second CBOR library reads back what was written as JSON', async () => {
    await editor().getByLabel('Publish topic').fill('e2e/pub/bin/cbor')
    await chooseFormat('CBOR')
    await replacePayload('{"temp": 21.5, "ok": true, "tags": ["a", "b"], "n": -3}')
    await eventually(async () => expect(await editor().getByLabel('Encoded size').innerText()).toMatch(/^Encodes to \d+ bytes/))
    await (await publishButton()).click()
    const line = await waitForLine(() => seen.hex, /^e2e\/pub\/bin\/cbor /, 15_000)
    const bytes = Buffer.from(line.split(' ')[3]!, 'hex')
    expect(decodeCbor(bytes)).toEqual({ temp: 21.5, ok: true, tags: ['a', 'b'], n: -3 })
  })

  it('encodes MessagePack on the main side: @msgpack/msgpack reads back what was written as JSON', async () => {
    await editor().getByLabel('Publish topic').fill('e2e/pub/bin/msgpack')
    await chooseFormat('MessagePack')
    await replacePayload('{"device": "press-7", "temp": 21.5, "count": 300, "ok": false, "tags": ["a", "b"]}')
    await eventually(async () => expect(await editor().getByLabel('Encoded size').innerText()).toMatch(/^Encodes to \d+ bytes/))
    await (await publishButton()).click()
    const line = await waitForLine(() => seen.hex, /^e2e\/pub\/bin\/msgpack /, 15_000)
    expect(decodeMsgpack(Buffer.from(line.split(' ')[3]!, 'hex'))).toEqual({ device: 'press-7', temp: 21.5, count: 300, ok: false, tags: ['a', 'b'] })
  })

  it('encodes Sparkplug B on the main side: protoc --decode_raw finds the metric with its name and value', async () => {
    await editor().getByLabel('Publish topic').fill('e2e/pub/bin/sparkplug')
    await chooseFormat('Sparkplug B')
    await replacePayload('{"timestamp": 1700000000000, "seq": 3, "metrics": [{"name": "Line/Temperature", "type": "Double", "value": 21.5}]}')
    await eventually(async () => expect(await editor().getByLabel('Encoded size').innerText()).toMatch(/^Encodes to \d+ bytes/))
    await (await publishButton()).click()
    const line = await waitForLine(() => seen.hex, /^e2e\/pub\/bin\/sparkplug /, 15_000)
    const raw = protocDecodeRaw(Buffer.from(line.split(' ')[3]!, 'hex'))
    // Payload: timestamp = 1, metrics = 2 (name = 1, double_value = 13), seq = 3.
    expect(raw).toMatch(/^1: 1700000000000$/m)
    expect(raw).toMatch(/^3: 3$/m)
    expect(raw).toMatch(/2 \{[\s\S]*1: "Line\/Temperature"/)
    // 21.5 as a double: protoc prints fixed64 fields as hex.
    expect(raw).toContain(`13: 0x${Buffer.from(new Float64Array([21.5]).buffer).readBigUInt64LE().toString(16).padStart(16, '0')}`)
  })

  it('encodes Protobuf with an imported .proto: wrong fields are refused in place, and protoc --decode reads back what was written as JSON', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'e2e-proto-payload-'))
    try {
      const proto = join(dir, 'meter.proto')
      await writeFile(proto, [
        'syntax = "proto3";',
        'package meter;',
        'enum Unit { UNIT_UNSPECIFIED = 0; KWH = 1; CELSIUS = 2; }',
        'message Place { string site = 1; uint32 floor = 2; }',
        'message Reading { double value = 1; Unit unit = 2; int64 at_ms = 3; repeated string tags = 4; Place place = 5; }',
        '',
      ].join('\n'))
      // Imported as a user does: Schemas… in a topic's details.
      await panel().getByLabel('Filter topics').fill('e2e/in/reading')
      const row = panel().getByRole('tree').getByRole('treeitem', { name: /^reading(,|$)/ })
      await eventually(async () => expect(await row.count()).toBe(1))
      await row.click()
      const detail = panel().getByRole('complementary', { name: 'Selected topic' })
      await detail.getByRole('button', { name: 'Schemas…' }).click()
      const schemas = page.getByRole('dialog', { name: 'Schema files' })
      await schemas.getByLabel('Import schema files').setInputFiles(proto)
      await eventually(async () => expect(await schemas.getByRole('list', { name: 'Types in meter.proto' }).getByRole('listitem').allInnerTexts()).toEqual(['meter.Place', 'meter.Reading']))
      await schemas.getByRole('button', { name: 'Close', exact: true }).click()
      await schemas.waitFor({ state: 'detached' })
      await detail.getByRole('button', { name: 'Close topic details' }).click()
      await panel().getByLabel('Filter topics').fill('')

      await editor().getByLabel('Publish topic').fill('e2e/pub/bin/proto')
      await chooseFormat('Protobuf')
      const reason = editor().getByLabel('Why Publish is disabled')
      // Said by the editor at once, and by the main side's check a moment later, in its own words.
      await eventually(async () => expect(await reason.innerText()).toMatch(/(Choose|Pick) the Protobuf message type/))
      const types = editor().getByLabel('Protobuf message type')
      expect(await types.locator('option:not([disabled])').allInnerTexts()).toEqual(['meter.Place', 'meter.Reading'])
      await types.selectOption('meter.Reading')

      // A field the message does not have: the sentence names it and lists the real ones.
      await replacePayload('{"value": 21.5, "unti": "KWH"}')
      const problem = editor().getByLabel('Payload problem')
      await eventually(async () => expect(await problem.innerText()).toBe('meter.Reading has no field "unti": its fields are value, unit, at_ms, tags, place. (at /unti)'))
      expect(await (await publishButton()).isDisabled()).toBe(true)
      // Ctrl+Enter inside Monaco does not get past it either.
      await page.keyboard.press('ControlOrMeta+Enter')
      await eventually(async () => expect(await editor().getByLabel('Publish failed').innerText()).toContain('The payload cannot be published: meter.Reading has no field "unti"'))

      // A value of the wrong type, in a nested message.
      await replacePayload('{"value": 21.5, "place": {"site": "plant-7", "floor": -2}}')
      await eventually(async () => expect(await problem.innerText()).toBe('The field "floor" is uint32: -2 is out of range (0 to 4294967295). (at /place/floor)'))
      expect(await (await publishButton()).isDisabled()).toBe(true)
      await replacePayload('{"value": "hot"}')
      await eventually(async () => expect(await problem.innerText()).toBe('The field "value" is double: it takes a number (or "NaN", "Infinity", "-Infinity"), not the text "hot". (at /value)'))
      expect(await (await publishButton()).isDisabled()).toBe(true)

      await replacePayload('{"value": 21.5, "unit": "KWH", "at_ms": 1700000000000, "tags": ["north", "hall"], "place": {"site": "plant-7", "floor": 2}}')
      await eventually(async () => expect(await editor().getByLabel('Encoded size').innerText()).toMatch(/^Encodes to \d+ bytes/))
      await (await publishButton()).click()
      const line = await waitForLine(() => seen.hex, /^e2e\/pub\/bin\/proto /, 15_000)
      const decoded = execFileSync('protoc', [`--decode=meter.Reading`, `-I${dir}`, proto], { input: Buffer.from(line.split(' ')[3]!, 'hex') }).toString('utf8')
      expect(decoded).toBe('value: 21.5\nunit: KWH\nat_ms: 1700000000000\ntags: "north"\ntags: "hall"\nplace {\n  site: "plant-7"\n  floor: 2\n}\n')
      // The refused drafts went out before this one would have, on the same connection: none did.
      expect(seen.hex.split('\n').filter((l) => l.startsWith('e2e/pub/bin/proto ')).length).toBe(1)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('publishes a file from disk as its exact bytes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'e2e-file-payload-'))
    try {
      const bytes = Buffer.from([0x00, 0xff, 0x80, 0x7f, 0x0a, 0x0d, 0xc3, 0x28, 0x00])
      const path = join(dir, 'firmware.bin')
      await writeFile(path, bytes)
      await editor().getByLabel('Publish topic').fill('e2e/pub/bin/file')
      await chooseFormat('File')
      await editor().locator('input[type="file"]').setInputFiles(path)
      // Read in the page: the facts show its size before it can be published.
      await eventually(async () => expect(await editor().getByLabel('Payload file', { exact: true }).and(page.locator('dl')).innerText()).toContain('(9 bytes)'))
      await (await publishButton()).click()
      expect(await waitForLine(() => seen.hex, /^e2e\/pub\/bin\/file /, 15_000)).toBe(`e2e/pub/bin/file 0 0 ${bytes.toString('hex')}`)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('edits a received message from the inspector and publishes it again, completing the topic from the tree', async () => {
    await panel().getByLabel('Filter topics').fill('e2e/in/reading')
    const row = panel().getByRole('tree').getByRole('treeitem', { name: /^reading(,|$)/ })
    await eventually(async () => expect(await row.count()).toBe(1))
    await row.click()
    const detail = panel().getByRole('complementary', { name: 'Selected topic' })
    await detail.getByRole('button', { name: 'Edit and publish' }).click()

    await eventually(async () => expect(await editor().getByLabel('Publish topic').inputValue()).toBe('e2e/in/reading'))
    expect(await editor().getByRole('note').first().innerText()).toMatch(/^From e2e\/in\/reading/)
    await eventually(async () => expect((await editor().getByLabel('Payload editor').locator('.view-lines').innerText()).replace(/\u00a0/g, ' ')).toMatch(/"temp":\s*21\.5/))
    // As the app received it: its subscription to '#' is QoS 0.
    expect(await editor().getByLabel('Publish QoS').inputValue()).toBe('0')
    await editor().getByText(/^MQTT 5 properties/).click()
    expect(await editor().getByLabel('Content type').inputValue()).toBe('application/json')
    expect(await editor().getByLabel('User property name 1').inputValue()).toBe('site')

    // Completion from the tree: type a prefix, pick with the keyboard.
    const topic = editor().getByLabel('Publish topic')
    await topic.fill('e2e/pu')
    const options = editor().getByRole('listbox', { name: 'Known topics' }).getByRole('option')
    await eventually(async () => expect(await options.allInnerTexts()).toContain('e2e/pub/…'))
    await topic.press('ArrowDown')
    await topic.press('Enter')
    await eventually(async () => expect(await topic.inputValue()).toBe('e2e/pub/'))
    await topic.fill('e2e/pub/json/again')
    await (await publishButton()).click()
    const line = await waitForLine(() => seen.json, /"topic":"e2e\/pub\/json\/again"/, 15_000)
    expect(line).toContain('"user-properties":{"site":"north"}')
    expect(line).toContain('"payload":{"temp":21.5,"unit":"C"}')
  })
})
