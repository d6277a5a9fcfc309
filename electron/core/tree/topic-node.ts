/**
 * One level of the topic trie: plain data plus the functions below, not a class.
 *
 * Why not a class: a big tree is hundreds of thousands of nodes that all live long. V8 can
 * allocate such objects straight into the old generation ("pretenuring"), but only for objects
 * made by an object literal, whose allocation site learns that what it makes survives; objects
 * made by `new` always start young and are copied by two young-generation GCs first. Measured on
 * 100,000 new topics (default V8 flags): GC during the inserts 140-150 -> 35-51 ms, the inserts
 * 350-400 -> 254-309 ms.
 * So every node comes from the one literal in createNode(), with a fixed shape (one hidden class
 * for a million nodes) and lazily created parts: a leaf that got one message owns no children
 * map and no history ring, and levels that are not topics build their path only when asked.
 */
import type { Qos } from '../../api/profiles'
import type { HistoryRing } from './history'
import { latest } from './latest-columns'

/**
 * One stored message. The raw bytes are `data[offset, offset + length)` — usually a slice of a
 * shared slab (see payload.ts), so a million small payloads cost no Buffer object each. Use
 * payloadOf() to get them as a Buffer.
 */
export interface StoredMessage {
  data: Buffer
  offset: number
  /** Stored bytes (less than `size` when truncated). */
  length: number
  qos: Qos
  retain: boolean
  /** Epoch ms of arrival. */
  time: number
  /** Original size in bytes, also when the stored payload was cut. */
  size: number
  truncated: boolean
  /** MQTT 5 PUBLISH properties as mqtt.js parsed them; undefined for MQTT 3.1.1. */
  properties: Record<string, unknown> | undefined
  /** Set once the message left its history ring (evicted or deleted); see history.ts. */
  evicted: boolean
}

/** The stored bytes of a message as a Buffer view (no copy). */
export function payloadOf(message: StoredMessage): Buffer {
  return message.data.subarray(message.offset, message.offset + message.length)
}

let nextId = 1
/**
 * Node times are kept as ms after this moment: small integers, which V8 stores in the object
 * itself, where epoch ms (above 2^31) would cost every node a separate heap number.
 */
const TIME_BASE = Date.now()
// "No update yet": a time 12 days before the process started, which no arrival can have.
const NO_UPDATE = -(2 ** 30)
const NO_CHILDREN: readonly TopicNode[] = []

/**
 * childVersion grows by 1 per added child and by this per removed child, so a reader that saw
 * version v and n children can tell "only additions since" (version - v === childCount - n).
 */
export const REMOVAL_STEP = 1_000_000

export interface TopicNode {
  /** Stable for the life of this node; never reused. */
  readonly id: number
  /** This level's name; '' for an empty level. */
  readonly name: string
  readonly parent: TopicNode | null
  /**
   * null for a leaf, the child itself while there is one, a Map by name from the second child on.
   * Most nodes of a big tree are chains (a device level with one `state` below it): a Map costs
   * ~200 bytes and a hash table, a lone child costs nothing. Read it through childOf(),
   * childNodes() and childCount().
   */
  children: Map<string, TopicNode> | TopicNode | null
  /** Messages on exactly this topic. */
  ownCount: number
  /** Messages on this topic and all below it. */
  subtreeCount: number
  /** Topics (nodes with ownCount > 0) in this subtree, this one included. */
  subtreeTopics: number
  /**
   * The latest message: never evicted by any history limit. An accessor (see NODE_PROTOTYPE):
   * the message lives in latest-columns.ts until something reads it here.
   */
  readonly last: StoredMessage | null
  /** This topic's slot in latest-columns.ts; -1 before its first message and after it left the tree. */
  slot: number
  /** `last` once read (or kept when the node left the tree), null until then; see lastOf(). */
  lastObject: StoredMessage | null
  /** Older messages (the latest is `last`); created on the second message. */
  history: HistoryRing | null
  /** The broker holds (or held, as far as we saw) a retained message here. */
  retained: boolean
  /** Latest message anywhere in this subtree, in ms after TIME_BASE; see subtreeUpdateOf(). */
  updatedAfterBase: number
  /** Tree generation of the last change to this node's own message or its subtree counters. */
  gen: number
  /** Bumped here and on every ancestor when a node is added or removed below. */
  structureVersion: number
  /** Bumped when a direct child is added (+1 each) or removed (REMOVAL_STEP each). */
  childVersion: number
  /** Tree generation at which this node's own message last changed. */
  ownGen: number
  /** False once removed from the tree (views holding it must let go). */
  attached: boolean
  /** The path once known (see pathOf()): topics get theirs at creation, other levels when asked. */
  knownPath: string | null
}

/**
 * What every node inherits: `last` as an accessor, so readers keep `node.last` while a topic's
 * latest message costs no object of its own (latest-columns.ts). One shared prototype keeps one
 * hidden class for all nodes; the literal below still names it, so the allocation site stays.
 */
const NODE_PROTOTYPE = {
  get last(): StoredMessage | null {
    return lastOf(this as unknown as TopicNode)
  },
}

