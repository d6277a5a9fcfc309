/**
 * The replay jobs: checks a replay before it runs (the recording exists, the target is a live
 * connection, a different broker than the recording's was confirmed), runs each job, lists
 * them, and ends a job whose target connection went down. Connections and the library arrive as
 * hooks (see core/service.ts).
 */
import { randomUUID } from 'node:crypto'
import type { z } from 'zod'
import { ApiError, isOfflineConnectionId, type ConnectionState, type DryRunResult, type EventName, type EventPayloads, type Profile, type RemapRule, type ReplayDryRunParams, type ReplayJob } from '../../api'
import type { PublishChannel } from '../connections/connection-manager'
import { brokerUrl } from '../recording/recording-manager'
import type { RecordingStore } from '../recording/recording-store'
import { summarisePlan } from './dry-run'
import { ReplayJobRun } from './replay-job'
import type { ReplayInput } from './replay-plan'

/** Replay jobs running (or paused) at once. */
export const MAX_REPLAY_JOBS = 8
/** Ended jobs kept for `replay.list`. */
const KEEP_ENDED_JOBS = 50

export interface ReplayManagerOptions {
  store: Pick<RecordingStore, 'path' | 'info'>
  /** The live session of a connection (throws NOT_FOUND when never connected). */
  channel(connectionId: string): PublishChannel
  profile(connectionId: string): Promise<Profile | undefined>
  emit: <E extends EventName>(name: E, payload: EventPayloads[E]) => void
}

export class ReplayManager {
  private readonly jobs = new Map<string, ReplayJobRun>()

  constructor(private readonly options: ReplayManagerOptions) {}

  /** What a replay with these options would send, read from the file without sending. */
  async dryRun(params: z.output<typeof ReplayDryRunParams>): Promise<DryRunResult> {
    const { limit, ...input } = params
    const { path, otherBroker } = await this.check(input)
    const summary = await summarisePlan(path, input, limit)
    return { rows: summary.rows, total: summary.total, durationMs: summary.durationMs, otherBroker, retainWarning: summary.retained > 0 }
  }

  async start(input: ReplayInput): Promise<ReplayJob> {
    const { path, otherBroker, totalEstimate, totalExact } = await this.check(input)
    if (otherBroker && !input.confirmOtherBroker) {
      throw new ApiError(
        'REPLAY_OTHER_BROKER',
        `This recording was made on ${otherBroker.recording}, and the replay would publish into ${otherBroker.target}: confirm to replay into that broker.`,
        otherBroker,
      )
    }
    const channel = this.options.channel(input.connectionId)
    if (!channel.isConnected) throw new ApiError('MQTT_NOT_CONNECTED', 'That connection is not connected right now: connect it, then start the replay.')
    const running = [...this.jobs.values()].filter((j) => !j.ended).length
    if (running >= MAX_REPLAY_JOBS) throw new ApiError('RECORDING_BUSY', `${MAX_REPLAY_JOBS} replays are running already: stop one before starting another.`)
    const jobId = randomUUID()
    const run = new ReplayJobRun({
      jobId,
      recordingId: input.recordingId,
      connectionId: input.connectionId,
      path,
      input,
      channel,
      totalEstimate,
      totalExact,
      onProgress: (job) => this.options.emit('replay.progress', job),
    })
    this.jobs.set(jobId, run)
    this.trimJobs()
    run.start()
    return run.snapshot()
  }

  pause(jobId: string): ReplayJob {
    return this.get(jobId).pause()
  }

  resume(jobId: string): ReplayJob {
    return this.get(jobId).resume()
  }

  step(jobId: string): Promise<ReplayJob> {
    return this.get(jobId).step()
  }

  stop(jobId: string): Promise<ReplayJob> {
    return this.get(jobId).stop()
  }

  list(): ReplayJob[] {
    return [...this.jobs.values()].map((j) => j.snapshot())
  }

  /** Connection state changes: replays into a connection that is no longer up end `failed`. */
  connectionState(state: ConnectionState): void {
    if (state.status === 'connected' || state.status === 'connecting') return
    const cause = state.error?.message.replace(/\.$/, '') ?? `${state.name} is ${state.status}`
    const error = new ApiError('CONNECTION_LOST', `The target connection dropped (${cause}), so the replay stopped.`).toJSON()
    for (const run of this.jobs.values()) if (!run.ended && run.snapshot().connectionId === state.connectionId) run.connectionLost(error)
  }

  /** App shutdown: every replay stops (what is in flight is answered or given up on). */
  async closeAll(): Promise<void> {
    await Promise.allSettled([...this.jobs.values()].filter((j) => !j.ended).map((j) => j.stop()))
  }

  /** The checks a dry run and a start share; the broker URLs come from the recording's header and the target's profile, derived the same way. */
  private async check(input: ReplayInput): Promise<{ path: string; otherBroker: DryRunResult['otherBroker']; totalEstimate: number; totalExact: boolean }> {
    if (isOfflineConnectionId(input.connectionId)) {
      throw new ApiError('OFFLINE_READ_ONLY', 'A recording opened offline is read-only: replay into a live connection instead.')
    }
    const info = await this.options.store.info(input.recordingId)
    const path = await this.options.store.path(input.recordingId)
    const profile = await this.options.profile(input.connectionId)
    if (!profile) throw new ApiError('NOT_FOUND', 'That connection does not exist (any more): pick another target for the replay.')
    const target = brokerUrl(profile)
    const recording = info.brokerUrl || 'an unknown broker (the file does not name one)'
    const { selection } = input
    const everything = selection.fromUs === undefined && selection.toUs === undefined && selection.filters.length === 0
    return { path, otherBroker: recording === target ? null : { recording, target }, totalEstimate: info.messageCount, totalExact: everything && input.remap.every(cannotRefuse) }
  }

  private get(jobId: string): ReplayJobRun {
    const run = this.jobs.get(jobId)
    if (!run) throw new ApiError('RECORDING_NOT_FOUND', 'That replay is not known any more (the app restarted?): start it again.')
    return run
  }

  private trimJobs(): void {
    const ended = [...this.jobs.entries()].filter(([, j]) => j.ended)
    for (const [id] of ended.slice(0, Math.max(0, ended.length - KEEP_ENDED_JOBS))) this.jobs.delete(id)
  }
}

/** A prefix rule to a non-empty topic without wildcards never refuses a recorded topic (those hold no wildcards). */
function cannotRefuse(rule: RemapRule): boolean {
  return rule.kind === 'prefix' && rule.to !== '' && !rule.to.includes('+') && !rule.to.includes('#')
}
