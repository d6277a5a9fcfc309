/**
 * Answers every HTTP request of browser mode: Host check, token check (first visit trades the
 * `?token=` for a cookie and redirects it out of the address bar), then the built renderer as
 * static files with a single-page-app fallback. Only GET and HEAD exist.
 */
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { join } from 'node:path'
import { tokenCookieName } from '../api'
import type { RefusalLog } from './refusal-log'
import { hostHeaderCount, isAllowedHost, parseCookies, pathForLog, securityHeaders, tokenCookie, tokensEqual } from './request-guard'
import { INDEX_FILE, mimeType, resolveStaticPath } from '../host/static-files'

export interface HttpHandlerOptions {
  rendererDir: string
  token: string
  /** The port actually bound; read per request because it is known only after listen(). */
  port: () => number
  log: (line: string) => void
  /** Where refusals go: rate-limited per reason, so a flood of bad requests stays a few lines. */
  refusals: RefusalLog
}

/** True when the request carries the per-run token in its cookie. */
export function hasTokenCookie(req: IncomingMessage, token: string, port: number): boolean {
  return tokensEqual(parseCookies(req.headers.cookie).get(tokenCookieName(port)), token)
}

/** Creates the request listener for the browser-mode HTTP server. */
export function createHttpHandler(options: HttpHandlerOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const { rendererDir, token, log, refusals } = options

  function reply(res: ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void {
    res.writeHead(status, { ...securityHeaders(options.port()), 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...extra })
    res.end(text + '\n')
  }

  async function serveFile(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    const target = resolveStaticPath(rendererDir, pathname)
    if (!target) return reply(res, 404, 'Not found.')
    let file = target.file
    let info = await stat(file).catch(() => null)
    if ((!info || !info.isFile()) && target.spaRoute) {
      file = join(rendererDir, INDEX_FILE)
      info = await stat(file).catch(() => null)
    }
    if (!info || !info.isFile()) {
      // Browsers ask for a favicon on their own; a 404 there would be noise in every console.
      if (pathname === '/favicon.ico') return void res.writeHead(204, securityHeaders(options.port())).end()
      return reply(res, 404, 'Not found.')
    }
    const isIndex = file.endsWith(INDEX_FILE)
    res.writeHead(200, {
      ...securityHeaders(options.port()),
      'Content-Type': mimeType(file),
      'Content-Length': String(info.size),
      // The index names hashed bundles, so it must never be cached; the bundles themselves never change.
      'Cache-Control': isIndex ? 'no-store' : pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
    })
    if (req.method === 'HEAD') return void res.end()
    const stream = createReadStream(file)
    stream.on('error', (err) => {
      log(`reading ${file} failed: ${err.message}`)
      res.destroy()
    })
    stream.pipe(res)
  }

  return (req, res) => {
    const port = options.port()
    if (hostHeaderCount(req.rawHeaders) > 1) {
      refusals.refused('duplicate-host', `refused ${req.method} ${pathForLog(req.url)}: more than one Host header`)
      return reply(res, 400, 'A request must carry exactly one Host header.', { Connection: 'close' })
    }
    if (!isAllowedHost(req.headers.host, port)) {
      refusals.refused('host', `refused ${req.method} ${pathForLog(req.url)}: Host "${String(req.headers.host).slice(0, 100)}" is not this server`)
      return reply(res, 421, 'This server answers only to 127.0.0.1 and localhost.')
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return reply(res, 405, 'Only GET and HEAD are supported.', { Allow: 'GET, HEAD' })

    let url: URL
    try {
      url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`)
    } catch {
      return reply(res, 400, 'Bad request.')
    }

    const queryToken = url.searchParams.get('token')
    if (queryToken !== null) {
      if (!tokensEqual(queryToken, token)) {
        refusals.refused('wrong-token', `refused ${pathForLog(url.pathname)}: wrong token in the address`)
        return reply(res, 401, 'That link is from an earlier run. Use the address MQTTS Explorer printed when it started.')
      }
      // Trade the token for a cookie and drop it from the address bar, history and referrers.
      url.searchParams.delete('token')
      // A pathname like "/.//evil.example" normalises to "//evil.example", which a browser reads as
      // another host: keep the redirect on this server.
      const path = url.pathname.replace(/^\/+/, '/')
      return reply(res, 303, 'Signed in.', { 'Set-Cookie': tokenCookie(tokenCookieName(port), token), Location: path + url.search })
    }

    if (!hasTokenCookie(req, token, port)) {
      refusals.refused('no-token', `refused ${pathForLog(url.pathname)}: no valid token cookie`)
      return reply(res, 401, 'Open the address MQTTS Explorer printed when it started; it carries this run\'s access token.')
    }

    serveFile(req, res, url.pathname).catch((err: unknown) => {
      log(`serving ${url.pathname} failed: ${String(err)}`)
      if (!res.headersSent) reply(res, 500, 'Internal error.')
      else res.destroy()
    })
  }
}
