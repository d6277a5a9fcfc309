/**
 * `app.info`: what the app is and where it keeps its data, with the stored files' warnings
 * (a damaged profiles, settings, pins or handshake-history file that was set aside) read at the time of the call.
 */
import type { AppInfo, Notice, ServiceHandlers } from '../../api'

export interface AppServiceDeps {
  version: string
  mode: AppInfo['mode']
  dataDir: string
  /** The stores whose load problems the app reports, in this order. */
  stores: ReadonlyArray<{ readonly warnings: readonly string[]; readonly warningNotices: readonly Notice[] }>
  sandboxProtocolVersion: AppInfo['sandboxProtocolVersion']
}

/** The app's own slice of the contract. */
export function appService({ version, mode, dataDir, stores, sandboxProtocolVersion }: AppServiceDeps): Pick<ServiceHandlers, 'app.info'> {
  return {
    'app.info': async () => {
      const storageWarnings = stores.flatMap((store) => store.warnings)
      const storageWarningNotices = stores.flatMap((store) => store.warningNotices)
      // The notices are sent only when each warning has its own, so the two lists stay in step.
      const coded = storageWarningNotices.length === storageWarnings.length && storageWarnings.length > 0
      return { name: 'MQTTS Explorer', version, mode, dataDir, storageWarnings, ...(coded ? { storageWarningNotices } : {}), sandboxProtocolVersion }
    },
  }
}
