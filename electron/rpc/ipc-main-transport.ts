/**
 * The main-process half of the Electron IPC transport, and the only main-side file that touches
 * ipcMain. Requests arrive via `ipcMain.handle` and are answered with response frames; events go
 * out with `webContents.send`. Who may call is decided by the caller's `isTrusted` (the window's
 * main frame at our app origin), so a navigated-away or injected frame gets nothing.
 */
import { ipcMain, type IpcMainInvokeEvent } from 'electron'
import { IPC_EVENT_CHANNEL, IPC_REQUEST_CHANNEL, isRequestFrame, type ResponseFrame } from '../api'
import { malformedRequest, type RpcPeer, type RpcServer } from './server'

/** The part of a WebContents that receives events. */
export interface WebContentsLike {
  readonly id: number
  isDestroyed(): boolean
  send(channel: string, ...args: unknown[]): void
}

export interface IpcMainTransportOptions {
  /** Decides whether a request comes from our renderer's main frame; refused requests are logged. */
  isTrusted(event: IpcMainInvokeEvent): boolean
  /** The attached peer of the sending window, so the service knows which window asks. */
  peerFor(event: IpcMainInvokeEvent): RpcPeer | undefined
  log?: (line: string) => void
}

/**
 * Answers IPC requests with the RPC server. Untrusted senders get a rejected promise (not a
 * response frame) because they are not our renderer and deserve no information. Returns a
 * function that removes the handler.
 */
export function serveIpcRequests(rpc: RpcServer, options: IpcMainTransportOptions): () => void {
  const log = options.log ?? (() => {})
  ipcMain.handle(IPC_REQUEST_CHANNEL, async (event, frame: unknown): Promise<ResponseFrame> => {
    if (!options.isTrusted(event)) {
      log(`refused IPC request from ${event.senderFrame?.url ?? 'a destroyed frame'}`)
      throw new Error('Refused: not the MQTTS Explorer window.')
    }
    if (!isRequestFrame(frame)) {
      const id = (frame as { id?: unknown } | null)?.id
      return malformedRequest(typeof id === 'number' ? id : -1)
    }
    return rpc.handle(frame, options.peerFor(event))
  })
  return () => ipcMain.removeHandler(IPC_REQUEST_CHANNEL)
}

/** An RPC peer that pushes event frames to one window's renderer. */
export function ipcEventPeer(contents: WebContentsLike): RpcPeer {
  return {
    label: `window:${contents.id}`,
    send(frame) {
      if (!contents.isDestroyed()) contents.send(IPC_EVENT_CHANNEL, frame)
    },
  }
}
