/**
 * One level of the topic trie. Kept as a plain class with a fixed shape (V8 keeps one hidden
 * class for a million instances) and lazily created parts: a leaf that got one message owns no
 * children map and no history ring.
 */
import type { Qos } from '../../api/profiles'
import type { HistoryRing } from './history'

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
const NO_CHILDREN: readonly TopicNode[] = []

/**
 * childVersion grows by 1 per added child and by this per removed child, so a reader that saw
 * version v and n children can tell "only additions since" (version - v === childCount - n).
 */
export const REMOVAL_STEP = 1_000_000

export class TopicNode {
  /** Stable for the life of this node; never reused. */
  readonly id = nextId++
  /**
   * null for a leaf, the child itself while there is one, a Map by name from the second child on.
   * Most nodes of a big tree are chains (a device level with one `state` below it): a Map costs
   * ~200 bytes and a hash table for the young-generation GC to copy, a lone child costs nothing.
   * Read through child(), childNodes() and childCount rather than this field.
   */
  children: Map<string, TopicNode> | TopicNode | null = null
  /** Messages on exactly this topic. */
  ownCount = 0
  /** Messages on this topic and all below it. */
  subtreeCount = 0
  /** Topics (nodes with ownCount > 0) in this subtree, this one included. */
  subtreeTopics = 0
  /** The latest message: never evicted by any history limit. */
  last: StoredMessage | null = null
  /** Older messages (the latest is `last`); created on the second message. */
  history: HistoryRing | null = null
  /** The broker holds (or held, as far as we saw) a retained message here. */
  retained = false
  /** Epoch ms of the latest message anywhere in this subtree; 0 for none. */
  subtreeUpdate = 0
  /** Tree generation of the last change to this node's own message or its subtree counters. */
  gen = 0
  /** Bumped here and on every ancestor when a node is added or removed below. */
  structureVersion = 0
  /** Bumped when a direct child is added (+1 each) or removed (REMOVAL_STEP each). */
  childVersion = 0
  /** Tree generation at which this node's own message last changed. */
  ownGen = 0
  /** Internal: dedupes the tree's per-tick change list. */
  dirtyEpoch = -1
  /** False once removed from the tree (views holding it must let go). */
  attached = true

  constructor(
    /** This level's name; '' for an empty level. */
    readonly name: string,
    /** The full topic path of this node ('' only for the root). */
    readonly path: string,
    readonly parent: TopicNode | null,
    readonly depth: number,
  ) {}

  get childCount(): number {
    const children = this.children
    return children === null ? 0 : children instanceof TopicNode ? 1 : children.size
  }

  /** The direct child called `name`. */
  child(name: string): TopicNode | undefined {
    const children = this.children
    if (children === null) return undefined
    if (children instanceof TopicNode) return children.name === name ? children : undefined
    return children.get(name)
  }

  /** The direct children, in the order they were added (child-order.ts relies on it). */
  childNodes(): Iterable<TopicNode> {
    const children = this.children
    return children === null ? NO_CHILDREN : children instanceof TopicNode ? [children] : children.values()
  }

  /** Messages kept for this topic: the latest plus its history ring. */
  get historyLength(): number {
    return (this.last === null ? 0 : 1) + (this.history === null ? 0 : this.history.length)
  }
}
