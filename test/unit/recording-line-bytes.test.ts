/**
 * The byte-level line reader (electron/core/recording/line-bytes.ts) against `parseLine`, the
 * reference: every line must read exactly as parseLine reads its UTF-8 text, whether the fast
 * path takes it or hands it over. Covers every v1 line the recorder writes (flags, `sub`, every
 * property, binary and empty payloads, quoted, non-ASCII and unpaired-surrogate topics), raw
 * invalid UTF-8 in topics, other writers' spellings, every cut of a line, and random damage.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FORMAT_NAME, FORMAT_VERSION, gapLine, headerLine, messageLine, parseLine, type RecordedMessage } from '../../electron/core/recording/format'
import { parseLineBytes, readRecorderLine } from '../../electron/core/recording/line-bytes'
import { readLines } from '../../electron/core/recording/line-reader'
import { readRecording, type RecordingItem } from '../../electron/core/recording/recording-source'
import { seededRandom as random } from '../fixtures/seeded-random'


function message(over: Partial<RecordedMessage> = {}): RecordedMessage {
  return { offsetUs: 1500, wallMs: 1_700_000_000_001, topic: 'plant/1/temp', qos: 0, retain: false, dup: false, onSubscribe: false, payload: Buffer.from('{"v":21.5}'), ...over }
}

/** What the recorder writes: every flag combination, every property, payloads of every length mod 3. */
function recorderLines(): string[] {
  const lines: string[] = []
  const topics = ['a', 'plant/1/temp', 'a/"quoted"/\\back', 'ü/日本/🙂', 'lone\ud800surrogate', '$SYS/broker/load', 'sp ace/+x/#y', '/leading/', 'tab\there', 'x'.repeat(300)]
  const payloads = [Buffer.alloc(0), Buffer.from([0]), Buffer.from([0, 255]), Buffer.from([0, 255, 0xc3]), Buffer.from([0xc3, 0x28, 10, 13]), Buffer.from('{"seq":1,"note":"xx"}'), Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 37) & 0xff))]
  let i = 0
  for (const topic of topics) {
    for (const payload of payloads) {
      for (let flags = 0; flags < 16; flags++) {
        lines.push(messageLine(message({ topic, payload, offsetUs: i * 997, wallMs: 1_700_000_000_000 + i, qos: (flags % 3) as 0 | 1 | 2, retain: (flags & 1) === 1, dup: (flags & 2) === 2, onSubscribe: (flags & 4) === 4 })))
        i++
      }
    }
  }
  const props = [
    { contentType: 'application/json' },
    { userProperties: [['k', '1'], ['k', '2'], ['z', '']] as [string, string][], correlationData: Buffer.from([1, 2, 3]) },
    { payloadFormatIndicator: true, messageExpiryInterval: 60, responseTopic: 'reply/"to"', subscriptionIdentifiers: [7, 9] },
    { payloadFormatIndicator: false, contentType: 'ü\ud800', userProperties: [['ünï', 'cödé}'], ['{', ']']] as [string, string][] },
  ]
  for (const properties of props) for (const topic of topics.slice(0, 4)) lines.push(messageLine(message({ topic, properties })))
  lines.push(messageLine(message({ offsetUs: 0, wallMs: 0 })))
  lines.push(messageLine(message({ offsetUs: 999_999_999_999_999, wallMs: 999_999_999_999_999 })))
  return lines
}

