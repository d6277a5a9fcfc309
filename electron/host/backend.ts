/**
 * Creates the service and the RPC server in front of it, wired together. Both shells (browser
 * mode in electron/web and the Electron main process) call this, so they cannot drift apart in how events
 * reach peers or how failures are logged.
 */
import type { AppInfo } from '../api'
import { createService, type Service, type ServiceOptions } from '../core/service'
import { createRpcServer, type RpcServer } from '../rpc/server'

export interface BackendOptions {
  dataDir: string
  mode: AppInfo['mode']
  version: string
  log: (line: string) => void
  /** Desktop only: the OS save dialog. */
  saveFileAs?: ServiceOptions['saveFileAs']
}

export interface Backend {
  service: Service
  rpc: RpcServer
  /** Stops events, disconnects brokers and stops the sandbox. */
  close(): Promise<void>
}

/** Starts the engine for one shell. */
export async function createBackend(options: BackendOptions): Promise<Backend> {
  // The service may emit from its first moment, but the RPC server needs the service's handlers
  // first: hold the server in a box that is filled right after.
  const box: { rpc?: RpcServer } = {}
  const service = await createService({
    dataDir: options.dataDir,
    mode: options.mode,
    version: options.version,
    saveFileAs: options.saveFileAs,
    emit: (name, payload) => box.rpc?.emit(name, payload),
    emitTo: (peerId, name, payload) => box.rpc?.emitTo(peerId, name, payload),
  })
  const server = createRpcServer(service.handlers, {
    onError: (method, err) => options.log(`${method} failed: ${err instanceof Error ? err.message : String(err)}`),
  })
  box.rpc = server
  server.onPeerDetached((peerId) => service.peerDetached(peerId))
  return {
    service,
    rpc: server,
    async close() {
      server.close()
      await service.close()
    },
  }
}
