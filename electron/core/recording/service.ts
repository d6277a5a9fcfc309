/** The `recorder.*` and `recordings.*` methods. (Placeholder until the recorder lands.) */
import { ApiError, type ServiceHandlers } from '../../api'

type RecordingMethod = Extract<keyof ServiceHandlers, `recorder.${string}` | `recordings.${string}`>

const notYet = async (): Promise<never> => {
  throw new ApiError('RECORDING_NOT_FOUND', 'Recording is not available in this build yet.')
}

export function recordingService(): Pick<ServiceHandlers, RecordingMethod> {
  return {
    'recorder.start': notYet,
    'recorder.stop': notYet,
    'recorder.list': async () => [],
    'recordings.list': async () => [],
    'recordings.rename': notYet,
    'recordings.delete': notYet,
    'recordings.import': notYet,
    'recordings.export': notYet,
    'recordings.download': notYet,
  }
}
