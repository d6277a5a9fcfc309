import { Agent, request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { tokenCookieName, WS_RPC_PATH } from '../../electron/api'
import { startWebApp, type WebApp } from '../fixtures/web-app'

interface RawResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** A raw HTTP request (fetch cannot forge Host headers or send un-normalised paths). */
function get(app: WebApp, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<RawResponse> {
  return new Promise((resolveRes, reject) => {
    const req = request({ host: '127.0.0.1', port: app.port, path, method, headers: { Host: `127.0.0.1:${app.port}`, ...headers } }, (res) => {
      let body = ''
      res.setEncoding('utf8').on('data', (c: string) => (body += c))
      res.on('end', () => resolveRes({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

/** Tries a WebSocket upgrade; resolves with 'open' or the HTTP status the server refused it with. */
function tryWebSocket(app: WebApp, headers: Record<string, string>, path = WS_RPC_PATH): Promise<'open' | number> {
  return new Promise((done) => {
    const ws = new WebSocket(`ws://127.0.0.1:${app.port}${path}`, { headers })
    ws.on('open', () => {
      ws.close()
      done('open')
    })
    ws.on('unexpected-response', (_req, res) => {
      done(res.statusCode ?? 0)
      ws.terminate()
    })
    ws.on('error', () => {})
  })
}

let app: WebApp
beforeAll(async () => {
  app = await startWebApp()
})
afterAll(async () => {
  await app?.stop()
})

describe('browser mode: who may load the app', () => {
  it('refuses a request without the token', async () => {
    const res = await get(app, '/')
    expect(res.status).toBe(401)
    expect(res.body).not.toContain('<script')
    // The answer can overtake the log line on its way through the stderr pipe: wait for it.
    expect(await app.waitForStderr(/refused \/: no valid token cookie/)).toMatch(/refused/)
  })

  it('refuses a wrong token in the address and in the cookie', async () => {
    expect((await get(app, `/?token=${'0'.repeat(64)}`)).status).toBe(401)
    expect((await get(app, '/', { Cookie: `${tokenCookieName(app.port)}=${'0'.repeat(64)}` })).status).toBe(401)
    expect((await get(app, '/', { Cookie: `${tokenCookieName(app.port)}=${app.token.slice(0, 63)}` })).status).toBe(401)
  })

  it('trades the printed token for an HttpOnly, SameSite=Strict cookie and drops it from the address', async () => {
    const res = await get(app, `/?token=${app.token}`)
    expect(res.status).toBeGreaterThanOrEqual(300)
    expect(res.status).toBeLessThan(400)
    expect(res.headers.location).toBe('/')
    const cookie = String(res.headers['set-cookie'])
    expect(cookie).toContain(`${tokenCookieName(app.port)}=${app.token}`)
    expect(cookie).toMatch(/HttpOnly/i)
    expect(cookie).toMatch(/SameSite=Strict/i)
    expect(cookie).toMatch(/Path=\//)
  })

  it('serves the app with the cookie, uncached, under a CSP that forbids eval', async () => {
    const res = await get(app, '/', { Cookie: app.cookie })
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(res.headers['cache-control']).toBe('no-store')
    const csp = String(res.headers['content-security-policy'])
    expect(csp).toContain("script-src 'self'")
    expect(csp).toContain(`ws://127.0.0.1:${app.port}`)
    expect(csp).not.toContain('unsafe-eval')
    expect(res.headers['x-content-type-options']).toBe('nosniff')
    expect(res.headers['referrer-policy']).toBe('no-referrer')
    expect(res.body).toMatch(/<html/i)
  })

  it('serves bundled scripts as JavaScript and unknown routes as the app', async () => {
    const index = await get(app, '/', { Cookie: app.cookie })
    // electron-vite builds with base './', so the index names its bundles relative to the root.
    const script = /src="\.?(\/assets\/[^"]+\.js)"/.exec(index.body)?.[1]
    expect(script, 'index.html names a bundled script').toBeTruthy()
    const js = await get(app, script!, { Cookie: app.cookie })
    expect(js.status).toBe(200)
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8')
    const route = await get(app, '/connections/sandbox', { Cookie: app.cookie })
    expect(route.status).toBe(200)
    expect(route.body).toBe(index.body)
    expect((await get(app, '/assets/missing.js', { Cookie: app.cookie })).status).toBe(404)
  })

  it('never serves files outside the renderer folder', async () => {
    for (const path of ['/../package.json', '/%2e%2e/package.json', '/assets/..%2f..%2fpackage.json', '/..%5c..%5cpackage.json', '/%2e%2e/%2e%2e/main/web.js']) {
      const res = await get(app, path, { Cookie: app.cookie })
      expect(res.body, path).not.toContain('"devDependencies"')
      expect(res.body, path).not.toContain('MQTTS Explorer listening')
    }
  })

  it('refuses a foreign Host header even with the right cookie (DNS rebinding)', async () => {
    const res = await get(app, '/', { Cookie: app.cookie, Host: `rebind.example:${app.port}` })
    expect([403, 421]).toContain(res.status)
    expect((await get(app, '/', { Cookie: app.cookie, Host: `127.0.0.1:${app.port + 1}` })).status).toBe(421)
  })

  it('accepts only GET and HEAD', async () => {
    expect((await get(app, '/', { Cookie: app.cookie }, 'POST')).status).toBe(405)
    const head = await get(app, '/', { Cookie: app.cookie }, 'HEAD')
    expect(head.status).toBe(200)
    expect(head.body).toBe('')
  })
})

describe('browser mode: who may open the RPC socket', () => {
  it('accepts our own page: right cookie, own Origin', async () => {
    expect(await tryWebSocket(app, app.wsHeaders())).toBe('open')
    expect(await tryWebSocket(app, { Cookie: app.cookie, Origin: `http://localhost:${app.port}` })).toBe('open')
  })

  it('refuses a socket without the cookie or with a wrong one', async () => {
    expect(await tryWebSocket(app, { Origin: app.origin })).toBe(401)
    expect(await tryWebSocket(app, { Origin: app.origin, Cookie: `${tokenCookieName(app.port)}=${'f'.repeat(64)}` })).toBe(401)
  })

  it('refuses a socket from another origin, or with none', async () => {
    expect(await tryWebSocket(app, { Cookie: app.cookie, Origin: 'http://evil.example' })).toBe(403)
    expect(await tryWebSocket(app, { Cookie: app.cookie, Origin: `http://127.0.0.1:${app.port + 1}` })).toBe(403)
    expect(await tryWebSocket(app, { Cookie: app.cookie })).toBe(403)
  })

  it('refuses a socket addressed by a foreign Host name', async () => {
    expect(await tryWebSocket(app, { ...app.wsHeaders(), Host: `rebind.example:${app.port}` })).toBe(421)
  })

  it('has no socket endpoint besides the RPC path', async () => {
    expect(await tryWebSocket(app, app.wsHeaders(), '/other')).toBe(404)
  })

  it('logs each refusal to stderr, never to stdout', async () => {
    await app.waitForStderr(/refused WebSocket.*Origin/)
    await app.waitForStderr(/refused WebSocket.*no valid token cookie/)
  })
})

describe('browser mode: a flood of bad requests', () => {
  // Last in this file: it stops the host to read the summary written on shutdown.
  it('logs a few refusals in full and sums up the rest instead of one line each', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 8 })
    const count = 1000
    try {
      await Promise.all(
        Array.from(
          { length: count },
          (_, i) =>
            new Promise<void>((done, fail) => {
              const req = request({ agent, host: '127.0.0.1', port: app.port, path: `/flood-${i}`, headers: { Host: `127.0.0.1:${app.port}` } }, (res) => {
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
    await app.stop()
    await app.waitForStderr(/… and \d+ more refused requests \(no valid token cookie\) in the last minute/)
    const lines = app.stderr().split('\n')
    const full = lines.filter((l) => /^\[web\] refused .*: no valid token cookie$/.test(l)).length
    const summaries = lines.map((l) => /… and (\d+) more refused requests \(no valid token cookie\)/.exec(l)?.[1]).filter((n) => n !== undefined)
    // 10 full lines per minute and reason (the earlier tests of this file used some), then one
    // summary line per minute; every refusal is either shown or counted.
    expect(full).toBeLessThanOrEqual(10 * summaries.length)
    expect(full + summaries.reduce((sum, n) => sum + Number(n), 0)).toBeGreaterThanOrEqual(count)
  }, 60_000)
})
