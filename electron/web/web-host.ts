/**
 * The browser-mode server: one HTTP server on 127.0.0.1 serving the built renderer, plus the RPC
 * WebSocket at WS_RPC_PATH. Every request and every upgrade must show the per-run token, name
 * this server in its Host header, and (for WebSockets) come from this server's own origin.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer } from 'ws'
import { MAX_REQUEST_FRAME_BYTES, WS_RPC_PATH } from '../api'
import type { RpcServer } from '../rpc/server'
import { serveWebSocket } from '../rpc/ws-transport'
import { createHttpHandler, hasTokenCookie } from './http-handler'
import { createRefusalLog, type RefusalLogOptions, type RefusalReason } from './refusal-log'
import { hostHeaderCount, isAllowedHost, isAllowedOrigin, pathForLog } from './request-guard'

/** Largest WebSocket message accepted from the page (a big publish payload fits; a runaway does not). */
export const MAX_WS_MESSAGE_BYTES = MAX_REQUEST_FRAME_BYTES

/** Port used when none is asked for; a free one is picked if it is taken. */
export const DEFAULT_PORT = 8848

export interface WebHostOptions {
  rpc: RpcServer
  rendererDir: string
  token: string
  /** 0 = any free port; undefined = DEFAULT_PORT, or any free port if that one is taken. */
  port?: number
  log: (line: string) => void
  /** How many refusal lines per reason and window are logged before they are only counted. */
  refusalLog?: RefusalLogOptions
}

export interface WebHost {
  readonly port: number
  readonly url: string
  close(): Promise<void>
}

/** Starts the server and resolves once it listens. */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const { rpc, token, log } = options
  let port = 0
  const refusals = createRefusalLog(log, options.refusalLog)
  const server = createServer(createHttpHandler({ rendererDir: options.rendererDir, token, port: () => port, log, refusals }))
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_WS_MESSAGE_BYTES, perMessageDeflate: false })

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const refusal = upgradeRefusal(req, token, port)
    if (refusal) {
      refusals.refused(refusal.kind, `refused WebSocket ${pathForLog(req.url)}: ${refusal.reason}`)
      // Node took its own 'error' listener off this socket when it emitted 'upgrade': without one,
      // a client resetting the refused connection would be an uncaught exception that ends the host.
      socket.on('error', () => socket.destroy())
      socket.end(`HTTP/1.1 ${refusal.status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const label = `ws:${req.socket.remotePort ?? '?'}`
      serveWebSocket(rpc, ws, { label, log })
    })
  })
  server.on('clientError', (_err, socket) => socket.destroy())

  port = await listen(server, options.port)

  return {
    port,
    url: `http://127.0.0.1:${port}/?token=${token}`,
    close: async () => {
      await closeAll(server, wss)
      refusals.flush()
    },
  }
}

/** Why an upgrade request is refused, or null to accept it. */
function upgradeRefusal(req: IncomingMessage, token: string, port: number): { status: string; kind: RefusalReason; reason: string } | null {
  if (hostHeaderCount(req.rawHeaders) > 1) return { status: '400 Bad Request', kind: 'duplicate-host', reason: 'more than one Host header' }
  if (!isAllowedHost(req.headers.host, port)) return { status: '421 Misdirected Request', kind: 'host', reason: `Host "${String(req.headers.host).slice(0, 100)}" is not this server` }
  const path = (req.url ?? '').split('?')[0]
  if (path !== WS_RPC_PATH) return { status: '404 Not Found', kind: 'no-endpoint', reason: 'no WebSocket endpoint there' }
  if (!isAllowedOrigin(req.headers.origin, port)) return { status: '403 Forbidden', kind: 'origin', reason: `Origin "${String(req.headers.origin).slice(0, 100)}" is not this app` }
  if (!hasTokenCookie(req, token, port)) return { status: '401 Unauthorized', kind: 'no-token', reason: 'no valid token cookie' }
  return null
}

function listenOnce(server: Server, port: number): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const onError = (err: Error) => reject(err)
    server.once('error', onError)
    server.listen(port, '127.0.0.1', () => {
      server.off('error', onError)
      const addr = server.address()
      resolvePort(typeof addr === 'object' && addr ? addr.port : port)
    })
  })
}

async function listen(server: Server, port: number | undefined): Promise<number> {
  if (port !== undefined) return listenOnce(server, port)
  try {
    return await listenOnce(server, DEFAULT_PORT)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err
    return listenOnce(server, 0)
  }
}

async function closeAll(server: Server, wss: WebSocketServer): Promise<void> {
  for (const client of wss.clients) client.terminate()
  await new Promise<void>((done) => wss.close(() => done()))
  server.closeAllConnections()
  await new Promise<void>((done) => server.close(() => done()))
}
