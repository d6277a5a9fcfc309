/**
 * The topic trie of one connection: per-node counters, the latest message per topic, and
 * bounded history. `insert` is the hot path: one Map lookup by full topic for a topic that had
 * messages before, then a walk up the parent chain to bump counters — O(depth), no JSON parsing.
 * A topic enters that index with its second message: a new topic is found or made by walking its
 * levels anyway, and most topics of a big retained tree never get another message, so indexing
 * them on arrival cost ~30 bytes each (a million-entry hash table) for lookups that never came.
 *
 * Retained semantics (what a user sees mirrors what the broker now holds):
 * - A non-empty message with the retain flag marks the topic retained. The marker is sticky: an
 *   MQTT 3.1.1 broker forwards later retained publishes to live subscribers with retain=0, so a
 *   retain=0 message does not tell us the retained copy is gone.
 * - An empty payload that carries the retain flag, or arrives on a topic marked retained, is the
 *   broker's deletion of that retained message. The marker is cleared and, if the topic has no
 *   children, the topic is removed with its counts and history (like MQTT Explorer), along with
 *   ancestors left empty. With children it stays as their ancestor and the empty message is
 *   recorded. `keepClearedRetained` keeps such topics instead, recording the empty message.
 */
import type { Qos } from '../../api/profiles'
import { DEFAULT_HISTORY_LIMITS, HistoryStore, type HistoryLimits } from './history'
import { DEFAULT_PAYLOAD_CAP_BYTES, PayloadArena } from './payload'
import { latest } from './latest-columns'
import { TopicList } from './topic-list'
import { UndoLog, type UndoneMessage } from './undo-log'
import { branchOf, childCount, childOnPath, childNodes, createNode, lastOf, pathOf, REMOVAL_STEP, timeAfterBase, type Branch, type StoredMessage, type TopicNode } from './topic-node'

export interface TopicTreeOptions {
  /** Payloads above this size are stored cut, with `truncated` and the original size. */
  payloadCapBytes: number
  history: HistoryLimits
  /** Keep topics whose retained message was deleted, instead of removing them. */
  keepClearedRetained: boolean
}

export const DEFAULT_TREE_OPTIONS: TopicTreeOptions = {
  payloadCapBytes: DEFAULT_PAYLOAD_CAP_BYTES,
  history: DEFAULT_HISTORY_LIMITS,
  keepClearedRetained: false,
}

/** What the connection knows about a message besides topic and payload. */
export interface MessageMeta {
  qos: Qos
  retain: boolean
  /** Epoch ms; defaults to now (or to insert()'s `time`). */
  time?: number
  /** MQTT 5 PUBLISH properties, kept as received. */
  properties?: Record<string, unknown>
}

/** Structural news for views and filters (per-message news goes through drainChanges). */
export interface TreeObserver {
  /** `node` received its first message: it is now a topic. */
  topicAdded?(node: TopicNode): void
  /** `node` and everything below it left the tree (its `attached` flags are now false). */
  subtreeRemoved?(node: TopicNode): void
  cleared?(): void
}

export class TopicTree {
  root = createNode('', null)
  /** Bumped by every message and structural change; nodes record it in `gen`. */
  generation = 0
  readonly history: HistoryStore
  readonly options: TopicTreeOptions
  /**
   * Topics that got a second message, by full path (see the top of the file); any other node is
   * found by walking its levels. Intermediate levels are left out: they are many and rarely looked up.
   */
  private index = new Map<string, TopicNode>()
  /** Where the last walk that found nothing stopped: the deepest existing node and the offset of the missing level. */
  private missParent: TopicNode | null = null
  private missStart = 0
  /** Every topic in the order of its first message, for nodes(). Removed topics stay (detached) until they are half of it. */
  private topicList = new TopicList()
  private removedTopics = 0
  private nodeTotal = 0
  private arena = new PayloadArena()
  /** An array, not a Set: it is walked for every new topic and iterating a Set allocates. */
  private observers: TreeObserver[] = []
  private changed: TopicNode[] = []
  /** Generation at the last drainChanges (or when tracking started). */
  private drainedAt = 0
  private tracking = 0
  /** The last inserts with what they replaced, when the tree's owner asked for them (offline). */
  private undo: UndoLog | null = null

