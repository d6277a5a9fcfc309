/**
 * Browser mode's transport: JSON frames over one WebSocket to the local host. The per-run
 * auth cookie rides along with the upgrade request automatically, so no token is handled here.
 * The socket reconnects on its own; callers learn about it through `onStatus` so the UI can
 * say that the backend is out of reach instead of silently hanging.
 *
 * A browser never shows why an upgrade failed, so after a failed attempt the channel asks the
 * page's own origin over plain HTTP: no answer means the backend is down (keep retrying); 401
 * or 403 means a backend is up but refuses this tab's token, which happens when it restarted
 * with a new one. Retrying cannot fix that, so the channel stops and says what to do.
 */
import type { EventFrame, MethodName, RendererChannel, RequestFrame, ResponseFrame, ServerFrame } from '@api'
import { t } from '../lib/i18n'

/**
 * `open` while frames flow; `connecting` before the first open; `lost` after a drop (retrying);
 * `refused` once a backend answers but no longer accepts this tab (it restarted with a new token).
 */
export type ChannelStatus = 'connecting' | 'open' | 'lost' | 'refused'

/** What an HTTP request to the page's origin says about the backend behind it. */
export type AccessProbe = 'down' | 'refused' | 'ok'

export interface WebSocketChannelOptions {
  /** Asks whether the backend is down or refusing this tab; without it, a failed socket is always "down". */
  probe?: () => Promise<AccessProbe>
  /** Called with a callback to run when it is worth asking again (the tab regained focus). */
  onRecheck?: (recheck: () => void) => void
}

/**
 * The sentence for a tab whose backend restarted, in the UI's language: the one thing that helps
 * is the new address. The alert bar and every refused request show this same sentence.
 */
export function refusedMessage(origin: string): string {
  return t('errors.TRANSPORT_CLOSED_ACCESS_EXPIRED', { address: `${origin}/?token=…` })
}

export interface StatusChannel extends RendererChannel {
  /** Current status, and a way to follow it. `reconnected` is true when a lost link came back. */
  readonly status: ChannelStatus
  onStatus(listener: (status: ChannelStatus, reconnected: boolean) => void): () => void
}

const MIN_RETRY_MS = 300
const MAX_RETRY_MS = 5000

/** Opens (and keeps reopening) the RPC socket at `url`. */
export function createWebSocketChannel(url: string, options: WebSocketChannelOptions = {}): StatusChannel {
  let socket: WebSocket | null = null
  let status: ChannelStatus = 'connecting'
  let everOpened = false
  /** True while a refused tab waits for a reason to ask again: no socket, no timer. */
  let stopped = false
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

  // The cause and address let the UI say the same in its own language (lib/i18n/errors.ts).
  const refusedError = () => {
    const origin = new URL(url.replace(/^ws/, 'http')).origin
    return { code: 'TRANSPORT_CLOSED' as const, message: refusedMessage(origin), detail: { cause: 'ACCESS_EXPIRED', address: `${origin}/?token=…` } }
  }

  /** Answers every waiting request: none of them can reach a backend that refuses this tab. */
  function failPending(): void {
    for (const [id, entry] of pending) {
      pending.delete(id)
      entry.resolve({ t: 'res', id, ok: false, error: refusedError() })
    }
  }

  function retryLater(): void {
    setTimeout(open, retryMs)
    retryMs = Math.min(MAX_RETRY_MS, retryMs * 2)
  }

  /** After a failed attempt: keep retrying if the backend is down, stop if it refuses this tab. */
  async function afterFailure(): Promise<void> {
    const verdict = options.probe ? await options.probe().catch((): AccessProbe => 'down') : 'down'
    if (verdict !== 'refused') return retryLater()
    stopped = true
    setStatus('refused')
    failPending()
  }

  options.onRecheck?.(() => {
    if (!stopped) return
    // The user may have opened the new address in another tab, which set this port's cookie anew.
    void options.probe?.().then((verdict) => {
      if (verdict !== 'ok' || !stopped) return
      stopped = false
      retryMs = MIN_RETRY_MS
      open()
    })
  })

  function open(): void {
    const ws = new WebSocket(url)
    socket = ws
    let openedThisTime = false
    ws.onopen = () => {
      openedThisTime = true
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
      // A drop of a working socket is retried at once; a failed attempt first asks why.
      if (openedThisTime) retryLater()
      else void afterFailure()
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
        if (stopped) return resolve({ t: 'res', id, ok: false, error: refusedError() })
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

/** How long the access probe waits for an answer before it counts the backend as down. */
export const PROBE_TIMEOUT_MS = 3000

/**
 * Asks the page's own origin whether the backend still accepts this tab: a HEAD request carries
 * the same cookie as the socket upgrade, and unlike the upgrade its status is visible to script.
 */
export async function probeOrigin(origin: string): Promise<AccessProbe> {
  // A backend that accepts TCP but never answers would otherwise hold the retry loop forever.
  const abort = new AbortController()
  const timer = setTimeout(() => abort.abort(), PROBE_TIMEOUT_MS)
  let res: Response
  try {
    res = await fetch(`${origin}/`, { method: 'HEAD', cache: 'no-store', credentials: 'same-origin', redirect: 'manual', signal: abort.signal })
  } catch {
    return 'down'
  } finally {
    clearTimeout(timer)
  }
  // 401/403: a backend that does not know this tab's token. 404/421: no longer this app at all.
  return [401, 403, 404, 421].includes(res.status) ? 'refused' : 'ok'
}

/** The RPC socket address for the page's own origin. */
export function rpcUrlFor(location: Pick<Location, 'protocol' | 'host'>, path: string): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${path}`
}
