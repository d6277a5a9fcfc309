/**
 * Our inbound parser against mqtt-packet's on the same bytes: every packet kind, MQTT 3.1.1 and 5,
 * cut into chunks at random places (one byte at a time included), must come out as the very same
 * packets in the same order; malformed frames must give mqtt-packet's errors; a 16 MB payload
 * in 16 KB chunks is joined once; and an mqtt.js client connected through withPublishParser
 * parses with it, while any other client keeps mqtt-packet's.
 */
import { createRequire } from 'node:module'
import { Duplex } from 'node:stream'
import { describe, expect, it, vi } from 'vitest'
import { MqttClient } from 'mqtt'
import * as mqttPacket from 'mqtt-packet'
import { PublishParser, withPublishParser } from '../../electron/core/connections/publish-parser'
import { seededRandom } from '../fixtures/seeded-random'

type Version = 4 | 5

interface Outcome {
  packets: unknown[]
  errors: string[]
}

function feed(parser: PublishParser | mqttPacket.Parser, chunks: Buffer[]): Outcome {
  const out: Outcome = { packets: [], errors: [] }
  parser.on('packet', (p: unknown) => out.packets.push(p))
  parser.on('error', (e: Error) => out.errors.push(e.message))
  for (const c of chunks) parser.parse(c)
  return out
}

function both(stream: Buffer, chunks: Buffer[], version: Version): { ours: Outcome; theirs: Outcome } {
  return {
    ours: feed(new PublishParser({ protocolVersion: version }), chunks),
    theirs: feed(mqttPacket.parser({ protocolVersion: version }), [stream]),
  }
}

function cut(stream: Buffer, random: () => number, maxChunk: number): Buffer[] {
  const chunks: Buffer[] = []
  for (let pos = 0; pos < stream.length; ) {
    const size = 1 + Math.floor(random() * maxChunk)
    chunks.push(stream.subarray(pos, pos + size))
    pos += size
  }
  return chunks
}

/** A PUBLISH whose topic bytes are given raw (e.g. not UTF-8), built by hand. */
function rawPublish(topic: Buffer, payload: Buffer, version: Version): Buffer {
  const body = Buffer.concat([Buffer.from([topic.length >> 8, topic.length & 0xff]), topic, version === 5 ? Buffer.from([0]) : Buffer.alloc(0), payload])
  return Buffer.concat([Buffer.from([0x31, body.length]), body])
}

function traffic(version: Version, random: () => number): Buffer {
  const v5 = version === 5
  const packets: mqttPacket.Packet[] = [
    v5 ? { cmd: 'connack', sessionPresent: false, reasonCode: 0, properties: { topicAliasMaximum: 10, receiveMaximum: 20 } } : { cmd: 'connack', sessionPresent: true, returnCode: 0 },
    { cmd: 'suback', messageId: 1, granted: [0, 1, 2] },
  ]
  const topics = ['a', 'plant/1/hall/2/rack/3/dev/4/state', 'température/°C/😀', '', 'x'.repeat(300)]
  for (let i = 0; i < 400; i++) {
    const qos = (i % 3) as 0 | 1 | 2
    const size = i === 7 ? 70_000 : i % 11 === 0 ? 0 : Math.floor(random() * 600)
    const payload = Buffer.alloc(size, i & 0xff)
    const base = { cmd: 'publish' as const, topic: topics[i % topics.length], payload, qos, retain: i % 2 === 0, dup: qos > 0 && i % 4 === 0, ...(qos > 0 ? { messageId: 1 + i } : {}) }
    packets.push(base)
    if (v5 && i % 5 === 0) {
      packets.push({
        ...base,
        properties: {
          payloadFormatIndicator: true, messageExpiryInterval: 60, contentType: 'application/json', responseTopic: 'reply/here',
          correlationData: Buffer.from([1, 2, 3]), userProperties: { a: '1', b: ['x', 'y'], e: ['', 'z'] }, subscriptionIdentifier: i % 15 === 0 ? [i + 1, 70_000] : i + 1,
          ...(i % 10 === 0 ? { topicAlias: 3 } : {}),
        },
      })
    }
    if (i % 17 === 0) packets.push({ cmd: 'puback', messageId: i + 1 }, { cmd: 'pubrel', messageId: i + 2 }, { cmd: 'pingresp' })
    if (i % 50 === 0) packets.push({ cmd: 'unsuback', messageId: i + 3, ...(v5 ? { granted: [0] } : {}) } as mqttPacket.Packet)
  }
  const bytes = packets.map((p) => mqttPacket.generate(p, { protocolVersion: version }))
  bytes.push(rawPublish(Buffer.from([0xff, 0xfe, 0x2f, 0x61]), Buffer.from('not UTF-8 in the topic'), version))
  if (v5) bytes.push(mqttPacket.generate({ cmd: 'disconnect', reasonCode: 0x8b, properties: { reasonString: 'server shutting down' } }, { protocolVersion: 5 }))
  return Buffer.concat(bytes)
}

