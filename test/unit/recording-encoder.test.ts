/**
 * What the encoder thread writes is byte for byte what format.ts's encoders make: messages with
 * every flag and property, multi-byte topics, binary payloads, gaps and headers, through the
 * arena and back; parts cut by size hold every line once, each part within its limit with its
 * header, offsets measured from its own start. Then the same through a real Recorder and thread.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Qos } from '../../electron/api'
import { Arena, propsText } from '../../electron/core/recording/arena'
import { gapLine, headerLine, messageLine, parseLine, type RecordedMessage, type RecordingHeader } from '../../electron/core/recording/format'
import { PartEncoder, type EncodedOutput } from '../../electron/core/recording/part-encoder'
import { oneFileRecorder, TEST_RECORDER_HEADER } from '../fixtures/recorder'
import type { IPublishPacket } from 'mqtt'

let dir: string | undefined
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true })
  dir = undefined
})

/** Messages of every shape the recorder meets, at growing offsets (µs from the recorder's start, fractional like performance.now()). */
function sampleMessages(count: number): RecordedMessage[] {
  const topics = ['plain/topic', 'werk/größe/温度', 'quote/"and"\\back', 'emoji/🚀/x', 'ctl/\u0001\u001f']
  return Array.from({ length: count }, (_, i) => ({
    offsetUs: 1000 + i * 137.375,
    wallMs: 1_700_000_000_000 + i,
    topic: `${topics[i % topics.length]}/${i}`,
    qos: (i % 3) as Qos,
    retain: i % 4 === 0,
    dup: i % 5 === 0,
    onSubscribe: i % 8 === 0,
    payload: i % 6 === 0 ? Buffer.from(Array.from({ length: i % 700 }, (_, j) => (i * 31 + j) & 0xff)) : Buffer.from(`{"seq":${i},"ü":"✓"}`),
    properties:
      i % 7 === 0
        ? { contentType: 'application/json', responseTopic: 'r/ü', correlationData: Buffer.from([i & 0xff, 0, 0xfe]), userProperties: [['k', String(i)], ['k', 'again'], ['z', '']], subscriptionIdentifiers: [3, 9], messageExpiryInterval: 60, payloadFormatIndicator: i % 2 === 0 }
        : undefined,
  }))
}

function arenaOf(messages: RecordedMessage[], gapAfter: number): { buffer: ArrayBuffer; used: number } {
  const arena = new Arena(new ArrayBuffer(4 * 1024 * 1024))
  messages.forEach((m, i) => {
    arena.message(m.offsetUs, m.wallMs, m.topic, m.qos, m.retain, m.dup, m.onSubscribe, m.payload, propsText(m.properties))
    if (i === gapAfter) arena.gap(m.offsetUs + 1, m.wallMs, 2_500_000.4, 'reconnect')
  })
  return { buffer: arena.buffer, used: arena.used }
}

const init = { header: TEST_RECORDER_HEADER, startedAt: 1_700_000_000_000, startNs: 5_000_000_000n }

function partHeader(part: number, startUs: number, firstFile?: string): string {
  const startedAt = init.startedAt + Math.round(startUs / 1000)
  const header: RecordingHeader = { ...init.header, startedAt, startedAtIso: new Date(startedAt).toISOString(), monotonicStartNs: (init.startNs + BigInt(Math.round(startUs)) * 1000n).toString(), part, ...(part > 1 ? { firstFile } : {}) }
  return headerLine(header)
}

/** The output as files: one string per part. */
function parts(outputs: EncodedOutput[]): string[] {
  const files: Buffer[][] = [[]]
  for (const out of outputs) {
    for (const piece of out.pieces) {
      files[files.length - 1].push(...piece.chunks)
      if (piece.end) files.push([])
    }
  }
  return files.map((chunks) => Buffer.concat(chunks).toString('utf8'))
}

