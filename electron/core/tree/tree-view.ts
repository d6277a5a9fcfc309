/**
 * One renderer view of a tree: expanded paths, a visible window, a selection, a filter, a sort
 * and a pause switch. It turns the tree into the rows of its window only, and into frames that
 * carry just what changed since the previous frame. Work per frame is bounded by the window and
 * by the skipped siblings on the path to it, never by the message rate: row counts below each
 * expanded node are cached against the node's structureVersion, child order by ChildOrderCache.
 */
import type { Notice } from '../../api/notices'
import type { TreeFilterSpec, TreeFilterStatus, TreeRow, TreeSort, TreeViewFrame, TreeWindow } from '../../api/tree'
import type { ChildOrderCache } from './child-order'
import { compileFilter, FilterScan } from './filters'
import { prefixMatcher } from './name-prefix'
import { toRow, toSelection, type RowPreview } from './rows'
import { childCount, childNodes, depthOf, pathOf, type TopicNode } from './topic-node'
import type { TopicTree } from './topic-tree'

export interface TreeViewInit {
  window: TreeWindow
  sort: TreeSort
  expanded: string[]
  selected: string | null
}

interface SentRow {
  gen: number
  expanded: boolean
  childCount: number
}

export class TreeView {
  window: TreeWindow
  sort: TreeSort
  selected: string | null
  paused = false
  readonly expanded: Set<string>
  /** Nodes the user collapsed while a filter auto-expands everything it shows. */
  private filterCollapsed = new Set<string>()
  private filterSpec: TreeFilterSpec | null = null
  private filterError: Notice | null = null
  scan: FilterScan | null = null
  private rowCounts = new Map<TopicNode, { version: number; rows: number }>()
  private sent = new Map<number, SentRow>()
  private seq = 0
  private lastGen = -1
  private layoutDirty = true
  private needSnapshot = true
  private selectionDirty = true
  private selectionGen = -1

  constructor(
    readonly id: string,
    readonly connectionId: string,
    private readonly tree: TopicTree,
    private readonly order: ChildOrderCache,
    init: TreeViewInit,
    /** Decoded previews (decoder rules); without it rows get the raw preview only. */
    private readonly decodedPreview?: RowPreview,
  ) {
    this.window = init.window
    this.sort = init.sort
    this.expanded = new Set(init.expanded)
    this.selected = init.selected
  }

  // ---- state changes (each one makes the next frame recompute the layout) ----

  setWindow(window: TreeWindow): void {
    this.window = window
    this.touch()
  }

  setSort(sort: TreeSort): void {
    this.sort = sort
    this.touch()
  }

  setPaused(paused: boolean): void {
    this.paused = paused
    this.touch()
  }

  select(path: string | null): void {
    this.selected = path
    this.selectionDirty = true
    this.touch()
  }

  expand(path: string): void {
    this.expanded.add(path)
    this.filterCollapsed.delete(path)
    this.touch()
  }

  collapse(path: string): void {
    this.expanded.delete(path)
    if (this.scan !== null) this.filterCollapsed.add(path)
    this.touch()
  }

  toggle(path: string): void {
    const node = this.tree.get(path)
    if (node !== undefined && this.isExpanded(node)) this.collapse(path)
    else this.expand(path)
  }

  /** Expands `path` and everything below it, down to `depth` levels below it (all if undefined). */
  expandSubtree(path: string, depth = Infinity): void {
    const node = this.tree.get(path)
    if (node === undefined) return this.expand(path)
    this.expandBelow(node, depthOf(node) + depth)
  }

  /** Shows every node down to `depth` levels from the top, collapsing the rest. */
  expandToDepth(depth: number): void {
    this.expanded.clear()
    this.filterCollapsed.clear()
    if (depth > 0) this.expandBelow(this.tree.root, depth - 1)
    this.touch()
  }

  /** Applies a filter (null clears it). An invalid one is reported in the frame, never thrown. */
  setFilter(spec: TreeFilterSpec | null): void {
    this.scan?.cancel()
    this.scan = null
    this.filterSpec = spec
    this.filterError = null
    this.filterCollapsed.clear()
    this.touch()
    if (spec === null) return
    const compiled = compileFilter(spec)
    if (!compiled.ok) {
      this.filterError = compiled.notice
      return
    }
    const scan = (this.scan = new FilterScan(this.tree, compiled.filter))
    void scan.run(() => {
      if (this.scan === scan) this.touch()
    })
  }

