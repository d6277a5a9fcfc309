/**
 * The inbound packet parser of our MQTT connections: mqtt-packet's, with a fast path for the one
 * packet that comes in floods. mqtt-packet parses field by field through a BufferList, slicing
 * and re-slicing Buffers for every field: about 1.4 µs and half a dozen Buffer objects per small
 * PUBLISH, some 250 ms of a 100,000-message retained burst. Here frames are cut straight from the
 * socket's chunks; a PUBLISH (with or without MQTT 5 properties) is decoded in place into
 * mqtt-packet's own Packet class with the same fields, and every other frame (other packet types,
 * anything malformed or unusual) is handed whole to an mqtt-packet parser, which emits it, or its
 * error, before the next frame is looked at: order and errors stay theirs.
 *
 * A frame split over chunks is joined once, when its last byte is in, so a 16 MB payload costs
 * one copy however many chunks it came in. The payload is a view into the chunk (or the joined
 * frame), as mqtt-packet's is when the bytes lie in one chunk.
 */
import { EventEmitter } from 'node:events'
// Static imports, so that every bundler (electron-vite, esbuild in the bench and the tests) and
// Node itself give this file the very module objects mqtt.js requires: its `parser` is what
// MqttClient.connect() calls. The default import is mqtt-packet's CommonJS `module.exports`.
import mqttPacketExports, { type Packet as MqttPacket, type Parser as MqttParser } from 'mqtt-packet'
import Packet from 'mqtt-packet/packet.js'
import constants from 'mqtt-packet/constants.js'

interface ParserOptions {
  protocolVersion?: number
}

const mqttPacket = mqttPacketExports as unknown as { parser: (options?: ParserOptions) => MqttParser }
const mqttParser = mqttPacket.parser
/** mqtt-packet's own tables of MQTT 5 property ids, names and value types, so both paths name them alike. */
const { propertiesCodes, propertiesTypes } = constants

const PUBLISH = 3
/** The fixed header's remaining length takes at most 4 bytes; a 4th with its continuation bit set is malformed. */
const MAX_LENGTH_BYTES = 4

export class PublishParser extends EventEmitter {
  /** Cuts every frame we do not decode ourselves; its packets and errors are ours to emit. */
  private readonly inner: MqttParser
  private readonly v5: boolean
  /** The start of a frame whose last byte has not arrived yet. */
  private pending: Buffer[] = []
  private pendingBytes = 0
  /** The pending frame's total size once its header is in, else -1. */
  private pendingNeed = -1
  /** After a malformed length nothing can be framed any more: every byte goes to mqtt-packet, which says why. */
  private passthrough = false

  constructor(options: ParserOptions = {}) {
    super()
    this.v5 = options.protocolVersion === 5
    this.inner = mqttParser(options)
    this.inner.on('packet', (packet: MqttPacket) => this.emit('packet', packet))
    this.inner.on('error', (err: Error) => this.emit('error', err))
  }

  /** Takes one chunk of the stream; returns the bytes held for a frame still incomplete. */
  parse(chunk: Buffer): number {
    if (this.passthrough) return this.inner.parse(chunk)
    let buf = chunk
    if (this.pendingBytes > 0) {
      const rest = this.completePending(chunk)
      if (rest === null) return this.pendingBytes
      buf = rest
    }
    let pos = 0
    const end = buf.length
    while (pos < end) {
      const need = frameSize(buf, pos, end)
      if (need === MALFORMED) return this.passOn(buf.subarray(pos))
      if (need === -1 || pos + need > end) {
        this.pending = [buf.subarray(pos)]
        this.pendingBytes = end - pos
        this.pendingNeed = need
        return this.pendingBytes
      }
      this.frame(buf, pos, pos + need)
      pos += need
    }
    return 0
  }

