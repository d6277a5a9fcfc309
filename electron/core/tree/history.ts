/**
 * Per-topic history rings under one global memory budget.
 *
 * Each topic keeps its latest message in `node.last` (never evicted) and older ones in a ring
 * bounded by count and bytes. On top, all rings share a byte budget: when it is exceeded the
 * globally oldest history entries go first, whichever topic they belong to. A global FIFO of
 * (entry, node) pairs makes that O(1) amortized: entries arrive in time order, and a ring's
 * oldest live entry is always the first of its entries still in the FIFO, so evicting the FIFO
 * head means shifting that ring. Entries that left their ring earlier (per-topic limit, delete)
 * carry `evicted` and are skipped; the FIFO is compacted when such stale pairs pile up.
 */
import type { StoredMessage, TopicNode } from './topic-node'
import { EvictionQueue } from './eviction-queue'
import { DropKind, type UndoLog } from './undo-log'

/** What one history entry costs beyond its payload bytes (object, buffer view, queue slots). */
export const ENTRY_OVERHEAD_BYTES = 160

export interface HistoryLimits {
  /** Messages kept per topic, the latest included (1 = latest only). */
  maxMessagesPerTopic: number
  /** Payload + overhead bytes kept per topic in history (the latest message is not counted). */
  maxBytesPerTopic: number
  /** Bytes all history rings may hold together; the oldest entries across topics go first. */
  budgetBytes: number
}

export const DEFAULT_HISTORY_LIMITS: HistoryLimits = {
  maxMessagesPerTopic: 100,
  maxBytesPerTopic: 8 * 1024 * 1024,
  budgetBytes: 256 * 1024 * 1024,
}

/** Cost of one entry against the limits. */
export function entryCost(message: StoredMessage): number {
  return message.length + ENTRY_OVERHEAD_BYTES
}

/** A growable circular buffer of one topic's older messages, oldest first. */
export class HistoryRing {
  private items: (StoredMessage | undefined)[] = new Array(4)
  private head = 0
  length = 0
  bytes = 0

  push(message: StoredMessage): void {
    if (this.length === this.items.length) this.grow()
    this.items[(this.head + this.length) % this.items.length] = message
    this.length++
    this.bytes += entryCost(message)
  }

  /** Removes and returns the oldest entry. */
  shift(): StoredMessage | undefined {
    if (this.length === 0) return undefined
    const message = this.items[this.head]!
    this.items[this.head] = undefined
    this.head = (this.head + 1) % this.items.length
    this.length--
    this.bytes -= entryCost(message)
    message.evicted = true
    return message
  }

  /** Removes and returns the newest entry (an undo taking back the message it retired). */
  popNewest(): StoredMessage | undefined {
    if (this.length === 0) return undefined
    const index = (this.head + this.length - 1) % this.items.length
    const message = this.items[index]!
    this.items[index] = undefined
    this.length--
    this.bytes -= entryCost(message)
    return message
  }

  /** Puts back an entry that shift() took as the oldest (an undo of its eviction). */
  unshift(message: StoredMessage): void {
    if (this.length === this.items.length) this.grow()
    this.head = (this.head - 1 + this.items.length) % this.items.length
    this.items[this.head] = message
    this.length++
    this.bytes += entryCost(message)
    message.evicted = false
  }

  oldest(): StoredMessage | undefined {
    return this.length === 0 ? undefined : this.items[this.head]
  }

  /** 0 = the newest entry in the ring. */
  at(indexFromNewest: number): StoredMessage | undefined {
    if (indexFromNewest < 0 || indexFromNewest >= this.length) return undefined
    return this.items[(this.head + this.length - 1 - indexFromNewest) % this.items.length]
  }

  /** Drops every entry (marking them evicted) and returns the bytes released. */
  drain(): number {
    const released = this.bytes
    while (this.length > 0) this.shift()
    return released
  }

  private grow(): void {
    const next: (StoredMessage | undefined)[] = new Array(this.items.length * 2)
    for (let i = 0; i < this.length; i++) next[i] = this.items[(this.head + i) % this.items.length]
    this.items = next
    this.head = 0
  }
}

/** Owns every ring of one tree and enforces the per-topic limits and the global budget. */
export class HistoryStore {
  /** Retired messages with their nodes, oldest first: what the budget evicts next. */
  private queue = new EvictionQueue()
  /** Entries currently in some ring. */
  liveEntries = 0
  /** Bytes (payload + overhead) currently held by all rings. */
  bytes = 0
  /** Entries dropped by the global budget since the last clear. */
  evictedByBudget = 0
  /** Compactions of the FIFO so far: an undo is exact only while none ran since its record. */
  compactions = 0
  /** The undo log of the insert whose retire() is running, when it is recorded. */
  private log: UndoLog | null = null

  constructor(public limits: HistoryLimits = DEFAULT_HISTORY_LIMITS) {}