describe('the PUBLISH fast path', () => {
  for (const version of [4, 5] as const) {
    it(`gives exactly mqtt-packet's packets for MQTT ${version === 5 ? '5' : '3.1.1'} traffic, however the stream is cut`, () => {
      const random = seededRandom(version)
      const stream = traffic(version, random)
      for (const maxChunk of [1, 3, 7, 200, 16_384, stream.length]) {
        const { ours, theirs } = both(stream, cut(stream, random, maxChunk), version)
        expect(theirs.errors).toEqual([])
        expect(ours.errors).toEqual([])
        expect(ours.packets.length).toBe(theirs.packets.length)
        expect(ours.packets).toStrictEqual(theirs.packets)
      }
    })
  }

  it('decodes every PUBLISH itself, properties included, and hands other packets to mqtt-packet', () => {
    const parser = new PublishParser({ protocolVersion: 5 })
    const inner = vi.spyOn((parser as unknown as { inner: mqttPacket.Parser }).inner, 'parse')
    const plain = mqttPacket.generate({ cmd: 'publish', topic: 't', payload: Buffer.from('x'), qos: 1, messageId: 9, retain: false, dup: false }, { protocolVersion: 5 })
    const withProps = mqttPacket.generate({ cmd: 'publish', topic: 't', payload: Buffer.from('x'), qos: 0, retain: false, dup: false, properties: { contentType: 'text/plain', userProperties: { a: '1' } } }, { protocolVersion: 5 })
    const ping = mqttPacket.generate({ cmd: 'pingresp' }, { protocolVersion: 5 })
    const seen = feed(parser, [plain, withProps, ping])
    expect(seen.packets).toHaveLength(3)
    expect(inner).toHaveBeenCalledTimes(1)
    expect(inner.mock.calls[0][0]).toEqual(ping)
  })

  it('decodes every property type as mqtt-packet does, repeated and falsy values included', () => {
    // Built by hand: mqtt-packet's generator writes only what a PUBLISH should carry, its parser takes any id.
    const str = (s: string) => [0, Buffer.byteLength(s), ...Buffer.from(s)]
    const props = Buffer.from([
      0x11, 0, 0, 0x0e, 0x10, // sessionExpiryInterval (int32)
      0x21, 0x01, 0x00, // receiveMaximum (int16)
      0x17, 0x00, // requestProblemInformation (byte) false
      0x01, 0x00, 0x01, 0x01, // payloadFormatIndicator false, then true: a falsy first value is replaced
      0x0b, 0xc8, 0x01, 0x0b, 0x05, // subscriptionIdentifier (var) 200, then 5: an array
      0x16, 0, 3, 1, 2, 3, // authenticationData (binary)
      0x1f, ...str('why not'), // reasonString (string)
      0x26, ...str('k'), ...str(''), 0x26, ...str('k'), ...str('v'), 0x26, ...str('k'), ...str('w'), // userProperties: '' replaced, then an array
    ])
    const topic = Buffer.from('props/all')
    const body = Buffer.concat([Buffer.from([0, topic.length]), topic, Buffer.from([props.length]), props, Buffer.from('payload')])
    const stream = Buffer.concat([Buffer.from([0x30, body.length]), body])
    const { ours, theirs } = both(stream, cut(stream, seededRandom(9), 3), 5)
    expect(theirs.errors).toEqual([])
    expect(ours.errors).toEqual([])
    expect(ours.packets).toStrictEqual(theirs.packets)
    expect((ours.packets[0] as mqttPacket.IPublishPacket).properties).toMatchObject({ payloadFormatIndicator: true, subscriptionIdentifier: [200, 5] })
  })

  const malformed: [string, Buffer][] = [
    ['a remaining length of five bytes', Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01, 0, 0])],
    ['a PUBLISH with both QoS bits set', Buffer.from([0x36, 0x05, 0x00, 0x01, 0x61, 0x00, 0x01])],
    ['a topic longer than its packet', Buffer.from([0x30, 0x04, 0x00, 0x09, 0x61, 0x62])],
    ['a PUBREL without its required flags', Buffer.from([0x60, 0x02, 0x00, 0x01])],
  ]
  const malformedV5: [string, Buffer][] = [
    ['a property id of 0', Buffer.from([0x30, 0x06, 0x00, 0x01, 0x61, 0x02, 0x00, 0x00])],
    ['an unknown property id', Buffer.from([0x30, 0x06, 0x00, 0x01, 0x61, 0x02, 0x7f, 0x00])],
  ]
  for (const [what, bad, version] of [...malformed.map(([w, b]) => [w, b, 4] as const), ...malformedV5.map(([w, b]) => [w, b, 5] as const)]) {
    it(`reports ${what} with mqtt-packet's error, after every packet before it`, () => {
      const good = mqttPacket.generate({ cmd: 'publish', topic: 'ok', payload: Buffer.from('1'), qos: 0, retain: false, dup: false }, { protocolVersion: version })
      const stream = Buffer.concat([good, good, bad])
      for (const chunks of [[stream], cut(stream, seededRandom(3), 2)]) {
        const { ours, theirs } = both(stream, chunks, version)
        expect(theirs.errors.length).toBeGreaterThan(0)
        expect(ours.errors[0]).toBe(theirs.errors[0])
        expect(ours.packets).toStrictEqual(theirs.packets.slice(0, 2))
      }
    })
  }

  it('joins a 16 MB payload that came in 16 KB chunks once, not once per chunk', () => {
    const payload = Buffer.alloc(16 * 1024 * 1024, 0x5a)
    payload.writeUInt32BE(0xdeadbeef, payload.length - 4)
    const stream = Buffer.concat([mqttPacket.generate({ cmd: 'publish', topic: 'big', payload, qos: 0, retain: false, dup: false }, { protocolVersion: 5 }), mqttPacket.generate({ cmd: 'pingresp' }, { protocolVersion: 5 })])
    const concat = vi.spyOn(Buffer, 'concat')
    try {
      const seen = feed(new PublishParser({ protocolVersion: 5 }), cut(stream, () => 1, 16_384))
      expect(seen.packets).toHaveLength(2)
      const big = seen.packets[0] as mqttPacket.IPublishPacket
      expect(big.payload.length).toBe(payload.length)
      expect((big.payload as Buffer).equals(payload)).toBe(true)
      expect(concat.mock.calls.length).toBeLessThanOrEqual(2)
    } finally {
      concat.mockRestore()
    }
  })
})

