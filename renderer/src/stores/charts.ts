/**
 * Chart series of every connection. The points live on the main side (collected from every
 * message); this store mirrors them into one ChartTable per connection, which the chart panel
 * draws. Series are global: every window hears `chart.changed` and `chart.points`. A table and
 * its arrays are not reactive (100,000 points must not become proxies); listeners hear when a
 * connection's table changed and redraw on their next animation frame.
 */
import { defineStore } from 'pinia'
import { computed, markRaw, shallowRef } from 'vue'
import { MAX_SERIES_POINTS, type ChartPointsEvent, type ChartSeriesInfo, type SeriesSource } from '@api'
import { useApi } from '../api/use-api'
import { ChartTable } from '../lib/charts/chart-table'
import { droppedCount, stepFor } from '../lib/charts/series-sync'

/** Points the renderer holds past the cap before dropping the oldest in one go. */
const DROP_SLACK = Math.ceil(MAX_SERIES_POINTS / 20)

interface SyncState {
  connectionId: string
  /** Index after the last point held. */
  nextIndex: number
  fetching: boolean
  /** Batches that arrived while a fetch was out, applied after it. */
  queued: ChartPointsEvent[]
}

export const useChartsStore = defineStore('charts', () => {
  const api = useApi()
  const series = shallowRef<readonly ChartSeriesInfo[]>([])
  const tables = new Map<string, ChartTable>()
  const sync = new Map<string, SyncState>()
  const listeners = new Map<string, Set<() => void>>()

  api.on('chart.changed', (list) => applyList(list))
  api.on('chart.points', (batch) => onBatch(batch))

  /** The table of one connection's chart (created empty on first ask). */
  function tableOf(connectionId: string): ChartTable {
    let table = tables.get(connectionId)
    if (table === undefined) tables.set(connectionId, (table = markRaw(new ChartTable())))
    return table
  }

  /** Calls `listener` whenever the connection's table changed; returns a function that stops it. */
  function onData(connectionId: string, listener: () => void): () => void {
    let set = listeners.get(connectionId)
    if (set === undefined) listeners.set(connectionId, (set = new Set()))
    set.add(listener)
    return () => set.delete(listener)
  }

  function changed(connectionId: string): void {
    for (const listener of listeners.get(connectionId) ?? []) listener()
  }

  /** The series of one connection, in the order they were added. */
  function seriesOf(connectionId: string) {
    return computed(() => series.value.filter((s) => s.source.connectionId === connectionId))
  }

  async function load(): Promise<void> {
    applyList(await api.call('chart.list'))
  }

  /** Adds a series (backfilled from the topic's history on the main side) and returns it. */
  async function add(source: SeriesSource, label?: string): Promise<ChartSeriesInfo> {
    const info = await api.call('chart.add', { source, label })
    applyList(series.value.some((s) => s.seriesId === info.seriesId) ? series.value : [...series.value, info])
    return info
  }

  async function remove(seriesId: string): Promise<void> {
    await api.call('chart.remove', { seriesId })
    applyList(series.value.filter((s) => s.seriesId !== seriesId))
  }

  async function reset(seriesId: string): Promise<void> {
    const info = await api.call('chart.reset', { seriesId })
    applyList(series.value.map((s) => (s.seriesId === seriesId ? info : s)))
  }

  /** Takes the main side's list: new series are fetched, gone ones dropped, dropped points trimmed. */
  function applyList(list: readonly ChartSeriesInfo[]): void {
    const touched = new Set<string>()
    const ids = new Set(list.map((s) => s.seriesId))
    for (const [seriesId, state] of [...sync]) {
      if (ids.has(seriesId)) continue
      sync.delete(seriesId)
      tableOf(state.connectionId).removeColumn(seriesId)
      touched.add(state.connectionId)
    }
    for (const info of list) {
      const connectionId = info.source.connectionId
      const state = sync.get(info.seriesId)
      const table = tableOf(connectionId)
      if (state === undefined) {
        table.addColumn(info.seriesId)
        const fresh: SyncState = { connectionId, nextIndex: 0, fetching: false, queued: [] }
        sync.set(info.seriesId, fresh)
        void fetchFrom(info.seriesId, fresh, 0)
        touched.add(connectionId)
        continue
      }
      const dropped = droppedCount(state.nextIndex, table.count(info.seriesId), info)
      if (dropped > 0) {
        table.dropOldest(info.seriesId, dropped)
        touched.add(connectionId)
      }
      // A reset while we were behind: nothing before its first index will come.
      if (!state.fetching && info.firstIndex > state.nextIndex) state.nextIndex = info.firstIndex
    }
    series.value = list
    for (const connectionId of touched) changed(connectionId)
  }

  function onBatch(batch: ChartPointsEvent): void {
    const state = sync.get(batch.seriesId)
    if (state === undefined) return
    if (state.fetching) {
      state.queued.push(batch)
      return
    }
    const step = stepFor(state.nextIndex, batch)
    if (step.kind === 'ignore') return
    if (step.kind === 'fetch') {
      void fetchFrom(batch.seriesId, state, step.from)
      return
    }
    take(batch.seriesId, state, batch, step.from)
    changed(state.connectionId)
  }

  function take(seriesId: string, state: SyncState, points: ChartPointsEvent, from: number): void {
    const table = tableOf(state.connectionId)
    table.add(seriesId, points.times, points.values, from)
    state.nextIndex = points.nextIndex
    const excess = table.count(seriesId) - MAX_SERIES_POINTS
    if (excess > DROP_SLACK) table.dropOldest(seriesId, excess)
  }

  async function fetchFrom(seriesId: string, state: SyncState, from: number): Promise<void> {
    state.fetching = true
    try {
      const points = await api.call('chart.points', { seriesId, from })
      if (sync.get(seriesId) !== state) return
      const table = tableOf(state.connectionId)
      // The main side no longer has what we hold before its first point: neither do we.
      const stale = droppedCount(state.nextIndex, table.count(seriesId), points)
      if (stale > 0) table.dropOldest(seriesId, stale)
      if (points.firstIndex >= state.nextIndex || points.nextIndex > state.nextIndex) {
        state.nextIndex = Math.max(state.nextIndex, points.firstIndex)
        const step = stepFor(state.nextIndex, points)
        if (step.kind === 'append') take(seriesId, state, points, step.from)
      }
    } catch (err) {
      // The series went away meanwhile (removed in another window): the list will say so.
      console.warn('Could not fetch chart points', err)
    } finally {
      state.fetching = false
    }
    const queued = state.queued.splice(0)
    for (const batch of queued) onBatch(batch)
    changed(state.connectionId)
  }

  void load().catch((err: unknown) => console.warn('Could not list chart series', err))

  return { series, add, remove, reset, load, tableOf, onData, seriesOf }
})
