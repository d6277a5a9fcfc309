/**
 * The history budget's FIFO: every retired message with its node, oldest first, in two circular
 * arrays that grow by doubling only when full and are compacted in place.
 *
 * Why circular: the FIFO sees every message a tree keeps as history, and most leave it again
 * soon (the budget evicts them). As plain arrays consumed at the head, they were copied into new
 * arrays at each compaction and grew by copying in between: at 2 million messages through a
 * 32 MB budget (a 1 GB recording opened offline) ~120 MB of dead arrays in the old generation,
 * a third of that run's peak memory. Here the slots are reused: a FIFO that stays the same size
 * allocates nothing.
 */
import type { StoredMessage, TopicNode } from './topic-node'

const MIN_CAPACITY = 1024

export class EvictionQueue {
  private entries: (StoredMessage | undefined)[] = new Array(MIN_CAPACITY)
  private nodes: (TopicNode | undefined)[] = new Array(MIN_CAPACITY)
  private mask = MIN_CAPACITY - 1
  private head = 0
  private count = 0

  /** Pairs held, stale ones (already gone from their ring) included. */
  get size(): number {
    return this.count
  }

  /** Pairs it has room for before it grows. */
  get capacity(): number {
    return this.mask + 1
  }

  push(entry: StoredMessage, node: TopicNode): void {
    if (this.count > this.mask) this.grow()
    const at = (this.head + this.count) & this.mask
    this.entries[at] = entry
    this.nodes[at] = node
    this.count++
  }

  /** The oldest pair's message (undefined when empty). */
  oldestEntry(): StoredMessage | undefined {
    return this.count === 0 ? undefined : this.entries[this.head]
  }

  oldestNode(): TopicNode | undefined {
    return this.count === 0 ? undefined : this.nodes[this.head]
  }

  /** The newest pair's message (undefined when empty). */
  newestEntry(): StoredMessage | undefined {
    return this.count === 0 ? undefined : this.entries[(this.head + this.count - 1) & this.mask]
  }

  /** Drops the oldest pair. */
  shift(): void {
    if (this.count === 0) return
    this.entries[this.head] = undefined
    this.nodes[this.head] = undefined
    this.head = (this.head + 1) & this.mask
    this.count--
  }

  /** Puts a pair back in front of the oldest (taking back a shift). */
  unshift(entry: StoredMessage, node: TopicNode): void {
    if (this.count > this.mask) this.grow()
    this.head = (this.head - 1) & this.mask
    this.entries[this.head] = entry
    this.nodes[this.head] = node
    this.count++
  }

  /** Drops the newest pair (taking back a push). */
  pop(): void {
    if (this.count === 0) return
    const at = (this.head + this.count - 1) & this.mask
    this.entries[at] = undefined
    this.nodes[at] = undefined
    this.count--
  }

  /** Keeps only the pairs whose message passes `keep`, in order, in place. */
  compact(keep: (entry: StoredMessage) => boolean): void {
    const { entries, nodes, mask, head } = this
    let kept = 0
    for (let i = 0; i < this.count; i++) {
      const from = (head + i) & mask
      const entry = entries[from] as StoredMessage
      if (!keep(entry)) continue
      const to = (head + kept) & mask
      entries[to] = entry
      nodes[to] = nodes[from]
      kept++
    }
    for (let i = kept; i < this.count; i++) {
      const at = (head + i) & mask
      entries[at] = undefined
      nodes[at] = undefined
    }
    this.count = kept
  }

  /**
   * Gives memory back after the FIFO emptied a lot (a smaller budget, a burst evicted): down to
   * twice what it holds once it holds under a quarter of its room, so a FIFO that breathes around
   * one size never copies.
   */
  fit(): void {
    let capacity = this.mask + 1
    if (capacity <= MIN_CAPACITY || this.count * 4 >= capacity) return
    while (capacity > MIN_CAPACITY && this.count * 2 <= capacity / 2) capacity /= 2
    this.relayout(capacity)
  }

  clear(): void {
    this.count = 0
    this.relayout(MIN_CAPACITY)
  }

  private grow(): void {
    this.relayout((this.mask + 1) * 2)
  }

  /** The pairs, oldest first from index 0, in arrays of `capacity` (a power of two, at least what is held). */
  private relayout(capacity: number): void {
    const entries: (StoredMessage | undefined)[] = new Array(capacity)
    const nodes: (TopicNode | undefined)[] = new Array(capacity)
    for (let i = 0; i < this.count; i++) {
      const from = (this.head + i) & this.mask
      entries[i] = this.entries[from]
      nodes[i] = this.nodes[from]
    }
    this.entries = entries
    this.nodes = nodes
    this.mask = capacity - 1
    this.head = 0
  }
}
