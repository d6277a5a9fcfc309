/**
 * The renderer's pure logic, without a browser: the typed client over a fake channel, the
 * recent-messages store's bounds and batching, the profile form's conversions, and the
 * connections store against late list answers.
 */
import { beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { createApp, watch, nextTick } from 'vue'
import { ApiError, parseBrokerUrl, ProfileSpec, type ConnectionState, type EventFrame, type MessageSummary, type Profile, type ResponseFrame, type RendererChannel } from '@api'
import { createApiClient } from '../../renderer/src/api/client'
import { installApi } from '../../renderer/src/api/use-api'
import type { StatusChannel } from '../../renderer/src/api/ws-channel'
import { MAX_RECENT, useMessagesStore } from '../../renderer/src/stores/messages'
import { useProfilesStore } from '../../renderer/src/stores/profiles'
import { useConnectionsStore } from '../../renderer/src/stores/connections'
import { useSecretsStore } from '../../renderer/src/stores/secrets'
import { formFromProfile, specFromForm, validateForm } from '../../renderer/src/lib/editor/profile-form'
import { moveIntoVault } from '../../renderer/src/lib/editor/vault-migration'

/** A channel whose answers and events the test controls. */
function fakeChannel(answer: (method: string, params: unknown) => ResponseFrame): StatusChannel & { push(frame: EventFrame): void } {
  const listeners = new Set<(f: EventFrame) => void>()
  return {
    status: 'open',
    request: async (method, params) => answer(method, params),
    onEvent: (l) => (listeners.add(l), () => listeners.delete(l)),
    onStatus: () => () => {},
    push: (frame) => listeners.forEach((l) => l(frame)),
  }
}

function message(i: number): MessageSummary {
  return { topic: `t/${i}`, qos: 0, retain: false, size: 1, time: i, preview: String(i) }
}

describe('the typed API client', () => {
  it('rebuilds an ApiError with its code, sentence and detail from an error frame', async () => {
    const channel: RendererChannel = fakeChannel((_m, _p) => ({
      t: 'res', id: 1, ok: false, error: { code: 'TLS_HOSTNAME_MISMATCH', message: 'The certificate is for a, not b.', detail: { validNames: ['a'] } },
    }))
    const client = createApiClient(channel)
    const err = await client.call('profiles.list').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect(err).toMatchObject({ code: 'TLS_HOSTNAME_MISMATCH', message: 'The certificate is for a, not b.', detail: { validNames: ['a'] } })
  })

  it('turns an unknown error code into INTERNAL rather than trusting it', async () => {
    const client = createApiClient(fakeChannel(() => ({ t: 'res', id: 1, ok: false, error: { code: 'NOPE' as never, message: 'x' } })))
    await expect(client.call('app.info')).rejects.toMatchObject({ code: 'INTERNAL' })
  })

  it('delivers events only to listeners of that name, until they stop listening', () => {
    const channel = fakeChannel(() => ({ t: 'res', id: 1, ok: true, result: null }))
    const client = createApiClient(channel)
    const seen: string[] = []
    const stop = client.on('profiles.changed', (list) => seen.push(`profiles:${list.length}`))
    channel.push({ t: 'evt', name: 'profiles.changed', payload: [] })
    channel.push({ t: 'evt', name: 'messages.batch', payload: { connectionId: 'c', messages: [], count: 0, total: 0, totalBytes: 0 } })
    stop()
    channel.push({ t: 'evt', name: 'profiles.changed', payload: [] })
    expect(seen).toEqual(['profiles:0'])
  })
})

describe('the recent-messages store', () => {
  let channel: ReturnType<typeof fakeChannel>

  beforeEach(() => {
    channel = fakeChannel(() => ({ t: 'res', id: 1, ok: true, result: { cleared: true } }))
    const app = createApp({})
    installApi(app, { client: createApiClient(channel), channel })
    const pinia = createPinia()
    app.use(pinia)
    setActivePinia(pinia)
  })

  it('keeps only the newest 500 rows per connection, in arrival order', () => {
    const store = useMessagesStore()
    for (let b = 0; b < 4; b++) {
      const messages = Array.from({ length: 200 }, (_, i) => message(b * 200 + i))
      store.applyBatch({ connectionId: 'c1', messages, count: 200, total: (b + 1) * 200, totalBytes: (b + 1) * 200 })
    }
    const rows = store.rows('c1')
    expect(rows).toHaveLength(MAX_RECENT)
    expect(rows[0].topic).toBe('t/300')
    expect(rows[rows.length - 1].topic).toBe('t/799')
    expect(store.totalsFor('c1')).toEqual({ total: 800, bytes: 800 })
    expect(store.rows('c2')).toHaveLength(0)
  })

  it('applies a batch as one reactive update, with rows that are not themselves reactive', async () => {
    const store = useMessagesStore()
    let updates = 0
    watch(() => store.rows('c1'), () => updates++)
    channel.push({ t: 'evt', name: 'messages.batch', payload: { connectionId: 'c1', messages: Array.from({ length: 200 }, (_, i) => message(i)), count: 100_000, total: 100_000, totalBytes: 1e6 } })
    await nextTick()
    expect(updates).toBe(1)
    expect(Object.isFrozen(store.rows('c1'))).toBe(true)
  })

  it('drops a connection\'s rows when its tab closes, however it was closed', async () => {
    const store = useMessagesStore()
    const state = (status: string) => ({ connectionId: 'c1', profileId: 'c1', name: 'c1', status, subscriptions: [], warnings: [], messageCount: 0, byteCount: 0 })
    channel.push({ t: 'evt', name: 'connections.state', payload: state('connected') as unknown as ConnectionState })
    store.applyBatch({ connectionId: 'c1', messages: [message(1)], count: 1, total: 1, totalBytes: 1 })
    await nextTick()
    expect(store.rows('c1')).toHaveLength(1)
    channel.push({ t: 'evt', name: 'connections.state', payload: state('disconnected') as unknown as ConnectionState })
    await nextTick()
    expect(store.rows('c1')).toHaveLength(0)
    expect(store.totalsFor('c1')).toBeUndefined()
  })

  it('empties the list on Clear', async () => {
    const store = useMessagesStore()
    store.applyBatch({ connectionId: 'c1', messages: [message(1)], count: 1, total: 1, totalBytes: 1 })
    await store.clear('c1')
    expect(store.rows('c1')).toHaveLength(0)
  })
})

describe('the profile form', () => {
  it('fills defaults for a new profile, with a generated client id', () => {
    const form = formFromProfile(null)
    expect(form.spec.protocolVersion).toBe(5)
    expect(form.spec.clientId).toMatch(/^mqtts-explorer-[0-9a-f]{8}$/)
    expect(form.spec.tls.verify).toBe(true)
  })

  it('drops MQTT 5 only options when saving an MQTT 3.1.1 profile', () => {
    const form = formFromProfile(null)
    form.spec.protocolVersion = 4
    form.spec.sessionExpiryInterval = 300
    form.spec.subscriptions = [{ filter: 'a/#', qos: 1, noLocal: true, retainAsPublished: true, retainHandling: 2 }]
    form.willEnabled = true
    form.willTopic = 'bye'
    form.willDelay = 10
    const spec = specFromForm(form)
    expect(spec.sessionExpiryInterval).toBe(0)
    expect(spec.subscriptions?.[0]).toEqual({ filter: 'a/#', qos: 1, noLocal: false, retainAsPublished: false, retainHandling: 0 })
    expect(spec.will?.properties).toBeUndefined()
  })

  it('keeps MQTT 5 will properties, repeated user property names becoming lists', () => {
    const form = formFromProfile(null)
    form.willEnabled = true
    form.willTopic = 'status/gone'
    form.willDelay = 5
    form.willUserProps = [{ key: 'site', value: 'a' }, { key: 'site', value: 'b' }, { key: 'line', value: '3' }]
    expect(specFromForm(form).will?.properties).toEqual({ willDelayInterval: 5, userProperties: { site: ['a', 'b'], line: '3' } })
  })

  it('names what is wrong in plain words, and asks for the key file of a PEM identity', () => {
    const form = formFromProfile(null)
    form.spec.name = ''
    form.spec.port = 70000
    form.identity = 'pem'
    const errors = validateForm(form)
    expect(errors.name).toBe('Give the profile a name.')
    expect(errors.port).toBe('The port is a whole number from 1 to 65535.')
    expect(errors['tls.clientKeyName']).toMatch(/private key/)
  })

  it('saves the WebSocket path a pasted URL names, "/" included', () => {
    const form = formFromProfile(null)
    Object.assign(form.spec, parseBrokerUrl('ws://broker.local:9001/'))
    expect(ProfileSpec.parse(specFromForm(form))).toMatchObject({ scheme: 'ws', host: 'broker.local', port: 9001, path: '/' })
    Object.assign(form.spec, parseBrokerUrl('ws://broker.local:9001'))
    expect(ProfileSpec.parse(specFromForm(form)).path).toBe('/mqtt')
  })

  it('never puts a secret into the saved spec', () => {
    const form = formFromProfile(null)
    form.identity = 'pem'
    form.spec.tls.clientKeyName = 'client.key'
    form.secrets = { keyPem: '-----BEGIN PRIVATE KEY-----\nSECRET\n-----END PRIVATE KEY-----', password: 'hunter2' }
    const json = JSON.stringify(specFromForm(form))
    expect(json).not.toContain('SECRET')
    expect(json).not.toContain('hunter2')
    expect(json).toContain('client.key')
  })
})

describe('the profiles store and in-memory secrets', () => {
  const profile = (id: string) => ({ id, name: id, builtin: undefined, username: 'u', tls: {} }) as unknown as Profile

  it('drops the typed secrets of a profile as soon as it is deleted, keeping the others', async () => {
    const channel = fakeChannel(() => ({ t: 'res', id: 1, ok: true, result: [profile('p1'), profile('p2')] }))
    const app = createApp({})
    installApi(app, { client: createApiClient(channel), channel })
    const pinia = createPinia()
    app.use(pinia)
    setActivePinia(pinia)
    const profiles = useProfilesStore()
    const secrets = useSecretsStore()
    await profiles.load()
    secrets.set('p1', { password: 'hunter2' })
    secrets.set('p2', { password: 'swordfish' })
    channel.push({ t: 'evt', name: 'profiles.changed', payload: [profile('p2')] })
    expect(secrets.has('p1', 'password')).toBe(false)
    expect(secrets.forConnect('p2')).toEqual({ password: 'swordfish' })
  })
})

describe('saving a profile into the vault', () => {
  it('drops a password remembered this run once a newly typed one is stored in the vault', async () => {
    const pinia = createPinia()
    createApp({}).use(pinia)
    setActivePinia(pinia)
    const secrets = useSecretsStore()
    const stored: string[] = []
    const vault = { storeSecret: async (_kind: string, _name: string, value: string) => (stored.push(value), { id: 'item-1' }) } as unknown as Parameters<typeof moveIntoVault>[2]
    const existing = { ...specFromForm(formFromProfile(null)), id: 'p1', username: 'plant' } as unknown as Profile
    secrets.set('p1', { password: 'typed-at-connect' })
    const form = formFromProfile(existing)
    form.secrets.password = 'new-password'
    await moveIntoVault(form, existing, vault, secrets)
    expect(stored).toEqual(['new-password'])
    expect(form.spec.passwordItemId).toBe('item-1')
    expect(secrets.forConnect('p1')).toEqual({})
  })
})

describe('the connections store', () => {
  const state = (status: ConnectionState['status']): ConnectionState => ({
    connectionId: 'p1', profileId: 'p1', name: 'Plant', status, since: 1, subscriptions: [], warnings: [], messageCount: 0, byteCount: 0,
  })

  it('keeps a session that a connect opened while an older list answer was on its way', async () => {
    let answerList: (frame: ResponseFrame) => void = () => {}
    const base = fakeChannel(() => ({ t: 'res', id: 1, ok: true, result: null }))
    const channel: StatusChannel & { push(frame: EventFrame): void } = {
      ...base,
      request: async (method, params) => {
        if (method === 'connections.list') return new Promise<ResponseFrame>((resolve) => (answerList = resolve))
        if (method === 'connections.connect') return { t: 'res', id: 2, ok: true, result: state('connected') }
        return base.request(method, params)
      },
    }
    const app = createApp({})
    installApi(app, { client: createApiClient(channel), channel })
    const pinia = createPinia()
    app.use(pinia)
    setActivePinia(pinia)
    const store = useConnectionsStore()

    const loading = store.load()
    await store.connect('p1', {})
    // The list was computed before the connect reached the backend: it has no session.
    answerList({ t: 'res', id: 1, ok: true, result: [] })
    await loading
    expect(store.tabs.map((t) => t.status)).toEqual(['connected'])
    expect(store.active?.connectionId).toBe('p1')

    // A list asked for after the session ended does remove it.
    const again = store.load()
    answerList({ t: 'res', id: 3, ok: true, result: [] })
    await again
    expect(store.tabs).toEqual([])
  })
})
