/**
 * The last inserts of a tree, each with what it replaced, so they can be taken back one by one
 * (TopicTree.undoLast): an offline recording steps back by undoing instead of re-reading the
 * file from its start. Only trees that ask for it keep one (`TopicTree.recordUndo`); a live tree
 * pays one null check per message.
 *
 * An insert that cannot be taken back exactly (a topic's first message, a retained deletion that
 * removed nodes) is recorded as null, so undoing stops there and the caller re-reads instead.
 */
import { newRetireLog, type RetireLog } from './history'
import type { StoredMessage, TopicNode } from './topic-node'

export interface InsertRecord {
  node: TopicNode
  /** The topic's latest message before the insert. */
  previous: StoredMessage
  /** `previous` was the node's `lastObject` (the inspector relies on that identity). */
  hadLastObject: boolean
  retainedBefore: boolean
  /** `updatedAfterBase` of each Branch on the way up, before the insert. */
  times: number[]
  retire: RetireLog
}

export function newInsertRecord(node: TopicNode, previous: StoredMessage, hadLastObject: boolean): InsertRecord {
  return { node, previous, hadLastObject, retainedBefore: node.retained, times: [], retire: newRetireLog() }
}

export class UndoLog {
  private readonly records: (InsertRecord | null)[]
  private head = 0
  private size = 0

  constructor(readonly capacity: number) {
    this.records = new Array<InsertRecord | null>(capacity).fill(null)
  }

  get length(): number {
    return this.size
  }

  push(record: InsertRecord | null): void {
    this.records[(this.head + this.size) % this.capacity] = record
    if (this.size < this.capacity) this.size++
    else this.head = (this.head + 1) % this.capacity
  }

  /** The newest record (null: not undoable), or undefined when none is left. */
  peek(): InsertRecord | null | undefined {
    return this.size === 0 ? undefined : this.records[(this.head + this.size - 1) % this.capacity]
  }

  pop(): void {
    if (this.size === 0) return
    this.records[(this.head + this.size - 1) % this.capacity] = null
    this.size--
  }

  clear(): void {
    this.records.fill(null)
    this.head = 0
    this.size = 0
  }
}
