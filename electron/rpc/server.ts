/**
 * The RPC server: validates every request against the contract, dispatches it to the service,
 * and fans events out to every attached peer. Transport-agnostic: the Electron IPC host and the
 * WebSocket host both feed it frames and give it a way to send frames back.
 */
import { isMethodName, methods, toErrorData, type RequestFrame, type ResponseFrame, type ServiceHandlers } from '../api'
import type { EventName, EventPayloads, ServerFrame } from '../api'
import { EventCoalescer } from './event-coalescer'

export interface RpcPeer {
  /** For logs only. */
  readonly label: string
  send(frame: ServerFrame): void
}

export interface RpcServer {
  handle(frame: RequestFrame): Promise<ResponseFrame>
  /** Starts sending events to the peer; returns a function that stops it. */
  attach(peer: RpcPeer): () => void
  emit<E extends EventName>(name: E, payload: EventPayloads[E]): void
  close(): void
}

export interface RpcServerOptions {
  /** Coalescing window per event stream. */
  eventIntervalMs?: number
  onError?: (method: string, err: unknown) => void
}

export function createRpcServer(handlers: ServiceHandlers, options: RpcServerOptions = {}): RpcServer {
  const peers = new Set<RpcPeer>()
  const coalescer = new EventCoalescer(options.eventIntervalMs ?? 50, (frame) => {
    for (const peer of peers) {
      try {
        peer.send(frame)
      } catch {
        // A peer that cannot take a frame is closing; its transport detaches it.
      }
    }
  })

  async function handle(frame: RequestFrame): Promise<ResponseFrame> {
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
      const handler = handlers[method] as (p: unknown) => Promise<unknown>
      const result = await handler(parsed.data)
      return { t: 'res', id, ok: true, result }
    } catch (err) {
      options.onError?.(method, err)
      return { t: 'res', id, ok: false, error: toErrorData(err) }
    }
  }

  return {
    handle,
    attach(peer) {
      peers.add(peer)
      return () => peers.delete(peer)
    },
    emit(name, payload) {
      coalescer.push(name, payload)
    },
    close() {
      coalescer.close()
      peers.clear()
    },
  }
}
