import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type AppInfo, type Profile, type ResponseFrame } from '../../electron/api'
import { openRpcSocket, type RpcSocket } from '../fixtures/rpc-socket'
import { startWebApp, type WebApp } from '../fixtures/web-app'

const pkg = JSON.parse(readFileSync(resolve(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }

let app: WebApp
beforeAll(async () => {
  app = await startWebApp()
})
afterAll(async () => {
  await app?.stop()
})

describe('RPC over the browser-mode WebSocket', () => {
  it('answers app.info with this run’s mode, version and data folder', async () => {
    const client = await openRpcSocket(app)
    const res = await client.call('app.info')
    expect(res.ok).toBe(true)
    const info = (res as { result: AppInfo }).result
    expect(info.mode).toBe('browser')
    expect(info.version).toBe(pkg.version)
    expect(info.dataDir).toBe(app.dataDir)
    client.ws.close()
  })

  it('lists profiles, starting with the built-in Sandbox', async () => {
    const client = await openRpcSocket(app)
    const res = await client.call('profiles.list', {})
    expect(res.ok).toBe(true)
    const profiles = (res as { result: Profile[] }).result
    expect(Array.isArray(profiles)).toBe(true)
    expect(profiles.some((p) => p.builtin === 'sandbox')).toBe(true)
    client.ws.close()
  })

  it('answers invalid params with BAD_REQUEST and a readable sentence', async () => {
    const client = await openRpcSocket(app)
    const res = await client.call('profiles.delete', { id: 42 })
    expect(res).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } })
    expect((res as { error: { message: string } }).error.message).toMatch(/profiles\.delete/)
    client.ws.close()
  })

  it('answers a made-up method with UNKNOWN_METHOD', async () => {
    const client = await openRpcSocket(app)
    expect(await client.call('fs.readFile', { path: '/etc/passwd' })).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } })
    client.ws.close()
  })

  it('keeps serving other clients after one sends garbage', async () => {
    const bad = await openRpcSocket(app)
    const closed = bad.closed()
    bad.sendRaw('this is not json')
    expect(await closed).toBe(1003)
    const good = await openRpcSocket(app)
    expect((await good.call('app.info')).ok).toBe(true)
    good.ws.close()
  })

  it('answers a malformed frame that has an id with BAD_REQUEST instead of hanging', async () => {
    const client = await openRpcSocket(app)
    const reply = new Promise<ResponseFrame>((done) => client.ws.once('message', (d) => done(JSON.parse(d.toString()) as ResponseFrame)))
    client.sendRaw(JSON.stringify({ t: 'req', id: 99, method: 7 }))
    expect(await reply).toMatchObject({ t: 'res', id: 99, ok: false, error: { code: 'BAD_REQUEST' } })
    client.ws.close()
  })

  it('broadcasts one event to every open window, each getting the whole frame', async () => {
    const [a, b] = [await openRpcSocket(app), await openRpcSocket(app)]
    const changed = (client: RpcSocket) =>
      new Promise<unknown>((done) =>
        client.ws.on('message', (data: Buffer) => {
          const frame = JSON.parse(data.toString()) as { t: string; name?: string; payload?: unknown }
          if (frame.t === 'evt' && frame.name === 'settings.changed') done(frame.payload)
        }),
      )
    const seen = Promise.all([changed(a), changed(b)])
    const res = await a.call('settings.update', { patch: { tree: { historyMessagesPerTopic: 7 } } })
    expect(res.ok).toBe(true)
    const [toA, toB] = await seen
    expect(toA).toMatchObject({ tree: { historyMessagesPerTopic: 7 } })
    expect(toB).toEqual(toA)
    a.ws.close()
    b.ws.close()
  })
})

describe('browser-mode shutdown', () => {
  it('exits cleanly on SIGTERM', async () => {
    const other = await startWebApp()
    expect(await other.stop()).toBe(0)
  })
})
