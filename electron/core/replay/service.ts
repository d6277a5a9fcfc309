/** The `replay.*` methods. (Placeholder until the replayer lands.) */
import { ApiError, type ServiceHandlers } from '../../api'

type ReplayMethod = Extract<keyof ServiceHandlers, `replay.${string}`>

const notYet = async (): Promise<never> => {
  throw new ApiError('RECORDING_NOT_FOUND', 'Replay is not available in this build yet.')
}

export function replayService(): Pick<ServiceHandlers, ReplayMethod> {
  return {
    'replay.dryRun': notYet,
    'replay.start': notYet,
    'replay.pause': notYet,
    'replay.resume': notYet,
    'replay.step': notYet,
    'replay.stop': notYet,
    'replay.list': async () => [],
  }
}