  /** The tree was cleared: drop everything that points at old nodes, keep paths. */
  treeCleared(): void {
    this.sent.clear()
    this.needSnapshot = true
    if (this.filterSpec !== null) this.setFilter(this.filterSpec)
    this.touch()
  }

  /** Marks the layout for recomputation (also used when filter membership changes). */
  touch(): void {
    this.layoutDirty = true
    this.rowCounts.clear()
  }

  requestSnapshot(): void {
    this.needSnapshot = true
    this.touch()
  }

  /** Previews may read differently now (decoder rules changed): the next frame sends every row of the window again, as a delta. */
  resendRows(): void {
    this.sent.clear()
    this.layoutDirty = true
    this.selectionDirty = true
  }

  close(): void {
    this.scan?.cancel()
  }

  // ---- layout ----

  isExpanded(node: TopicNode): boolean {
    if (node.parent === null) return true
    // No collapsed node (the usual case): no path to build, which for a level deep in a long
    // chain is a string of tens of kilobytes.
    if (this.scan !== null) return this.filterCollapsed.size === 0 || !this.filterCollapsed.has(pathOf(node))
    return this.expanded.has(pathOf(node))
  }

  private isVisible(node: TopicNode): boolean {
    return this.scan === null || this.scan.visible.has(node)
  }

  /** Rows shown below `node` (0 when collapsed). */
  rowsBelow(node: TopicNode): number {
    if (node.children === null || !this.isExpanded(node)) return 0
    const cached = this.rowCounts.get(node)
    if (cached !== undefined && cached.version === node.structureVersion) return cached.rows
    return this.countRows(node)
  }

  /**
   * Counts (and caches) the rows below an expanded `top` whose count is stale, without
   * recursion: a branch may be 32,768 levels deep. Stale expanded nodes are listed breadth
   * first, each with its own rows (children, and what cached counts say lies below them); then,
   * children before parents, each count is added to its parent's.
   */
  private countRows(top: TopicNode): number {
    const nodes: TopicNode[] = [top]
    const parents: number[] = [-1]
    const sums: number[] = []
    for (let i = 0; i < nodes.length; i++) {
      let rows = 0
      for (const child of childNodes(nodes[i])) {
        if (!this.isVisible(child)) continue
        rows++
        if (child.children === null || !this.isExpanded(child)) continue
        const cached = this.rowCounts.get(child)
        if (cached !== undefined && cached.version === child.structureVersion) rows += cached.rows
        else {
          nodes.push(child)
          parents.push(i)
        }
      }
      sums.push(rows)
    }
    for (let i = nodes.length - 1; i > 0; i--) sums[parents[i]] += sums[i]
    for (let i = 0; i < nodes.length; i++) this.rowCounts.set(nodes[i], { version: nodes[i].structureVersion, rows: sums[i] })
    return sums[0]
  }

  /** The rows of the current window, in display order. */
  windowNodes(): TopicNode[] {
    const out: TopicNode[] = []
    const limit = this.window.count
    this.walk(this.window.offset, (node) => out.push(node) >= limit)
    return out
  }

  /**
   * Type-ahead over every visible row, loaded in the renderer or not: the first row after row
   * `after` (-1: from the top), wrapping round, whose level name starts with `prefix`, ignoring
   * case. Rows are counted in the same order and index space as the window's offset.
   */
  find(prefix: string, after: number): { index: number; path: string } | null {
    const matches = prefixMatcher(prefix)
    const from = Math.max(0, after + 1)
    const hit = { node: null as TopicNode | null, index: -1 }
    const test = (node: TopicNode, index: number): boolean => {
      if (!matches(node.name)) return false
      hit.node = node
      hit.index = index
      return true
    }
    this.walk(from, test)
    if (hit.node === null && from > 0) this.walk(0, (node, index) => index >= from || test(node, index))
    return hit.node === null ? null : { index: hit.index, path: pathOf(hit.node) }
  }

