/**
 * `app.info`: what the app is and where it keeps its data, with the stored files' warnings
 * (a damaged profiles, settings, pins or handshake-history file that was set aside) read at the time of the call.
 */
import type { AppInfo, ServiceHandlers } from '../../api'

export interface AppServiceDeps {
  version: string
  mode: AppInfo['mode']
  dataDir: string
  /** The stores whose load problems the app reports, in this order. */
  stores: ReadonlyArray<{ readonly warnings: readonly string[] }>
  sandboxProtocolVersion: AppInfo['sandboxProtocolVersion']
}

/** The app's own slice of the contract. */
export function appService({ version, mode, dataDir, stores, sandboxProtocolVersion }: AppServiceDeps): Pick<ServiceHandlers, 'app.info'> {
  return {
    'app.info': async () => ({
      name: 'MQTTS Explorer',
      version,
      mode,
      dataDir,
      storageWarnings: stores.flatMap((store) => store.warnings),
      sandboxProtocolVersion,
    }),
  }
}
