/**
 * The newest messages of a connection, kept raw. At 100k msg/s almost none of them are ever
 * shown (a batch lists at most a few hundred per interval), so a push stores only what a preview
 * needs, in preallocated arrays, and the preview is built when the message is first asked for.
 */
import type { MessageSummary, Qos } from '../../api'
import { PREVIEW_PREFIX_BYTES, previewOfPrefix } from './payload-preview'

const RETAIN_FLAG = 4
const QOS_MASK = 3

/**
 * A fixed-capacity ring of the newest messages, struct-of-arrays. A push allocates nothing for
 * payloads up to {@link PREVIEW_PREFIX_BYTES} bytes and never keeps the payload itself: mqtt.js
 * payloads are views into its socket chunks, and holding one would pin the whole chunk.
 */
export class RecentMessages {
  private readonly topics: string[]
  private readonly sizes: Float64Array
  private readonly times: Float64Array
  /** qos in bits 0–1, retain in bit 2. */
  private readonly flags: Uint8Array
  /** Slot i holds the first PREVIEW_PREFIX_BYTES bytes of entry i's payload. */
  private readonly slab: Buffer
  /** Previews built so far; a push clears its slot's, since that slot now holds another message. */
  private readonly previews: (string | undefined)[]
  private head = 0
  private size = 0

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('RecentMessages capacity must be a positive integer')
    this.topics = new Array<string>(capacity).fill('')
    this.sizes = new Float64Array(capacity)
    this.times = new Float64Array(capacity)
    this.flags = new Uint8Array(capacity)
    this.slab = Buffer.alloc(capacity * PREVIEW_PREFIX_BYTES)
    this.previews = new Array<string | undefined>(capacity).fill(undefined)
  }

  get length(): number {
    return this.size
  }

  /** Stores one message, copying only the payload bytes its preview can depend on. */
  push(topic: string, payload: Uint8Array, qos: Qos, retain: boolean, time: number): void {
    const i = this.head
    const size = payload.length
    this.topics[i] = topic
    this.sizes[i] = size
    this.times[i] = time
    this.flags[i] = (qos & QOS_MASK) | (retain ? RETAIN_FLAG : 0)
    this.previews[i] = undefined
    const offset = i * PREVIEW_PREFIX_BYTES
    // Only payloads longer than the prefix pay for a view object.
    this.slab.set(size <= PREVIEW_PREFIX_BYTES ? payload : payload.subarray(0, PREVIEW_PREFIX_BYTES), offset)
    this.head = i + 1 === this.capacity ? 0 : i + 1
    if (this.size < this.capacity) this.size++
  }

  /** The newest `limit` messages, oldest first. */
  newest(limit = this.size): MessageSummary[] {
    const n = Math.max(0, Math.min(limit, this.size))
    const out = new Array<MessageSummary>(n)
    let i = (this.head - n + this.capacity) % this.capacity
    for (let k = 0; k < n; k++) {
      const flags = this.flags[i]
      out[k] = {
        topic: this.topics[i],
        qos: (flags & QOS_MASK) as Qos,
        retain: (flags & RETAIN_FLAG) !== 0,
        size: this.sizes[i],
        time: this.times[i],
        preview: this.preview(i),
      }
      i = i + 1 === this.capacity ? 0 : i + 1
    }
    return out
  }

  /** Forgets every message (and lets go of their topic strings). */
  clear(): void {
    this.topics.fill('')
    this.previews.fill(undefined)
    this.head = 0
    this.size = 0
  }

  private preview(i: number): string {
    let text = this.previews[i]
    if (text === undefined) {
      const offset = i * PREVIEW_PREFIX_BYTES
      const size = this.sizes[i]
      text = previewOfPrefix(this.slab.subarray(offset, offset + Math.min(size, PREVIEW_PREFIX_BYTES)), size)
      this.previews[i] = text
    }
    return text
  }
}
