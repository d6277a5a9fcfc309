/** The `offline.*` methods, answered by the offline engine (offline-manager.ts). */
import type { ServiceHandlers } from '../../api'
import type { OfflineManager } from './offline-manager'

type OfflineMethod = Extract<keyof ServiceHandlers, `offline.${string}`>

/** The offline recordings' slice of the contract. */
export function offlineService(offline: OfflineManager): Pick<ServiceHandlers, OfflineMethod> {
  return {
    'offline.open': ({ recordingId }) => offline.open(recordingId),
    'offline.close': async ({ connectionId }) => {
      await offline.close(connectionId)
      return { closed: true }
    },
    'offline.state': async ({ connectionId }) => offline.get(connectionId).state(),
    'offline.seek': ({ connectionId, positionUs }) => offline.get(connectionId).seek(positionUs),
    'offline.step': ({ connectionId, count }) => offline.get(connectionId).step(count),
    'offline.play': ({ connectionId, speed }) => offline.get(connectionId).play(speed),
    'offline.pause': async ({ connectionId }) => offline.get(connectionId).pause(),
  }
}
