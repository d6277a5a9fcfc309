/**
 * The recording file format v1 (electron/core/recording/format.ts) and its streamed reader: lines
 * round-trip exactly (bytes, flags, ordered user properties, correlation data), bad lines are
 * named not thrown, and a file cut by a crash (plain or gzip) yields everything before the cut.
 */
import { mkdtemp, writeFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FORMAT_NAME, FORMAT_VERSION, gapLine, headerLine, messageLine, parseLine, publishProperties, type RecordedMessage, type RecordingHeader } from '../../electron/core/recording/format'
import { readLines } from '../../electron/core/recording/line-reader'

const header: RecordingHeader = {
  format: FORMAT_NAME,
  version: FORMAT_VERSION,
  app: 'MQTTS Explorer test',
  startedAt: 1_700_000_000_000,
  startedAtIso: new Date(1_700_000_000_000).toISOString(),
  monotonicStartNs: '123456789',
  broker: { url: 'mqtts://broker.example:8883', mqttVersion: 5, tls: null },
  client: { clientId: 'c1', clean: true },
  subscriptions: [{ filter: '#', qos: 1 }],
  filters: [],
  part: 1,
}

const binary: RecordedMessage = {
  offsetUs: 1500,
  wallMs: 1_700_000_000_001,
  topic: 'a/"quoted"/ü',
  qos: 2,
  retain: true,
  dup: false,
  onSubscribe: true,
  payload: Buffer.from([0, 255, 0xc3, 0x28, 10, 13]),
  properties: {
    contentType: 'application/octet-stream',
    correlationData: Buffer.from([1, 2, 3]),
    userProperties: [['k', '1'], ['k', '2'], ['z', '']],
    subscriptionIdentifiers: [7],
    messageExpiryInterval: 60,
    payloadFormatIndicator: false,
  },
}

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rec-format-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('recording format v1', () => {
  it('round-trips a header, a message with every property, and a gap', () => {
    const h = parseLine(headerLine(header))
    expect(h).toEqual({ kind: 'header', header })
    const m = parseLine(messageLine(binary))
    expect(m.kind).toBe('message')
    if (m.kind !== 'message') return
    expect(m.message.payload.equals(binary.payload)).toBe(true)
    expect(m.message).toMatchObject({ offsetUs: 1500, topic: binary.topic, qos: 2, retain: true, dup: false, onSubscribe: true })
    expect(m.message.properties?.userProperties).toEqual([['k', '1'], ['k', '2'], ['z', '']])
    expect(m.message.properties?.correlationData?.equals(Buffer.from([1, 2, 3]))).toBe(true)
    expect(m.message.properties?.subscriptionIdentifiers).toEqual([7])
    const g = parseLine(gapLine({ offsetUs: 9, wallMs: 5, durationUs: 3_000_000, reason: 'reconnect' }))
    expect(g).toEqual({ kind: 'gap', gap: { offsetUs: 9, wallMs: 5, durationUs: 3_000_000, reason: 'reconnect' } })
  })

  it('leaves out what a message does not have, so plain lines stay small', () => {
    const line = messageLine({ offsetUs: 0, wallMs: 1, topic: 't', qos: 0, retain: false, dup: false, onSubscribe: false, payload: Buffer.from('hi') })
    expect(line).toBe('{"t":0,"w":1,"topic":"t","qos":0,"retain":false,"dup":false,"payload":"aGk="}')
  })

  it('replays properties as mqtt.js takes them, without subscription identifiers', () => {
    const out = publishProperties(binary.properties)
    expect(out?.userProperties).toEqual({ k: ['1', '2'], z: '' })
    expect(out).not.toHaveProperty('subscriptionIdentifier')
    expect(out).not.toHaveProperty('subscriptionIdentifiers')
    expect(publishProperties({ subscriptionIdentifiers: [1] })).toBeUndefined()
  })

  it('names a bad line instead of throwing', () => {
    expect(parseLine('{"t":1,"topic":"x","payload":"***"}')).toEqual({ kind: 'bad', reason: '"payload" is not base64' })
    expect(parseLine('{"t":1,"topic":"x","pay')).toEqual({ kind: 'bad', reason: 'not JSON' })
    expect(parseLine('[1]').kind).toBe('bad')
    expect(parseLine(JSON.stringify({ ...header, version: 99 })).kind).toBe('bad')
  })

  it('reads base64 payloads exactly and refuses strings that are not base64', () => {
    const payloadOf = (b64: string) => {
      const parsed = parseLine(JSON.stringify({ t: 1, topic: 'x', payload: b64 }))
      return parsed.kind === 'message' ? [...parsed.message.payload] : parsed.kind
    }
    expect(payloadOf('')).toEqual([])
    expect(payloadOf('AP+A')).toEqual([0x00, 0xff, 0x80])
    expect(payloadOf('QUI=')).toEqual([0x41, 0x42])
    expect(payloadOf('QQ==')).toEqual([0x41])
    // Unpadded, as some tools write it.
    expect(payloadOf('QUI')).toEqual([0x41, 0x42])
    for (const bad of ['QU*J', 'QU JD', 'QQ===', 'Q=QQ', 'QUJD\n', 'é']) expect(payloadOf(bad)).toBe('bad')
  })
})

