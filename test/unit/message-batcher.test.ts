import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { MAX_MESSAGES_PER_BATCH, type MessageBatchEvent } from '../../electron/api'
import { MessageBatcher } from '../../electron/core/connections/message-batcher'
import { payloadPreview, PREVIEW_MAX_CHARS } from '../../electron/core/connections/payload-preview'
import { RecentMessages } from '../../electron/core/connections/recent-messages'

/** A batcher fed the way Session feeds it: each message goes into the ring, then is counted. */
function setup(ringCapacity = 1000) {
  const out: MessageBatchEvent[] = []
  const ring = new RecentMessages(ringCapacity)
  const batcher = new MessageBatcher('c1', 50, (e) => out.push(e), (n) => ring.newest(n))
  let total = 0
  let totalBytes = 0
  const receive = (i: number, time = Date.now()): void => {
    const payload = Buffer.from(String(i))
    total++
    totalBytes += payload.length
    ring.push(`t/${i}`, payload, 0, false, time)
    batcher.add(time, total, totalBytes)
  }
  return { out, ring, batcher, receive }
}

describe('MessageBatcher', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('emits at most one batch per interval, counting every message', () => {
    const { out, receive } = setup()
    for (let i = 1; i <= 10; i++) receive(i)
    expect(out).toEqual([])
    vi.advanceTimersByTime(49)
    expect(out).toEqual([])
    vi.advanceTimersByTime(1)
    expect(out).toHaveLength(1)
    expect(out[0]).toMatchObject({ connectionId: 'c1', count: 10, total: 10, totalBytes: 11 })
    expect(out[0].messages.map((m) => m.topic)).toEqual(Array.from({ length: 10 }, (_, i) => `t/${i + 1}`))
    expect(out[0].messages.map((m) => m.preview)).toEqual(Array.from({ length: 10 }, (_, i) => String(i + 1)))
    vi.advanceTimersByTime(500)
    expect(out).toHaveLength(1)
  })

  it('lists only the messages of its own interval, not older ones still in the ring', () => {
    const { out, receive } = setup()
    for (let i = 1; i <= 5; i++) receive(i)
    vi.advanceTimersByTime(50)
    for (let i = 6; i <= 8; i++) receive(i)
    vi.advanceTimersByTime(50)
    expect(out).toHaveLength(2)
    expect(out[1]).toMatchObject({ count: 3, total: 8 })
    expect(out[1].messages.map((m) => m.topic)).toEqual(['t/6', 't/7', 't/8'])
  })

  it.each([1000, MAX_MESSAGES_PER_BATCH])('keeps only the newest messages of a burst, oldest first (ring of %i)', (capacity) => {
    const { out, receive } = setup(capacity)
    const n = MAX_MESSAGES_PER_BATCH * 3 + 7
    for (let i = 1; i <= n; i++) receive(i)
    vi.advanceTimersByTime(50)
    expect(out[0].count).toBe(n)
    expect(out[0].messages).toHaveLength(MAX_MESSAGES_PER_BATCH)
    expect(out[0].messages[0].topic).toBe(`t/${n - MAX_MESSAGES_PER_BATCH + 1}`)
    expect(out[0].messages.at(-1)!.topic).toBe(`t/${n}`)
  })

  it('flushes inline when messages arrive after the batch was due but its timer has not run (starved event loop)', () => {
    const { out, receive } = setup()
    const t0 = Date.now()
    receive(1, t0)
    receive(2, t0 + 49)
    expect(out).toHaveLength(0)
    receive(3, t0 + 50)
    expect(out).toHaveLength(1)
    expect(out[0].count).toBe(3)
    expect(out[0].messages.map((m) => m.topic)).toEqual(['t/1', 't/2', 't/3'])
    vi.advanceTimersByTime(100)
    expect(out).toHaveLength(1)
  })

  it('flushes on demand and drops everything after close', () => {
    const { out, batcher, receive } = setup()
    receive(1)
    batcher.flush()
    expect(out).toHaveLength(1)
    receive(2)
    batcher.close()
    receive(3)
    vi.advanceTimersByTime(100)
    expect(out).toHaveLength(1)
  })
})

describe('payloadPreview', () => {
  it('shows printable UTF-8 as text', () => {
    expect(payloadPreview(Buffer.from('{"t": 21.5, "unit": "°C"}'))).toBe('{"t": 21.5, "unit": "°C"}')
    expect(payloadPreview(Buffer.alloc(0))).toBe('')
  })

  it('shows binary and control characters as hex', () => {
    expect(payloadPreview(Buffer.from([0xde, 0xad, 0xbe, 0xef]))).toBe('de ad be ef')
    expect(payloadPreview(Buffer.from('a\u0000b'))).toBe('61 00 62')
  })

  it('cuts long payloads to the preview length with an ellipsis, without splitting characters', () => {
    const text = payloadPreview(Buffer.from('é'.repeat(10_000)))
    expect(text.length).toBe(PREVIEW_MAX_CHARS)
    expect(text.endsWith('…')).toBe(true)
    expect(text.slice(0, -1)).toBe('é'.repeat(PREVIEW_MAX_CHARS - 1))
    const emoji = payloadPreview(Buffer.from('😀'.repeat(1000)))
    expect(emoji.length).toBeLessThanOrEqual(PREVIEW_MAX_CHARS)
    expect(emoji).not.toContain('\uFFFD')
    const hex = payloadPreview(Buffer.alloc(1_000_000, 0xff))
    expect(hex.length).toBeLessThanOrEqual(PREVIEW_MAX_CHARS)
    expect(hex.endsWith('…')).toBe(true)
  })
})
