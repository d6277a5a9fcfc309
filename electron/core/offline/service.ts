/** The `offline.*` methods. (Placeholder until offline recordings land.) */
import { ApiError, type ServiceHandlers } from '../../api'

type OfflineMethod = Extract<keyof ServiceHandlers, `offline.${string}`>

const notYet = async (): Promise<never> => {
  throw new ApiError('RECORDING_NOT_FOUND', 'Opening recordings offline is not available in this build yet.')
}

export function offlineService(): Pick<ServiceHandlers, OfflineMethod> {
  return {
    'offline.open': notYet,
    'offline.close': notYet,
    'offline.state': notYet,
    'offline.seek': notYet,
    'offline.step': notYet,
    'offline.play': notYet,
    'offline.pause': notYet,
  }
}
