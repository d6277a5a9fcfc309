/**
 * Repeat jobs. They run on the main side, so this store only mirrors them: `repeat.list` when it
 * starts (a reloaded window shows the jobs still running) and on a new backend link, then every
 * `repeat.progress`. Ended jobs stay listed, with their final counts, until dismissed here.
 */
import { defineStore } from 'pinia'
import { ref, triggerRef } from 'vue'
import type { MethodParams, RepeatJob } from '@api'
import { useApiContext } from '../api/use-api'
import { loadErrorText } from '../lib/format'
import { sortJobs } from '../lib/publish/jobs-repeat'

/** Ended entries kept in this window (oldest dropped first); running ones are always kept. */
export const MAX_ENDED = 50

export const useRepeatJobsStore = defineStore('repeatJobs', () => {
  const { client: api, channel } = useApiContext()
  const jobs = ref(new Map<string, RepeatJob>())
  const loadError = ref<string | null>(null)
  /** Ended jobs the user closed in this window (the main side may still list them). */
  const dismissed = new Set<string>()

  api.on('repeat.progress', (job) => put(job))
  channel.onStatus((_status, reconnected) => {
    if (reconnected) void load()
  })

  function put(job: RepeatJob): void {
    if (dismissed.has(job.jobId)) return
    const known = jobs.value.get(job.jobId)
    // An ended job never runs again: a late progress event must not bring it back to life.
    if (known && known.state !== 'running' && job.state === 'running') return
    jobs.value.set(job.jobId, job)
    if (job.state !== 'running') trimEnded()
    triggerRef(jobs)
  }

  /** Keeps the newest MAX_ENDED ended jobs, so a long session's list stays short. */
  function trimEnded(): void {
    const ended = [...jobs.value.values()].filter((j) => j.state !== 'running').sort((a, b) => (a.endedAt ?? a.startedAt) - (b.endedAt ?? b.startedAt))
    for (const j of ended.slice(0, Math.max(0, ended.length - MAX_ENDED))) jobs.value.delete(j.jobId)
  }

  async function load(): Promise<void> {
    try {
      const list = await api.call('repeat.list')
      for (const job of list) put(job)
      // Jobs that were running and the backend no longer knows (it restarted): they are gone.
      const ids = new Set(list.map((j) => j.jobId))
      for (const [id, job] of jobs.value) {
        if (!ids.has(id) && job.state === 'running') jobs.value.delete(id)
      }
      triggerRef(jobs)
      loadError.value = null
    } catch (err) {
      loadError.value = loadErrorText(err)
    }
  }

  /** One connection's jobs: running first, then the most recently ended. */
  function jobsOf(connectionId: string): RepeatJob[] {
    return sortJobs([...jobs.value.values()].filter((j) => j.connectionId === connectionId))
  }

  async function start(params: MethodParams<'repeat.start'>): Promise<RepeatJob> {
    const job = await api.call('repeat.start', params)
    put(job)
    return job
  }

  async function stop(jobId: string): Promise<RepeatJob> {
    const job = await api.call('repeat.stop', { jobId })
    put(job)
    return job
  }

  /** Hides an ended job in this window. */
  function dismiss(jobId: string): void {
    dismissed.add(jobId)
    jobs.value.delete(jobId)
    triggerRef(jobs)
  }

  void load()

  return { jobs, loadError, load, jobsOf, start, stop, dismiss }
})
