/**
 * Browser mode's transport: JSON frames over one WebSocket to the local host. The per-run
 * auth cookie rides along with the upgrade request automatically, so no token is handled here.
 * The socket reconnects on its own; callers learn about it through `onStatus` so the UI can
 * say that the backend is out of reach instead of silently hanging.
 */
import type { EventFrame, MethodName, RendererChannel, RequestFrame, ResponseFrame, ServerFrame } from '@api'

/** `open` while frames flow; `connecting` before the first open; `lost` after a drop. */
export type ChannelStatus = 'connecting' | 'open' | 'lost'

export interface StatusChannel extends RendererChannel {
  /** Current status, and a way to follow it. `reconnected` is true when a lost link came back. */
  readonly status: ChannelStatus
  onStatus(listener: (status: ChannelStatus, reconnected: boolean) => void): () => void
}

const MIN_RETRY_MS = 300
const MAX_RETRY_MS = 5000

/** Opens (and keeps reopening) the RPC socket at `url`. */
export function createWebSocketChannel(url: string): StatusChannel {
  let socket: WebSocket | null = null
  let status: ChannelStatus = 'connecting'
  let everOpened = false
  let retryMs = MIN_RETRY_MS
  let nextId = 1
  const pending = new Map<number, { frame: RequestFrame; resolve: (r: ResponseFrame) => void; sent: boolean }>()
  const eventListeners = new Set<(frame: EventFrame) => void>()
  const statusListeners = new Set<(status: ChannelStatus, reconnected: boolean) => void>()

  function setStatus(next: ChannelStatus, reconnected = false): void {
    if (next === status && !reconnected) return
    status = next
    for (const l of statusListeners) l(next, reconnected)
  }

  function open(): void {
    const ws = new WebSocket(url)
    socket = ws
    ws.onopen = () => {
      retryMs = MIN_RETRY_MS
      const reconnected = everOpened
      everOpened = true
      setStatus('open', reconnected)
      // Requests made while the link was down go out now.
      for (const entry of pending.values()) {
        if (!entry.sent) send(entry)
      }
    }
    ws.onmessage = (ev) => {
      if (typeof ev.data !== 'string') return
      let frame: ServerFrame
      try {
        frame = JSON.parse(ev.data) as ServerFrame
      } catch {
        return
      }
      if (frame.t === 'res') {
        const entry = pending.get(frame.id)
        if (!entry) return
        pending.delete(frame.id)
        entry.resolve(frame)
      } else if (frame.t === 'evt') {
        for (const l of eventListeners) l(frame)
      }
    }
    ws.onclose = () => {
      if (socket !== ws) return
      socket = null
      // In-flight requests may or may not have run; say so rather than retrying them blindly.
      for (const [id, entry] of pending) {
        if (!entry.sent) continue
        pending.delete(id)
        entry.resolve({
          t: 'res',
          id,
          ok: false,
          error: { code: 'TRANSPORT_CLOSED', message: 'Lost contact with the app backend before it answered — try again once it is back.' },
        })
      }
      setStatus(everOpened ? 'lost' : 'connecting')
      setTimeout(open, retryMs)
      retryMs = Math.min(MAX_RETRY_MS, retryMs * 2)
    }
  }

  function send(entry: { frame: RequestFrame; sent: boolean }): void {
    if (!socket || socket.readyState !== WebSocket.OPEN) return
    socket.send(JSON.stringify(entry.frame))
    entry.sent = true
  }

  open()

  return {
    get status() {
      return status
    },
    request(method: MethodName, params: unknown): Promise<ResponseFrame> {
      return new Promise((resolve) => {
        const id = nextId++
        const entry = { frame: { t: 'req', id, method, params } as RequestFrame, resolve, sent: false }
        pending.set(id, entry)
        send(entry)
      })
    },
    onEvent(listener) {
      eventListeners.add(listener)
      return () => eventListeners.delete(listener)
    },
    onStatus(listener) {
      statusListeners.add(listener)
      return () => statusListeners.delete(listener)
    },
  }
}

/** The RPC socket address for the page's own origin. */
export function rpcUrlFor(location: Pick<Location, 'protocol' | 'host'>, path: string): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${path}`
}
