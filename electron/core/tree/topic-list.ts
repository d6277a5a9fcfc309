/**
 * Every topic of a tree in the order of its first message, for TopicTree.nodes(): 8 bytes a topic
 * where a full-path index cost ~30.
 *
 * Kept in pages of 8,192 that never move, not one array: a growing array is copied into one half
 * as big again each time, and at a million topics each copy is a large object (~10 MB) left dead
 * until the next full GC, with up to a third of the last one unused. A page is 64 KB, a regular
 * heap object.
 */
import type { TopicNode } from './topic-node'

const PAGE_BITS = 13
const PAGE_SIZE = 1 << PAGE_BITS
const PAGE_MASK = PAGE_SIZE - 1

export class TopicList implements Iterable<TopicNode> {
  private readonly pages: TopicNode[][] = []
  private count = 0

  get length(): number {
    return this.count
  }

  push(node: TopicNode): void {
    const at = this.count & PAGE_MASK
    if (at === 0) this.pages.push(new Array<TopicNode>(PAGE_SIZE))
    this.pages[this.count >>> PAGE_BITS][at] = node
    this.count++
  }

  /** The topic at `index` (0 ≤ index < length). */
  at(index: number): TopicNode {
    return this.pages[index >>> PAGE_BITS][index & PAGE_MASK]
  }

  /** The page holding `index`, for a walk that reads a page at a time. */
  pageOf(index: number): readonly TopicNode[] {
    return this.pages[index >>> PAGE_BITS]
  }

  /** A new list of the topics still in their tree, in the same order; this one stays as it was. */
  attachedOnly(): TopicList {
    const kept = new TopicList()
    for (let i = 0; i < this.count; i++) {
      const node = this.at(i)
      if (node.attached) kept.push(node)
    }
    return kept
  }

  [Symbol.iterator](): IterableIterator<TopicNode> {
    return new TopicIterator(this, false)
  }

  /** The attached topics, lazily: safe to pause between items while topics are added or removed. */
  attached(): IterableIterator<TopicNode> {
    return new TopicIterator(this, true)
  }
}

/**
 * A plain iterator (a generator was several times slower for a million topics). It reads the
 * list's length at every step, so topics pushed meanwhile are visited; when the tree replaces its
 * list by a compacted one, the listing goes on in the old list, whose removed topics it skips, and
 * topics added after that are not visited (a filter scan hears of them from topicAdded).
 */
class TopicIterator implements IterableIterator<TopicNode> {
  private position = 0
  private page: readonly TopicNode[] = []

  constructor(
    private readonly list: TopicList,
    private readonly attachedOnly: boolean,
  ) {}

  next(): IteratorResult<TopicNode> {
    const list = this.list
    while (this.position < list.length) {
      const at = this.position & PAGE_MASK
      if (at === 0) this.page = list.pageOf(this.position)
      const node = this.page[at]
      this.position++
      if (!this.attachedOnly || node.attached) return { value: node, done: false }
    }
    return { value: undefined, done: true }
  }

  [Symbol.iterator](): IterableIterator<TopicNode> {
    return this
  }
}