  constructor(options: Partial<TopicTreeOptions> = {}) {
    this.options = { ...DEFAULT_TREE_OPTIONS, ...options }
    this.history = new HistoryStore(this.options.history)
  }

  /** Topics (nodes with at least one message). */
  get topicCount(): number {
    return this.root.subtreeTopics
  }

  get messageCount(): number {
    return this.root.subtreeCount
  }

  /** Nodes, topics and intermediate levels alike. */
  get nodeCount(): number {
    return this.nodeTotal
  }

  /** The node at `path`: a busy topic by one lookup, any other node by a walk from the root. */
  get(path: string): TopicNode | undefined {
    return this.index.get(path) ?? this.walk(path)
  }

  /**
   * All topics (nodes with at least one message), in the order they got their first one. Lazy
   * and safe to pause between items while messages arrive: topics removed meanwhile are skipped,
   * topics added meanwhile are visited.
   */
  nodes(): IterableIterator<TopicNode> {
    return this.topicList.attached()
  }

  /**
   * Records one message. Returns its node, or null when the message deleted a retained topic
   * and the topic was removed.
   */
  insert(topic: string, payload: Buffer, meta: MessageMeta, time = meta.time ?? Date.now()): TopicNode | null {
    const undo = this.undo
    const empty = payload.length === 0
    let node = this.index.get(topic)
    // Not indexed: a new topic, an intermediate level, or a topic's second message (index it then).
    let reached: TopicNode | undefined
    if (node === undefined) {
      reached = this.walk(topic)
      if (reached !== undefined && reached.ownCount > 0) node = reached
    }
    if (empty && !this.options.keepClearedRetained && (node === undefined ? meta.retain : (meta.retain || node.retained) && node.children === null)) {
      if (node !== undefined) this.removeAndPrune(node)
      undo?.pushNone()
      return null
    }
    if (node === undefined) node = reached ?? this.create(topic)
    else if (reached !== undefined) this.index.set(topic, node)
    // Recorded before anything changes (the retained flag just below is part of it).
    const previous = undo === null ? null : this.beginRecord(undo, node)
    // An empty payload here is a retained deletion (or a plain empty message): no marker either way.
    if (empty) node.retained = false
    else if (meta.retain) node.retained = true

    const cap = this.options.payloadCapBytes
    const length = payload.length > cap ? cap : payload.length
    const arena = this.arena
    const data = arena.keep(payload, length)
    // The message replaced goes to history as an object (made now if nobody read it yet).
    const kept = node.lastObject
    if (kept !== null) {
      node.lastObject = null
      this.history.retire(node, kept, undo)
    } else if (node.slot >= 0) {
      if (this.history.keepsRetired()) this.history.retire(node, previous ?? latest.read(node.slot), undo)
    } else node.slot = latest.take()
    latest.write(node.slot, data, arena.lastOffset, length, payload.length, time, meta.qos, meta.retain, payload.length > cap, meta.properties)

    // Record the node once per tick: it is already listed if its message changed since the last drain.
    if (this.tracking > 0 && node.ownGen <= this.drainedAt) this.changed.push(node)
    const gen = ++this.generation
    const firstMessage = node.ownCount === 0
    if (firstMessage) this.topicList.push(node)
    node.ownCount++
    node.ownGen = gen
    // A leaf's own fields are its subtree's; every node above it has a Branch.
    const updated = timeAfterBase(time)
    for (let n: TopicNode | null = node.branch === null ? node.parent : node; n !== null; n = n.parent) {
      const branch = n.branch as Branch
      branch.subtreeCount++
      if (firstMessage) branch.subtreeTopics++
      if (previous !== null) undo!.time(branch.updatedAfterBase)
      branch.updatedAfterBase = updated
      branch.gen = gen
    }
    if (firstMessage) {
      const observers = this.observers
      for (let i = 0; i < observers.length; i++) observers[i].topicAdded?.(node)
    }
    undo?.end()
    return node
  }

