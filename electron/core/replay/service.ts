/** The `replay.*` methods: the ReplayManager holds the jobs, the handlers only hand over. */
import type { ServiceHandlers } from '../../api'
import type { ReplayManager } from './replay-manager'

type ReplayMethod = Extract<keyof ServiceHandlers, `replay.${string}`>

export function replayService(replays: ReplayManager): Pick<ServiceHandlers, ReplayMethod> {
  return {
    'replay.dryRun': (params) => replays.dryRun(params),
    'replay.start': (params) => replays.start(params),
    'replay.pause': async ({ jobId }) => replays.pause(jobId),
    'replay.resume': async ({ jobId }) => replays.resume(jobId),
    'replay.step': ({ jobId }) => replays.step(jobId),
    'replay.stop': ({ jobId }) => replays.stop(jobId),
    'replay.list': async () => replays.list(),
  }
}
