import { join, resolve, sep } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { parseWebArgs } from '../../electron/web/cli-args'
import { defaultDataDir } from '../../electron/host/data-dir'
import { openCommand } from '../../electron/web/open-browser'
import { buildCsp } from '../../electron/host/csp'
import { createToken, hostHeaderCount, isAllowedHost, isAllowedOrigin, parseCookies, securityHeaders, tokenCookie, tokensEqual } from '../../electron/web/request-guard'
import { createRefusalLog } from '../../electron/web/refusal-log'
import { mimeType, resolveStaticPath } from '../../electron/host/static-files'

describe('browser-mode token', () => {
  it('is 32 random bytes in hex, different every run', () => {
    const a = createToken()
    expect(a).toMatch(/^[0-9a-f]{64}$/)
    expect(createToken()).not.toBe(a)
  })

  it('matches only the exact token', () => {
    const t = createToken()
    expect(tokensEqual(t, t)).toBe(true)
    expect(tokensEqual(t.slice(0, -1), t)).toBe(false)
    expect(tokensEqual(t + '0', t)).toBe(false)
    expect(tokensEqual(t.toUpperCase(), t)).toBe(false)
    expect(tokensEqual('', t)).toBe(false)
    expect(tokensEqual(undefined, t)).toBe(false)
  })

  it('travels in a cookie script cannot read and other sites never send', () => {
    expect(tokenCookie('mqtts_token', 'abc')).toBe('mqtts_token=abc; HttpOnly; SameSite=Strict; Path=/')
    expect(parseCookies('a=1; mqtts_token=abc ; b=2').get('mqtts_token')).toBe('abc')
    expect(parseCookies('mqtts_token=first; mqtts_token=second').get('mqtts_token')).toBe('first')
    expect(parseCookies(undefined).size).toBe(0)
  })
})

describe('Host and Origin checks', () => {
  it('accepts only loopback names with the exact port', () => {
    expect(isAllowedHost('127.0.0.1:8848', 8848)).toBe(true)
    expect(isAllowedHost('LOCALHOST:8848', 8848)).toBe(true)
    for (const host of ['127.0.0.1:8849', '127.0.0.1', 'evil.example:8848', 'localhost.evil.example:8848', '[::1]:8848', '', undefined]) {
      expect(isAllowedHost(host, 8848), String(host)).toBe(false)
    }
  })

  it('counts Host headers in the raw list, whatever their case', () => {
    expect(hostHeaderCount(['Host', '127.0.0.1:8848', 'Cookie', 'x'])).toBe(1)
    expect(hostHeaderCount(['Host', '127.0.0.1:8848', 'HOST', 'evil.example'])).toBe(2)
    expect(hostHeaderCount(['Cookie', 'host'])).toBe(0)
  })

  it('accepts WebSocket origins of this very app only', () => {
    expect(isAllowedOrigin('http://127.0.0.1:8848', 8848)).toBe(true)
    expect(isAllowedOrigin('http://localhost:8848', 8848)).toBe(true)
    for (const origin of ['http://127.0.0.1:9999', 'https://127.0.0.1:8848', 'http://evil.example', 'null', 'http://127.0.0.1:8848.evil.example', undefined]) {
      expect(isAllowedOrigin(origin, 8848), String(origin)).toBe(false)
    }
  })
})

describe('security headers', () => {
  it('sends a strict CSP without eval or remote origins', () => {
    const csp = securityHeaders(8848)['Content-Security-Policy']
    expect(csp).toContain("default-src 'self'")
    expect(csp).toContain("script-src 'self';")
    expect(csp).toContain("connect-src 'self' ws://127.0.0.1:8848 ws://localhost:8848")
    expect(csp).toContain("object-src 'none'")
    expect(csp).toContain("frame-ancestors 'none'")
    expect(csp).not.toContain('unsafe-eval')
    expect(buildCsp()).toContain("connect-src 'self';")
  })

  it('forbids sniffing, referrers and framing', () => {
    const h = securityHeaders(1)
    expect(h['X-Content-Type-Options']).toBe('nosniff')
    expect(h['Referrer-Policy']).toBe('no-referrer')
    expect(h['X-Frame-Options']).toBe('DENY')
  })
})

