import { encode } from 'cbor2'
import { describe, expect, it } from 'vitest'
import { decodePayload } from '../../electron/core/decode/pipeline'
import { DIAGNOSTIC_MAX_CHARS } from '../../electron/core/decode/formats/cbor'
import { RFC8949_EXAMPLES } from '../fixtures/decode-rfc8949'
import { decodeContext } from '../fixtures/decode-tools'

const hex = (h: string) => Buffer.from(h, 'hex')

describe('CBOR against RFC 8949 Appendix A', () => {
  it.each(RFC8949_EXAMPLES)('$hex reads as $diagnostic', (v) => {
    const out = decodePayload(hex(v.hex), decodeContext({ forced: { decoder: 'cbor' } }))
    expect(out.error).toBeNull()
    expect(out.result).toEqual({ kind: 'value', value: v.value })
    expect(out.cborDiagnostic).toBe(v.diagnostic)
  })

  it('keeps -0.0 negative', () => {
    const out = decodePayload(hex('f98000'), decodeContext({ forced: { decoder: 'cbor' } }))
    expect(out.result.kind === 'value' && Object.is(out.result.value, -0)).toBe(true)
  })

  it('detects every map and array example without being told, and no scalar', () => {
    for (const v of RFC8949_EXAMPLES) {
      const out = decodePayload(hex(v.hex), decodeContext())
      const container = /^[[{]/.test(v.diagnostic) && v.hex !== '80' && v.hex !== 'a0'
      if (container) expect(out.detected, v.diagnostic).toBe('cbor')
      else expect(out.detected, v.diagnostic).not.toBe('cbor')
    }
  })
})

describe('CBOR that is not well-formed', () => {
  it.each([
    ['a20102', 'the data ends at byte 3, inside an item that needs more bytes'],
    ['a5010203', 'a map of 5 entries at byte 0, but only 3 bytes remain'],
    ['a201020304a1', 'extra data after the item, at byte 5'],
    ['a2010203', 'the data ends at byte 4, inside an item that needs more bytes'],
    ['a16161', 'the data ends at byte 3'],
    ['a162c32801', 'invalid UTF-8 in the text string at byte 1'],
    ['83010203ff', 'extra data after the item, at byte 4'],
    ['1c', 'reserved additional information 28 at byte 0'],
    ['5a00000010aa', 'a byte string of 16 bytes at byte 0, but only 1 byte remains'],
    ['9f01', 'the data ends at byte 2'],
    ['8201ff', 'a break (ff) outside an indefinite-length item, at byte 2'],
  ])('%s → "Not valid CBOR: …%s…" and the hex view', (h, why) => {
    const out = decodePayload(hex(h), decodeContext({ forced: { decoder: 'cbor' } }))
    expect(out.error?.startsWith(`Not valid CBOR: ${why}`)).toBe(true)
    expect(out.result).toEqual({ kind: 'hex' })
  })

  it('a truncated map is never picked by detection, and a rule for CBOR reports it', () => {
    expect(decodePayload(hex('a3616101616202'), decodeContext()).detected).not.toBe('cbor')
    const ruled = decodePayload(hex('a3616101616202'), decodeContext({ rule: { filter: 't', decoder: 'cbor' } }))
    expect(ruled.error).toMatch(/^Not valid CBOR: the data ends at byte 7/)
    expect(ruled.detected).not.toBe('cbor')
    expect(ruled.result).toEqual({ kind: 'hex' })
  })

  it('16 MB of nested arrays gives a clear "too deep" error, not a stack overflow', () => {
    const deep = Buffer.alloc(16 * 1024 * 1024, 0x81)
    deep[deep.length - 1] = 0x00
    const out = decodePayload(deep, decodeContext({ forced: { decoder: 'cbor' } }))
    expect(out.error).toMatch(/^Not valid CBOR: nested deeper than 500 levels at byte \d+/)
    expect(out.result).toEqual({ kind: 'hex' })
    expect(decodePayload(deep, decodeContext()).result).toEqual({ kind: 'hex' })
  })
})

describe('CBOR views', () => {
  it('cuts the diagnostic notation of a big item and marks the cut', () => {
    // 200,000 × {"s": "xxxxxxxx"}, built by hand (an encoder would take seconds): 98 1a… then entries.
    const entry = Buffer.from(encode({ s: 'xxxxxxxx' }))
    const big = Buffer.concat([Buffer.from('9a00030d40', 'hex'), ...Array.from({ length: 200_000 }, () => entry)])
    const out = decodePayload(big, decodeContext())
    expect(out.detected).toBe('cbor')
    expect(out.cborDiagnostic?.length).toBe(DIAGNOSTIC_MAX_CHARS + 1)
    expect(out.cborDiagnostic?.endsWith('…')).toBe(true)
  })

  it('reads a 16 MB array of 5.6 million numbers and keeps every one', () => {
    const n = Math.floor((16 * 1024 * 1024 - 5) / 3)
    const big = Buffer.alloc(5 + n * 3)
    big[0] = 0x9a
    big.writeUInt32BE(n, 1)
    big.fill(Buffer.from('1907d0', 'hex'), 5)
    big.write('192a2a', big.length - 3, 'hex')
    const out = decodePayload(big, decodeContext())
    expect(out.detected).toBe('cbor')
    const value = out.result.kind === 'value' ? (out.result.value as number[]) : []
    expect(value.length).toBe(n)
    expect(value[0]).toBe(2000)
    expect(value[n - 1]).toBe(0x2a2a)
  })

  it('keeps other tags as {"$tag", "value"} and maps with non-text keys as pairs', () => {
    const out = decodePayload(hex('a2d82501' + '6161' + '01' + '02'), decodeContext())
    expect(out.detected).toBe('cbor')
    expect(out.result).toEqual({ kind: 'value', value: { $map: [[{ $tag: 37, value: 1 }, 'a'], [1, 2]] } })
  })
})
