/**
 * Picks the transport: the Electron preload bridge when present, otherwise the browser-mode
 * WebSocket to the page's own host. Components never learn which one they got.
 */
import { BRIDGE_GLOBAL, WS_RPC_PATH } from '@api'
import type { RendererChannel } from '@api'
import { createWebSocketChannel, probeOrigin, rpcUrlFor, type StatusChannel } from './ws-channel'

/** Wraps the preload bridge: IPC never drops while the window lives, so it is always open. */
function fromBridge(bridge: RendererChannel): StatusChannel {
  return {
    status: 'open',
    request: (method, params) => bridge.request(method, params),
    onEvent: (listener) => bridge.onEvent(listener),
    onStatus: () => () => {},
  }
}

/** Returns the channel this renderer should use. */
export function selectChannel(): StatusChannel {
  const bridge = (window as unknown as Record<string, RendererChannel | undefined>)[BRIDGE_GLOBAL]
  if (bridge && typeof bridge.request === 'function') return fromBridge(bridge)
  const origin = window.location.origin
  return createWebSocketChannel(rpcUrlFor(window.location, WS_RPC_PATH), {
    probe: () => probeOrigin(origin),
    onRecheck: (recheck) => window.addEventListener('focus', recheck),
  })
}
