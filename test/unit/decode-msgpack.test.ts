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
