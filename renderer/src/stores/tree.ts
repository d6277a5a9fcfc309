/**
 * Topic tree views, one per open connection. The tree lives on the main side; this store holds
 * only each view's current window (see TreeViewModel) and the toolbar's choices, so a million
 * topics cost the renderer what a screenful does. Frames arrive ≤ 20 per second per view and each
 * one costs one reactive bump (`version`), never one per row or per message.
 */
import { defineStore } from 'pinia'
import { markRaw, reactive, ref, shallowRef, triggerRef, watch, type Ref, type ShallowRef } from 'vue'
import type { BrokerStats, TreeDeleteProgress, TreeFilterMode, TreeFindResult, TreeSort, TreeViewFrame, TreeWindow } from '@api'
import { MAX_WINDOW_ROWS } from '@api'
import { useApi, useApiContext } from '../api/use-api'
import { TreeViewModel } from '../lib/tree/tree-view-model'
import { useConnectionsStore } from './connections'
import { useSettingsStore } from './settings'
import { loadErrorText } from '../lib/format'

/** One connection's view as the components use it. */
export interface TreeViewHandle {
  readonly connectionId: string
  /** The model is not reactive; read `version` to depend on it. */
  model: TreeViewModel
  version: ShallowRef<number>
  /** Why the tree cannot be shown (a sentence), or null. */
  error: Ref<string | null>
  /** Toolbar state, kept while the tab is switched away. */
  filterText: Ref<string>
  filterMode: Ref<TreeFilterMode>
  matchPayload: Ref<boolean>
  sort: Ref<TreeSort>
  selectedPath: Ref<string | null>
  /** The connection's message total when Pause was pressed (for "n new messages"). */
  pausedAtTotal: Ref<number | null>
  /** Scroll position to restore when the panel comes back. */
  scrollTop: number
  /** The window last asked for (deduplicates scroll-driven requests). */
  requested: TreeWindow
}

/** What a new view asks for before it knows the viewport's height. */
const INITIAL_WINDOW: TreeWindow = { offset: 0, count: 120 }