describe('the streamed line reader', () => {
  const lines = [headerLine(header), messageLine(binary), messageLine({ ...binary, offsetUs: 2000 })]

  it('gives each line with its byte offset, and can start at an offset', async () => {
    const path = join(dir, 'plain.mqtt.jsonl')
    const text = lines.join('\n') + '\n'
    await writeFile(path, text)
    const read = []
    for await (const l of readLines(path)) read.push(l)
    expect(read.map((l) => l.text)).toEqual(lines)
    expect(read.map((l) => l.offset)).toEqual([0, Buffer.byteLength(lines[0]) + 1, Buffer.byteLength(lines[0] + lines[1]) + 2])
    const fromSecond = []
    for await (const l of readLines(path, { start: read[1].offset })) fromSecond.push(l.text)
    expect(fromSecond).toEqual(lines.slice(1))
  })

  it('yields a cut last line as last, so the caller can report it', async () => {
    const path = join(dir, 'cut.mqtt.jsonl')
    await writeFile(path, lines.join('\n') + '\n{"t":3000,"w":1,"topic":"cu')
    const read = []
    for await (const l of readLines(path)) read.push(l)
    expect(read).toHaveLength(4)
    expect(read[3].last).toBe(true)
    expect(parseLine(read[3].text).kind).toBe('bad')
  })

  it('reads lines that cross its 1 MB reads and lines longer than them, each at its offset, plain and gzip alike', async () => {
    // Lines of 3 MB (longer than a read, so the buffer grows), then short ones again (it shrinks),
    // and many lines of odd lengths, so every read ends inside a line.
    const long = messageLine({ ...binary, payload: Buffer.alloc(2_300_000, 7) })
    const short = Array.from({ length: 30_000 }, (_, i) => messageLine({ ...binary, offsetUs: i, payload: Buffer.alloc(i % 97, i) }))
    const all = [headerLine(header), ...short.slice(0, 10_000), long, long, ...short.slice(10_000), long, '\r', 'last']
    const text = all.join('\n').replace('\n\r\n', '\r\n') + '\r\n'
    const expected = all.filter((l) => l !== '\r')
    const plain = join(dir, 'long-lines.mqtt.jsonl')
    await writeFile(plain, text)
    const read = []
    for await (const l of readLines(plain)) read.push(l)
    expect(read.length).toBe(expected.length)
    expect(read.every((l, i) => l.text === expected[i])).toBe(true)
    const bytes = Buffer.from(text)
    expect(read.every((l) => bytes.toString('utf8', l.offset, l.offset + Buffer.byteLength(l.text)) === l.text)).toBe(true)
    const gz = join(dir, 'long-lines.mqtt.jsonl.gz')
    await writeFile(gz, gzipSync(text))
    const inflated = []
    for await (const l of readLines(gz)) inflated.push(l)
    expect(inflated.map((l) => [l.offset, l.text])).toEqual(read.map((l) => [l.offset, l.text]))
  })

  it('reads a gzip file, also one cut mid-stream by a crash', async () => {
    const path = join(dir, 'whole.mqtt.jsonl.gz')
    const gz = gzipSync(lines.join('\n') + '\n')
    await writeFile(path, gz)
    const read = []
    for await (const l of readLines(path)) read.push(l.text)
    expect(read).toEqual(lines)
    const cutPath = join(dir, 'cut.mqtt.jsonl.gz')
    await writeFile(cutPath, gz.subarray(0, gz.length - 8))
    const cut = []
    for await (const l of readLines(cutPath)) cut.push(l.text)
    expect(cut.length).toBeGreaterThanOrEqual(2)
    expect(cut.slice(0, 2)).toEqual(lines.slice(0, 2))
  })
})