  /**
   * Adds `chunk` to the pending frame. Returns what of the chunk follows that frame, once the
   * frame was handled; null while the frame is still incomplete (the chunk is kept).
   */
  private completePending(chunk: Buffer): Buffer | null {
    if (this.pendingNeed === -1) {
      // The header itself was cut: at most 4 bytes are pending, so joining them with the
      // chunk's first few is cheap, and says how long the frame is.
      const head = Buffer.concat([...this.pending, chunk.subarray(0, MAX_LENGTH_BYTES + 1)])
      const need = frameSize(head, 0, head.length)
      if (need === MALFORMED) {
        const held = this.pending
        this.pending = []
        this.pendingBytes = 0
        for (const part of held) this.inner.parse(part)
        this.passOn(chunk)
        return null
      }
      this.pendingNeed = need
    }
    const need = this.pendingNeed
    if (need === -1 || this.pendingBytes + chunk.length < need) {
      this.pending.push(chunk)
      this.pendingBytes += chunk.length
      return null
    }
    const taken = need - this.pendingBytes
    const frame = Buffer.concat([...this.pending, chunk.subarray(0, taken)], need)
    this.pending = []
    this.pendingBytes = 0
    this.pendingNeed = -1
    this.frame(frame, 0, need)
    return chunk.subarray(taken)
  }

  private passOn(bytes: Buffer): number {
    this.passthrough = true
    return this.inner.parse(bytes)
  }

  /** One whole frame, buf[start, end): decoded here when it is a well-formed PUBLISH, else by mqtt-packet. */
  private frame(buf: Buffer, start: number, end: number): void {
    const packet = buf[start] >> 4 === PUBLISH ? this.publish(buf, start, end) : null
    if (packet === null) this.inner.parse(buf.subarray(start, end))
    else this.emit('packet', packet)
  }

  /** The PUBLISH in buf[start, end), or null when it is not one this path decodes (mqtt-packet then does). */
  private publish(buf: Buffer, start: number, end: number): Record<string, unknown> | null {
    const first = buf[start]
    const qos = (first >> 1) & 3
    if (qos === 3) return null
    const headerBytes = lengthBytes(buf, start)
    let pos = start + headerBytes
    if (pos + 2 > end) return null
    const topicEnd = pos + 2 + ((buf[pos] << 8) | buf[pos + 1])
    if (topicEnd > end) return null
    const topic = buf.toString('utf8', pos + 2, topicEnd)
    pos = topicEnd
    let messageId = -1
    if (qos > 0) {
      if (pos + 2 > end) return null
      messageId = (buf[pos] << 8) | buf[pos + 1]
      pos += 2
    }
    let properties: Record<string, unknown> | null = null
    if (this.v5) {
      if (pos >= end) return null
      if (buf[pos] === 0) pos++
      else {
        const decoded = decodeProperties(buf, pos, end)
        if (decoded === null) return null
        properties = decoded.properties
        pos = decoded.end
      }
    }
    const packet = new Packet()
    packet.cmd = 'publish'
    packet.retain = (first & 1) !== 0
    packet.qos = qos
    packet.dup = (first & 8) !== 0
    packet.length = end - start - headerBytes
    packet.topic = topic
    packet.payload = buf.subarray(pos, end)
    if (messageId !== -1) packet.messageId = messageId
    if (properties !== null) packet.properties = properties
    return packet
  }
}

const MALFORMED = -2

/**
 * A variable byte integer at buf[pos], within `end`: its value and the offset after it, or null
 * when it is cut short or longer than 4 bytes (mqtt-packet then says what is wrong).
 */
function varInt(buf: Buffer, pos: number, end: number): { value: number; next: number } | null {
  let value = 0
  let mul = 1
  for (let i = 0; i < MAX_LENGTH_BYTES; i++) {
    if (pos + i >= end) return null
    const byte = buf[pos + i]
    value += (byte & 0x7f) * mul
    if ((byte & 0x80) === 0) return { value, next: pos + i + 1 }
    mul *= 0x80
  }
  return null
}