  /** `previous` was node's latest message and has just been replaced: keep it as history. */
  retire(node: TopicNode, previous: StoredMessage, undo: UndoLog | null = null): void {
    const maxInRing = this.limits.maxMessagesPerTopic - 1
    if (maxInRing <= 0 || entryCost(previous) > this.limits.maxBytesPerTopic) {
      previous.evicted = true
      return
    }
    const log = undo !== null && undo.recording ? undo : null
    log?.kept(this.compactions)
    this.log = log
    let ring = node.history
    if (ring === null) ring = node.history = new HistoryRing()
    ring.push(previous)
    this.liveEntries++
    this.bytes += entryCost(previous)
    this.queue.push(previous, node)
    while (ring.length > maxInRing || ring.bytes > this.limits.maxBytesPerTopic) {
      log?.drop(DropKind.Ring, ring.oldest()!, node)
      this.dropOldest(ring)
    }
    if (this.bytes > this.limits.budgetBytes) this.enforceBudget()
    else if (this.queue.size > 2 * this.liveEntries + 4096) this.compact()
    this.log = null
  }

  /**
   * Whether {@link unretire} can take back the retire that filled `log`: no compaction ran since
   * (it drops the stale pairs an undo puts back in use) and the message retired is still the
   * newest entry of the FIFO and of its ring (the budget did not evict it at once).
   */
  canUnretire(node: TopicNode, previous: StoredMessage, log: UndoLog): boolean {
    if (!log.wasKept()) return true
    if (log.compactionsAt() !== this.compactions) return false
    return this.queue.newestEntry() === previous && node.history?.at(0) === previous && !previous.evicted
  }

  /** Takes back a retire (checked by {@link canUnretire}): the FIFO and the rings as they were before it. */
  unretire(node: TopicNode, previous: StoredMessage, log: UndoLog): void {
    if (!log.wasKept()) {
      previous.evicted = false
      return
    }
    // In reverse: the pairs the budget consumed at the FIFO's head, the ring's own drops, then the push.
    for (let i = log.dropsOfNewest() - 1; i >= 0; i--) {
      const { kind, entry, node: owner } = log.dropAt(i)
      if (kind !== DropKind.Ring) {
        this.queue.unshift(entry, owner)
        if (kind === DropKind.ConsumedStale) continue
        this.evictedByBudget--
      }
      owner.history!.unshift(entry)
      this.liveEntries++
      this.bytes += entryCost(entry)
    }
    const ring = node.history!
    ring.popNewest()
    this.liveEntries--
    this.bytes -= entryCost(previous)
    this.queue.pop()
    previous.evicted = false
  }

  /** Whether retire() keeps anything at all (not with one message per topic): else the replaced message need not be made. */
  keepsRetired(): boolean {
    return this.limits.maxMessagesPerTopic > 1
  }

  /** The node left the tree: its history no longer counts. */
  release(node: TopicNode): void {
    const ring = node.history
    if (ring === null) return
    this.liveEntries -= ring.length
    this.bytes -= ring.drain()
    node.history = null
  }

  /** Applies new limits now (e.g. a smaller budget from settings). */
  setLimits(limits: HistoryLimits, nodes: Iterable<TopicNode>): void {
    this.limits = limits
    const maxInRing = Math.max(0, limits.maxMessagesPerTopic - 1)
    for (const node of nodes) {
      const ring = node.history
      if (ring === null) continue
      while (ring.length > maxInRing || (ring.length > 0 && ring.bytes > limits.maxBytesPerTopic)) this.dropOldest(ring)
    }
    this.enforceBudget()
  }

  clear(): void {
    this.queue.clear()
    this.liveEntries = 0
    this.bytes = 0
    this.evictedByBudget = 0
  }

  private dropOldest(ring: HistoryRing): void {
    const before = ring.bytes
    ring.shift()
    this.liveEntries--
    this.bytes -= before - ring.bytes
  }

  private enforceBudget(): void {
    const queue = this.queue
    while (this.bytes > this.limits.budgetBytes && queue.size > 0) {
      const entry = queue.oldestEntry() as StoredMessage
      const node = queue.oldestNode() as TopicNode
      queue.shift()
      const ring = node.history
      // By construction a live FIFO head is its ring's oldest entry; anything else is stale.
      const live = !entry.evicted && ring !== null && ring.oldest() === entry
      const log = this.log
      log?.drop(live ? DropKind.ConsumedLive : DropKind.ConsumedStale, entry, node)
      if (!live) continue
      this.dropOldest(ring!)
      this.evictedByBudget++
    }
    queue.fit()
  }

  /** Drops the stale pairs (messages their ring already let go) so the FIFO stays proportional to the live entries. */
  private compact(): void {
    this.compactions++
    this.queue.compact((entry) => !entry.evicted)
    this.queue.fit()
  }
}
