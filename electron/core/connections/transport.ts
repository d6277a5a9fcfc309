/**
 * Opens the byte stream MQTT runs over: TCP, TLS, or a WebSocket (plain or TLS). We build the
 * socket ourselves, not mqtt.js, for three reasons: observers (the TLS inspector) attach before
 * the handshake; the broker's certificate is judged by us (see tls-options.ts); and nothing,
 * not even the MQTT CONNECT with its password, is written until that judgement is made.
 */
import net from 'node:net'
import tls from 'node:tls'
import type { Duplex } from 'node:stream'
import WebSocket, { createWebSocketStream } from 'ws'
import type { Scheme } from '../../api'
import { summarizePeer, type PeerSummary } from '../tls/peer-summary'
import { verifyPeer, type PreparedTls } from '../tls/tls-options'

/** Milestones of one connection attempt, epoch ms. */
export interface ConnectTimings {
  startedAt: number
  /** TCP connected. */
  socketAt?: number
  /** TLS handshake done (before our verification). */
  secureAt?: number
  /** Stream ready for MQTT (verified; WebSocket upgraded). */
  transportAt?: number
  connackAt?: number
}

/** What one attempt learned, kept so failures can be explained precisely. */
export interface AttemptProbe {
  timings: ConnectTimings
  peer: PeerSummary | null
  handshakeDone: boolean
  /**
   * The broker's first TLS flight fully arrived (a key log line proves it): tells "wants a client
   * certificate" from "no common cipher" when the broker answers with a bare handshake failure.
   * Undefined until a TLS socket exists.
   */
  serverFlightSeen?: boolean
  /** The most telling error seen so far (see {@link noteError}). */
  error: unknown
}

export interface TransportTarget {
  scheme: Scheme
  host: string
  port: number
  /** WebSocket path. */
  path: string
  tls: PreparedTls | null
}

export interface OpenTransport {
  ready: Promise<Duplex>
  /** Tears the transport down (timeout, cancel, end of session). */
  destroy(): void
}

// Errors that only say "it broke" and should not hide an earlier or later specific one (a TLS
// alert is often followed by ECONNRESET; with TLS 1.3 the alert can also come after a reset).
const GENERIC = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ERR_STREAM_PREMATURE_CLOSE', 'ERR_STREAM_DESTROYED'])

/** Records `err` unless a more specific error is already known. */
export function noteError(probe: AttemptProbe, err: unknown): void {
  if (probe.error === undefined || isGeneric(probe.error)) {
    if (probe.error !== undefined && isGeneric(err)) return
    probe.error = err
  }
}

function isGeneric(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code
  return typeof code !== 'string' || GENERIC.has(code)
}

/** Starts opening the transport; `onTlsSocket` runs synchronously before the handshake. */
export function openTransport(target: TransportTarget, probe: AttemptProbe, onTlsSocket?: (socket: tls.TLSSocket) => void): OpenTransport {
  const websocket = target.scheme === 'ws' || target.scheme === 'wss'
  let socket: net.Socket | null = null
  let ws: WebSocket | null = null

  const ready = new Promise<Duplex>((resolve, reject) => {
    const fail = () => reject(probe.error ?? Object.assign(new Error('Connection closed before it was ready'), { code: 'ECONNRESET' }))

    const makeSocket = (onReady: () => void): net.Socket => {
      const s = target.tls ? tls.connect({ ...target.tls.options, host: target.host, port: target.port }) : net.connect({ host: target.host, port: target.port })
      socket = s
      if (s instanceof tls.TLSSocket) {
        onTlsSocket?.(s)
        probe.serverFlightSeen = false
        s.once('keylog', () => (probe.serverFlightSeen = true))
      }
      s.setNoDelay(true)
      s.on('error', (err) => noteError(probe, err))
      s.once('connect', () => {
        probe.timings.socketAt = Date.now()
        if (!target.tls) onReady()
      })
      if (s instanceof tls.TLSSocket && target.tls) {
        const prepared = target.tls
        s.once('secureConnect', () => {
          // An observer (the TLS inspector's pin check) may have closed it already: then the
          // MQTT client must never get this socket, and its error explains the attempt.
          if (s.destroyed) return
          probe.timings.secureAt = Date.now()
          probe.handshakeDone = true
          probe.peer = summarizePeer(s.getPeerCertificate(true))
          const verdict = prepared.verify ? verifyPeer(s, prepared.verifyName) : null
          if (verdict) {
            noteError(probe, verdict)
            s.destroy()
            return
          }
          onReady()
        })
      }
      return s
    }

    if (!websocket) {
      const s = makeSocket(() => {
        probe.timings.transportAt = Date.now()
        resolve(s)
      })
      s.once('close', fail)
      return
    }

    const host = net.isIPv6(target.host) ? `[${target.host}]` : target.host
    const path = target.path.startsWith('/') ? target.path : `/${target.path}`
    const url = `${target.scheme}://${host}:${target.port}${path}`
    ws = new WebSocket(url, ['mqtt'], {
      // The HTTP upgrade runs over our socket, so wss gets the same TLS options and verdict.
      createConnection: () => makeSocket(() => undefined),
      perMessageDeflate: false,
      followRedirects: false,
    })
    const socketWs = ws
    socketWs.on('error', (err) => noteError(probe, err))
    socketWs.once('close', fail)
    socketWs.once('open', () => {
      probe.timings.transportAt = Date.now()
      const stream = createWebSocketStream(socketWs)
      // The stream re-emits WebSocket errors; they are already noted above.
      stream.on('error', (err) => noteError(probe, err))
      resolve(stream)
    })
  })
  // A rejection nobody awaits (cancelled attempts) must not become an unhandled rejection.
  ready.catch(() => undefined)

  return {
    ready,
    destroy() {
      if (ws) ws.terminate()
      if (socket) (socket as net.Socket).destroy()
    },
  }
}
