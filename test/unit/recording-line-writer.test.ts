import { describe, expect, it } from 'vitest'
import { messageLine, parseLine, type RecordedMessage } from '../../electron/core/recording/format'
import { LineBatch } from '../../electron/core/recording/line-batch'
import { pushMessageLine } from '../../electron/core/recording/message-line-bytes'

/** What the string path gives for `m`: messageLine as UTF-8 with its newline. */
function expected(m: RecordedMessage): Buffer {
  return Buffer.from(messageLine(m) + '\n', 'utf8')
}

function written(messages: RecordedMessage[]): { bytes: Buffer; returned: number[] } {
  const batch = new LineBatch()
  const returned = messages.map((m) => pushMessageLine(batch, m))
  return { bytes: Buffer.concat(batch.take().chunks), returned }
}

const base: RecordedMessage = { offsetUs: 1_234_567, wallMs: 1_764_000_000_123, topic: 'plant/a/temp', qos: 1, retain: false, dup: false, onSubscribe: false, payload: Buffer.from('{"v":1}') }

describe('message lines written as bytes in place', () => {
  it('are messageLine() byte for byte across topics, numbers, flags, properties and payload sizes', () => {
    const topics = ['plant/a/temp', '', 'a"b', 'back\\slash', 'tab\there', 'nul\u0000x', 'ctl\u001f', 'del\u007f', 'grüße/温度', 'emoji/🙂', 'lone\ud800x', 'end\udfff', '\u2028sep', 'x'.repeat(3000)]
    const numbers = [0, 1, 9, 10, 99, 1_000_000, 1_764_000_000_123, 2 ** 53 - 1, 1.5, -3, 0.1 + 0.2, 1e21]
    const messages: RecordedMessage[] = []
    for (const topic of topics) messages.push({ ...base, topic })
    for (const n of numbers) messages.push({ ...base, offsetUs: n, wallMs: n })
    for (let size = 0; size <= 3100; size += size < 80 ? 1 : 97) {
      const payload = Buffer.alloc(size)
      for (let i = 0; i < size; i++) payload[i] = (i * 131 + size) & 0xff
      messages.push({ ...base, payload })
    }
    for (const qos of [0, 1, 2] as const) for (const retain of [false, true]) for (const dup of [false, true]) for (const onSubscribe of [false, true]) messages.push({ ...base, qos, retain, dup, onSubscribe })
    messages.push({ ...base, properties: { userProperties: [['k', 'v'], ['k', 'w "quoted"']], contentType: 'application/json', correlationData: Buffer.from([0, 1, 255]), messageExpiryInterval: 60, payloadFormatIndicator: true, responseTopic: 'r/ü' } })
    messages.push({ ...base, properties: {} })
    messages.push({ ...base, properties: { userProperties: [] } })
    const { bytes, returned } = written(messages)
    expect(bytes.equals(Buffer.concat(messages.map(expected)))).toBe(true)
    expect(returned).toEqual(messages.map((m) => expected(m).length))
    // And each line reads back as the message it was made from.
    const lines = bytes.toString('utf8').split('\n').slice(0, -1)
    expect(lines).toHaveLength(messages.length)
    const back = parseLine(lines[0])
    expect(back.kind === 'message' && back.message.topic).toBe('plant/a/temp')
  })

  it('takes lines too long for a chunk (a 1 MB payload) through the string path, whole', () => {
    const big = { ...base, payload: Buffer.alloc(1024 * 1024, 7) }
    const { bytes, returned } = written([base, big, base])
    expect(bytes.equals(Buffer.concat([expected(base), expected(big), expected(base)]))).toBe(true)
    expect(returned[1]).toBe(expected(big).length)
  })

  it('can be taken back with undo(), as a part cut does', () => {
    const batch = new LineBatch()
    pushMessageLine(batch, base)
    const bytes = pushMessageLine(batch, { ...base, topic: 'second' })
    batch.undo(bytes)
    pushMessageLine(batch, { ...base, topic: 'third' })
    const taken = batch.take()
    expect(taken.lines).toBe(2)
    expect(Buffer.concat(taken.chunks).equals(Buffer.concat([expected(base), expected({ ...base, topic: 'third' })]))).toBe(true)
  })
})
