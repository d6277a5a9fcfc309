import { pack } from 'msgpackr'
import { describe, expect, it } from 'vitest'
import { decodePayload } from '../../electron/core/decode/pipeline'
import { decodeContext } from '../fixtures/decode-tools'

describe('MessagePack, bytes from msgpackr (a second encoder)', () => {
  it('detects and decodes a map, 64-bit integers exact', () => {
    const bytes = pack({ sensor: 'm-1', temp: 21.5, on: true, none: null, list: [1, -2, 300], big: 2n ** 63n - 1n, small: -(2n ** 40n) })
    const out = decodePayload(bytes, decodeContext())
    expect(out.detected).toBe('msgpack')
    expect(out.result).toEqual({ kind: 'value', value: { sensor: 'm-1', temp: 21.5, on: true, none: null, list: [1, -2, 300], big: '9223372036854775807', small: -(2 ** 40) } })
  })

  it('shows binary as base64, extension types as {"$ext", "base64"}, timestamps as ISO text', () => {
    const bytes = Buffer.concat([Buffer.from([0x83]), pack('bin'), pack(Buffer.from([1, 2, 3])), pack('ext'), Buffer.from('d40705', 'hex'), pack('at'), Buffer.from('d6ff6553f100', 'hex')])
    const out = decodePayload(bytes, decodeContext())
    expect(out.detected).toBe('msgpack')
    expect(out.result).toEqual({ kind: 'value', value: { bin: { $base64: 'AQID' }, ext: { $ext: 7, base64: 'BQ==' }, at: new Date(0x6553f100 * 1000).toISOString() } })
  })

  it('keeps a 1,000,000-element array and refuses nesting too deep to show', () => {
    const big = pack(Array.from({ length: 1_000_000 }, (_, i) => i % 100))
    const out = decodePayload(big, decodeContext())
    expect(out.detected).toBe('msgpack')
    expect(out.result.kind === 'value' && (out.result.value as number[]).length).toBe(1_000_000)
    const deep = Buffer.alloc(100_000, 0x91)
    deep[deep.length - 1] = 0x01
    const nested = decodePayload(deep, decodeContext({ forced: { decoder: 'msgpack' } }))
    expect(nested.error).toMatch(/^Not valid MessagePack: nested deeper than 500 levels at byte \d+/)
    expect(nested.result).toEqual({ kind: 'hex' })
  })

  it('reads 64-bit integers exactly at every boundary, as numbers while a double holds them', () => {
    // map of 6: key i → value, each value written by hand as uint 64 (cf) or int 64 (d3).
    const entries: Array<[string, string]> = [
      ['cf', '001fffffffffffff'], // 2^53 - 1
      ['cf', '0020000000000000'], // 2^53
      ['cf', 'ffffffffffffffff'], // 2^64 - 1
      ['d3', 'ffe0000000000001'], // -(2^53 - 1)
      ['d3', 'ffe0000000000000'], // -2^53
      ['d3', '8000000000000000'], // -2^63
    ]
    const bytes = Buffer.from('86' + entries.map(([h, v], i) => (0xa1).toString(16) + (0x61 + i).toString(16) + h + v).join(''), 'hex')
    const out = decodePayload(bytes, decodeContext())
    expect(out.detected).toBe('msgpack')
    expect(out.result).toEqual({ kind: 'value', value: { a: 2 ** 53 - 1, b: '9007199254740992', c: '18446744073709551615', d: -(2 ** 53 - 1), e: '-9007199254740992', f: '-9223372036854775808' } })
  })

  it('shows NaN and Infinity as text, and keys that are not text or numbers as their JSON', () => {
    const bytes = Buffer.concat([Buffer.from([0x84]), pack('nan'), Buffer.from('cb7ff8000000000000', 'hex'), pack('inf'), Buffer.from('caff800000', 'hex'), Buffer.from('c40101', 'hex'), pack(1), Buffer.from('c3', 'hex'), pack(2)])
    const out = decodePayload(bytes, decodeContext())
    expect(out.detected).toBe('msgpack')
    expect(out.result).toEqual({ kind: 'value', value: { nan: 'NaN', inf: '-Infinity', '{"$base64":"AQ=="}': 1, true: 2 } })
  })

  it('refuses nesting too deep to show when detection tries a small payload directly', () => {
    const deep = Buffer.alloc(1_000, 0x91)
    deep[deep.length - 1] = 0x01
    const out = decodePayload(deep, decodeContext())
    expect(out.detected).not.toBe('msgpack')
    const fine = Buffer.alloc(500, 0x91)
    fine[fine.length - 1] = 0x01
    const kept = decodePayload(fine, decodeContext())
    expect(kept.detected).toBe('msgpack')
    let v: unknown = kept.result.kind === 'value' ? kept.result.value : null
    let levels = 0
    while (Array.isArray(v)) { v = v[0]; levels++ }
    expect([levels, v]).toEqual([499, 1])
  })

  it('a header claiming four billion entries is refused, not allocated', () => {
    const liar = Buffer.from('dd ffffffff 01 02'.replace(/ /g, ''), 'hex')
    expect(decodePayload(liar, decodeContext()).detected).not.toBe('msgpack')
    const forced = decodePayload(liar, decodeContext({ forced: { decoder: 'msgpack' } }))
    expect(forced.error).toBe('Not valid MessagePack: an array of 4294967295 entries at byte 0, but only 2 bytes remain')
    const big = Buffer.concat([Buffer.from('dc ffff'.replace(/ /g, ''), 'hex'), Buffer.alloc(100)])
    expect(decodePayload(big, decodeContext()).detected).not.toBe('msgpack')
  })

  it.each([
    ['c1', 'the never-used byte c1 at byte 0'],
    ['82a161', 'a map of 2 entries at byte 0, but only 2 bytes remain'],
    ['81a161', 'the data ends at byte 3'],
    ['81a261', 'the object at byte 1 needs 2 more bytes, but only 1 byte remains'],
    ['9201', 'an array of 2 entries at byte 0, but only 1 byte remains'],
    ['9101 02', 'extra data after the object, at byte 2'],
  ])('malformed %s → "Not valid MessagePack: …" and hex', (h, why) => {
    const out = decodePayload(Buffer.from(h.replace(/ /g, ''), 'hex'), decodeContext({ forced: { decoder: 'msgpack' } }))
    expect(out.error?.startsWith(`Not valid MessagePack: ${why}`)).toBe(true)
    expect(out.result).toEqual({ kind: 'hex' })
  })
})
