import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { MAX_MESSAGES_PER_BATCH, type MessageBatchEvent, type MessageSummary } from '../../electron/api'
import { MessageBatcher } from '../../electron/core/connections/message-batcher'
import { payloadPreview, PREVIEW_MAX_CHARS } from '../../electron/core/connections/payload-preview'
import { RecentRing } from '../../electron/core/connections/recent-ring'

const msg = (i: number, time = Date.now()): MessageSummary => ({ topic: `t/${i}`, qos: 0, retain: false, size: 1, time, preview: String(i) })

describe('MessageBatcher', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('emits at most one batch per interval, counting every message', () => {
    const out: MessageBatchEvent[] = []
    const b = new MessageBatcher('c1', 50, (e) => out.push(e))
    for (let i = 1; i <= 10; i++) b.add(msg(i), i, i * 10)
    expect(out).toEqual([])
    vi.advanceTimersByTime(49)
    expect(out).toEqual([])
    vi.advanceTimersByTime(1)
    expect(out).toHaveLength(1)
    expect(out[0]).toMatchObject({ connectionId: 'c1', count: 10, total: 10, totalBytes: 100 })
    expect(out[0].messages.map((m) => m.topic)).toEqual(Array.from({ length: 10 }, (_, i) => `t/${i + 1}`))
    vi.advanceTimersByTime(500)
    expect(out).toHaveLength(1)
  })

  it('keeps only the newest messages of a burst, oldest first', () => {
    const out: MessageBatchEvent[] = []
    const b = new MessageBatcher('c1', 50, (e) => out.push(e))
    const n = MAX_MESSAGES_PER_BATCH * 3 + 7
    for (let i = 1; i <= n; i++) b.add(msg(i), i, i)
    vi.advanceTimersByTime(50)
    expect(out[0].count).toBe(n)
    expect(out[0].messages).toHaveLength(MAX_MESSAGES_PER_BATCH)
    expect(out[0].messages[0].topic).toBe(`t/${n - MAX_MESSAGES_PER_BATCH + 1}`)
    expect(out[0].messages.at(-1)!.topic).toBe(`t/${n}`)
  })

  it('flushes inline when messages arrive after the batch was due but its timer has not run (starved event loop)', () => {
    const out: MessageBatchEvent[] = []
    const b = new MessageBatcher('c1', 50, (e) => out.push(e))
    const t0 = Date.now()
    b.add(msg(1, t0), 1, 1)
    b.add(msg(2, t0 + 49), 2, 2)
    expect(out).toHaveLength(0)
    b.add(msg(3, t0 + 50), 3, 3)
    expect(out).toHaveLength(1)
    expect(out[0].count).toBe(3)
    vi.advanceTimersByTime(100)
    expect(out).toHaveLength(1)
  })

  it('flushes on demand and drops everything after close', () => {
    const out: MessageBatchEvent[] = []
    const b = new MessageBatcher('c1', 50, (e) => out.push(e))
    b.add(msg(1), 1, 1)
    b.flush()
    expect(out).toHaveLength(1)
    b.add(msg(2), 2, 2)
    b.close()
    b.add(msg(3), 3, 3)
    vi.advanceTimersByTime(100)
    expect(out).toHaveLength(1)
  })
})

describe('RecentRing', () => {
  it('returns the newest items oldest first and wraps around', () => {
    const r = new RecentRing<number>(3)
    for (let i = 1; i <= 5; i++) r.push(i)
    expect(r.newest()).toEqual([3, 4, 5])
    expect(r.newest(2)).toEqual([4, 5])
    expect(r.newest(10)).toEqual([3, 4, 5])
    r.clear()
    expect(r.newest()).toEqual([])
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