/** A stream mqtt.js can connect over: what it writes is dropped, what the test pushes is read. */
function scriptedStream(): Duplex {
  return new Duplex({ read() {}, write(_chunk, _enc, done) { done() } })
}

describe('withPublishParser', () => {
  it('gives the client it connects our parser, messages arrive through it, and mqtt-packet is left as it was', async () => {
    // The module object mqtt.js itself requires, found from mqtt's own folder (an ES namespace of it would be a copy).
    const fromMqtt = createRequire(createRequire(import.meta.url).resolve('mqtt'))
    const shared = fromMqtt('mqtt-packet') as { parser: unknown }
    const factory = shared.parser
    const parse = vi.spyOn(PublishParser.prototype, 'parse')
    try {
      const stream = scriptedStream()
      const client = new MqttClient(() => stream, { protocolVersion: 5, reconnectPeriod: 0, manualConnect: true })
      let during: unknown
      withPublishParser(() => {
        during = shared.parser
        client.connect()
      })
      expect(during).not.toBe(factory)
      expect(shared.parser).toBe(factory)
      const got = new Promise<[string, Buffer]>((resolve) => client.on('message', (topic, payload) => resolve([topic, payload])))
      stream.push(mqttPacket.generate({ cmd: 'connack', sessionPresent: false, reasonCode: 0 }, { protocolVersion: 5 }))
      stream.push(mqttPacket.generate({ cmd: 'publish', topic: 'fast/path', payload: Buffer.from('hello'), qos: 0, retain: false, dup: false }, { protocolVersion: 5 }))
      const [topic, payload] = await got
      expect(topic).toBe('fast/path')
      expect(payload.toString()).toBe('hello')
      expect(parse).toHaveBeenCalled()
      client.end(true)
    } finally {
      parse.mockRestore()
    }
  })

  it('leaves a client connected without it on mqtt-packet', () => {
    const parse = vi.spyOn(PublishParser.prototype, 'parse')
    try {
      const stream = scriptedStream()
      const client = new MqttClient(() => stream, { protocolVersion: 5, reconnectPeriod: 0 })
      stream.push(mqttPacket.generate({ cmd: 'connack', sessionPresent: false, reasonCode: 0 }, { protocolVersion: 5 }))
      return new Promise<void>((resolve) => client.once('connect', () => {
        expect(parse).not.toHaveBeenCalled()
        client.end(true)
        resolve()
      }))
    } finally {
      parse.mockRestore()
    }
  })
})
