/**
 * Replay jobs. They run on the main side, so this store only mirrors them: `replay.list` at start
 * and on a new backend link, then every `replay.progress`. Ended jobs stay listed with their final
 * counts until dismissed here.
 */
import { defineStore } from 'pinia'
import { ref, triggerRef } from 'vue'
import type { DryRunResult, MethodParams, ReplayJob } from '@api'
import { useApiContext } from '../api/use-api'
import { loadErrorText } from '../lib/format'
import { isLiveJob } from '../lib/recording/library'

export const useReplayStore = defineStore('replay', () => {
  const { client: api, channel } = useApiContext()
  const jobs = ref(new Map<string, ReplayJob>())
  const loadError = ref<string | null>(null)
  const dismissed = new Set<string>()

  api.on('replay.progress', put)
  channel.onStatus((_status, reconnected) => {
    if (reconnected) void load()
  })

  function put(job: ReplayJob): void {
    if (dismissed.has(job.jobId)) return
    const known = jobs.value.get(job.jobId)
    // An ended job never runs again: a late progress event must not bring it back.
    if (known && !isLiveJob(known) && isLiveJob(job)) return
    jobs.value.set(job.jobId, job)
    triggerRef(jobs)
  }

  async function load(): Promise<void> {
    try {
      const list = await api.call('replay.list')
      for (const job of list) put(job)
      const ids = new Set(list.map((j) => j.jobId))
      for (const [id, job] of jobs.value) if (!ids.has(id) && isLiveJob(job)) jobs.value.delete(id)
      triggerRef(jobs)
      loadError.value = null
    } catch (err) {
      loadError.value = loadErrorText(err)
    }
  }

  /** Jobs publishing into one connection, live ones first, then the newest. */
  function jobsInto(connectionId: string): ReplayJob[] {
    return [...jobs.value.values()]
      .filter((j) => j.connectionId === connectionId)
      .sort((a, b) => Number(isLiveJob(b)) - Number(isLiveJob(a)) || b.startedAt - a.startedAt)
  }

  /** Jobs replaying one recording. */
  function jobsOf(recordingId: string): ReplayJob[] {
    return [...jobs.value.values()].filter((j) => j.recordingId === recordingId).sort((a, b) => b.startedAt - a.startedAt)
  }

  function dryRun(params: MethodParams<'replay.dryRun'>): Promise<DryRunResult> {
    return api.call('replay.dryRun', params)
  }

  async function start(params: MethodParams<'replay.start'>): Promise<ReplayJob> {
    const job = await api.call('replay.start', params)
    put(job)
    return job
  }

  /** Pause, resume, step or stop: each answers the job as it is now. */
  async function control(action: 'pause' | 'resume' | 'step' | 'stop', jobId: string): Promise<ReplayJob> {
    const job = await api.call(`replay.${action}`, { jobId })
    put(job)
    return job
  }

  function dismiss(jobId: string): void {
    dismissed.add(jobId)
    jobs.value.delete(jobId)
    triggerRef(jobs)
  }

  void load()

  return { jobs, loadError, load, jobsInto, jobsOf, dryRun, start, control, dismiss }
})