/** Lines other writers (or hands) may produce, valid or not. */
const otherLines: string[] = [
  headerLine({ format: FORMAT_NAME, version: FORMAT_VERSION, app: 't', startedAt: 1, startedAtIso: '', monotonicStartNs: '0', broker: { url: 'mqtt://x', mqttVersion: 5, tls: null }, client: {}, subscriptions: [], filters: [], part: 1 }),
  JSON.stringify({ format: FORMAT_NAME, version: 99 }),
  gapLine({ offsetUs: 9, wallMs: 5, durationUs: 3_000_000, reason: 'reconnect' }),
  '{"t":1,"w":2,"topic":"x","qos":0,"retain":false,"dup":false,"payload":"QUJD","gap":{"durationUs":1}}',
  '{"w":2,"t":1,"topic":"x","qos":0,"retain":false,"dup":false,"payload":"QUJD"}',
  '{"t":1,"w":2,"topic":"x","qos":0,"retain":false,"dup":false,"payload":"QUJD","extra":[1,2]}',
  '{"t":1,"w":2,"topic":"x","qos":0,"retain":false,"dup":false,"payload":"QUJD","props":{"contentType":"a"},"topic":"y"}',
  '{"t":1,"w":2,"topic":"x","qos":0,"retain":false,"dup":false,"payload":"QUJD","props":5}',
  '{"t":1,"w":2,"topic":"x","qos":0,"retain":false,"dup":false,"payload":"QUJD","props":[1]}',
  '{"t":1,"w":2,"topic":"x","qos":0,"retain":false,"dup":false,"payload":"QUJD","props":null}',
  '{"t":1,"w":2,"topic":"x","qos":0,"retain":false,"dup":false,"payload":"QUJD","props": {"contentType":"a"} }',
  '{"t":1,"w":2,"topic":"x","qos":0,"retain":false,"dup":false,"payload":"QUJD"} ',
  '{"t":1,"w":2,"topic":"x","qos":3,"retain":false,"dup":false,"payload":"QUJD"}',
  '{"t":1,"w":2,"topic":"x","qos":1,"retain":0,"dup":false,"payload":"QUJD"}',
  '{"t":1,"w":2,"topic":"x","qos":0,"retain":false,"dup":false,"sub":false,"payload":"QUJD"}',
  '{"t":1.5,"w":2,"topic":"x","qos":0,"retain":false,"dup":false,"payload":"QUJD"}',
  '{"t":1e3,"w":2,"topic":"x","qos":0,"retain":false,"dup":false,"payload":"QUJD"}',
  '{"t":-1,"w":2,"topic":"x","qos":0,"retain":false,"dup":false,"payload":"QUJD"}',
  '{"t":01,"w":2,"topic":"x","qos":0,"retain":false,"dup":false,"payload":"QUJD"}',
  '{"t":0,"w":02,"topic":"x","qos":0,"retain":false,"dup":false,"payload":"QUJD"}',
  '{"t":12345678901234567890,"w":2,"topic":"x","qos":0,"retain":false,"dup":false,"payload":"QUJD"}',
  '{"t":1,"w":-2,"topic":"x","qos":0,"retain":false,"dup":false,"payload":"QUJD"}',
  '{"t":1,"w":2.25,"topic":"x","qos":0,"retain":false,"dup":false,"payload":"QUJD"}',
  '{"t":1,"w":null,"topic":"x","qos":0,"retain":false,"dup":false,"payload":"QUJD"}',
  '{"t":1,"w":2,"topic":"a\\u0000b","qos":0,"retain":false,"dup":false,"payload":"QUJD"}',
  '{"t":1,"w":2,"topic":"a\u0001b","qos":0,"retain":false,"dup":false,"payload":"QUJD"}',
  '{"t":1,"w":2,"topic":"a\\/b","qos":0,"retain":false,"dup":false,"payload":"QU\\/D"}',
  '{"t":1,"w":2,"topic":"x","qos":0,"retain":false,"dup":false,"payload":"QUJ\\u0044"}',
  '{"t":1,"w":2,"topic":"x","qos":0,"retain":false,"dup":false,"payload":"-_-_"}',
  '{"t":1,"w":2,"topic":"x","qos":0,"retain":false,"dup":false,"payload":"QUJD="}',
  '{"t":1,"w":2,"topic":"x","qos":0,"retain":false,"dup":false,"payload":"QQ=="}',
  '{"t":1,"w":2,"topic":"x","qos":0,"retain":false,"dup":false,"payload":"QQ==="}',
  '{"t":1,"w":2,"topic":"x","qos":0,"retain":false,"dup":false,"payload":"QR=="}',
  '{"t":1,"w":2,"topic":"x","qos":0,"retain":false,"dup":false,"payload":"QUI"}',
  '{"t":1,"w":2,"topic":"x","qos":0,"retain":false,"dup":false,"payload":"Q"}',
  '{"t":1,"w":2,"topic":"x","qos":0,"retain":false,"dup":false,"payload":"QU=D"}',
  '{"t":1,"w":2,"topic":"x","qos":0,"retain":false,"dup":false,"payload":"QU D"}',
  '{"t":1,"w":2,"topic":"x","qos":0,"retain":false,"dup":false,"payload":"QUJD\tQUJD"}',
  '{"t":1,"w":2,"topic":"x","qos":0,"retain":false,"dup":false,"payload":"QUéD"}',
  '{"t":1,"w":2,"topic":"x","qos":0,"retain":false,"dup":false,"payload":"***"}',
  '{"t":1,"w":2,"topic":"x","qos":0,"retain":false,"dup":false,"payload":5}',
  '{"t":1,"w":2,"topic":7,"qos":0,"retain":false,"dup":false,"payload":"QUJD"}',
  '{"t":1,"topic":"x","payload":"QUJD"}',
  '{"t":1,"w":2,"topic":"x","payload":"QUJD"}',
  '{"t":1,"w":2,"topic":"x","qos":0,"retain":false,"dup":false,"payload":"QUJD"}}',
  '{"t":1,"w":2,"topic":"x","qos":0,"retain":false,"dup":false,"payload":"QUJD",}',
  '[1]',
  'null',
  '"text"',
  'not json at all',
  '{',
  '}',
  '{"t":',
]