export const useTreeStore = defineStore('tree', () => {
  const api = useApi()
  const { channel } = useApiContext()
  const connections = useConnectionsStore()
  const handles = new Map<string, TreeViewHandle>()
  const byViewId = new Map<string, TreeViewHandle>()
  const opening = new Map<string, Promise<TreeViewHandle>>()
  /** Retained deletions in flight or just finished, by job id. */
  const deletions = shallowRef(new Map<string, TreeDeleteProgress>())
  const stats = shallowRef(new Map<string, BrokerStats>())
  /**
   * Change highlight on/off for every tree of this window. It starts from the Settings' choice and
   * follows it when it changes; the toolbar's checkbox overrides it for this window until then.
   */
  const settings = useSettingsStore()
  const highlight = ref(settings.settings.tree.highlightChanges)
  watch(
    () => settings.settings.tree.highlightChanges,
    (on) => (highlight.value = on),
  )

  api.on('tree.view', onFrame)
  api.on('tree.deleteProgress', (progress) => {
    deletions.value.set(progress.jobId, progress)
    triggerRef(deletions)
  })
  api.on('tree.stats', (s) => {
    stats.value.set(s.connectionId, s)
    triggerRef(stats)
  })
  // A new backend link is a new peer: its views are gone, so open them again.
  channel.onStatus((_status, reconnected) => {
    if (reconnected) for (const h of handles.values()) void reopen(h)
  })
  // A closed tab closes its view, so the main side stops computing frames for it.
  watch(
    () => connections.tabs.map((t) => t.connectionId),
    (ids) => {
      const open = new Set(ids)
      for (const id of [...handles.keys()]) if (!open.has(id)) void close(id)
    },
  )

  function onFrame(frame: TreeViewFrame): void {
    const handle = byViewId.get(frame.viewId)
    if (!handle) return
    apply(handle, frame)
  }

  function apply(handle: TreeViewHandle, frame: TreeViewFrame): void {
    const wasResyncing = handle.model.resyncing
    const outcome = handle.model.apply(frame)
    // A real number change (not triggerRef): computeds that read it then see a new value too.
    if (outcome === 'applied') handle.version.value++
    else if (outcome === 'gap' && !wasResyncing) void resync(handle)
  }

  async function resync(handle: TreeViewHandle): Promise<void> {
    try {
      apply(handle, await api.call('tree.view.snapshot', { viewId: handle.model.viewId }))
    } catch (err) {
      handle.model.resyncing = false
      fail(handle, err)
    }
  }

  /** A dropped backend link is left to the app's banner: the view is opened again once the link is back. */
  function fail(handle: TreeViewHandle, err: unknown): void {
    handle.error.value = loadErrorText(err)
  }

  /** The view for a connection, opening it on first use. */
  function open(connectionId: string): Promise<TreeViewHandle> {
    const existing = handles.get(connectionId)
    if (existing && existing.error.value === null) return Promise.resolve(existing)
    const pending = opening.get(connectionId)
    if (pending) return pending
    const handle = existing ?? createHandle(connectionId)
    const task = reopen(handle).finally(() => opening.delete(connectionId))
    opening.set(connectionId, task)
    return task
  }

  function createHandle(connectionId: string): TreeViewHandle {
    const handle: TreeViewHandle = {
      connectionId,
      model: markRaw(new TreeViewModel('')),
      version: shallowRef(0),
      error: ref(null),
      filterText: ref(''),
      filterMode: ref<TreeFilterMode>('substring'),
      matchPayload: ref(false),
      sort: ref<TreeSort>('name'),
      selectedPath: ref(null),
      pausedAtTotal: ref(null),
      scrollTop: 0,
      requested: INITIAL_WINDOW,
    }
    handles.set(connectionId, handle)
    return handle
  }

  async function reopen(handle: TreeViewHandle): Promise<TreeViewHandle> {
    try {
      const text = handle.filterText.value.trim()
      const frame = await api.call('tree.view.open', {
        connectionId: handle.connectionId,
        window: handle.requested,
        sort: handle.sort.value,
        expanded: [],
        selected: handle.selectedPath.value,
        filter: text ? { mode: handle.filterMode.value, text, matchPayload: handle.matchPayload.value, caseSensitive: false } : null,
      })
      byViewId.delete(handle.model.viewId)
      handle.model = markRaw(new TreeViewModel(frame.viewId))
      byViewId.set(frame.viewId, handle)
      handle.error.value = null
      handle.pausedAtTotal.value = null
      apply(handle, frame)
    } catch (err) {
      fail(handle, err)
    }
    return handle
  }

  async function close(connectionId: string): Promise<void> {
    const handle = handles.get(connectionId)
    if (!handle) return
    handles.delete(connectionId)
    byViewId.delete(handle.model.viewId)
    if (handle.model.viewId) await api.call('tree.view.close', { viewId: handle.model.viewId }).catch(() => {})
  }

  /** Runs a view call; a failure shows as the view's error instead of an unhandled rejection. */
  /** Runs a call on the handle's view; null when there is no view or the call failed (shown as the view's error). */
  async function viewCall<T>(handle: TreeViewHandle, run: (viewId: string) => Promise<T>): Promise<T | null> {
    if (!handle.model.viewId) return null
    try {
      return await run(handle.model.viewId)
    } catch (err) {
      fail(handle, err)
      return null
    }
  }

  /** Asks for the rows of [offset, offset+count) unless that is what was asked last. */
  function setWindow(handle: TreeViewHandle, offset: number, count: number): void {
    const window = { offset: Math.max(0, Math.floor(offset)), count: Math.max(1, Math.min(MAX_WINDOW_ROWS, Math.ceil(count))) }
    if (window.offset === handle.requested.offset && window.count === handle.requested.count) return
    handle.requested = window
    void viewCall(handle, (viewId) => api.call('tree.view.window', { viewId, window }))
  }

  function expand(handle: TreeViewHandle, path: string, action: 'expand' | 'collapse' | 'toggle' | 'subtree'): Promise<unknown> {
    return viewCall(handle, (viewId) => api.call('tree.view.expand', { viewId, path, action }))
  }

  function expandToDepth(handle: TreeViewHandle, depth: number): Promise<unknown> {
    return viewCall(handle, (viewId) => api.call('tree.view.expandToDepth', { viewId, depth }))
  }

  function select(handle: TreeViewHandle, path: string | null): Promise<unknown> {
    handle.selectedPath.value = path
    return viewCall(handle, (viewId) => api.call('tree.view.select', { viewId, path }))
  }

  /** Sends the toolbar's filter (empty text clears it). */
  function applyFilter(handle: TreeViewHandle): Promise<unknown> {
    const text = handle.filterText.value.trim()
    const filter = text ? { mode: handle.filterMode.value, text, matchPayload: handle.matchPayload.value, caseSensitive: false } : null
    return viewCall(handle, (viewId) => api.call('tree.view.filter', { viewId, filter }))
  }

  function setSort(handle: TreeViewHandle, sort: TreeSort): Promise<unknown> {
    handle.sort.value = sort
    return viewCall(handle, (viewId) => api.call('tree.view.sort', { viewId, sort }))
  }

  function setPaused(handle: TreeViewHandle, paused: boolean, currentTotal: number): Promise<unknown> {
    handle.pausedAtTotal.value = paused ? currentTotal : null
    return viewCall(handle, (viewId) => api.call('tree.view.pause', { viewId, paused }))
  }

  /**
   * Type-ahead over every row the view shows, held here or not (see `tree.view.find`); null when
   * the call failed, which then shows as the view's error like any other view call.
   */
  function find(handle: TreeViewHandle, prefix: string, after: number): Promise<TreeFindResult | null> {
    return viewCall(handle, (viewId) => api.call('tree.view.find', { viewId, prefix, after }))
  }

  async function clear(connectionId: string): Promise<void> {
    await api.call('tree.clear', { connectionId })
  }

  async function loadStats(connectionId: string): Promise<BrokerStats> {
    const s = await api.call('tree.stats', { connectionId })
    stats.value.set(connectionId, s)
    triggerRef(stats)
    return s
  }

  async function countRetained(connectionId: string, path: string, subtree: boolean): Promise<number> {
    return (await api.call('tree.retained.count', { connectionId, path, subtree })).count
  }

  async function deleteRetained(connectionId: string, path: string, subtree: boolean): Promise<TreeDeleteProgress> {
    const progress = await api.call('tree.retained.delete', { connectionId, path, subtree })
    // Events may have overtaken the answer; never move a finished job back to 'running'.
    const known = deletions.value.get(progress.jobId)
    if (!known || known.state === 'running') deletions.value.set(progress.jobId, progress)
    triggerRef(deletions)
    return progress
  }

  async function cancelDelete(jobId: string): Promise<void> {
    const progress = await api.call('tree.retained.cancel', { jobId })
    deletions.value.set(jobId, progress)
    triggerRef(deletions)
  }

  /** Keeps the scroll position so the tree comes back where it was after a tab switch. */
  function rememberScroll(handle: TreeViewHandle, top: number): void {
    handle.scrollTop = top
  }

  function handleFor(connectionId: string): TreeViewHandle | undefined {
    return handles.get(connectionId)
  }

  /** "Show in tree" from elsewhere (a request's reply): counted per connection, so its views switch to the tree. */
  const treeRequests = reactive(new Map<string, number>())
  function treeRequestsFor(connectionId: string): number {
    return treeRequests.get(connectionId) ?? 0
  }

  /** Selects a topic and asks the connection's views to show the tree, opening the tree's view first if needed. */
  async function reveal(connectionId: string, path: string): Promise<string | null> {
    const handle = await open(connectionId)
    if (handle.error.value) return handle.error.value
    treeRequests.set(connectionId, treeRequestsFor(connectionId) + 1)
    await select(handle, path)
    return handle.error.value
  }

  return {
    deletions,
    stats,
    highlight,
    open,
    close,
    handleFor,
    reveal,
    treeRequestsFor,
    rememberScroll,
    setWindow,
    expand,
    expandToDepth,
    select,
    applyFilter,
    setSort,
    setPaused,
    find,
    clear,
    loadStats,
    countRetained,
    deleteRetained,
    cancelDelete,
  }
})
