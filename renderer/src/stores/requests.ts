/**
 * MQTT 5 requests and the replies matched to them by correlation data. The main side subscribes
 * to the response topic and times requests out; this store mirrors `request.list` (on start and
 * on a new backend link) and every `request.progress`.
 */
import { defineStore } from 'pinia'
import { ref, triggerRef } from 'vue'
import type { MethodParams, RequestState } from '@api'
import { useApiContext } from '../api/use-api'
import { loadErrorText } from '../lib/format'
import { requestOpen } from '../lib/publish/jobs-request'

/** Ended entries kept in this window (oldest dropped first); running ones are always kept. */
export const MAX_ENDED = 50

export const useRequestsStore = defineStore('requests', () => {
  const { client: api, channel } = useApiContext()
  const requests = ref(new Map<string, RequestState>())
  const loadError = ref<string | null>(null)
  const dismissed = new Set<string>()

  api.on('request.progress', (state) => put(state))
  channel.onStatus((_status, reconnected) => {
    if (reconnected) void load()
  })

  function put(state: RequestState): void {
    if (dismissed.has(state.requestId)) return
    const known = requests.value.get(state.requestId)
    // Events of one stream may arrive after the call's own answer: keep the furthest state.
    if (known && !requestOpen(known) && requestOpen(state)) return
    if (known && requestOpen(known) && requestOpen(state) && known.replies.length > state.replies.length) return
    requests.value.set(state.requestId, state)
    if (!requestOpen(state)) trimEnded()
    triggerRef(requests)
  }

  /** Keeps the newest MAX_ENDED ended requests, so a long session's list stays short. */
  function trimEnded(): void {
    const ended = [...requests.value.values()].filter((r) => !requestOpen(r)).sort((a, b) => a.sentAt - b.sentAt)
    for (const r of ended.slice(0, Math.max(0, ended.length - MAX_ENDED))) requests.value.delete(r.requestId)
  }

  async function load(): Promise<void> {
    try {
      const list = await api.call('request.list')
      for (const state of list) put(state)
      const ids = new Set(list.map((r) => r.requestId))
      for (const [id, state] of requests.value) {
        if (!ids.has(id) && requestOpen(state)) requests.value.delete(id)
      }
      triggerRef(requests)
      loadError.value = null
    } catch (err) {
      loadError.value = loadErrorText(err)
    }
  }

  /** One connection's requests, newest first. */
  function requestsOf(connectionId: string): RequestState[] {
    return [...requests.value.values()].filter((r) => r.connectionId === connectionId).sort((a, b) => b.sentAt - a.sentAt)
  }

  async function send(params: MethodParams<'request.send'>): Promise<RequestState> {
    const state = await api.call('request.send', params)
    put(state)
    return state
  }

  async function cancel(requestId: string): Promise<RequestState> {
    const state = await api.call('request.cancel', { requestId })
    put(state)
    return state
  }

  function dismiss(requestId: string): void {
    dismissed.add(requestId)
    requests.value.delete(requestId)
    triggerRef(requests)
  }

  void load()

  return { requests, loadError, load, requestsOf, send, cancel, dismiss }
})
