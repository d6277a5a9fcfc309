/**
 * Recordings opened offline. Each is a read-only connection on the main side (it shows up in
 * `connections.list` with `state.offline`); this store keeps its timeline state, fed by
 * `offline.state` events, and asks again for every open one on a new backend link.
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { OfflineState } from '@api'
import { ApiError, OFFLINE_PREFIX } from '@api'
import { useApiContext } from '../api/use-api'
import { useConnectionsStore } from './connections'

export const useOfflineStore = defineStore('offline', () => {
  const { client: api, channel } = useApiContext()
  const connections = useConnectionsStore()
  const states = ref<Record<string, OfflineState>>({})

  api.on('offline.state', put)
  channel.onStatus((_status, reconnected) => {
    if (reconnected) void resync()
  })

  function put(state: OfflineState): void {
    states.value[state.connectionId] = state
  }

  /** Fetches one timeline's state (a panel shown before any event arrived asks for it). */
  async function refresh(connectionId: string): Promise<void> {
    try {
      put(await api.call('offline.state', { connectionId }))
    } catch (err) {
      // Closed meanwhile (or the backend restarted without it): nothing to show any more.
      if (err instanceof ApiError && err.code === 'RECORDING_NOT_FOUND') delete states.value[connectionId]
      else throw err
    }
  }

  async function resync(): Promise<void> {
    await Promise.all(Object.keys(states.value).map((id) => refresh(id).catch(() => {})))
  }

  /** Opens a recording offline; its tab comes to front as soon as its connection is listed. */
  async function open(recordingId: string): Promise<OfflineState> {
    connections.focus(OFFLINE_PREFIX + recordingId)
    const state = await api.call('offline.open', { recordingId })
    put(state)
    // The connection's own state event may have come before this answer, or not at all yet.
    await connections.load().catch(() => {})
    connections.focus(state.connectionId)
    return state
  }

  async function seek(connectionId: string, positionUs: number): Promise<void> {
    put(await api.call('offline.seek', { connectionId, positionUs }))
  }

  async function step(connectionId: string, count: number): Promise<void> {
    put(await api.call('offline.step', { connectionId, count }))
  }

  async function play(connectionId: string, speed: number): Promise<void> {
    put(await api.call('offline.play', { connectionId, speed }))
  }

  async function pause(connectionId: string): Promise<void> {
    put(await api.call('offline.pause', { connectionId }))
  }

  /** Closes the recording's connection; the backend forgets its timeline too. */
  async function close(connectionId: string): Promise<void> {
    try {
      await connections.disconnect(connectionId)
    } finally {
      delete states.value[connectionId]
    }
  }

  return { states, put, refresh, open, seek, step, play, pause, close }
})
