import { describe, expect, it } from 'vitest'
import { MAX_PAYLOAD_BYTES, type PayloadDraft } from '../../electron/api'
import { NO_SCHEMAS } from '../../electron/core/decode/types'
import { encodeDraft, renderPlaceholders, type PlaceholderValues } from '../../electron/core/encode'

const draft = (format: PayloadDraft['format'], body: string, over: Partial<PayloadDraft> = {}): PayloadDraft => ({ format, body, gzip: false, placeholders: true, ...over })
const encode = (d: PayloadDraft) => encodeDraft(d, { schemas: NO_SCHEMAS })
const bytesOf = (d: PayloadDraft): Buffer => {
  const out = encode(d)
  if (!out.ok) throw new Error(out.problem.message)
  return out.bytes
}
const problemOf = (d: PayloadDraft) => {
  const out = encode(d)
  if (out.ok) throw new Error('expected a problem')
  return out.problem
}

describe('text and JSON', () => {
  it('publishes text as its UTF-8', () => {
    expect(bytesOf(draft('text', 'héllo ✓'))).toEqual(Buffer.from('héllo ✓', 'utf8'))
  })

  it('publishes JSON exactly as written, never reformatted', () => {
    const body = '{ "b":1,\n  "a" : [1.0, 2e3] }'
    expect(bytesOf(draft('json', body)).toString('utf8')).toBe(body)
  })

  it.each([
    ['{"a": 1,}', 1, 9, /trailing comma/],
    ['{\n  "a": 1\n  "b": 2\n}', 3, 3, /expected ',' or '}'/],
    ['[1, 2', 1, 6, /ends early/],
    ["{'a': 1}", 1, 2, /double quotes/],
    ['{"a": 07}', 1, 7, /leading zeros/],
    ['{"a": "x\ty"}', 1, 9, /control character/],
    ['', 1, 1, /empty/],
  ])('refuses malformed JSON %j at its line and column', (body, line, column, message) => {
    const problem = problemOf(draft('json', body))
    expect(problem).toMatchObject({ line, column })
    expect(problem.message).toMatch(message)
  })
})

describe('hex', () => {
  it('reads digits with spaces, newlines, 0x prefixes and : separators', () => {
    expect(bytesOf(draft('hex', 'de ad\nBE:EF 0x01 0x0203'))).toEqual(Buffer.from('deadbeef010203', 'hex'))
    expect(bytesOf(draft('hex', ''))).toEqual(Buffer.alloc(0))
  })

  it('refuses a bad digit where it is', () => {
    expect(problemOf(draft('hex', 'de ad\nbe eg'))).toMatchObject({ line: 2, column: 5, message: expect.stringMatching(/'g' is not a hex digit/) })
  })

  it('refuses an odd count at the digit left alone', () => {
    expect(problemOf(draft('hex', 'de ad\nb'))).toMatchObject({ line: 2, column: 1, message: expect.stringMatching(/odd number/) })
  })

  it('encodes a 10 MB hex body in well under a second', () => {
    const bytes = Buffer.alloc(10 * 1024 * 1024, 0xa5)
    const body = bytes.toString('hex')
    const started = performance.now()
    const out = bytesOf(draft('hex', body))
    const ms = performance.now() - started
    expect(out.equals(bytes)).toBe(true)
    expect(ms).toBeLessThan(5000) // a sanity bound on a loaded machine, not a benchmark
  })
})

describe('base64', () => {
  it('reads standard and URL-safe alphabets, with or without padding, across lines', () => {
    const bytes = Buffer.from([0xfb, 0xff, 0xfe, 0x00, 0x41])
    expect(bytesOf(draft('base64', bytes.toString('base64')))).toEqual(bytes)
    expect(bytesOf(draft('base64', bytes.toString('base64url')))).toEqual(bytes)
    expect(bytesOf(draft('base64', '+//+\nAEE'))).toEqual(bytes)
  })

  it('refuses a character outside the alphabets at its line and column', () => {
    expect(problemOf(draft('base64', 'QUJD\nRE*G'))).toMatchObject({ line: 2, column: 3, message: expect.stringMatching(/'\*' is not a base64 character/) })
  })

  it('refuses padding in the middle and a last group of one character', () => {
    expect(problemOf(draft('base64', 'QQ==QQ=='))).toMatchObject({ line: 1, column: 3, message: expect.stringMatching(/middle/) })
    expect(problemOf(draft('base64', 'QUJDR'))).toMatchObject({ line: 1, column: 5, message: expect.stringMatching(/cut short/) })
  })

  it('takes a file as the base64 of its raw bytes', () => {
    const bytes = Buffer.from([0, 1, 2, 255])
    expect(bytesOf(draft('file', bytes.toString('base64'), { fileName: 'x.bin' }))).toEqual(bytes)
  })
})