  /**
   * Visits the visible rows from row `from` on, in display order, until `visit` returns true.
   * Subtrees wholly before `from` are stepped over by their cached row counts and collapsed ones
   * are never entered, so the cost is the rows visited plus the siblings skipped on the way.
   */
  private walk(from: number, visit: (node: TopicNode, index: number) => boolean): void {
    let skip = from
    let index = from
    // The sorted child lists being walked, outermost first, and the position in each: a stack of
    // our own instead of recursion, so a branch 32,768 levels deep walks like a flat one.
    const lists: Array<readonly TopicNode[]> = [this.order.children(this.tree.root, this.sort)]
    const positions: number[] = [0]
    while (lists.length > 0) {
      const level = lists.length - 1
      const list = lists[level]
      const position = positions[level]
      if (position >= list.length) {
        lists.pop()
        positions.pop()
        continue
      }
      positions[level] = position + 1
      const child = list[position]
      if (!this.isVisible(child)) continue
      const below = this.rowsBelow(child)
      if (skip > below) {
        skip -= 1 + below
        continue
      }
      if (skip > 0) skip--
      else if (visit(child, index++)) return
      if (below > 0) {
        lists.push(this.order.children(child, this.sort))
        positions.push(0)
      }
    }
  }

  filterStatus(): TreeFilterStatus {
    if (this.filterError !== null) return { state: 'error', matched: 0, scanned: 0, total: this.tree.topicCount, error: this.filterError.message, errorNotice: this.filterError }
    const scan = this.scan
    if (scan === null) return { state: 'off', matched: 0, scanned: 0, total: this.tree.topicCount }
    return { state: scan.state === 'done' ? 'done' : 'running', matched: scan.matched, scanned: scan.scanned, total: this.tree.topicCount }
  }

  // ---- frames ----

  /** The next frame, or null when nothing the view shows changed (or it is paused). */
  frame(force = false): TreeViewFrame | null {
    const selectedNode = this.selected === null ? undefined : this.tree.get(this.selected)
    const selectionGen = selectedNode === undefined ? -1 : selectedNode.ownGen
    if (selectionGen !== this.selectionGen) this.selectionDirty = true
    const dataChanged = this.tree.generation !== this.lastGen
    if (!force && !this.layoutDirty && (this.paused || (!dataChanged && !this.selectionDirty))) return null

    const sinceGen = this.lastGen
    const nodes = this.windowNodes()
    const totalRows = this.rowsBelow(this.tree.root)
    const snapshot = this.needSnapshot
    const rows: TreeRow[] = []
    const nextSent = new Map<number, SentRow>()
    for (const node of nodes) {
      const expanded = this.isExpanded(node)
      const before = this.sent.get(node.id)
      const row: SentRow = { gen: node.gen, expanded, childCount: childCount(node) }
      nextSent.set(node.id, row)
      if (snapshot || before === undefined || before.gen !== row.gen || before.expanded !== expanded || before.childCount !== row.childCount) {
        rows.push(toRow(node, expanded, sinceGen >= 0 && node.ownGen > sinceGen, this.decodedPreview))
      }
    }
    const frame: TreeViewFrame = {
      connectionId: this.connectionId,
      viewId: this.id,
      seq: this.seq + 1,
      baseSeq: snapshot ? 0 : this.seq,
      kind: snapshot ? 'snapshot' : 'delta',
      totalRows,
      offset: this.window.offset,
      ids: nodes.map((n) => n.id),
      rows,
      paused: this.paused,
      totals: { messages: this.tree.messageCount, topics: this.tree.topicCount },
      filter: this.filterStatus(),
    }
    if (snapshot || this.selectionDirty) frame.selection = this.selected === null ? null : toSelection(this.selected, selectedNode, this.decodedPreview)
    this.seq++
    this.sent = nextSent
    this.lastGen = this.tree.generation
    this.layoutDirty = false
    this.needSnapshot = false
    this.selectionDirty = false
    this.selectionGen = selectionGen
    return frame
  }

  private expandBelow(top: TopicNode, maxDepth: number): void {
    // Depths ride along on a second stack: asking depthOf() per node costs O(depth) each, which
    // is 500 million steps down a 32,768-level branch.
    const stack = [top]
    const depths = [depthOf(top)]
    while (stack.length > 0) {
      const node = stack.pop() as TopicNode
      const depth = depths.pop() as number
      if (node.children === null || depth >= maxDepth) continue
      if (node.parent !== null) {
        const path = pathOf(node)
        this.expanded.add(path)
        this.filterCollapsed.delete(path)
      }
      for (const child of childNodes(node)) {
        stack.push(child)
        depths.push(depth + 1)
      }
    }
    this.touch()
  }
}
