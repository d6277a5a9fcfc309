/**
 * What the hot path hands the encoder thread: each message's facts copied into one ArrayBuffer
 * (the payload by memcpy, the topic as UTF-8), no base64, no JSON, no object per message. A full
 * arena is transferred to the worker whole (no structured clone of its contents) and comes back
 * empty for reuse. Main writes it (`Arena`), the worker reads it (`readArena`): the layout lives
 * only here.
 *
 * Record layout, little-endian, packed:
 *   message: u8 1, f64 offsetUs, f64 wallMs, u8 flags, u32 topic bytes, u32 payload bytes,
 *            u32 props bytes, topic, payload, props (JSON of RecordedProperties, correlation data base64)
 *   gap:     u8 2, f64 offsetUs, f64 wallMs, f64 durationUs, u32 reason bytes, reason
 *   tick:    u8 3, f64 offsetUs   (the clock, for rotating on time while the connection is quiet)
 * Offsets are µs from the recorder's start: the worker knows where each part starts.
 */
import type { Qos } from '../../api'
import type { RecordedProperties } from './format'

/** Bytes of a fresh arena; a record larger than this gets an arena of its own. */
export const ARENA_BYTES = 256 * 1024

const MESSAGE = 1
const GAP = 2
const TICK = 3
const MESSAGE_HEAD = 1 + 8 + 8 + 1 + 4 + 4 + 4
const GAP_HEAD = 1 + 8 + 8 + 8 + 4

const RETAIN = 4
const DUP = 8
const SUB = 16

export class Arena {
  /** Bytes written; `records` messages and gaps among them (ticks are not lines). */
  used = 0
  records = 0
  private readonly bytes: Buffer
  private readonly view: DataView

  constructor(readonly buffer: ArrayBuffer) {
    this.bytes = Buffer.from(buffer)
    this.view = new DataView(buffer)
  }

  get size(): number {
    return this.buffer.byteLength
  }

  /** Worst-case bytes of a message record (UTF-8 takes at most 3 bytes per UTF-16 unit). */
  static messageBytes(topic: string, payload: Uint8Array, props: string | undefined): number {
    return MESSAGE_HEAD + topic.length * 3 + payload.length + (props === undefined ? 0 : props.length * 3)
  }

  static gapBytes(reason: string): number {
    return GAP_HEAD + reason.length * 3
  }

  /** Appends a message; the caller made sure `messageBytes` fit. `props` is {@link propsText}'s. */
  message(offsetUs: number, wallMs: number, topic: string, qos: Qos, retain: boolean, dup: boolean, onSubscribe: boolean, payload: Uint8Array, props: string | undefined): void {
    const at = this.used
    const view = this.view
    view.setUint8(at, MESSAGE)
    view.setFloat64(at + 1, offsetUs, true)
    view.setFloat64(at + 9, wallMs, true)
    view.setUint8(at + 17, qos | (retain ? RETAIN : 0) | (dup ? DUP : 0) | (onSubscribe ? SUB : 0))
    let end = at + MESSAGE_HEAD
    const topicBytes = this.bytes.write(topic, end, 'utf8')
    end += topicBytes
    this.bytes.set(payload, end)
    end += payload.length
    const propBytes = props === undefined ? 0 : this.bytes.write(props, end, 'utf8')
    end += propBytes
    view.setUint32(at + 18, topicBytes, true)
    view.setUint32(at + 22, payload.length, true)
    view.setUint32(at + 26, propBytes, true)
    this.used = end
    this.records++
  }

  gap(offsetUs: number, wallMs: number, durationUs: number, reason: string): void {
    const at = this.used
    this.view.setUint8(at, GAP)
    this.view.setFloat64(at + 1, offsetUs, true)
    this.view.setFloat64(at + 9, wallMs, true)
    this.view.setFloat64(at + 17, durationUs, true)
    const n = this.bytes.write(reason, at + GAP_HEAD, 'utf8')
    this.view.setUint32(at + 25, n, true)
    this.used = at + GAP_HEAD + n
    this.records++
  }

  /** Room for a tick is always kept free: see `fits`. */
  tick(offsetUs: number): void {
    this.view.setUint8(this.used, TICK)
    this.view.setFloat64(this.used + 1, offsetUs, true)
    this.used += 9
  }

  /** Whether `bytes` more fit, leaving room for one tick. */
  fits(bytes: number): boolean {
    return this.used + bytes + 9 <= this.buffer.byteLength
  }
}

/** Properties as the arena carries them: JSON, correlation data as base64 (rare: most messages have none). */
export function propsText(p: RecordedProperties | undefined): string | undefined {
  if (p === undefined) return undefined
  const { correlationData, ...rest } = p
  return JSON.stringify(correlationData === undefined ? rest : { ...rest, correlationData: correlationData.toString('base64') })
}

function propsFromText(text: string): RecordedProperties {
  const p = JSON.parse(text) as Omit<RecordedProperties, 'correlationData'> & { correlationData?: string }
  const { correlationData, ...rest } = p
  return correlationData === undefined ? rest : { ...rest, correlationData: Buffer.from(correlationData, 'base64') }
}

export interface ArenaVisitor {
  message(offsetUs: number, wallMs: number, topic: string, qos: Qos, retain: boolean, dup: boolean, onSubscribe: boolean, payload: Buffer, properties: RecordedProperties | undefined): void
  gap(offsetUs: number, wallMs: number, durationUs: number, reason: string): void
  tick(offsetUs: number): void
}

/** Walks the first `used` bytes of an arena in order. Payloads are views into it: use them before it is reused. */
export function readArena(buffer: ArrayBuffer, used: number, visit: ArenaVisitor): void {
  const bytes = Buffer.from(buffer, 0, used)
  const view = new DataView(buffer, 0, used)
  let at = 0
  while (at < used) {
    const kind = view.getUint8(at)
    const offsetUs = view.getFloat64(at + 1, true)
    if (kind === MESSAGE) {
      const wallMs = view.getFloat64(at + 9, true)
      const flags = view.getUint8(at + 17)
      const topicBytes = view.getUint32(at + 18, true)
      const payloadBytes = view.getUint32(at + 22, true)
      const propBytes = view.getUint32(at + 26, true)
      let p = at + MESSAGE_HEAD
      const topic = bytes.toString('utf8', p, p + topicBytes)
      p += topicBytes
      const payload = bytes.subarray(p, p + payloadBytes)
      p += payloadBytes
      const properties = propBytes === 0 ? undefined : propsFromText(bytes.toString('utf8', p, p + propBytes))
      p += propBytes
      visit.message(offsetUs, wallMs, topic, (flags & 3) as Qos, (flags & RETAIN) !== 0, (flags & DUP) !== 0, (flags & SUB) !== 0, payload, properties)
      at = p
    } else if (kind === GAP) {
      const n = view.getUint32(at + 25, true)
      visit.gap(offsetUs, view.getFloat64(at + 9, true), view.getFloat64(at + 17, true), bytes.toString('utf8', at + GAP_HEAD, at + GAP_HEAD + n))
      at += GAP_HEAD + n
    } else if (kind === TICK) {
      visit.tick(offsetUs)
      at += 9
    } else {
      throw new Error(`recording arena: unknown record kind ${kind} at byte ${at}`)
    }
  }
}
