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
 * most topics held at once, a page at a time.
 */
import type { Qos } from '../../api/profiles'
import type { StoredMessage } from './topic-node'

const RETAIN = 4
const TRUNCATED = 8
const QOS_MASK = 3

/**
 * Slots come in pages of this many, and the columns of a page never move. Grown by doubling,
 * every column was copied into one twice its size and the old one left as garbage until the
 * next full GC: at a million topics ~40 MB of dead columns at once in scale-1m's peak, where a
 * page costs nothing but itself. 8,192 slots keep a page's buffer array (64 KB) a regular heap
 * object, below V8's large-object size.
 */
const PAGE_BITS = 13
const PAGE_SLOTS = 1 << PAGE_BITS
const PAGE_MASK = PAGE_SLOTS - 1

/** One page of columns: typed arrays over one ArrayBuffer, and the buffers holding the bytes. */
interface Page {
  data: (Buffer | undefined)[]
  time: Float64Array
  offset: Int32Array
  length: Int32Array
  size: Uint32Array
  flags: Uint8Array
}

function newPage(): Page {
  // Widest first, so every view starts aligned to its element size.
  const bytes = new ArrayBuffer(PAGE_SLOTS * (8 + 4 + 4 + 4 + 1))
  let at = 0
  const view = <T>(make: (buffer: ArrayBuffer, offset: number, count: number) => T, width: number): T => {
    const made = make(bytes, at, PAGE_SLOTS)
    at += PAGE_SLOTS * width
    return made
  }
  return {
    data: new Array<Buffer | undefined>(PAGE_SLOTS).fill(undefined),
    time: view((b, o, n) => new Float64Array(b, o, n), 8),
    offset: view((b, o, n) => new Int32Array(b, o, n), 4),
    length: view((b, o, n) => new Int32Array(b, o, n), 4),
    size: view((b, o, n) => new Uint32Array(b, o, n), 4),
    flags: view((b, o, n) => new Uint8Array(b, o, n), 1),
  }
}

class LatestColumns {
  private pages: Page[] = []
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

  /** Slots the columns hold room for (whole pages). */
  get capacity(): number {
    return this.pages.length * PAGE_SLOTS
  }

  /** A slot for a node's first message. */
  take(): number {
    if (this.freeCount > 0) return this.free[--this.freeCount]
    if (this.used === this.capacity) this.pages.push(newPage())
    return this.used++
  }

  /** The node left its tree: its slot may serve another topic. */
  release(slot: number): void {
    this.pages[slot >>> PAGE_BITS].data[slot & PAGE_MASK] = undefined
    if (this.properties.size !== 0) this.properties.delete(slot)
    if (this.freeCount === this.free.length) {
      const next = new Int32Array(Math.max(1024, this.free.length * 2))
      next.set(this.free)
      this.free = next
    }
    this.free[this.freeCount++] = slot
  }

  write(slot: number, data: Buffer, offset: number, length: number, size: number, time: number, qos: Qos, retain: boolean, truncated: boolean, properties: Record<string, unknown> | undefined): void {
    const page = this.pages[slot >>> PAGE_BITS]
    const at = slot & PAGE_MASK
    page.data[at] = data
    page.offset[at] = offset
    page.length[at] = length
    page.size[at] = size
    page.time[at] = time
    page.flags[at] = qos | (retain ? RETAIN : 0) | (truncated ? TRUNCATED : 0)
    if (properties !== undefined) this.properties.set(slot, properties)
    else if (this.properties.size !== 0) this.properties.delete(slot)
  }

  /** The slot's message as a StoredMessage (a new object each call). */
  read(slot: number): StoredMessage {
    const page = this.pages[slot >>> PAGE_BITS]
    const at = slot & PAGE_MASK
    const flags = page.flags[at]
    return {
      data: page.data[at] as Buffer,
      offset: page.offset[at],
      length: page.length[at],
      qos: (flags & QOS_MASK) as Qos,
      retain: (flags & RETAIN) !== 0,
      time: page.time[at],
      size: page.size[at],
      truncated: (flags & TRUNCATED) !== 0,
      properties: this.properties.get(slot),
      evicted: false,
    }
  }

  /** Epoch ms of the slot's message. */
  time(slot: number): number {
    return this.pages[slot >>> PAGE_BITS].time[slot & PAGE_MASK]
  }

  truncated(slot: number): boolean {
    return (this.pages[slot >>> PAGE_BITS].flags[slot & PAGE_MASK] & TRUNCATED) !== 0
  }

  /** The slot's stored bytes as a Buffer view (no copy, no StoredMessage). */
  payload(slot: number): Buffer {
    const page = this.pages[slot >>> PAGE_BITS]
    const at = slot & PAGE_MASK
    const offset = page.offset[at]
    return (page.data[at] as Buffer).subarray(offset, offset + page.length[at])
  }
}

/** The process's one store of latest messages. */
export const latest = new LatestColumns()
