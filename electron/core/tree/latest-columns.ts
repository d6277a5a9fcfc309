/**
 * Every topic's latest message, as columns indexed by a slot instead of one object per topic.
 *
 * A heap snapshot of the scale-1m tree (issue 15) showed each topic's StoredMessage at 104 bytes
 * plus a 16-byte heap number for its epoch-ms time: 120 of the tree's 401 bytes per topic, for
 * objects almost nobody looks at (a view shows a few dozen rows, the inspector one topic). Here
 * the same facts cost 29 bytes a slot: the buffer holding the bytes (8, a shared slab mostly),
 * offset, stored length and original size (4 each), the time (8) and qos/retain/truncated (1).
 * A StoredMessage object is made only when something asks for `node.last` (see topic-node.ts),
 * and kept on the node so the same message stays the same object until the next one replaces it
 * (the inspector and history pins rely on identity).
 *
 * One store serves every tree of the process: a node takes a slot with its first message and
 * gives it back when it leaves its tree, so slots are reused and the columns only grow to the
 * most topics held at once.
 */
import type { Qos } from '../../api/profiles'
import type { StoredMessage } from './topic-node'

const RETAIN = 4
const TRUNCATED = 8
const QOS_MASK = 3

class LatestColumns {
  capacity = 0
  data: (Buffer | undefined)[] = []
  offset = new Int32Array(0)
  length = new Int32Array(0)
  size = new Uint32Array(0)
  time = new Float64Array(0)
  flags = new Uint8Array(0)
  /**
   * MQTT 5 properties by slot: most messages (all of MQTT 3.1.1) have none, and then this costs
   * nothing. Measured for the other end, every one of 1,000,000 topics with properties (Node 20,
   * heap after GC): the Map holds them for 21 bytes a topic and 0.2 µs a write, next to the
   * properties object itself (over 100 bytes); a dense array beside the columns would cost every
   * MQTT 3.1.1 topic 8 bytes to save MQTT 5 topics 13.
   */
  properties = new Map<number, Record<string, unknown>>()
  private free = new Int32Array(0)
  private freeCount = 0
  private used = 0

  /** A slot for a node's first message. */
  take(): number {
    if (this.freeCount > 0) return this.free[--this.freeCount]
    if (this.used === this.capacity) this.grow()
    return this.used++
  }

  /** The node left its tree: its slot may serve another topic. */
  release(slot: number): void {
    this.data[slot] = undefined
    if (this.properties.size !== 0) this.properties.delete(slot)
    if (this.freeCount === this.free.length) {
      const next = new Int32Array(Math.max(1024, this.free.length * 2))
      next.set(this.free)
      this.free = next
    }
    this.free[this.freeCount++] = slot
  }

  write(slot: number, data: Buffer, offset: number, length: number, size: number, time: number, qos: Qos, retain: boolean, truncated: boolean, properties: Record<string, unknown> | undefined): void {
    this.data[slot] = data
    this.offset[slot] = offset
    this.length[slot] = length
    this.size[slot] = size
    this.time[slot] = time
    this.flags[slot] = qos | (retain ? RETAIN : 0) | (truncated ? TRUNCATED : 0)
    if (properties !== undefined) this.properties.set(slot, properties)
    else if (this.properties.size !== 0) this.properties.delete(slot)
  }

  /** The slot's message as a StoredMessage (a new object each call). */
  read(slot: number): StoredMessage {
    const flags = this.flags[slot]
    return {
      data: this.data[slot] as Buffer,
      offset: this.offset[slot],
      length: this.length[slot],
      qos: (flags & QOS_MASK) as Qos,
      retain: (flags & RETAIN) !== 0,
      time: this.time[slot],
      size: this.size[slot],
      truncated: (flags & TRUNCATED) !== 0,
      properties: this.properties.get(slot),
      evicted: false,
    }
  }

  truncated(slot: number): boolean {
    return (this.flags[slot] & TRUNCATED) !== 0
  }

  /** The slot's stored bytes as a Buffer view (no copy, no StoredMessage). */
  payload(slot: number): Buffer {
    const offset = this.offset[slot]
    return (this.data[slot] as Buffer).subarray(offset, offset + this.length[slot])
  }

  private grow(): void {
    const capacity = Math.max(1024, this.capacity * 2)
    const widen = <T extends Int32Array | Uint32Array | Float64Array | Uint8Array>(old: T, make: (n: number) => T): T => {
      const next = make(capacity)
      next.set(old)
      return next
    }
    this.offset = widen(this.offset, (n) => new Int32Array(n))
    this.length = widen(this.length, (n) => new Int32Array(n))
    this.size = widen(this.size, (n) => new Uint32Array(n))
    this.time = widen(this.time, (n) => new Float64Array(n))
    this.flags = widen(this.flags, (n) => new Uint8Array(n))
    this.capacity = capacity
  }
}

/** The process's one store of latest messages. */
export const latest = new LatestColumns()
