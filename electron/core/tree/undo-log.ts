/**
 * The last inserts of a tree, each with what it replaced, so they can be taken back one by one
 * (TopicTree.undoLast): an offline recording steps back by undoing instead of re-reading the
 * file from its start. Only trees that ask for it keep one (`TopicTree.recordUndo`); a live tree
 * pays one null check per message.
 *
 * Columns filled in place, not an object per insert: records live for thousands of messages, so
 * objects would be promoted and die in the old generation (an object log raised open-recording's
 * peak RSS by ~90 MB). An insert that cannot be taken back exactly (a topic's first message, a
 * retained deletion) is a record without a node, so undoing stops there and the caller re-reads.
 */
import type { StoredMessage, TopicNode } from './topic-node'

/** A message an undo took back, as the tree stored it: inserting it again redoes it. */
export interface UndoneMessage {
  topic: string
  message: StoredMessage
}

/** Levels above a topic whose times a record keeps; a deeper topic's insert is not undoable. */
export const UNDO_MAX_DEPTH = 32

const HAD_LAST_OBJECT = 1
const RETAINED_BEFORE = 2
/** The message replaced went into its ring (else the limits kept no history for it). */
const KEPT = 4

/** What history did to an entry during an insert: its ring dropped it, or the budget consumed its FIFO pair (a stale one, or a live one it evicted). */
export const DropKind = { Ring: 0, ConsumedStale: 1, ConsumedLive: 2 } as const
export type DropKind = (typeof DropKind)[keyof typeof DropKind]

export class UndoLog {
  private readonly nodes: (TopicNode | null)[]
  private readonly previous: (StoredMessage | null)[]
  private readonly flags: Uint8Array
  private readonly compactions: Float64Array
  private readonly depths: Uint8Array
  private readonly times: Float64Array
  /** Each record's history drops, in a ring of their own: [dropStart, dropStart + dropCount). */
  private readonly dropStart: Float64Array
  private readonly dropCount: Uint32Array
  private readonly dropEntries: (StoredMessage | undefined)[]
  private readonly dropNodes: (TopicNode | undefined)[]
  private readonly dropKinds: Uint8Array
  private readonly dropCapacity: number
  /** Drops written so far (an absolute count; slot = count % dropCapacity). */
  private dropsWritten = 0
  private head = 0
  private size = 0
  /** Slot of the record being written by the insert running. */
  private open = -1

  constructor(readonly capacity: number) {
    this.nodes = new Array<TopicNode | null>(capacity).fill(null)
    this.previous = new Array<StoredMessage | null>(capacity).fill(null)
    this.flags = new Uint8Array(capacity)
    this.compactions = new Float64Array(capacity)
    this.depths = new Uint8Array(capacity)
    this.times = new Float64Array(capacity * UNDO_MAX_DEPTH)
    this.dropStart = new Float64Array(capacity)
    this.dropCount = new Uint32Array(capacity)
    this.dropCapacity = capacity * 4
    this.dropEntries = new Array<StoredMessage | undefined>(this.dropCapacity).fill(undefined)
    this.dropNodes = new Array<TopicNode | undefined>(this.dropCapacity).fill(undefined)
    this.dropKinds = new Uint8Array(this.dropCapacity)
  }

  get length(): number {
    return this.size
  }

  /** Starts the record of an insert into `node` that replaces `previous`. */
  begin(node: TopicNode, previous: StoredMessage, hadLastObject: boolean): void {
    const slot = this.slotForNew()
    this.nodes[slot] = node
    this.previous[slot] = previous
    this.flags[slot] = (hadLastObject ? HAD_LAST_OBJECT : 0) | (node.retained ? RETAINED_BEFORE : 0)
    this.depths[slot] = 0
    this.dropStart[slot] = this.dropsWritten
    this.dropCount[slot] = 0
    this.open = slot
  }

  /** An insert that cannot be taken back: undoing stops before it. */
  pushNone(): void {
    const slot = this.slotForNew()
    this.nodes[slot] = null
    this.previous[slot] = null
    this.open = -1
  }

  /** The record being written, if any (history and the tree fill it in). */
  get recording(): boolean {
    return this.open >= 0
  }

  kept(compactions: number): void {
    this.flags[this.open] |= KEPT
    this.compactions[this.open] = compactions
  }

  time(updatedAfterBase: number): void {
    const slot = this.open
    const depth = this.depths[slot]
    if (depth === UNDO_MAX_DEPTH) {
      this.nodes[slot] = null
      return
    }
    this.times[slot * UNDO_MAX_DEPTH + depth] = updatedAfterBase
    this.depths[slot] = depth + 1
  }

  drop(kind: DropKind, entry: StoredMessage, node: TopicNode): void {
    const at = this.dropsWritten++ % this.dropCapacity
    this.dropEntries[at] = entry
    this.dropNodes[at] = node
    this.dropKinds[at] = kind
    this.dropCount[this.open]++
  }

  end(): void {
    this.open = -1
  }

  // ---- Reading the newest record (undoLast)

  private get newest(): number {
    return (this.head + this.size - 1) % this.capacity
  }

  /** The newest record's node, or null when it is missing or not undoable (also when its drops were overwritten). */
  node(): TopicNode | null {
    if (this.size === 0) return null
    const slot = this.newest
    if (this.dropStart[slot] < this.dropsWritten - this.dropCapacity) return null
    return this.nodes[slot]
  }

  previousMessage(): StoredMessage {
    return this.previous[this.newest]!
  }

  hadLastObject(): boolean {
    return (this.flags[this.newest] & HAD_LAST_OBJECT) !== 0
  }

  retainedBefore(): boolean {
    return (this.flags[this.newest] & RETAINED_BEFORE) !== 0
  }

  wasKept(): boolean {
    return (this.flags[this.newest] & KEPT) !== 0
  }

  compactionsAt(): number {
    return this.compactions[this.newest]
  }

  timeAt(level: number): number {
    return this.times[this.newest * UNDO_MAX_DEPTH + level]
  }

  dropsOfNewest(): number {
    return this.dropCount[this.newest]
  }

  /** Drop `i` (0 = first) of the newest record. */
  dropAt(i: number): { kind: DropKind; entry: StoredMessage; node: TopicNode } {
    const at = (this.dropStart[this.newest] + i) % this.dropCapacity
    return { kind: this.dropKinds[at] as DropKind, entry: this.dropEntries[at]!, node: this.dropNodes[at]! }
  }

  /** Forgets the newest record (it was undone); its drops' room is reused by the next ones. */
  pop(): void {
    if (this.size === 0) return
    const slot = this.newest
    this.nodes[slot] = null
    this.previous[slot] = null
    this.dropsWritten = this.dropStart[slot]
    this.size--
  }

  clear(): void {
    this.nodes.fill(null)
    this.previous.fill(null)
    this.dropEntries.fill(undefined)
    this.dropNodes.fill(undefined)
    this.head = 0
    this.size = 0
    this.open = -1
  }

  private slotForNew(): number {
    const slot = (this.head + this.size) % this.capacity
    if (this.size < this.capacity) this.size++
    else this.head = (this.head + 1) % this.capacity
    return slot
  }
}
