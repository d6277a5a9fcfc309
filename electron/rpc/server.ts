/**
 * The RPC server: validates every request against the contract, dispatches it to the service,
 * and fans events out to every attached peer. Transport-agnostic: the Electron IPC host and the
 * WebSocket host both feed it frames and give it a way to send frames back.
 */
import { isMethodName, limitAt, methods, toErrorData, type RequestFrame, type ResponseFrame, type ServiceHandlers } from '../api'
import type { CallContext, EventFrame, EventName, EventPayloads, ServerFrame } from '../api'
import { EventCoalescer } from './event-coalescer'
import type { FrameRefusal } from './frame-guard'

export interface RpcPeer {
  /** For logs only. */
  readonly label: string
  send(frame: ServerFrame): void
}

export interface RpcServer {
  /** Answers one request; `peer` (when attached) tells the service which window is asking. */
  handle(frame: RequestFrame, peer?: RpcPeer): Promise<ResponseFrame>
  /** Starts sending events to the peer; returns a function that stops it. */
  attach(peer: RpcPeer): () => void
  /** Coalesced broadcast to every peer. */
  emit<E extends EventName>(name: E, payload: EventPayloads[E]): void
  /** Sends one event to one peer at once (per-view streams pace themselves). */
  emitTo<E extends EventName>(peerId: string, name: E, payload: EventPayloads[E]): void
  /** Called when a peer detaches, so per-peer state (views) can be dropped. */
  onPeerDetached(listener: (peerId: string) => void): void
  close(): void
}

export interface RpcServerOptions {
  /** Coalescing window per event stream. */
  eventIntervalMs?: number
  onError?: (method: string, err: unknown) => void
}

/** The answer to a frame that is not a valid request, for transports that can still name its id. */
export function malformedRequest(id: number): ResponseFrame {
  return { t: 'res', id, ok: false, error: { code: 'BAD_REQUEST', message: 'A request needs t: "req", a numeric id and a method name.' } }
}

/**
 * The answer to a frame the frame guard refused unparsed: BAD_REQUEST naming the field and, where
 * the contract sets one, that field's own limit. Null when the frame never named its id.
 */
export function refusedRequest(refusal: FrameRefusal): ResponseFrame | null {
  if (refusal.id === null) return null
  const method = refusal.method !== null && isMethodName(refusal.method) ? refusal.method : null
  const field = refusal.path || '(params)'
  const own = method && refusal.kind !== 'depth' ? limitAt(methods[method], refusal.path ? refusal.path.split('.') : []) : null
  const what = {
    entries: `Too big: more than ${refusal.limit} ${refusal.container === 'list' ? 'entries in one list' : 'keys in one object'}`,
    depth: `Too deep: nested more than ${refusal.limit} levels`,
    values: `Too big: more than ${refusal.limit} values in one request`,
  }[refusal.kind]
  const issue = `${field}: ${what}${own !== null ? ` (at most ${own} entries allowed here)` : ''}`
  return {
    t: 'res',
    id: refusal.id,
    ok: false,
    error: { code: 'BAD_REQUEST', message: `Invalid request for ${method ?? 'an unknown method'}: ${issue}`, detail: { issues: [issue], path: refusal.path, limit: own ?? refusal.limit } },
  }
}

export function createRpcServer(handlers: ServiceHandlers, options: RpcServerOptions = {}): RpcServer {
  const peers = new Map<RpcPeer, string>()
  const byId = new Map<string, RpcPeer>()
  const detachListeners: Array<(peerId: string) => void> = []
  let nextPeer = 1
  const coalescer = new EventCoalescer(options.eventIntervalMs ?? 50, (frame) => {
    for (const peer of peers.keys()) {
      try {
        peer.send(frame)
      } catch {
        // A peer that cannot take a frame is closing; its transport detaches it.
      }
    }
  })

  async function handle(frame: RequestFrame, peer?: RpcPeer): Promise<ResponseFrame> {
    const { id, method } = frame
    if (!isMethodName(method)) {
      return { t: 'res', id, ok: false, error: { code: 'UNKNOWN_METHOD', message: `There is no method "${String(method).slice(0, 100)}".` } }
    }
    const parsed = methods[method].safeParse(frame.params ?? undefined)
    if (!parsed.success) {
      const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(params)'}: ${i.message}`)
      return { t: 'res', id, ok: false, error: { code: 'BAD_REQUEST', message: `Invalid request for ${method}: ${issues.join('; ')}`, detail: { issues } } }
    }
    try {
      const handler = handlers[method] as (p: unknown, c: CallContext) => Promise<unknown>
      const result = await handler(parsed.data, { peerId: (peer && peers.get(peer)) ?? 'local' })
      return { t: 'res', id, ok: true, result }
    } catch (err) {
      options.onError?.(method, err)
      return { t: 'res', id, ok: false, error: toErrorData(err) }
    }
  }

  return {
    handle,
    attach(peer) {
      const id = `peer-${nextPeer++}`
      peers.set(peer, id)
      byId.set(id, peer)
      return () => {
        if (!peers.delete(peer)) return
        byId.delete(id)
        for (const listener of detachListeners) listener(id)
      }
    },
    emit(name, payload) {
      coalescer.push(name, payload)
    },
    emitTo(peerId, name, payload) {
      try {
        byId.get(peerId)?.send({ t: 'evt', name, payload } as EventFrame)
      } catch {
        // Closing peer; detach handles the rest.
      }
    },
    onPeerDetached(listener) {
      detachListeners.push(listener)
    },
    close() {
      coalescer.close()
      peers.clear()
      byId.clear()
    },
  }
}
