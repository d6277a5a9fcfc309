/**
 * Recent messages per connection. This is the hot path: at 100k messages/s the main side
 * sends ~20 batches a second, and each batch must cost one reactive update, not one per
 * message. Lists are frozen arrays swapped in whole behind a shallowRef; nothing inside them
 * is reactive.
 */
import { defineStore } from 'pinia'
import { markRaw, shallowRef, triggerRef, watch } from 'vue'
import type { MessageBatchEvent, MessageSummary } from '@api'
import { useApi } from '../api/use-api'
import { useConnectionsStore } from './connections'

/** Rows kept per connection; the view shows a window of these. */
export const MAX_RECENT = 500

export interface MessageTotals {
  total: number
  bytes: number
}

export const useMessagesStore = defineStore('messages', () => {
  const api = useApi()
  /** connectionId → rows, oldest first. */
  const lists = shallowRef(new Map<string, readonly MessageSummary[]>())
  const totals = shallowRef(new Map<string, MessageTotals>())

  api.on('messages.batch', applyBatch)
  // A closed tab drops its rows however it was closed (its panel, the sidebar, the main side),
  // so a later session of the same profile starts from the backend's buffer, not stale rows.
  const connections = useConnectionsStore()
  watch(
    () => connections.tabs.map((t) => t.connectionId),
    (ids, before) => {
      const open = new Set(ids)
      for (const id of before ?? []) if (!open.has(id)) forget(id)
    },
  )

  function applyBatch(batch: MessageBatchEvent): void {
    const id = batch.connectionId
    const previous = lists.value.get(id) ?? []
    const incoming = batch.messages.length > MAX_RECENT ? batch.messages.slice(-MAX_RECENT) : batch.messages
    const keep = Math.max(0, MAX_RECENT - incoming.length)
    const next = previous.length > keep ? previous.slice(previous.length - keep).concat(incoming) : previous.concat(incoming)
    lists.value.set(id, markRaw(Object.freeze(next)) as readonly MessageSummary[])
    totals.value.set(id, { total: batch.total, bytes: batch.totalBytes })
    triggerRef(lists)
    triggerRef(totals)
  }

  function rows(connectionId: string): readonly MessageSummary[] {
    return lists.value.get(connectionId) ?? []
  }

  function totalsFor(connectionId: string): MessageTotals | undefined {
    return totals.value.get(connectionId)
  }

  /** Fills an empty list from the main side's recent buffer (after a reload or a reconnect). */
  async function backfill(connectionId: string): Promise<void> {
    if ((lists.value.get(connectionId)?.length ?? 0) > 0) return
    const recent = await api.call('messages.recent', { connectionId, limit: MAX_RECENT })
    if ((lists.value.get(connectionId)?.length ?? 0) > 0) return
    lists.value.set(connectionId, markRaw(Object.freeze(recent.slice(-MAX_RECENT))))
    triggerRef(lists)
  }

  async function clear(connectionId: string): Promise<void> {
    await api.call('messages.clear', { connectionId })
    lists.value.set(connectionId, markRaw(Object.freeze([])))
    triggerRef(lists)
  }

  function forget(connectionId: string): void {
    lists.value.delete(connectionId)
    totals.value.delete(connectionId)
    triggerRef(lists)
    triggerRef(totals)
  }

  return { lists, totals, applyBatch, rows, totalsFor, backfill, clear, forget }
})
