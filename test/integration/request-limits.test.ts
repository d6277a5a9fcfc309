/**
 * Hostile requests against the real browser-mode backend (issue 9, item 3): oversize lists and
 * records are answered with BAD_REQUEST naming the field and its limit, the backend keeps
 * answering, and its memory does not balloon. Figures (how long the loop was blocked) live in the
 * report, not here: these tests assert answers and order, never time.
 */
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAX_ALPN_PROTOCOLS, MAX_REQUEST_FRAME_BYTES, MAX_SUBSCRIPTIONS, MAX_USER_PROPERTIES, parseBrokerUrl, type Profile, type ResponseFrame } from '../../electron/api'
import { openRpcSocket } from '../fixtures/rpc-socket'
import { startWebApp, type WebApp } from '../fixtures/web-app'

type Failed = Extract<ResponseFrame, { ok: false }>

/** The backend's peak resident memory so far (VmHWM), in MB. */
function peakRssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmHWM:'))
  return Number(line?.split(/\s+/)[1]) / 1024
}

const spec = (extra: string) => `{"spec":{"name":"hostile","scheme":"mqtt","host":"127.0.0.1","port":1883${extra}}}`
const numbers = (n: number) => `[${'1,'.repeat(n - 1)}1]`
const subscriptions = (n: number) => `[${Array.from({ length: n }, (_, i) => `{"filter":"t/${i}"}`).join(',')}]`
const userProperties = (n: number) => `{${Array.from({ length: n }, (_, i) => `"k${i}":"v"`).join(',')}}`

let app: WebApp
beforeAll(async () => {
  app = await startWebApp()
})
afterAll(async () => {
  await app?.stop()
})

describe('hostile requests over the browser-mode WebSocket', () => {
  it.each([
    ['tls.alpn of 4,000,000 numbers (an 8 MB frame)', () => spec(`,"tls":{"alpn":${numbers(4_000_000)}}`), 'spec.tls.alpn', MAX_ALPN_PROTOCOLS],
    ['tls.alpn of 8,000,000 numbers (a 16 MB frame)', () => spec(`,"tls":{"alpn":${numbers(8_000_000)}}`), 'spec.tls.alpn', MAX_ALPN_PROTOCOLS],
    ['200,000 subscriptions', () => spec(`,"subscriptions":${subscriptions(200_000)}`), 'spec.subscriptions', MAX_SUBSCRIPTIONS],
    ['a will with 1,000,000 user properties', () => spec(`,"will":{"topic":"w","properties":{"userProperties":${userProperties(1_000_000)}}}`), 'spec.will.properties.userProperties', MAX_USER_PROPERTIES],
    ['ALPN one entry over its limit', () => spec(`,"tls":{"alpn":${JSON.stringify(Array(MAX_ALPN_PROTOCOLS + 1).fill('mqtt'))}}`), 'spec.tls.alpn', MAX_ALPN_PROTOCOLS],
    ['subscriptions one over the limit', () => spec(`,"subscriptions":${subscriptions(MAX_SUBSCRIPTIONS + 1)}`), 'spec.subscriptions', MAX_SUBSCRIPTIONS],
    ['user properties one over the limit', () => spec(`,"will":{"topic":"w","properties":{"userProperties":${userProperties(MAX_USER_PROPERTIES + 1)}}}`), 'spec.will.properties.userProperties', MAX_USER_PROPERTIES],
  ])('answers profiles.create with %s with BAD_REQUEST naming the field and its limit, and answers the next request', async (_what, params, field, limit) => {
    const client = await openRpcSocket(app)
    const peakBefore = peakRssMb(app.process.pid!)
    const order: string[] = []
    const bad = client.callText('profiles.create', params()).then((res) => (order.push('bad'), res))
    const ping = client.call('app.info').then((res) => (order.push('ping'), res))
    const res = (await bad) as Failed
    expect(res).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } })
    expect(res.error.message).toContain(field)
    expect(res.error.message).toContain(`${limit} `)
    expect((await ping).ok).toBe(true)
    expect(order).toEqual(['bad', 'ping'])
    // The old code took the backend to 3.4 GB on the 4,000,000-number frame.
    expect(peakRssMb(app.process.pid!) - peakBefore).toBeLessThan(500)
    const list = (await client.call('profiles.list')) as { result: Profile[] }
    expect(list.result.some((p) => p.name === 'hostile')).toBe(false)
    client.ws.close()
  })

  it('answers a frame as big as the transport takes with BAD_REQUEST, and keeps answering', async () => {
    const client = await openRpcSocket(app)
    const payload = 'x'.repeat(MAX_REQUEST_FRAME_BYTES - 1000)
    const bad = client.callText('connections.publish', `{"connectionId":"c","topic":"t","payload":"${payload}"}`)
    const ping = client.call('app.info')
    const res = (await bad) as Failed
    expect(res).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } })
    expect(res.error.message).toContain('payload')
    expect((await ping).ok).toBe(true)
    client.ws.close()
  })

  it('refuses a frame nested deeper than any request, naming the limit', async () => {
    const client = await openRpcSocket(app)
    const deep = `${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`
    const res = (await client.callText('profiles.create', `{"spec":{"name":"x","host":"h","port":1,"subscriptions":${deep}}}`)) as Failed
    expect(res).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } })
    expect(res.error.message).toMatch(/spec\.subscriptions.*Too deep/)
    expect((await client.call('app.info')).ok).toBe(true)
    client.ws.close()
  })

  it('still takes a profile at every limit', async () => {
    const client = await openRpcSocket(app)
    const res = await client.callText(
      'profiles.create',
      spec(`,"subscriptions":${subscriptions(MAX_SUBSCRIPTIONS)},"tls":{"alpn":${JSON.stringify(Array(MAX_ALPN_PROTOCOLS).fill('mqtt'))}},"will":{"topic":"w","properties":{"userProperties":${userProperties(MAX_USER_PROPERTIES)}}}`),
    )
    expect(res.ok).toBe(true)
    const saved = (res as { result: Profile }).result
    expect(saved.subscriptions).toHaveLength(MAX_SUBSCRIPTIONS)
    await client.call('profiles.delete', { id: saved.id })
    client.ws.close()
  })
})

describe('saving a pasted WebSocket address', () => {
  it('keeps the path "/" of ws://host:port/ in the saved profile', async () => {
    const client = await openRpcSocket(app)
    const parsed = parseBrokerUrl('ws://127.0.0.1:9001/')!
    const res = await client.call('profiles.create', { spec: { name: 'ws root', ...parsed } })
    expect(res.ok).toBe(true)
    const list = (await client.call('profiles.list')) as { result: Profile[] }
    expect(list.result.find((p) => p.name === 'ws root')).toMatchObject({ scheme: 'ws', port: 9001, path: '/' })
    client.ws.close()
  })
})