/**
 * A PUBLISH's MQTT 5 property list at buf[pos] (its length first), decoded as mqtt-packet does:
 * names from its tables, `byte` properties as booleans, a repeated property as an array (unless
 * its first value was falsy, which mqtt-packet replaces), user properties in a null-prototype
 * object whose repeated names hold arrays. Null when anything
 * is unusual (an unknown id, a value crossing the list's end): mqtt-packet decodes it then, and
 * says what is wrong, in its own words.
 */
function decodeProperties(buf: Buffer, pos: number, frameEnd: number): { properties: Record<string, unknown>; end: number } | null {
  const length = varInt(buf, pos, frameEnd)
  if (length === null) return null
  let at = length.next
  const end = at + length.value
  if (end > frameEnd) return null
  const properties: Record<string, unknown> = {}
  const str = (): string | null => {
    if (at + 2 > end) return null
    const stop = at + 2 + ((buf[at] << 8) | buf[at + 1])
    if (stop > end) return null
    const text = buf.toString('utf8', at + 2, stop)
    at = stop
    return text
  }
  while (at < end) {
    const name = propertiesCodes[buf[at++]]
    const type = name === undefined ? undefined : propertiesTypes[name]
    if (name === undefined || type === undefined) return null
    let value: unknown
    if (type === 'byte' || type === 'int8') {
      if (at + 1 > end) return null
      value = type === 'byte' ? buf[at] !== 0 : buf[at]
      at += 1
    } else if (type === 'int16') {
      if (at + 2 > end) return null
      value = buf.readUInt16BE(at)
      at += 2
    } else if (type === 'int32') {
      if (at + 4 > end) return null
      value = buf.readUInt32BE(at)
      at += 4
    } else if (type === 'var') {
      const read = varInt(buf, at, end)
      if (read === null) return null
      value = read.value
      at = read.next
    } else if (type === 'string') {
      if ((value = str()) === null) return null
    } else if (type === 'binary') {
      if (at + 2 > end) return null
      const stop = at + 2 + ((buf[at] << 8) | buf[at + 1])
      if (stop > end) return null
      value = buf.subarray(at + 2, stop)
      at = stop
    } else if (type === 'pair') {
      const key = str()
      const text = key === null ? null : str()
      if (key === null || text === null) return null
      const users = (properties.userProperties ??= Object.create(null)) as Record<string, string | string[]>
      const held = users[key]
      // Truthiness, as mqtt-packet tests it: a first value '' is replaced, not joined.
      users[key] = !held ? text : Array.isArray(held) ? (held.push(text), held) : [held, text]
      continue
    } else return null
    const held = properties[name]
    properties[name] = !held ? value : Array.isArray(held) ? (held.push(value), held) : [held, value]
  }
  return { properties, end }
}

/** Bytes of the frame starting at buf[pos] (header included); -1 while its header is incomplete, MALFORMED for a bad length. */
function frameSize(buf: Buffer, pos: number, end: number): number {
  let length = 0
  let mul = 1
  for (let i = 1; i <= MAX_LENGTH_BYTES; i++) {
    if (pos + i >= end) return -1
    const byte = buf[pos + i]
    length += (byte & 0x7f) * mul
    if ((byte & 0x80) === 0) return 1 + i + length
    mul *= 0x80
  }
  return MALFORMED
}

/** The fixed header's size (type byte and remaining length) of the whole frame at buf[start]. */
function lengthBytes(buf: Buffer, start: number): number {
  let i = 1
  while (buf[start + i] & 0x80) i++
  return i + 1
}

/**
 * Calls `connect` (an MqttClient's connect(), which creates its parser synchronously) with our
 * parser in mqtt-packet's place, and puts theirs back right after: only that client uses ours,
 * never one another module creates (a test's or a bench reference's).
 */
export function withPublishParser<T>(connect: () => T): T {
  mqttPacket.parser = (options) => new PublishParser(options) as unknown as MqttParser
  try {
    return connect()
  } finally {
    mqttPacket.parser = mqttParser
  }
}