/**
 * The latest message as a StoredMessage: made from the columns on first read and kept, so it
 * stays the same object until the next message replaces it.
 */
export function lastOf(node: TopicNode): StoredMessage | null {
  const kept = node.lastObject
  if (kept !== null || node.slot < 0) return kept
  return (node.lastObject = latest.read(node.slot))
}

/** The latest message's stored bytes without making a StoredMessage (for scans over many topics); null for none. */
export function lastPayloadOf(node: TopicNode): Buffer | null {
  const kept = node.lastObject
  if (kept !== null) return payloadOf(kept)
  return node.slot < 0 ? null : latest.payload(node.slot)
}

/** Epoch ms of the latest message, without making a StoredMessage; null for none. */
export function lastTimeOf(node: TopicNode): number | null {
  const kept = node.lastObject
  if (kept !== null) return kept.time
  return node.slot < 0 ? null : latest.time[node.slot]
}

/** Whether the latest message was cut at the payload cap, without making a StoredMessage. */
export function lastTruncated(node: TopicNode): boolean {
  const kept = node.lastObject
  if (kept !== null) return kept.truncated
  return node.slot >= 0 && latest.truncated(node.slot)
}

/** Whether the node holds a latest message. */
export function hasLast(node: TopicNode): boolean {
  return node.slot >= 0 || node.lastObject !== null
}

/** A new node: `path` is the full topic path, or null to build it from the parent's when asked. */
export function createNode(name: string, path: string | null, parent: TopicNode | null): TopicNode {
  // The tree's only node allocation site (see the top of this file): keep it a literal.
  const node = {
    __proto__: NODE_PROTOTYPE,
    id: nextId++,
    name,
    parent,
    children: null,
    ownCount: 0,
    subtreeCount: 0,
    subtreeTopics: 0,
    slot: -1,
    lastObject: null,
    history: null,
    retained: false,
    updatedAfterBase: NO_UPDATE,
    gen: 0,
    structureVersion: 0,
    childVersion: 0,
    ownGen: 0,
    attached: true,
    knownPath: path,
  } satisfies Omit<TopicNode, 'last'> & { __proto__: object }
  return node as unknown as TopicNode
}

/** The full topic path of a node ('' only for the root); levels that are not topics build (and keep) theirs on first use. */
export function pathOf(node: TopicNode): string {
  const path = node.knownPath
  return path !== null ? path : buildPath(node)
}

/**
 * Builds the path of `node` and of every ancestor still without one, top down, and keeps them.
 * A loop, not recursion: a topic may have 32,768 levels (65,535 bytes of `a/a/…`), far more
 * frames than the stack holds.
 */
function buildPath(node: TopicNode): string {
  const pending: TopicNode[] = []
  let known: TopicNode = node
  while (known.knownPath === null) {
    pending.push(known)
    known = known.parent as TopicNode
  }
  let path = known.knownPath
  for (let i = pending.length - 1; i >= 0; i--) {
    const level = pending[i]
    path = level.knownPath = (level.parent as TopicNode).parent === null ? level.name : `${path}/${level.name}`
  }
  return path
}

/** Levels below the root: 0 for a top level, -1 for the root itself (walked, not stored). */
export function depthOf(node: TopicNode): number {
  let depth = -1
  for (let n = node.parent; n !== null; n = n.parent) depth++
  return depth
}

/** Epoch ms of the latest message anywhere in the node's subtree; 0 for none. */
export function subtreeUpdateOf(node: TopicNode): number {
  const after = node.updatedAfterBase
  return after === NO_UPDATE ? 0 : TIME_BASE + after
}

/**
 * Stores an epoch ms time in the node's form (see TIME_BASE). A whole number of ms is returned as
 * an int32 (`| 0`): the difference of two doubles is itself a double, and storing one such value
 * turns the field into a boxed double on every node of that shape, 16 bytes each (a heap snapshot
 * of the scale load showed one heap number per node). A fractional time or one more than ~24 days
 * after the base stays a double: only memory, never the order, depends on it.
 */
export function timeAfterBase(time: number): number {
  const after = time - TIME_BASE
  return after === (after | 0) ? after | 0 : after
}

export function childCount(node: TopicNode): number {
  const children = node.children
  return children === null ? 0 : children instanceof Map ? children.size : 1
}

/** The direct child called `name`. */
export function childOf(node: TopicNode, name: string): TopicNode | undefined {
  const children = node.children
  if (children === null) return undefined
  if (children instanceof Map) return children.get(name)
  return children.name === name ? children : undefined
}

/** The direct children, in the order they were added (child-order.ts relies on it). */
export function childNodes(node: TopicNode): Iterable<TopicNode> {
  const children = node.children
  return children === null ? NO_CHILDREN : children instanceof Map ? children.values() : [children]
}

/** Messages kept for this topic: the latest plus its history ring. */
export function historyLength(node: TopicNode): number {
  return (hasLast(node) ? 1 : 0) + (node.history === null ? 0 : node.history.length)
}
