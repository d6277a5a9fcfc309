import { describe, expect, it } from 'vitest'
import { payloadPreview, PREVIEW_MAX_CHARS, PREVIEW_PREFIX_BYTES, previewOfPrefix } from '../../electron/core/connections/payload-preview'
import { RecentMessages } from '../../electron/core/connections/recent-messages'

/** Deterministic pseudo-random bytes, so a failure can be reproduced. */
function lcg(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s
  }
}

const ascii = (n: number): Buffer => Buffer.from('x'.repeat(n))

const spectrum: [string, Uint8Array][] = [
  ['empty', Buffer.alloc(0)],
  ['short text', Buffer.from('on')],
  ['JSON', Buffer.from('{"t": 21.5, "unit": "°C", "ok": true}')],
  ['120-character text', ascii(120)],
  ['121-character text', ascii(121)],
  ['exactly 480-byte text', ascii(480)],
  ['481-byte text', ascii(481)],
  ['482-byte text', ascii(482)],
  ['2-byte character across byte 480', Buffer.from('x'.repeat(479) + 'é' + 'y'.repeat(20))],
  ['3-byte character across byte 480', Buffer.from('x'.repeat(478) + '€' + 'y'.repeat(20))],
  ['4-byte character across byte 480', Buffer.from('x'.repeat(477) + '😀' + 'y'.repeat(20))],
  ['4-byte character ending at byte 481', Buffer.from('x'.repeat(477) + '😀')],
  ['2-byte characters throughout', Buffer.from('é'.repeat(10_000))],
  ['emoji whose surrogates straddle the 119/120 character cut', Buffer.from('a'.repeat(118) + '😀' + 'b'.repeat(50))],
  ['emoji just before the cut', Buffer.from('a'.repeat(117) + '😀' + 'b'.repeat(50))],
  ['emoji throughout', Buffer.from('😀'.repeat(1000))],
  ['binary', Buffer.from([0xde, 0xad, 0xbe, 0xef])],
  ['39 bytes of binary', Buffer.alloc(39, 0xff)],
  ['40 bytes of binary', Buffer.alloc(40, 0xff)],
  ['long binary', Buffer.alloc(5000, 0x80)],
  ['invalid UTF-8', Buffer.from([0x61, 0xc3, 0x28, 0x62])],
  ['invalid UTF-8 after the text window', Buffer.concat([ascii(600), Buffer.from([0xc3, 0x28])])],
  ['invalid UTF-8 inside the text window of a long payload', Buffer.concat([ascii(300), Buffer.from([0xff]), ascii(300)])],
  ['control characters', Buffer.from('a\u0000b')],
  ['tab, newline and carriage return', Buffer.from('a\tb\nc\r\n')],
  ['DEL and C1 controls', Buffer.from('a\u007fb\u0085')],
  ['a plain Uint8Array', new Uint8Array([0x68, 0x69])],
  ['a Buffer that is a view into a larger chunk', Buffer.from('ignored{"v":1}ignored').subarray(7, 14)],
  ['16 MB text', Buffer.alloc(16 * 1024 * 1024, 0x41)],
  ['16 MB binary', Buffer.alloc(16 * 1024 * 1024, 0x00)],
]

describe('previewOfPrefix', () => {
  it.each(spectrum)('gives the payloadPreview of a payload from its first bytes and size: %s', (_name, payload) => {
    const prefix = payload.subarray(0, PREVIEW_PREFIX_BYTES)
    expect(previewOfPrefix(prefix, payload.length)).toBe(payloadPreview(payload))
  })
})

