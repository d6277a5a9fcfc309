/**
 * The preload (bundled to one CommonJS file, out/preload/index.cjs, because sandboxed preloads
 * cannot load modules). It exposes exactly the RendererChannel: requests for contract method names
 * and a listener for event frames. The page never sees ipcRenderer or any IpcRendererEvent.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { BRIDGE_GLOBAL, IPC_EVENT_CHANNEL, IPC_REQUEST_CHANNEL, type RendererChannel } from '../api/bridge'
import { METHOD_NAMES, type MethodName } from '../api/contract'
import type { EventFrame, RequestFrame, ResponseFrame } from '../api/wire'

const allowed = new Set<string>(METHOD_NAMES)
let nextId = 1

const channel: RendererChannel = {
  request(method: MethodName, params: unknown): Promise<ResponseFrame> {
    const id = nextId++
    if (typeof method !== 'string' || !allowed.has(method)) {
      // Refused here so a compromised page cannot even probe the main process with made-up names.
      return Promise.resolve({ t: 'res', id, ok: false, error: { code: 'UNKNOWN_METHOD', message: `There is no method "${String(method).slice(0, 100)}".` } })
    }
    const frame: RequestFrame = { t: 'req', id, method, params }
    return ipcRenderer.invoke(IPC_REQUEST_CHANNEL, frame) as Promise<ResponseFrame>
  },
  onEvent(listener: (frame: EventFrame) => void): () => void {
    // Hand over the frame only: the IpcRendererEvent would give the page a handle on ipcRenderer.
    const wrapped = (_event: IpcRendererEvent, frame: EventFrame) => listener(frame)
    ipcRenderer.on(IPC_EVENT_CHANNEL, wrapped)
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, wrapped)
    }
  },
}

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, channel)
