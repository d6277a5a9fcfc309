import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { Agent, request } from 'node:http'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tokenCookieName } from '../../electron/api'
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

/** Sends raw bytes and resolves with everything the server answered before closing (or 2 s of quiet). */
function rawExchange(port: number, text: string): Promise<string> {
  return new Promise((done, fail) => {
    let answer = ''
    const c = connect(port, '127.0.0.1', () => c.write(text))
    c.setEncoding('utf8')
    c.on('data', (d: string) => {
      answer += d
      // One full response is enough; keep-alive would otherwise hold the socket open.
      if (/\r\n\r\n/.test(answer)) c.end()
    })
    c.on('end', () => done(answer))
    c.on('close', () => done(answer))
    c.on('error', fail)
    c.setTimeout(5000, () => c.destroy(new Error(`no answer to ${JSON.stringify(text.slice(0, 40))}`)))
  })
}

describe('web host: two Host headers', () => {
  const cookie = () => `Cookie: ${tokenCookieName(host.port)}=${TOKEN}\r\n`

  it('serves the page with one Host header and the cookie (the control case)', async () => {
    const answer = await rawExchange(host.port, `GET / HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\n${cookie()}Connection: close\r\n\r\n`)
    expect(answer).toMatch(/^HTTP\/1\.1 200 /)
  })

  it('answers 400 to a request naming this server first and another one second', async () => {
    const answer = await rawExchange(host.port, `GET / HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nHost: evil.example\r\n${cookie()}Connection: close\r\n\r\n`)
    expect(answer).toMatch(/^HTTP\/1\.1 400 /)
    expect(answer).not.toContain('<html>')
    expect(logs.some((line) => /refused GET \/: more than one Host header/.test(line))).toBe(true)
  })

  it('answers 400 to a WebSocket upgrade with two Host headers', async () => {
    const answer = await rawExchange(
      host.port,
      `GET /rpc HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nHost: 127.0.0.1:${host.port}\r\n${cookie()}Origin: http://127.0.0.1:${host.port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`,
    )
    expect(answer).toMatch(/^HTTP\/1\.1 400 /)
  })
})

describe('web host: a flood of refusals', () => {
  /** `count` requests without the token over one keep-alive agent; resolves once all were answered. */
  async function refusedRequests(port: number, count: number): Promise<void> {
    const agent = new Agent({ keepAlive: true, maxSockets: 8 })
    try {
      await Promise.all(
        Array.from(
          { length: count },
          (_, i) =>
            new Promise<void>((done, fail) => {
              const req = request({ agent, host: '127.0.0.1', port, path: `/flood-${i}`, headers: { Host: `127.0.0.1:${port}` } }, (res) => {
                res.resume()
                res.on('end', () => (res.statusCode === 401 ? done() : fail(new Error(`status ${res.statusCode}`))))
              })
              req.on('error', fail)
              req.end()
            }),
        ),
      )
    } finally {
      agent.destroy()
    }
  }

  it('logs the first refusals of a reason in full and the rest as one summary line', async () => {
    const lines: string[] = []
    const flooded = await startWebHost({ rpc: {} as RpcServer, rendererDir: dir, token: TOKEN, port: 0, log: (l) => lines.push(l), refusalLog: { linesPerWindow: 5, windowMs: 60_000 } })
    try {
      await refusedRequests(flooded.port, 2000)
      expect(lines.filter((l) => l.includes('no valid token cookie'))).toHaveLength(5)
      expect(lines.filter((l) => l.startsWith('refused /flood-'))).toHaveLength(5)
    } finally {
      // Shutting down writes what is pending, so no refusal goes uncounted.
      await flooded.close()
    }
    expect(lines).toContain('… and 1995 more refused requests (no valid token cookie) in the last minute')
    expect(lines.length).toBe(6)
  }, 60_000)
})
