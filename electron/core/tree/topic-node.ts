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
 * map and no history ring.
 *
 * A node holds only what a leaf topic needs (five fields, 64 bytes without pointer compression,
 * where it held eighteen; its id is given when first read, and its own count shares a field with
 * its Branch): its subtree counters and versions live in a Branch made with its first
 * child (a leaf's subtree is itself), its kept latest message and history ring in a side record
 * for the few topics that have one, and its latest message in latest-columns.ts. Its one string
 * is its full path: the topic string as it arrived for a topic, a slice of it for the levels it
 * created above; the level name is read from the path's last level, and the parent's children
 * map is keyed by the same path string, so a topic costs no name string of its own. The old
 * field names stay readable as accessors on the one prototype all nodes share.
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
 * Node ids, given on first read. Only rows a view sends (and the `$SYS` stats) ask for one, so a
 * million topics nobody looked at cost no id field: 8 bytes a node without pointer compression.
 */
const ids = new WeakMap<TopicNode, number>()
/**
 * Branch times are kept as ms after this moment: small integers, which V8 stores in the object
 * itself, where epoch ms (above 2^31) would cost every branch a separate heap number.
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

// Bits of TopicNode.flags, the low FLAG_BITS of slotAndFlags.
const ATTACHED = 1
const RETAINED = 2
/** The node has an entry in `sides` (a kept latest message or a history ring). */
const HAS_SIDE = 4
const FLAG_BITS = 3
const FLAG_MASK = (1 << FLAG_BITS) - 1

/**
 * What a node with children keeps about its subtree. A node that never had a child needs none of
 * it: its subtree is itself, so each of these equals its own count, time or generation (see the
 * accessors below). Most nodes of a big tree are such leaves, and leaving these seven fields out
 * of them is most of what a topic costs less; a node gets its Branch with its first child and
 * keeps it when the children leave again.
 */
export interface Branch {
  /** The node's own count, kept here once the node's `branchOrCount` field holds this Branch. */
  ownCount: number
  /** The child itself while there is one, a Map by the children's paths from the second child on (null once all left). */
  children: Map<string, TopicNode> | TopicNode | null
  subtreeCount: number
  subtreeTopics: number
  /** In ms after TIME_BASE (see timeAfterBase()). */
  updatedAfterBase: number
  gen: number
  structureVersion: number
  childVersion: number
}

/** What few nodes have: the latest message once read as an object, older messages. */
interface NodeSide {
  lastObject: StoredMessage | null
  history: HistoryRing | null
}

/**
 * Side records by node, made only for topics whose latest message was read as an object or that
 * got a second message. Weak, because a removed topic keeps its latest message readable for as
 * long as a view or job holds the node, and no longer.
 */
const sides = new WeakMap<TopicNode, NodeSide>()

export interface TopicNode {
  readonly parent: TopicNode | null
  /**
   * The node's own count while it has no Branch, its Branch from its first child on (which then
   * keeps the count): one field for two, 8 bytes a leaf. Read it as `branch` and `ownCount`.
   */
  branchOrCount: Branch | number
  /** The full topic path ('' for the root); see pathOf(). */
  readonly path: string
  /**
   * `slot + 1` above the flags' bits: one small integer field where two took 16 bytes a node
   * (slots stay below 2^28, flags take three bits). Read it as `slot` and `flags`.
   */
  slotAndFlags: number
  /** Tree generation at which this node's own message last changed. */
  ownGen: number

  // Accessors on NODE_PROTOTYPE: none of these costs the node a field.
  /** Null until the node's first child; see Branch. */
  readonly branch: Branch | null
  /** Messages on exactly this topic. */
  ownCount: number
  /** Stable for the life of this node; never reused (given when first read). */
  readonly id: number
  /** This topic's slot in latest-columns.ts; -1 before its first message and after it left the tree. */
  slot: number
  /** ATTACHED, RETAINED and HAS_SIDE; read them through the accessors. */
  flags: number
  /** This level's name (the path's last level); '' for an empty level. */
  readonly name: string
  /**
   * null for a leaf, the child itself while there is one, a Map by the children's paths from the
   * second child on.
   * Most nodes of a big tree are chains (a device level with one `state` below it): a Map costs
   * ~200 bytes and a hash table, a lone child costs nothing. Read it through childOf(),
   * childNodes() and childCount().
   */
  readonly children: Map<string, TopicNode> | TopicNode | null
  /** Messages on this topic and all below it. */
  readonly subtreeCount: number
  /** Topics (nodes with ownCount > 0) in this subtree, this one included. */
  readonly subtreeTopics: number
  /** Latest message anywhere in this subtree, in ms after TIME_BASE; see subtreeUpdateOf(). */
  readonly updatedAfterBase: number
  /** Tree generation of the last change to this node's own message or its subtree counters. */
  readonly gen: number
  /** Bumped here and on every ancestor when a node is added or removed below. */
  readonly structureVersion: number
  /** Bumped when a direct child is added (+1 each) or removed (REMOVAL_STEP each). */
  readonly childVersion: number
  /** The broker holds (or held, as far as we saw) a retained message here. */
  retained: boolean
  /** False once removed from the tree (views holding it must let go). */
  attached: boolean
  /**
   * The latest message: never evicted by any history limit. The message lives in
   * latest-columns.ts until something reads it here.
   */
  readonly last: StoredMessage | null
  /** `last` once read (or kept when the node left the tree), null until then; see lastOf(). */
  lastObject: StoredMessage | null
  /** Older messages (the latest is `last`); created on the second message. */
  history: HistoryRing | null
}

function sideOf(node: TopicNode): NodeSide | null {
  return (node.flags & HAS_SIDE) === 0 ? null : (sides.get(node) as NodeSide)
}

function ensureSide(node: TopicNode): NodeSide {
  const side = sideOf(node)
  if (side !== null) return side
  const made: NodeSide = { lastObject: null, history: null }
  sides.set(node, made)
  node.flags |= HAS_SIDE
  return made
}

function setSide<K extends keyof NodeSide>(node: TopicNode, key: K, value: NodeSide[K]): void {
  if (value === null && (node.flags & HAS_SIDE) === 0) return
  ensureSide(node)[key] = value
}

/** The time of a leaf's latest message in the branch form, NO_UPDATE for none. */
function leafUpdatedAfterBase(node: TopicNode): number {
  const time = lastTimeOf(node)
  return time === null ? NO_UPDATE : timeAfterBase(time)
}

/**
 * What every node inherits: the fields a node keeps elsewhere (its Branch, its side record, the
 * columns, its flags) as accessors, so readers keep `node.subtreeCount` or `node.last` while a
 * leaf pays for none of them. One shared prototype keeps one hidden class for all nodes; the
 * literal in createNode() still names it, so the allocation site stays.
 */
const NODE_PROTOTYPE = {
  get branch(): Branch | null {
    const held = (this as unknown as TopicNode).branchOrCount
    return typeof held === 'number' ? null : held
  },
  get ownCount(): number {
    const held = (this as unknown as TopicNode).branchOrCount
    return typeof held === 'number' ? held : held.ownCount
  },
  set ownCount(count: number) {
    const node = this as unknown as TopicNode
    const held = node.branchOrCount
    if (typeof held === 'number') node.branchOrCount = count
    else held.ownCount = count
  },
  get id(): number {
    const node = this as unknown as TopicNode
    let id = ids.get(node)
    if (id === undefined) ids.set(node, (id = nextId++))
    return id
  },
  get slot(): number {
    return ((this as unknown as TopicNode).slotAndFlags >> FLAG_BITS) - 1
  },
  set slot(slot: number) {
    const node = this as unknown as TopicNode
    node.slotAndFlags = ((slot + 1) << FLAG_BITS) | (node.slotAndFlags & FLAG_MASK)
  },
  get flags(): number {
    return (this as unknown as TopicNode).slotAndFlags & FLAG_MASK
  },
  set flags(flags: number) {
    const node = this as unknown as TopicNode
    node.slotAndFlags = (node.slotAndFlags & ~FLAG_MASK) | flags
  },
  get name(): string {
    const path = (this as unknown as TopicNode).path
    return path.slice(nameStart(path))
  },
  get children(): Map<string, TopicNode> | TopicNode | null {
    const branch = (this as unknown as TopicNode).branch
    return branch === null ? null : branch.children
  },
  get subtreeCount(): number {
    const node = this as unknown as TopicNode
    return node.branch === null ? node.ownCount : node.branch.subtreeCount
  },
  get subtreeTopics(): number {
    const node = this as unknown as TopicNode
    return node.branch === null ? (node.ownCount > 0 ? 1 : 0) : node.branch.subtreeTopics
  },
  get updatedAfterBase(): number {
    const node = this as unknown as TopicNode
    return node.branch === null ? leafUpdatedAfterBase(node) : node.branch.updatedAfterBase
  },
  get gen(): number {
    const node = this as unknown as TopicNode
    return node.branch === null ? node.ownGen : node.branch.gen
  },
  get structureVersion(): number {
    const branch = (this as unknown as TopicNode).branch
    return branch === null ? 0 : branch.structureVersion
  },
  get childVersion(): number {
    const branch = (this as unknown as TopicNode).branch
    return branch === null ? 0 : branch.childVersion
  },
  get retained(): boolean {
    return ((this as unknown as TopicNode).flags & RETAINED) !== 0
  },
  set retained(value: boolean) {
    const node = this as unknown as TopicNode
    node.flags = value ? node.flags | RETAINED : node.flags & ~RETAINED
  },
  get attached(): boolean {
    return ((this as unknown as TopicNode).flags & ATTACHED) !== 0
  },
  set attached(value: boolean) {
    const node = this as unknown as TopicNode
    node.flags = value ? node.flags | ATTACHED : node.flags & ~ATTACHED
  },
  get last(): StoredMessage | null {
    return lastOf(this as unknown as TopicNode)
  },
  get lastObject(): StoredMessage | null {
    return sideOf(this as unknown as TopicNode)?.lastObject ?? null
  },
  set lastObject(message: StoredMessage | null) {
    setSide(this as unknown as TopicNode, 'lastObject', message)
  },
  get history(): HistoryRing | null {
    return sideOf(this as unknown as TopicNode)?.history ?? null
  },
  set history(ring: HistoryRing | null) {
    setSide(this as unknown as TopicNode, 'history', ring)
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
  return node.slot < 0 ? null : latest.time(node.slot)
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

/** Where the last level's name begins in a path. */
export function nameStart(path: string): number {
  return path.lastIndexOf('/') + 1
}

/** A new node at `path`, the full topic path. */
export function createNode(path: string, parent: TopicNode | null): TopicNode {
  // The tree's only node allocation site (see the top of this file): keep it a literal.
  const node = {
    __proto__: NODE_PROTOTYPE,
    parent,
    // No Branch, no message yet.
    branchOrCount: 0,
    path,
    // slot -1, ATTACHED.
    slotAndFlags: ATTACHED,
    ownGen: 0,
  } satisfies Pick<TopicNode, 'parent' | 'branchOrCount' | 'path' | 'slotAndFlags' | 'ownGen'> & { __proto__: object }
  return node as unknown as TopicNode
}

/**
 * The node's Branch, made with its first child. It starts from what the node's own fields said
 * while it had none, so the subtree counters stay exact.
 */
export function branchOf(node: TopicNode): Branch {
  const held = node.branchOrCount
  if (typeof held !== 'number') return held
  // The only Branch allocation site: a literal, so V8 pretenures these long-lived objects too.
  const made: Branch = {
    ownCount: held,
    children: null,
    subtreeCount: held,
    subtreeTopics: held > 0 ? 1 : 0,
    updatedAfterBase: leafUpdatedAfterBase(node),
    gen: node.ownGen,
    structureVersion: 0,
    childVersion: 0,
  }
  node.branchOrCount = made
  return made
}

/** The full topic path of a node ('' for the root). */
export function pathOf(node: TopicNode): string {
  return node.path
}

/** Levels below the root: 0 for a top level, -1 for the root itself (walked, not stored). */
export function depthOf(node: TopicNode): number {
  let depth = -1
  for (let n = node.parent; n !== null; n = n.parent) depth++
  return depth
}

/** Epoch ms of the latest message anywhere in the node's subtree; 0 for none. */
export function subtreeUpdateOf(node: TopicNode): number {
  if (node.branch === null) return lastTimeOf(node) ?? 0
  const after = node.branch.updatedAfterBase
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
  const branch = node.branch
  if (branch === null) return 0
  const children = branch.children
  return children === null ? 0 : children instanceof Map ? children.size : 1
}

/** The direct child called `name`. */
export function childOf(node: TopicNode, name: string): TopicNode | undefined {
  return childAt(node, node.parent === null ? name : `${node.path}/${name}`)
}

/**
 * The direct child whose path is `path[0, end)`, on a walk down `path` that has matched `node`:
 * `path[0, start)` is node's own path and a '/' (nothing for the root). A lone child is checked
 * on its last level only, so walking a 32,768-level topic stays linear in its length (comparing
 * whole paths would be quadratic); a Map needs the whole prefix as its key.
 */
export function childOnPath(node: TopicNode, path: string, start: number, end: number): TopicNode | undefined {
  const branch = node.branch
  if (branch === null) return undefined
  const children = branch.children
  if (children === null) return undefined
  if (children instanceof Map) return children.get(end === path.length ? path : path.slice(0, end))
  const own = children.path
  if (own.length !== end) return undefined
  for (let i = start; i < end; i++) if (own.charCodeAt(i) !== path.charCodeAt(i)) return undefined
  return children
}

/** The direct child whose full path is `path`. */
export function childAt(node: TopicNode, path: string): TopicNode | undefined {
  const branch = node.branch
  if (branch === null) return undefined
  const children = branch.children
  if (children === null) return undefined
  if (children instanceof Map) return children.get(path)
  return children.path === path ? children : undefined
}

/** The direct children, in the order they were added (child-order.ts relies on it). */
export function childNodes(node: TopicNode): Iterable<TopicNode> {
  const branch = node.branch
  if (branch === null) return NO_CHILDREN
  const children = branch.children
  return children === null ? NO_CHILDREN : children instanceof Map ? children.values() : [children]
}

/** Messages kept for this topic: the latest plus its history ring. */
export function historyLength(node: TopicNode): number {
  return (hasLast(node) ? 1 : 0) + (node.history === null ? 0 : node.history.length)
}
