/**
 * Sorted child lists, cached per node and sort key and shared by every view of a tree, so a node
 * with 100k children is not re-sorted on every 50 ms tick.
 * - name: the order only changes when children come or go. New children (the newest entries of
 *   the children Map, which keeps insertion order) are sorted on their own and merged in.
 * - messages / topics / recent: the keys change with every message. Small child lists are simply
 *   re-sorted when something below changed; big ones are re-sorted at most once per
 *   BIG_RESORT_MS, with new children appended at the end in between.
 */
import type { TreeSort } from '../../api/tree'
import { naturalCompare } from './natural-compare'
import { REMOVAL_STEP, childCount, childNodes, nameStart, type TopicNode } from './topic-node'

/** Up to this many children a live key is re-sorted whenever anything below changed. */
export const SMALL_CHILD_LIST = 2000
/** Big child lists by a live key are re-sorted at most this often. */
export const BIG_RESORT_MS = 1000

interface Cached {
  sorted: TopicNode[]
  childVersion: number
  gen: number
  sortedAt: number
}

// Siblings by the names that end their paths, compared in place (no name string per comparison).
const byName = (a: TopicNode, b: TopicNode) => naturalCompare(a.path, b.path, nameStart(a.path), nameStart(b.path))
const COMPARATORS: Record<TreeSort, (a: TopicNode, b: TopicNode) => number> = {
  name: byName,
  messages: (a, b) => b.subtreeCount - a.subtreeCount || byName(a, b),
  topics: (a, b) => b.subtreeTopics - a.subtreeTopics || byName(a, b),
  // Both times share one base, so comparing the stored forms is comparing the times.
  recent: (a, b) => b.updatedAfterBase - a.updatedAfterBase || byName(a, b),
}

export class ChildOrderCache {
  private caches: Record<TreeSort, WeakMap<TopicNode, Cached>> = {
    name: new WeakMap(),
    messages: new WeakMap(),
    topics: new WeakMap(),
    recent: new WeakMap(),
  }
  /** Full sorts done (for tests and benchmarks). */
  fullSorts = 0

  /** `node`'s children in `sort` order. The array is shared: do not modify it. */
  children(node: TopicNode, sort: TreeSort, now = Date.now()): readonly TopicNode[] {
    if (node.children === null) return EMPTY
    const cache = this.caches[sort]
    const cached = cache.get(node)
    const compare = COMPARATORS[sort]
    if (cached !== undefined) {
      const added = childCount(node) - cached.sorted.length
      const onlyAdditions = added >= 0 && node.childVersion - cached.childVersion === added && added < REMOVAL_STEP
      const live = sort !== 'name'
      const stale = live && cached.gen !== node.gen && (childCount(node) <= SMALL_CHILD_LIST || now - cached.sortedAt >= BIG_RESORT_MS)
      if (onlyAdditions && !stale) {
        if (added > 0) {
          const fresh = newestChildren(node, added)
          cached.sorted = sort === 'name' ? merge(cached.sorted, fresh.sort(compare), compare) : cached.sorted.concat(fresh)
          cached.childVersion = node.childVersion
        }
        if (!live) cached.gen = node.gen
        return cached.sorted
      }
    }
    const sorted = Array.from(childNodes(node)).sort(compare)
    this.fullSorts++
    cache.set(node, { sorted, childVersion: node.childVersion, gen: node.gen, sortedAt: now })
    return sorted
  }

  clear(): void {
    for (const key of Object.keys(this.caches) as TreeSort[]) this.caches[key] = new WeakMap()
  }
}

const EMPTY: readonly TopicNode[] = []

function newestChildren(node: TopicNode, count: number): TopicNode[] {
  const out: TopicNode[] = []
  const skip = childCount(node) - count
  let i = 0
  for (const child of childNodes(node)) if (i++ >= skip) out.push(child)
  return out
}

function merge(a: readonly TopicNode[], b: readonly TopicNode[], compare: (x: TopicNode, y: TopicNode) => number): TopicNode[] {
  const out: TopicNode[] = new Array(a.length + b.length)
  let i = 0
  let j = 0
  let k = 0
  while (i < a.length && j < b.length) out[k++] = compare(a[i], b[j]) <= 0 ? a[i++] : b[j++]
  while (i < a.length) out[k++] = a[i++]
  while (j < b.length) out[k++] = b[j++]
  return out
}