describe('static file paths', () => {
  const root = resolve('/srv/renderer')

  it('serves files under the root with the right content type', () => {
    expect(resolveStaticPath(root, '/assets/app.js')).toEqual({ file: join(root, 'assets', 'app.js'), spaRoute: false })
    expect(mimeType('x.js')).toBe('text/javascript; charset=utf-8')
    expect(mimeType('x.css')).toBe('text/css; charset=utf-8')
    expect(mimeType('x.html')).toBe('text/html; charset=utf-8')
    expect(mimeType('x.woff2')).toBe('font/woff2')
    expect(mimeType('x.unknown')).toBe('application/octet-stream')
  })

  it('refuses traversal in every spelling', () => {
    for (const p of ['/../package.json', '/assets/../../x', '/%2e%2e/x', '/assets/%2E%2E/%2E%2E/x', '/..%2fx', '/a%5c..%5cx', '/a%00.js', '/%E0%A4%A', 'relative']) {
      expect(resolveStaticPath(root, p), p).toBeNull()
    }
  })

  it('treats the root and extension-less paths as app routes', () => {
    expect(resolveStaticPath(root, '/')).toEqual({ file: join(root, 'index.html'), spaRoute: true })
    expect(resolveStaticPath(root, '/connections/42')?.spaRoute).toBe(true)
    expect(resolveStaticPath(root, '//etc/passwd')?.file.startsWith(root + sep)).toBe(true)
  })
})

describe('browser-mode command line', () => {
  const fallback = () => '/default'

  it('defaults to the standard port, the shared data folder and opening a browser', () => {
    expect(parseWebArgs([], fallback)).toEqual({ port: undefined, dataDir: '/default', dataDirGiven: false, open: true, help: false })
  })

  it('takes a port, a data folder and --no-open', () => {
    expect(parseWebArgs(['--port', '0', '--data-dir', 'rel/dir', '--no-open'], fallback)).toEqual({ port: 0, dataDir: resolve('rel/dir'), dataDirGiven: true, open: false, help: false })
  })

  it('rejects bad ports and unknown flags with a sentence', () => {
    expect(() => parseWebArgs(['--port', 'abc'], fallback)).toThrow(/--port must be a number/)
    expect(() => parseWebArgs(['--port', '70000'], fallback)).toThrow(/--port must be a number/)
    expect(() => parseWebArgs(['--bogus'], fallback)).toThrow()
  })

  it('uses the folder Electron would use for "MQTTS Explorer" on each platform', () => {
    expect(defaultDataDir('linux', {}, '/home/u')).toBe(join('/home/u', '.config', 'MQTTS Explorer'))
    expect(defaultDataDir('linux', { XDG_CONFIG_HOME: '/xdg' }, '/home/u')).toBe(join('/xdg', 'MQTTS Explorer'))
    expect(defaultDataDir('darwin', {}, '/Users/u')).toBe(join('/Users/u', 'Library', 'Application Support', 'MQTTS Explorer'))
    expect(defaultDataDir('win32', { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'C:\\Users\\u')).toBe(join('C:\\Users\\u\\AppData\\Roaming', 'MQTTS Explorer'))
  })

  it('does not try to open a browser on a Linux machine without a display', () => {
    expect(openCommand('http://x', 'linux', {})).toBeNull()
    expect(openCommand('http://x', 'linux', { DISPLAY: ':0' })).toEqual(['xdg-open', ['http://x']])
    expect(openCommand('http://x', 'darwin', {})).toEqual(['open', ['http://x']])
  })
})

describe('refusal log', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('logs the first lines of each reason, counts the rest, and sums them up on flush', () => {
    const lines: string[] = []
    const refusals = createRefusalLog((l) => lines.push(l), { linesPerWindow: 2, windowMs: 60_000 })
    for (let i = 0; i < 5; i++) refusals.refused('no-token', `no-token ${i}`)
    refusals.refused('host', 'host 0')
    expect(lines).toEqual(['no-token 0', 'no-token 1', 'host 0'])
    refusals.flush()
    expect(lines.slice(3)).toEqual(['… and 3 more refused requests (no valid token cookie) in the last minute'])
    refusals.refused('no-token', 'no-token again')
    expect(lines.at(-1)).toBe('no-token again')
    refusals.flush()
  })

  it('writes the summary when the window ends, then logs in full again', () => {
    vi.useFakeTimers()
    const lines: string[] = []
    const refusals = createRefusalLog((l) => lines.push(l), { linesPerWindow: 2, windowMs: 300 })
    for (let i = 0; i < 50; i++) refusals.refused('no-token', `refused /flood-${i}`)
    refusals.refused('host', 'host 0')
    expect(lines).toEqual(['refused /flood-0', 'refused /flood-1', 'host 0'])
    vi.advanceTimersByTime(299)
    expect(lines).toHaveLength(3)
    vi.advanceTimersByTime(1)
    // A reason that stayed within its lines has nothing to sum up.
    expect(lines.slice(3)).toEqual(['… and 48 more refused requests (no valid token cookie) in the last 300 ms'])
    refusals.refused('no-token', 'refused /flood-0')
    expect(lines.slice(4)).toEqual(['refused /flood-0'])
    refusals.refused('no-token', 'refused /flood-1')
    refusals.refused('no-token', 'refused /flood-2')
    vi.advanceTimersByTime(300)
    expect(lines.slice(5)).toEqual(['refused /flood-1', '… and 1 more refused requests (no valid token cookie) in the last 300 ms'])
    refusals.flush()
    expect(lines).toHaveLength(7)
  })
})
