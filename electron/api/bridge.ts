/**
 * The smallest surface a transport gives the renderer. The Electron preload exposes one as
 * `window.mqttsBridge`; browser mode builds one over a WebSocket. The typed client in
 * renderer/src/api wraps either, so components never know which carries them.
 */
import type { EventFrame, ResponseFrame } from './wire'
import type { MethodName } from './contract'

export interface RendererChannel {
  /** Sends one request; resolves with its response frame (ok or error), never rejects for API errors. */
  request(method: MethodName, params: unknown): Promise<ResponseFrame>
  /** Receives every event frame; returns a function that stops listening. */
  onEvent(listener: (frame: EventFrame) => void): () => void
}

/** Name under which the preload exposes the bridge on `window`. */
export const BRIDGE_GLOBAL = 'mqttsBridge'

/** IPC channel names, used only by the IPC transport halves (main and preload). */
export const IPC_REQUEST_CHANNEL = 'mqtts:rpc'
export const IPC_EVENT_CHANNEL = 'mqtts:evt'

/** Browser mode: the WebSocket endpoint path and the cookie that carries the per-run token. */
export const WS_RPC_PATH = '/rpc'
/**
 * Browsers scope cookies by host, not port: naming the cookie after the port keeps two
 * instances (two ports) in one browser from overwriting each other's token.
 */
export function tokenCookieName(port: number): string {
  return `mqtts_token_${port}`
}
