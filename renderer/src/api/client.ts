/**
 * The typed client every component uses. It wraps a {@link RendererChannel} (Electron preload
 * bridge or browser-mode WebSocket) so that calls are checked against the contract at compile
 * time and error frames come back as thrown {@link ApiError}s.
 */
import { ApiError, isErrorCode } from '@api'
import type { EventName, EventPayloads, MethodName, MethodParams, MethodResult, RendererChannel } from '@api'

/** Params are optional exactly where the contract allows `undefined`. */
export type CallArgs<M extends MethodName> = undefined extends MethodParams<M> ? [params?: MethodParams<M>] : [params: MethodParams<M>]

export interface ApiClient {
  /** Calls one contract method; rejects with an ApiError when the main side answers with an error. */
  call<M extends MethodName>(method: M, ...args: CallArgs<M>): Promise<MethodResult<M>>
  /** Listens to one event stream; returns a function that stops listening. */
  on<E extends EventName>(name: E, listener: (payload: EventPayloads[E]) => void): () => void
}

/** Builds the typed client over any channel. */
export function createApiClient(channel: RendererChannel): ApiClient {
  const listeners = new Map<EventName, Set<(payload: never) => void>>()

  // One channel subscription fans out to all listeners, so components can come and go cheaply.
  channel.onEvent((frame) => {
    const set = listeners.get(frame.name)
    if (!set) return
    for (const listener of set) {
      try {
        listener(frame.payload as never)
      } catch (err) {
        console.error(`Listener for ${frame.name} failed`, err)
      }
    }
  })

  return {
    async call(method, ...args) {
      const frame = await channel.request(method, args[0])
      if (frame.ok) return frame.result as never
      const { code, message, detail } = frame.error
      throw new ApiError(isErrorCode(code) ? code : 'INTERNAL', message, detail)
    },
    on(name, listener) {
      let set = listeners.get(name)
      if (!set) listeners.set(name, (set = new Set()))
      const entry = listener as (payload: never) => void
      set.add(entry)
      return () => set.delete(entry)
    },
  }
}