  /** From now on the last `capacity` inserts can be taken back (undoLast). */
  recordUndo(capacity: number): void {
    this.undo = capacity > 0 ? new UndoLog(capacity) : null
  }

  /** Inserts that undoLast could take back, at most (it stops early at one that cannot be). */
  get undoable(): number {
    return this.undo?.length ?? 0
  }

  /**
   * Takes the last insert back, so the tree is as it was before it (counts, latest message,
   * history and its budget's FIFO, retained flag, times). Returns the message taken back as the
   * tree stored it, with its topic, so it can be inserted again; or null, changing nothing, when
   * the last insert cannot be taken back exactly (see undo-log.ts), nor one stored cut.
   */
  undoLast(): UndoneMessage | null {
    const undo = this.undo
    const node = undo?.node() ?? null
    if (undo === null || node === null) return null
    const p = undo.previousMessage()
    if (!node.attached || node.slot < 0 || latest.truncated(node.slot) || !this.history.canUnretire(node, p, undo)) return null
    const undone = { topic: pathOf(node), message: node.lastObject ?? latest.read(node.slot) }
    this.history.unretire(node, p, undo)
    latest.write(node.slot, p.data, p.offset, p.length, p.size, p.time, p.qos, p.retain, p.truncated, p.properties)
    if (undo.hadLastObject()) node.lastObject = p
    else if (node.lastObject !== null) node.lastObject = null
    node.retained = undo.retainedBefore()
    if (this.tracking > 0 && node.ownGen <= this.drainedAt) this.changed.push(node)
    const gen = ++this.generation
    node.ownCount--
    node.ownGen = gen
    let level = 0
    for (let n: TopicNode | null = node.branch === null ? node.parent : node; n !== null; n = n.parent) {
      const branch = n.branch as Branch
      branch.subtreeCount--
      branch.updatedAfterBase = undo.timeAt(level++)
      branch.gen = gen
    }
    undo.pop()
    return undone
  }

  /** Starts the undo record of an insert into `node`; returns the message it replaces (null: not undoable). */
  private beginRecord(undo: UndoLog, node: TopicNode): StoredMessage | null {
    if (node.ownCount === 0 || node.slot < 0) {
      undo.pushNone()
      return null
    }
    const kept = node.lastObject
    const previous = kept ?? latest.read(node.slot)
    undo.begin(node, previous, kept !== null)
    return previous
  }

  /** Removes the node at `path` and everything below it. Returns the number of topics removed. */
  delete(path: string): number {
    const node = this.get(path)
    if (node === undefined) return 0
    const topics = node.subtreeTopics
    this.removeAndPrune(node)
    return topics
  }

  /** Forgets everything: nodes, counts, history. */
  clear(): void {
    const old = this.root
    // The old topics' slots serve new ones; a node of the old tree still held somewhere reads no message.
    for (const topic of this.topicList) {
      if (topic.slot >= 0) latest.release(topic.slot)
      topic.slot = -1
    }
    this.root = createNode('', null)
    this.index = new Map()
    this.topicList = new TopicList()
    this.removedTopics = 0
    this.missParent = null
    this.nodeTotal = 0
    this.history.clear()
    this.arena = new PayloadArena()
    this.undo?.clear()
    this.changed = []
    this.generation++
    old.attached = false
    for (const o of this.observers) o.cleared?.()
  }

  observe(observer: TreeObserver): () => void {
    this.observers = [...this.observers, observer]
    return () => {
      this.observers = this.observers.filter((o) => o !== observer)
    }
  }

  /** Starts recording which topics got messages (for view managers); returns the stop function. */
  trackChanges(): () => void {
    if (this.tracking++ === 0) this.drainedAt = this.generation
    let stopped = false
    return () => {
      if (stopped) return
      stopped = true
      if (--this.tracking === 0) this.changed = []
    }
  }

  /** Topics that got messages since the previous call, each once. */
  drainChanges(): TopicNode[] {
    const changed = this.changed
    this.changed = []
    this.drainedAt = this.generation
    return changed
  }

