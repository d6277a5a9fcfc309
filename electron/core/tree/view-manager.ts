/**
 * All views of one connection's tree. One timer ticks every FRAME_INTERVAL_MS while views are
 * open; each tick asks every view for a frame, so the number of frames follows the clock and the
 * number of views, never the message rate. Also keeps filters up to date as topics arrive.
 */
import type { TreeFilterSpec, TreeViewFrame } from '../../api/tree'
import { ChildOrderCache } from './child-order'
import type { RowPreview } from './rows'
import type { TopicTree } from './topic-tree'
import { TreeView, type TreeViewInit } from './tree-view'

export const FRAME_INTERVAL_MS = 50

export interface ViewManagerOptions {
  connectionId: string
  tree: TopicTree
  /** Receives every frame; the service forwards it to the view's renderer. */
  emit: (frame: TreeViewFrame) => void
  intervalMs?: number
  /** Decoded row previews for this connection (see TreeManagerOptions.previewFor). */
  previewFor?: RowPreview
}

export class ViewManager {
  readonly order = new ChildOrderCache()
  private readonly views = new Map<string, TreeView>()
  private timer: ReturnType<typeof setInterval> | null = null
  private nextId = 1
  private readonly stopTracking: () => void
  private readonly stopObserving: () => void

  constructor(private readonly options: ViewManagerOptions) {
    const tree = options.tree
    this.stopTracking = tree.trackChanges()
    this.stopObserving = tree.observe({
      topicAdded: (node) => {
        for (const view of this.views.values()) if (view.scan?.consider(node)) view.touch()
      },
      subtreeRemoved: (node) => {
        for (const view of this.views.values()) {
          view.scan?.forget(node)
          view.touch()
        }
      },
      cleared: () => {
        this.order.clear()
        for (const view of this.views.values()) view.treeCleared()
      },
    })
  }

  get size(): number {
    return this.views.size
  }

  /** Opens a view; its first frame (a snapshot) is returned right away. */
  open(init: TreeViewInit & { filter?: TreeFilterSpec | null }): TreeViewFrame {
    const id = `${this.options.connectionId}:view-${this.nextId++}`
    const view = new TreeView(id, this.options.connectionId, this.options.tree, this.order, init, this.options.previewFor)
    this.views.set(id, view)
    if (init.filter) view.setFilter(init.filter)
    this.ensureTimer()
    return view.frame(true) as TreeViewFrame
  }

  get(viewId: string): TreeView | undefined {
    return this.views.get(viewId)
  }

  close(viewId: string): void {
    this.views.get(viewId)?.close()
    this.views.delete(viewId)
    if (this.views.size === 0) this.stopTimer()
  }

  setFilter(viewId: string, filter: TreeFilterSpec | null): void {
    this.views.get(viewId)?.setFilter(filter)
  }

  /** Runs one tick now (tests and benchmarks use this instead of waiting for the timer). */
  tick(): TreeViewFrame[] {
    const changed = this.options.tree.drainChanges()
    const frames: TreeViewFrame[] = []
    for (const view of this.views.values()) {
      const scan = view.scan
      if (scan !== null && scan.filter.usesPayload && changed.length > 0) {
        let moved = false
        for (const node of changed) if (scan.consider(node)) moved = true
        if (moved) view.touch()
      }
      const frame = view.frame()
      if (frame !== null) frames.push(frame)
    }
    for (const frame of frames) this.options.emit(frame)
    return frames
  }

  dispose(): void {
    for (const view of this.views.values()) view.close()
    this.views.clear()
    this.stopTimer()
    this.stopTracking()
    this.stopObserving()
  }

  private ensureTimer(): void {
    if (this.timer !== null) return
    this.timer = setInterval(() => this.tick(), this.options.intervalMs ?? FRAME_INTERVAL_MS)
    this.timer.unref?.()
  }

  private stopTimer(): void {
    if (this.timer !== null) clearInterval(this.timer)
    this.timer = null
  }
}
