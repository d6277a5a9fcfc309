/**
 * What the renderer holds of one tree view: the current window of rows and nothing more. The
 * tree itself lives on the main side; frames bring the complete window's ids plus only the rows
 * that changed, so the row map here is pruned to the window on every frame and memory stays
 * bounded by the screen, never by the tree (a million topics cost the same as a hundred).
 * Pure TypeScript (no Vue) so its frame rules are unit-testable.
 */
import type { TreeFilterStatus, TreeRow, TreeSelection, TreeViewFrame } from '@api'

/** What applying a frame did; 'gap' means the caller must ask for a snapshot. */
export type FrameOutcome = 'applied' | 'stale' | 'gap'

const NO_FILTER: TreeFilterStatus = { state: 'off', matched: 0, scanned: 0, total: 0 }

export class TreeViewModel {
  seq = 0
  totalRows = 0
  /** Index of ids[0] in the whole (virtual) list. */
  offset = 0
  ids: readonly number[] = []
  readonly rows = new Map<number, TreeRow>()
  /** id → how many frames reported a change: flips the highlight animation so it restarts. */
  readonly flashes = new Map<number, { count: number; at: number }>()
  paused = false
  totals = { messages: 0, topics: 0 }
  filter: TreeFilterStatus = NO_FILTER
  selection: TreeSelection | null = null
  /** Set once a gap was seen, until the snapshot that heals it arrives. */
  resyncing = false

  constructor(readonly viewId: string) {}

  /** Applies one frame of this view. Deltas must continue the last seq; anything else is a gap. */
  apply(frame: TreeViewFrame, now = Date.now()): FrameOutcome {
    if (frame.viewId !== this.viewId) return 'stale'
    if (frame.kind === 'snapshot') {
      if (frame.seq <= this.seq) return 'stale'
      this.rows.clear()
      this.flashes.clear()
      this.resyncing = false
    } else if (frame.baseSeq !== this.seq) {
      if (frame.seq <= this.seq) return 'stale'
      this.resyncing = true
      return 'gap'
    }
    this.seq = frame.seq
    this.totalRows = frame.totalRows
    this.offset = frame.offset
    this.ids = frame.ids
    this.paused = frame.paused
    this.totals = frame.totals
    this.filter = frame.filter
    if (frame.selection !== undefined) this.selection = frame.selection
    for (const row of frame.rows) {
      this.rows.set(row.id, row)
      if (row.changed && frame.kind === 'delta') {
        const previous = this.flashes.get(row.id)
        this.flashes.set(row.id, { count: (previous?.count ?? 0) + 1, at: now })
      }
    }
    this.prune()
    return 'applied'
  }

  /** The row shown at `index` of the whole list, if it is inside the window we hold. */
  rowAt(index: number): TreeRow | undefined {
    const i = index - this.offset
    if (i < 0 || i >= this.ids.length) return undefined
    return this.rows.get(this.ids[i])
  }

  /** Index of the row with this path, searching only the window we hold (-1 if not in it). */
  indexOfPath(path: string): number {
    for (let i = 0; i < this.ids.length; i++) {
      if (this.rows.get(this.ids[i])?.path === path) return this.offset + i
    }
    return -1
  }

  /** True when every index of [first, last] is inside the window. */
  covers(first: number, last: number): boolean {
    return first >= this.offset && last < this.offset + this.ids.length
  }

  // Rows and flash marks of ids that left the window go: the map never outgrows the window.
  private prune(): void {
    if (this.rows.size <= this.ids.length && this.flashes.size <= this.ids.length) return
    const keep = new Set(this.ids)
    for (const id of this.rows.keys()) if (!keep.has(id)) this.rows.delete(id)
    for (const id of this.flashes.keys()) if (!keep.has(id)) this.flashes.delete(id)
  }
}

/** The parent path of a row ('' for a top-level row): its path minus its own level name. */
export function parentPath(row: Pick<TreeRow, 'path' | 'name' | 'depth'>): string | null {
  if (row.depth === 0) return null
  return row.path.slice(0, row.path.length - row.name.length - 1)
}