  /**
   * The node for `topic` with its missing levels, right after walk(topic) found none: the walk
   * left off at `missParent`, so the levels above are not looked up twice.
   */
  private create(topic: string): TopicNode {
    const firstNew = this.missParent as TopicNode
    let node = firstNew
    let start = this.missStart
    for (;;) {
      const next = topic.indexOf('/', start)
      // The leaf keeps `topic` itself as its path; the levels above it take slices of it.
      node = this.addChild(node, next === -1 ? topic : topic.slice(0, next))
      if (next === -1) break
      start = next + 1
    }
    this.structureChanged(firstNew)
    return node
  }

  /** The existing node at `path`, or undefined (then missParent and missStart say where it stopped). */
  private walk(path: string): TopicNode | undefined {
    let parent = this.root
    let start = 0
    for (;;) {
      const next = path.indexOf('/', start)
      const node = childOnPath(parent, path, start, next === -1 ? path.length : next)
      if (node === undefined) {
        this.missParent = parent
        this.missStart = start
        return undefined
      }
      if (next === -1) return node
      parent = node
      start = next + 1
    }
  }

  private addChild(parent: TopicNode, path: string): TopicNode {
    const child = createNode(path, parent)
    const branch = branchOf(parent)
    const children = branch.children
    if (children === null) branch.children = child
    else if (children instanceof Map) children.set(path, child)
    else branch.children = new Map([[children.path, children], [path, child]])
    branch.childVersion++
    this.nodeTotal++
    return child
  }

  /** A node was added below `from`: row counts and child orders above it are stale. */
  private structureChanged(from: TopicNode): void {
    const gen = ++this.generation
    for (let n: TopicNode | null = from; n !== null; n = n.parent) {
      const branch = n.branch as Branch
      branch.structureVersion++
      branch.gen = gen
    }
  }

  /** Removes `node`'s subtree, then ancestors left with no message and no children. */
  private removeAndPrune(node: TopicNode): void {
    let target = node
    let parent = target.parent
    while (parent !== null && parent !== this.root && parent.ownCount === 0 && childCount(parent) === 1) {
      target = parent
      parent = target.parent
    }
    this.removeSubtree(target)
  }

  private removeSubtree(node: TopicNode): void {
    // It may lie in the removed branch, which it would keep alive until the next walk misses.
    this.missParent = null
    const stack = [node]
    while (stack.length > 0) {
      const n = stack.pop() as TopicNode
      n.attached = false
      this.nodeTotal--
      if (n.ownCount > 0) {
        this.index.delete(pathOf(n))
        this.removedTopics++
      }
      if (n.slot >= 0) {
        // A removed topic keeps its latest message readable (a view or job may still hold the node).
        lastOf(n)
        latest.release(n.slot)
        n.slot = -1
      }
      this.history.release(n)
      for (const c of childNodes(n)) stack.push(c)
    }
    const parent = node.parent as TopicNode
    const parentBranch = parent.branch as Branch
    const siblings = parentBranch.children
    if (siblings instanceof Map) {
      siblings.delete(node.path)
      // Back to the cheap shape when one child is left, so a pruned branch costs what a new one does.
      if (siblings.size === 1) for (const only of siblings.values()) parentBranch.children = only
    } else parentBranch.children = null
    parentBranch.childVersion += REMOVAL_STEP
    const gen = ++this.generation
    const removedCount = node.subtreeCount
    const removedTopics = node.subtreeTopics
    for (let n: TopicNode | null = parent; n !== null; n = n.parent) {
      const branch = n.branch as Branch
      branch.subtreeCount -= removedCount
      branch.subtreeTopics -= removedTopics
      branch.structureVersion++
      branch.gen = gen
    }
    for (const o of this.observers) o.subtreeRemoved?.(node)
    // A new array, so a listing paused in the old one goes on over the old one.
    if (this.removedTopics > 1024 && this.removedTopics * 2 > this.topicList.length) {
      this.topicList = this.topicList.attachedOnly()
      this.removedTopics = 0
    }
  }
}