describe('RecentMessages', () => {
  it.each(spectrum)('shows the same preview as payloadPreview: %s', (_name, payload) => {
    const ring = new RecentMessages(4)
    ring.push('t', payload, 0, false, 1)
    const [m] = ring.newest()
    expect(m.preview).toBe(payloadPreview(payload))
    expect(m.size).toBe(payload.length)
    expect(m.preview.length).toBeLessThanOrEqual(PREVIEW_MAX_CHARS)
  })

  it('shows the same previews as payloadPreview for random text and bytes around the window edges', () => {
    const next = lcg(42)
    const alphabet = ['a', 'é', '€', '😀', '\u0001', '\n']
    const ring = new RecentMessages(8)
    for (let round = 0; round < 400; round++) {
      let payload: Buffer
      if (round % 4 === 3) {
        payload = Buffer.alloc(next() % 600)
        for (let i = 0; i < payload.length; i++) payload[i] = next() & 0xff
      } else {
        // Mostly printable, so many rounds reach the text path and the boundary search.
        let text = ''
        const target = 440 + (next() % 60)
        while (Buffer.byteLength(text) < target) text += alphabet[next() % (round % 2 === 0 ? 4 : alphabet.length)]
        payload = Buffer.from(text)
      }
      ring.push('t', payload, 0, false, round)
      expect(ring.newest(1)[0].preview, `round ${round}`).toBe(payloadPreview(payload))
    }
  })

  it('keeps the newest messages oldest first when it wraps around', () => {
    const ring = new RecentMessages(3)
    for (let i = 1; i <= 5; i++) ring.push(`t/${i}`, Buffer.from(`m${i}`), 0, false, i)
    expect(ring.length).toBe(3)
    expect(ring.capacity).toBe(3)
    expect(ring.newest().map((m) => m.topic)).toEqual(['t/3', 't/4', 't/5'])
    expect(ring.newest().map((m) => m.preview)).toEqual(['m3', 'm4', 'm5'])
    expect(ring.newest(2).map((m) => m.topic)).toEqual(['t/4', 't/5'])
    expect(ring.newest(10)).toHaveLength(3)
    expect(ring.newest(0)).toEqual([])
    ring.clear()
    expect(ring.length).toBe(0)
    expect(ring.newest()).toEqual([])
    ring.push('t/6', Buffer.from('m6'), 0, false, 6)
    expect(ring.newest().map((m) => m.preview)).toEqual(['m6'])
  })

  it('builds a fresh preview for a slot that was overwritten, not the one cached for its old message', () => {
    const ring = new RecentMessages(2)
    ring.push('a', Buffer.from('first'), 0, false, 1)
    ring.push('b', Buffer.from('second'), 0, false, 2)
    expect(ring.newest().map((m) => m.preview)).toEqual(['first', 'second'])
    ring.push('c', Buffer.from('third, longer than first'), 0, false, 3)
    expect(ring.newest().map((m) => m.preview)).toEqual(['second', 'third, longer than first'])
    // A shorter payload in a slot that held a longer one must not show the old bytes' tail.
    ring.push('d', Buffer.from('4'), 0, false, 4)
    ring.push('e', Buffer.from([0xff]), 0, false, 5)
    expect(ring.newest().map((m) => m.preview)).toEqual(['4', 'ff'])
  })

  it('builds the same preview again after clear and reuse of the slot', () => {
    const ring = new RecentMessages(1)
    ring.push('a', Buffer.from('old'), 0, false, 1)
    expect(ring.newest()[0].preview).toBe('old')
    ring.clear()
    ring.push('a', Buffer.from('new'), 0, false, 2)
    expect(ring.newest()[0].preview).toBe('new')
  })

  it('copies the payload bytes, so changing the source Buffer afterwards does not change the preview', () => {
    const ring = new RecentMessages(4)
    const small = Buffer.from('{"v": 1}')
    const large = Buffer.from('{"v": 2, "pad": "' + 'p'.repeat(2000) + '"}')
    const expectedLarge = payloadPreview(large)
    ring.push('small', small, 0, false, 1)
    ring.push('large', large, 0, false, 2)
    small.fill(0x7a)
    large.fill(0)
    expect(ring.newest().map((m) => m.preview)).toEqual(['{"v": 1}', expectedLarge])
  })

  it('returns qos, retain, size, topic and time as they were pushed', () => {
    const ring = new RecentMessages(4)
    ring.push('a/b', Buffer.alloc(3), 0, false, 1_700_000_000_001)
    ring.push('c', Buffer.alloc(16 * 1024 * 1024), 1, true, 1_700_000_000_002)
    ring.push('', Buffer.alloc(0), 2, false, 1_700_000_000_003)
    ring.push('d/#/e', Buffer.from('x'), 2, true, 1_700_000_000_004)
    expect(ring.newest().map(({ preview: _preview, ...rest }) => rest)).toEqual([
      { topic: 'a/b', qos: 0, retain: false, size: 3, time: 1_700_000_000_001 },
      { topic: 'c', qos: 1, retain: true, size: 16 * 1024 * 1024, time: 1_700_000_000_002 },
      { topic: '', qos: 2, retain: false, size: 0, time: 1_700_000_000_003 },
      { topic: 'd/#/e', qos: 2, retain: true, size: 1, time: 1_700_000_000_004 },
    ])
  })

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new RecentMessages(0)).toThrow(RangeError)
    expect(() => new RecentMessages(1.5)).toThrow(RangeError)
  })
})