describe('encoder thread lines', () => {
  it('writes exactly the lines format.ts makes, header and gap included', () => {
    const messages = sampleMessages(500)
    const encoder = new PartEncoder(init)
    const { buffer, used } = arenaOf(messages, 250)
    encoder.encode(buffer, used)
    const out = encoder.output()
    expect(out.records).toBe(501)
    expect(out.stats).toMatchObject({ messageCount: 500, topicCount: 500, gaps: 1 })
    const expected = [partHeader(1, 0)]
    messages.forEach((m, i) => {
      expected.push(messageLine(m))
      if (i === 250) expected.push(gapLine({ offsetUs: m.offsetUs + 1, wallMs: m.wallMs, durationUs: 2_500_000.4, reason: 'reconnect' }))
    })
    const [file] = parts([out])
    expect(Buffer.from(file, 'utf8').equals(Buffer.from(expected.join('\n') + '\n', 'utf8'))).toBe(true)
  })

  it('cuts parts at the line that would pass the size limit, header included, each from its own start', () => {
    const messages = sampleMessages(3000)
    const maxBytes = 16 * 1024
    const encoder = new PartEncoder({ ...init, maxBytes })
    encoder.firstFile = 'first.mqtt.jsonl'
    const outputs: EncodedOutput[] = []
    // Several arenas, as the recorder sends them.
    for (let from = 0; from < messages.length; from += 700) {
      const { buffer, used } = arenaOf(messages.slice(from, from + 700), -1)
      encoder.encode(buffer, used)
      outputs.push(encoder.output())
    }
    const files = parts(outputs)
    expect(files.length).toBeGreaterThan(20)
    let next = 0
    for (const [i, file] of files.entries()) {
      expect(Buffer.byteLength(file)).toBeLessThanOrEqual(maxBytes)
      const lines = file.split('\n').slice(0, -1)
      // Each part opens at its first message: that message's offset is the part's start.
      const startUs = i === 0 ? 0 : messages[next].offsetUs
      expect(lines[0]).toBe(partHeader(i + 1, startUs, 'first.mqtt.jsonl'))
      for (const line of lines.slice(1)) expect(line).toBe(messageLine({ ...messages[next], offsetUs: messages[next++].offsetUs - startUs }))
    }
    expect(next).toBe(messages.length)
  })

  it('writes the same bytes through a real recorder and its thread', async () => {
    dir = await mkdtemp(join(tmpdir(), 'mqtts-rec-exact-'))
    const path = join(dir, 'r.mqtt.jsonl')
    const { recorder } = oneFileRecorder(path)
    await recorder.start()
    const messages = sampleMessages(2000)
    for (const m of messages) {
      const userProperties: Record<string, string | string[]> = {}
      for (const [k, v] of m.properties?.userProperties ?? []) userProperties[k] = k in userProperties ? [userProperties[k]].flat().concat(v) : v
      const packet = {
        cmd: 'publish',
        topic: m.topic,
        payload: m.payload,
        qos: m.qos,
        retain: m.retain,
        dup: m.dup,
        ...(m.properties
          ? { properties: { contentType: m.properties.contentType, responseTopic: m.properties.responseTopic, correlationData: m.properties.correlationData, userProperties, subscriptionIdentifier: m.properties.subscriptionIdentifiers, messageExpiryInterval: m.properties.messageExpiryInterval, payloadFormatIndicator: m.properties.payloadFormatIndicator } }
          : {}),
      } as IPublishPacket
      recorder.message(m.topic, m.payload, packet, m.wallMs, 5)
    }
    await recorder.stop()
    const lines = (await readFile(path, 'utf8')).split('\n').slice(0, -1)
    expect(lines).toHaveLength(messages.length + 1)
    expect(parseLine(lines[0]).kind).toBe('header')
    messages.forEach((m, i) => {
      const parsed = parseLine(lines[i + 1])
      if (parsed.kind !== 'message') throw new Error(`line ${i + 2} is ${parsed.kind}`)
      // The offset is the recorder's clock; every other byte follows from what it was handed
      // (without retain-as-published, a retained message is one the subscribe brought).
      expect(lines[i + 1]).toBe(messageLine({ ...m, onSubscribe: m.retain, offsetUs: parsed.message.offsetUs }))
    })
  }, 30_000)
})