describe('size cap', () => {
  it('refuses a payload over 16 MiB with a sentence, not a crash', () => {
    const body = Buffer.alloc(MAX_PAYLOAD_BYTES + 1, 1).toString('base64')
    expect(problemOf(draft('base64', body)).message).toMatch(/over the 16,777,216 bytes/)
  })

  it('measures the cap after gzip', () => {
    const body = Buffer.alloc(MAX_PAYLOAD_BYTES + 1, 0).toString('base64')
    const out = bytesOf(draft('base64', body, { gzip: true }))
    expect(out.length).toBeLessThan(MAX_PAYLOAD_BYTES)
  })

  it('refuses a Protobuf draft without a type, and a type no imported file defines', () => {
    expect(problemOf(draft('protobuf', '{}')).message).toMatch(/Pick the Protobuf message type/)
    expect(problemOf(draft('protobuf', '{}', { protobufType: 'x.Y' })).message).toMatch(/No imported .proto file defines the message type x.Y/)
  })
})

describe('placeholders', () => {
  const values = (over: Partial<PlaceholderValues> = {}): PlaceholderValues => ({ now: () => 1700000000123, uuid: () => '8c7a3f2e-0d1b-4c5a-9e6f-123456789abc', counter: 41, random: (min, max) => min + 0.5 * (max - min), ...over })

  it('renders now, iso (the same instant), uuid, counter and random', () => {
    const out = renderPlaceholders('{{now}} {{ iso }} {{uuid}} dev/{{counter}} {{random 0 100}} {{random 0 1.5}}', values())
    expect(out).toEqual({ text: '1700000000123 2023-11-14T22:13:20.123Z 8c7a3f2e-0d1b-4c5a-9e6f-123456789abc dev/41 50 0.75', used: true, unrecognized: [] })
  })

  it('gives integers in [a, b] for integer bounds, both ends reachable, bounds in either order', () => {
    expect(renderPlaceholders('{{random 1 6}}', values({ random: (min) => min })).text).toBe('1')
    expect(renderPlaceholders('{{random 1 6}}', values({ random: (_min, max) => max })).text).toBe('6')
    expect(renderPlaceholders('{{random 6 1}}', values({ random: (min) => min })).text).toBe('1')
  })

  it('leaves malformed or unknown placeholders as written and lists them', () => {
    const out = renderPlaceholders('{{random x}} {{nwo}} {{counter}}', values())
    expect(out).toEqual({ text: '{{random x}} {{nwo}} 41', used: true, unrecognized: ['{{random x}}', '{{nwo}}'] })
    expect(renderPlaceholders('plain', values())).toEqual({ text: 'plain', used: false, unrecognized: [] })
  })

  it('renders before encoding, so a number placeholder makes valid JSON and CBOR', () => {
    const body = renderPlaceholders('{"t": {{now}}, "n": {{counter}}, "id": "{{uuid}}"}', values()).text
    expect(bytesOf(draft('json', body)).toString()).toBe('{"t": 1700000000123, "n": 41, "id": "8c7a3f2e-0d1b-4c5a-9e6f-123456789abc"}')
    expect(bytesOf(draft('cbor', body)).subarray(0, 4).toString('hex')).toBe('a361741b')
  })

  it('reads the clock once per rendering', () => {
    let calls = 0
    renderPlaceholders('{{now}} {{now}} {{iso}}', values({ now: () => ++calls }))
    expect(calls).toBe(1)
  })
})
