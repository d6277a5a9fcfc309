import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { request } from 'node:http'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RpcServer } from '../../electron/rpc/server'
import { startWebHost, type WebHost } from '../../electron/web/web-host'

const TOKEN = 'a'.repeat(64)
let dir: string
let host: WebHost
const logs: string[] = []

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'web-host-refusals-'))
  await writeFile(join(dir, 'index.html'), '<html></html>')
  // No request reaches the RPC server in these tests.
  host = await startWebHost({ rpc: {} as RpcServer, rendererDir: dir, token: TOKEN, port: 0, log: (line) => logs.push(line) })
})
afterAll(async () => {
  await host?.close()
  await rm(dir, { recursive: true, force: true })
})

describe('web host: refusals that must not go wrong', () => {
  it('keeps the sign-in redirect on this server when the path normalises to "//other-host"', async () => {
    const location = await new Promise<string | undefined>((done, fail) => {
      const req = request({ host: '127.0.0.1', port: host.port, path: `/.//evil.example/?token=${TOKEN}`, headers: { Host: `127.0.0.1:${host.port}` } }, (res) => {
        res.resume()
        done(res.headers.location)
      })
      req.on('error', fail)
      req.end()
    })
    expect(location).toBe('/evil.example/')
  })

  it('never writes the token to the log when it refuses a request that carries it', async () => {
    await new Promise<void>((done, fail) => {
      const req = request({ host: '127.0.0.1', port: host.port, path: `/?token=${TOKEN}`, headers: { Host: `my-box.lan:${host.port}` } }, (res) => {
        res.resume()
        expect(res.statusCode).toBe(421)
        done()
      })
      req.on('error', fail)
      req.end()
    })
    expect(logs.some((line) => line.includes('refused'))).toBe(true)
    expect(logs.join('\n')).not.toContain(TOKEN)
  })

  it('survives a client that resets a refused WebSocket upgrade', async () => {
    await new Promise<void>((done) => {
      const c = connect(host.port, '127.0.0.1', () => {
        c.write(`GET /not-rpc HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`)
        c.resetAndDestroy()
        done()
      })
    })
    // The host still answers afterwards (an unhandled socket error would also fail the run).
    const status = await new Promise<number>((done, fail) => {
      const req = request({ host: '127.0.0.1', port: host.port, path: '/', headers: { Host: `127.0.0.1:${host.port}` } }, (res) => {
        res.resume()
        done(res.statusCode ?? 0)
      })
      req.on('error', fail)
      req.end()
    })
    expect(status).toBe(401)
  })
})