function compare(bytes: Buffer, start = 0, end = bytes.length): void {
  const expected = parseLine(bytes.toString('utf8', start, end))
  expect(parseLineBytes(bytes, start, end)).toStrictEqual(expected)
}

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rec-line-bytes-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('reading recording lines from their bytes', () => {
  it('reads every line shape the recorder writes on the fast path, exactly as parseLine', () => {
    const lines = recorderLines()
    expect(lines.length).toBeGreaterThan(1000)
    for (const line of lines) {
      const bytes = Buffer.from(line)
      const fast = readRecorderLine(bytes, 0, bytes.length)
      // A topic JSON.stringify had to escape (quotes, backslashes, control characters, unpaired
      // surrogates) goes to parseLine; every other recorder line is read here.
      if (!line.includes('\\')) expect(fast, line).not.toBeNull()
      compare(bytes)
    }
  })

  it('reads a line in the middle of a chunk without looking past its end', () => {
    for (const line of [...recorderLines().slice(0, 200), ...otherLines]) {
      const body = Buffer.from(line)
      // The neighbours have quotes, digits and braces where a reader that overran would find them.
      const chunk = Buffer.concat([Buffer.from('"}9,\n'), body, Buffer.from('\n"}"9,"props":{}}')])
      compare(chunk, 5, 5 + body.length)
    }
  })

  it('hands every other line to parseLine: header, gap, other key orders, numbers, escapes, bad base64, not JSON', () => {
    for (const line of otherLines) compare(Buffer.from(line))
  })

  it('keeps raw invalid UTF-8 in a topic as parseLine does (replacement characters)', () => {
    const pieces = [[0xff], [0xc3], [0xe2, 0x82], [0xf0, 0x9f, 0x99], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0x80], [0xf4, 0x90, 0x80, 0x80]]
    for (const piece of pieces) {
      for (const where of ['start', 'middle', 'end']) {
        const topic = Buffer.concat(where === 'start' ? [Buffer.from(piece), Buffer.from('a/b')] : where === 'middle' ? [Buffer.from('a/'), Buffer.from(piece), Buffer.from('/b')] : [Buffer.from('a/b'), Buffer.from(piece)])
        const bytes = Buffer.concat([Buffer.from('{"t":1,"w":2,"topic":"'), topic, Buffer.from('","qos":1,"retain":true,"dup":false,"payload":"AP8A"}')])
        expect(readRecorderLine(bytes, 0, bytes.length)).not.toBeNull()
        compare(bytes)
      }
    }
  })

  it('reads every cut of a line (a crash mid-write) as parseLine does', () => {
    const samples = [messageLine(message()), messageLine(message({ onSubscribe: true, properties: { contentType: 'x', userProperties: [['a', 'b']] } })), messageLine(message({ payload: Buffer.from([1, 2, 3, 4, 5]) }))]
    for (const line of samples) {
      const bytes = Buffer.from(line)
      for (let cut = 1; cut <= bytes.length; cut++) compare(bytes, 0, cut)
    }
  })

  it('agrees with parseLine on 20,000 randomly damaged lines (seeded)', () => {
    const lines = [...recorderLines(), ...otherLines]
    const next = random(20261203)
    const alphabet = Buffer.from('{}[]",:\\/=+-_ 0123456789eEtrufalsnQUJDAP8\u00ff\u0080\u00c3\t')
    for (let n = 0; n < 20_000; n++) {
      const bytes = Buffer.from(lines[Math.floor(next() * lines.length)])
      const edits = 1 + Math.floor(next() * 3)
      let damaged = bytes
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(next() * damaged.length)
        const kind = next()
        const byte = next() < 0.5 ? alphabet[Math.floor(next() * alphabet.length)] : Math.floor(next() * 256)
        if (kind < 0.4) damaged[at] = byte
        else if (kind < 0.7) damaged = Buffer.concat([damaged.subarray(0, at), Buffer.from([byte]), damaged.subarray(at)])
        else damaged = Buffer.concat([damaged.subarray(0, at), damaged.subarray(at + 1)])
      }
      if (damaged.length === 0) continue
      const expected = parseLine(damaged.toString('utf8'))
      const got = parseLineBytes(damaged, 0, damaged.length)
      if (JSON.stringify(got) !== JSON.stringify(expected)) expect({ seed: n, line: damaged.toString('latin1'), got }).toStrictEqual({ seed: n, line: damaged.toString('latin1'), got: expected })
    }
  })

  it('gives each payload its own bytes, never a view into the line it was read from', () => {
    const bytes = Buffer.from(messageLine(message({ payload: Buffer.from('hello') })))
    const parsed = parseLineBytes(bytes, 0, bytes.length)
    if (parsed.kind !== 'message') throw new Error('not a message')
    bytes.fill(0)
    expect(parsed.message.payload.toString()).toBe('hello')
  })

  it('reads a file as reading its lines with parseLine would: CRLF, a line across read chunks, a cut last line', async () => {
    const lines = recorderLines()
    const big = messageLine(message({ topic: 'big', payload: Buffer.alloc(1_500_000, 7) }))
    const text = [otherLines[0], ...lines.slice(0, 300), big, ...lines.slice(300, 600).map((l) => l + '\r'), otherLines[2], ...lines.slice(600)].join('\n')
    // Cut in the middle of the last line, as a crash would leave it.
    const path = join(dir, 'mixed.mqtt.jsonl')
    await writeFile(path, text.slice(0, text.length - 7))
    const expected: RecordingItem[] = []
    let sawHeader = false
    let cutBad = false
    for await (const line of readLines(path)) {
      const p = parseLine(line.text)
      if (p.kind === 'bad') {
        if (line.last) cutBad = true
        continue
      }
      if (p.kind === 'header') {
        if (sawHeader) continue
        sawHeader = true
      }
      expected.push(p)
    }
    const got: RecordingItem[] = []
    let truncated = false
    for await (const item of readRecording(path, undefined, { onStats: (s) => (truncated = s.truncated) })) got.push(item)
    expect(cutBad).toBe(true)
    expect(truncated).toBe(true)
    // Payloads as base64 text: a deep compare of a 1.5 MB Buffer byte by byte takes seconds.
    const comparable = (items: RecordingItem[]) => items.map((i) => (i.kind === 'message' ? { ...i, message: { ...i.message, payload: i.message.payload.toString('base64') } } : i))
    expect(got.length).toBe(expected.length)
    expect(comparable(got)).toStrictEqual(comparable(expected))
  })
})
