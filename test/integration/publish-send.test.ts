/**
 * Publishing through the whole service against a real mosquitto over TLS, checked by
 * `mosquitto_sub`, a peer we did not write: the exact bytes, QoS, retain and every MQTT 5
 * property arrive as set; the broker's answers come back as acknowledgements ("No matching
 * subscribers", "Not authorized" via the ACL); wildcards and bad payloads are refused with a
 * reason; MQTT 3.1.1 drops the properties with a warning; history and templates persist across a
 * restart, the history keeps 100, a template's counter advances; topic completion and
 * "Edit and publish" read the tree.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAX_PUBLISH_HISTORY } from '../../electron/api'
import { rejectsWith } from './connections-helpers'
import { message, peerTls, startPeer, startPublishWorld, subscribed, waitUntil, type PublishWorld } from './publish-helpers'

let world: PublishWorld
let v5: string
let v311: string

beforeAll(async () => {
  world = await startPublishWorld()
  v5 = await world.connect('lab v5', { subscriptions: [{ filter: 'lab/seen/#', qos: 1 }] })
  v311 = await world.connect('lab 3.1.1', { protocolVersion: 4 })
}, 60_000)

afterAll(async () => {
  await world?.close()
})

describe('publish.send', () => {
  it('delivers the exact bytes, QoS, retain and every MQTT 5 property to mosquitto_sub', async () => {
    const bytes = Buffer.from([0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff, 0x0a, 0x41])
    const sub = startPeer('mosquitto_sub', [...peerTls(world), '-V', '5', '-i', 'peer-props', '-t', 'lab/props', '-q', '2', '--retain-as-published', '-C', '1', '-F', '%x|%q|%r|%t|%P|%C|%D|%E|%F|%R'])
    try {
      await subscribed(world, 'peer-props')
      const outcome = await world.call('publish.send', {
        connectionId: v5,
        message: message({
          topic: 'lab/props',
          payload: { format: 'base64', body: bytes.toString('base64') },
          qos: 2,
          retain: true,
          properties: {
            payloadFormatIndicator: false,
            contentType: 'application/octet-stream',
            messageExpiryInterval: 3600,
            responseTopic: 'lab/reply',
            correlationData: { encoding: 'utf8', value: 'corr-1' },
            // A repeated name is kept; mqtt.js groups it under its first appearance (see outgoing-properties.ts).
            userProperties: [{ name: 'a', value: '1' }, { name: 'b', value: '2' }, { name: 'a', value: '3' }],
          },
        }),
      })
      expect(outcome).toMatchObject({ topic: 'lab/props', bytes: bytes.length, qos: 2, retain: true, warnings: [] })
      expect(outcome.ack).toMatchObject({ reasonCode: 0, reasonName: 'Success', accepted: true })
      const [hex, qos, retain, topic, user, contentType, correlation, expiry, format, responseTopic] = (await sub.exited()).trim().split('|')
      expect(hex).toBe(bytes.toString('hex'))
      expect([qos, retain, topic]).toEqual(['2', '1', 'lab/props'])
      expect(user).toBe('a:1 a:3 b:2')
      expect(contentType).toBe('application/octet-stream')
      expect(correlation).toBe('corr-1')
      expect(Number(expiry)).toBeGreaterThan(3590)
      expect(Number(expiry)).toBeLessThanOrEqual(3600)
      expect(format).toBe('0')
      expect(responseTopic).toBe('lab/reply')
    } finally {
      sub.stop()
      await world.call('connections.publish', { connectionId: v5, topic: 'lab/props', payload: '', qos: 1, retain: true })
    }
  })

  it('sends correlation data written as hex as those bytes', async () => {
    const sub = startPeer('mosquitto_sub', [...peerTls(world), '-V', '5', '-i', 'peer-corr', '-t', 'lab/corr', '-C', '1', '-F', '%D'])
    try {
      await subscribed(world, 'peer-corr')
      await world.call('publish.send', { connectionId: v5, message: message({ topic: 'lab/corr', payload: { format: 'text', body: 'x' }, properties: { correlationData: { encoding: 'hex', value: '6f6b 2d32' } } }) })
      expect((await sub.exited()).trim()).toBe('ok-2')
    } finally {
      sub.stop()
    }
  })

  it('renders placeholders in the topic and the body at publish time', async () => {
    const sub = startPeer('mosquitto_sub', [...peerTls(world), '-V', '5', '-i', 'peer-ph', '-t', 'lab/ph/#', '-C', '1', '-F', '%t|%p'])
    try {
      await subscribed(world, 'peer-ph')
      const before = Date.now()
      const outcome = await world.call('publish.send', { connectionId: v5, message: message({ topic: 'lab/ph/{{counter}}', payload: { format: 'json', body: '{"at":{{now}},"id":"{{uuid}}","n":{{random 5 5}}}' } }) })
      const [topic, body] = (await sub.exited()).trim().split('|')
      expect(topic).toBe('lab/ph/1')
      expect(outcome.topic).toBe('lab/ph/1')
      const parsed = JSON.parse(body) as { at: number; id: string; n: number }
      expect(parsed.at).toBeGreaterThanOrEqual(before)
      expect(parsed.id).toMatch(/^[0-9a-f-]{36}$/)
      expect(parsed.n).toBe(5)
    } finally {
      sub.stop()
    }
  })

  it('shows the broker\'s acknowledgement: "No matching subscribers" at QoS 1, "Success" at QoS 2', async () => {
    const qos1 = await world.call('publish.send', { connectionId: v5, message: message({ topic: 'lab/nobody', payload: { format: 'text', body: 'hello' }, qos: 1 }) })
    expect(qos1.ack).toEqual({ reasonCode: 0x10, reasonName: 'No matching subscribers', accepted: true })
    // mosquitto routes a QoS 2 message on PUBREL, after its PUBREC, so it cannot know yet.
    const qos2 = await world.call('publish.send', { connectionId: v5, message: message({ topic: 'lab/nobody', payload: { format: 'text', body: 'hello' }, qos: 2 }) })
    expect(qos2.ack).toEqual({ reasonCode: 0, reasonName: 'Success', accepted: true })
    const qos0 = await world.call('publish.send', { connectionId: v5, message: message({ topic: 'lab/nobody', payload: { format: 'text', body: 'hello' } }) })
    expect(qos0.ack).toBeNull()
  })

  it('returns a refusal ("Not authorized", from the ACL) as an outcome, not an error', async () => {
    for (const qos of [1, 2] as const) {
      const outcome = await world.call('publish.send', { connectionId: v5, message: message({ topic: 'secret/x', payload: { format: 'text', body: 'no' }, qos }) })
      expect(outcome.ack, `QoS ${qos}`).toMatchObject({ reasonCode: 0x87, reasonName: 'Not authorized', accepted: false })
    }
  })

  it('refuses wildcards and bad payloads with a reason, and sends nothing', async () => {
    for (const topic of ['lab/+/x', 'lab/#', 'lab/{{counter}}/#']) {
      const err = await rejectsWith(world.call('publish.send', { connectionId: v5, message: message({ topic, payload: { format: 'text', body: 'x' } }) }), 'PUBLISH_BAD_TOPIC')
      expect(err.message).toMatch(/wildcards/)
    }
    const bad = await rejectsWith(world.call('publish.send', { connectionId: v5, message: message({ topic: 'lab/x', payload: { format: 'msgpack', body: '{"a": ' } }) }), 'PUBLISH_BAD_PAYLOAD')
    expect(bad.message).toMatch(/msgpack/)
    await rejectsWith(world.call('publish.send', { connectionId: v5, message: message({ topic: 'lab/x', payload: { format: 'text', body: 'x' }, properties: { correlationData: { encoding: 'hex', value: 'xyz' } } }) }), 'PUBLISH_BAD_PAYLOAD')
  })

  it('drops MQTT 5 properties on an MQTT 3.1.1 connection, with a warning', async () => {
    const sub = startPeer('mosquitto_sub', [...peerTls(world), '-V', '5', '-i', 'peer-311', '-t', 'lab/old', '-q', '1', '-C', '1', '-F', '%p|%C|%P'])
    try {
      await subscribed(world, 'peer-311')
      const outcome = await world.call('publish.send', {
        connectionId: v311,
        message: message({ topic: 'lab/old', payload: { format: 'text', body: 'plain' }, qos: 1, properties: { contentType: 'text/plain', userProperties: [{ name: 'k', value: 'v' }] } }),
      })
      expect(outcome.warnings).toEqual(['MQTT 5 properties were not sent: this connection uses MQTT 3.1.1.'])
      expect(outcome.ack).toEqual({ reasonCode: 0, reasonName: 'Success', accepted: true })
      expect((await sub.exited()).trim()).toBe('plain||')
    } finally {
      sub.stop()
    }
  })
})

describe('publish history', () => {
  it('keeps the newest 100 publishes, persisted across a restart, and clears', async () => {
    await world.call('publish.historyClear')
    for (let i = 0; i < MAX_PUBLISH_HISTORY + 5; i++) {
      await world.call('publish.send', { connectionId: v5, message: message({ topic: `lab/h/${i}`, payload: { format: 'text', body: String(i) } }) })
    }
    const history = await world.call('publish.history')
    expect(history).toHaveLength(MAX_PUBLISH_HISTORY)
    expect(history[0].outcome.topic).toBe(`lab/h/${MAX_PUBLISH_HISTORY + 4}`)
    expect(history.at(-1)!.outcome.topic).toBe('lab/h/5')
    expect(history[0]).toMatchObject({ profileId: v5, profileName: 'lab v5' })
    expect(world.events.some((e) => e.name === 'publish.historyChanged')).toBe(true)

    await world.restart()
    await world.call('connections.connect', { profileId: v5 })
    const again = await world.call('publish.history')
    expect(again.map((e) => e.outcome.topic)).toEqual(history.map((e) => e.outcome.topic))
    expect((await world.call('publish.historyClear')).cleared).toBe(true)
    expect(await world.call('publish.history')).toEqual([])
    await world.call('connections.connect', { profileId: v311 })
  })

  it('does not keep a body above the per-entry cap, but says how big it was', async () => {
    const big = 'x'.repeat(300 * 1024)
    await world.call('publish.send', { connectionId: v5, message: message({ topic: 'lab/big', payload: { format: 'text', body: big } }) })
    const [entry] = await world.call('publish.history')
    expect(entry.message.payload.body).toBe('')
    expect(entry.bodyDropped).toEqual({ bytes: big.length })
  })
})

describe('templates', () => {
  it('saves, lists, searches, advances {{counter}}, persists across a restart and deletes', async () => {
    const saved = await world.call('templates.save', {
      name: 'Door command',
      profileId: v5,
      message: message({ topic: 'lab/door/{{counter}}', payload: { format: 'json', body: '{"n":{{counter}}}' }, qos: 1, properties: { contentType: 'application/json' } }),
    })
    const global = await world.call('templates.save', { name: 'Ping', profileId: null, message: message({ topic: 'lab/ping', payload: { format: 'text', body: 'ping' } }) })
    const other = await world.call('templates.save', { name: 'Other profile', profileId: v311, message: message({ topic: 'lab/other', payload: { format: 'text', body: 'o' } }) })
    expect((await world.call('templates.list', { profileId: v5 })).map((t) => t.name)).toEqual(['Door command', 'Ping'])
    expect((await world.call('templates.list', { search: 'DOOR' })).map((t) => t.id)).toEqual([saved.id])
    expect((await world.call('templates.list', { search: 'lab/other' })).map((t) => t.id)).toEqual([other.id])

    const first = await world.call('publish.send', { connectionId: v5, message: saved.message, templateId: saved.id })
    const second = await world.call('publish.send', { connectionId: v5, message: saved.message, templateId: saved.id })
    expect([first.topic, second.topic]).toEqual(['lab/door/1', 'lab/door/2'])
    // Every window's list learns the next value.
    const lastList = world.events.filter((e) => e.name === 'templates.changed').at(-1)!.payload as Array<{ id: string; counter: number }>
    expect(lastList.find((t) => t.id === saved.id)?.counter).toBe(3)

    await world.restart()
    await world.call('connections.connect', { profileId: v5 })
    await world.call('connections.connect', { profileId: v311 })
    const [reloaded] = await world.call('templates.list', { search: 'door' })
    expect(reloaded).toMatchObject({ id: saved.id, name: 'Door command', profileId: v5, counter: 3 })
    expect(reloaded.message).toEqual(saved.message)
    const third = await world.call('publish.send', { connectionId: v5, message: reloaded.message, templateId: saved.id })
    expect(third.topic).toBe('lab/door/3')

    await world.call('templates.delete', { id: global.id })
    await rejectsWith(world.call('templates.delete', { id: global.id }), 'PUBLISH_NOT_FOUND')
    await rejectsWith(world.call('publish.send', { connectionId: v5, message: saved.message, templateId: global.id }), 'PUBLISH_NOT_FOUND')
  })

  it('travels with the profile export and comes back with the import; deleting a profile deletes its templates', async () => {
    const profile = await world.call('profiles.create', { spec: { name: 'exported', scheme: 'mqtt', host: '127.0.0.1', port: 1, subscriptions: [] } })
    await world.call('templates.save', { name: 'Exported one', profileId: profile.id, message: message({ topic: 'lab/e/{{counter}}', payload: { format: 'text', body: 'e' } }) })
    const exported = await world.call('profiles.export', { includeSecrets: false })
    expect(JSON.parse(exported.text).templates.map((t: { template: { name: string } }) => t.template.name)).toContain('Exported one')

    await world.call('profiles.delete', { id: profile.id })
    await waitUntil('the deleted profile\'s template to go', async () => !(await world.call('templates.list')).some((t) => t.name === 'Exported one'))

    const result = await world.call('profiles.import', { fileName: 'export.json', text: exported.text, onConflict: { all: 'skip' } })
    const imported = result.profiles.find((p) => p.name === 'exported')!
    expect(imported).toBeDefined()
    const back = (await world.call('templates.list', { profileId: imported.id })).filter((t) => t.profileId === imported.id)
    expect(back.map((t) => [t.name, t.message.topic])).toEqual([['Exported one', 'lab/e/{{counter}}']])
  })

  it('still imports an export made before templates existed', async () => {
    const old = { format: 'mqtts-explorer-profiles', version: 1, profiles: [{ id: 'old-1', name: 'from before', scheme: 'mqtt', host: '127.0.0.1', port: 1883, subscriptions: [] }], certificates: [], secrets: null }
    const result = await world.call('profiles.import', { fileName: 'old.json', text: JSON.stringify(old), onConflict: { all: 'skip' } })
    expect(result.profiles.map((p) => p.name)).toEqual(['from before'])
  })
})

describe('topic completion and Edit and publish', () => {
  it('completes from the topics the tree has seen, the next level first', async () => {
    for (const t of ['lab/seen/a/x', 'lab/seen/a/y', 'lab/seen/b', 'lab/seen/c/deep/er']) {
      await world.call('publish.send', { connectionId: v5, message: message({ topic: t, payload: { format: 'text', body: t }, qos: 1 }) })
    }
    const { topics } = await waitUntil('the tree to hold the topics', async () => {
      const r = await world.call('publish.topics', { connectionId: v5, prefix: 'lab/seen/', limit: 50 })
      return r.topics.length >= 7 ? r : undefined
    })
    expect(topics.slice(0, 3)).toEqual([
      { path: 'lab/seen/a', hasChildren: true, hasMessage: false },
      { path: 'lab/seen/b', hasChildren: false, hasMessage: true },
      { path: 'lab/seen/c', hasChildren: true, hasMessage: false },
    ])
    expect(topics.map((t) => t.path)).toContain('lab/seen/c/deep/er')
    const partial = await world.call('publish.topics', { connectionId: v5, prefix: 'lab/seen/a/', limit: 1 })
    expect(partial.topics.map((t) => t.path)).toEqual(['lab/seen/a/x'])
    expect((await world.call('publish.topics', { connectionId: v5, prefix: 'nothing/here', limit: 5 })).topics).toEqual([])
  })

  it('turns a received message into a draft with its topic, payload, QoS, retain and properties', async () => {
    await world.call('publish.send', {
      connectionId: v5,
      message: message({ topic: 'lab/seen/json', payload: { format: 'json', body: '{"t": 21.5}' }, qos: 1, properties: { contentType: 'application/json', userProperties: [{ name: 'u', value: '1' }], correlationData: { encoding: 'utf8', value: 'c1' } } }),
    })
    await world.call('publish.send', { connectionId: v5, message: message({ topic: 'lab/seen/bin', payload: { format: 'base64', body: Buffer.from([0xde, 0xad, 0xbe, 0xef]).toString('base64') }, qos: 1 }) })
    const json = await waitUntil('the JSON message in the tree', () => world.call('publish.draftFromMessage', { message: { connectionId: v5, path: 'lab/seen/json', index: 0 } }).catch(() => undefined))
    expect(json.message).toMatchObject({
      topic: 'lab/seen/json',
      payload: { format: 'json', body: '{"t": 21.5}' },
      qos: 1,
      retain: false,
      properties: { contentType: 'application/json', userProperties: [{ name: 'u', value: '1' }], correlationData: { encoding: 'utf8', value: 'c1' } },
    })
    const bin = await waitUntil('the binary message in the tree', () => world.call('publish.draftFromMessage', { message: { connectionId: v5, path: 'lab/seen/bin', index: 0 } }).catch(() => undefined))
    // Hex as the encoders write it for editing (grouped bytes); the digits are the payload's.
    expect(bin.message.payload.format).toBe('hex')
    expect(bin.message.payload.body.replace(/\s/g, '')).toBe('deadbeef')
    expect(bin.note).toMatch(/hex/)
  })
})
