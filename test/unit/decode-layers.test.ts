import { deflateRawSync, deflateSync, gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { decodePayload } from '../../electron/core/decode/pipeline'
import { decodeContext, gzipCommand } from '../fixtures/decode-tools'

const json = Buffer.from(JSON.stringify({ sensor: 'boiler', readings: Array.from({ length: 200 }, (_, i) => ({ t: i, v: Math.sin(i) })) }))

describe('compressed payloads', () => {
  it('inflates gzip made by the gzip command, notes the sizes, and detects JSON inside', () => {
    const gz = gzipCommand(json)
    const out = decodePayload(gz, decodeContext())
    expect(out.detected).toBe('gzip')
    expect(out.reason).toBe('magic bytes 1f 8b')
    expect(out.layers).toEqual([{ decoder: 'gzip', note: `${gz.length.toLocaleString('en-US')} → ${json.length.toLocaleString('en-US')} bytes`, noteCode: 'resized', noteParams: { from: gz.length, to: json.length } }, { decoder: 'json' }])
    expect(out.bytes.equals(json)).toBe(true)
    expect(out.result).toEqual({ kind: 'value', value: JSON.parse(json.toString()) })
  })

  it('inflates zlib by its header, and raw deflate when told', () => {
    const z = decodePayload(deflateSync(json), decodeContext())
    expect(z.detected).toBe('zlib')
    expect(z.layers.map((l) => l.decoder)).toEqual(['zlib', 'json'])
    const raw = decodePayload(deflateRawSync(json), decodeContext({ forced: { decoder: 'deflate' } }))
    expect(raw.error).toBeNull()
    expect(raw.layers.map((l) => l.decoder)).toEqual(['deflate', 'json'])
  })

  it('a zip bomb (200 MB of zeros, gzipped) gives a clear error and the hex view', () => {
    const bomb = gzipCommand(Buffer.alloc(200 * 1024 * 1024), 9)
    const out = decodePayload(bomb, decodeContext())
    expect(out.error).toBe('Not valid gzip: it inflates to more than 64 MiB (a zip bomb?), so the compressed bytes are shown')
    expect(out.result).toEqual({ kind: 'hex' })
    expect(out.bytes).toBe(bomb)
  })

  it('corrupt gzip gives "Not valid gzip: …" and hex', () => {
    const gz = gzipCommand(json)
    gz[gz.length - 20] ^= 0xff
    const out = decodePayload(gz, decodeContext())
    expect(out.error).toMatch(/^Not valid gzip: /)
    expect(out.result).toEqual({ kind: 'hex' })
  })

  it('base64 of gzip is decoded, inflated and detected again', () => {
    const b64 = Buffer.from(gzipSync(json).toString('base64'))
    const out = decodePayload(b64, decodeContext())
    expect(out.detected).toBe('base64')
    expect(out.layers.map((l) => l.decoder)).toEqual(['base64', 'gzip', 'json'])
  })

  it('stops after four layers', () => {
    let bytes: Buffer = Buffer.from('deep')
    for (let i = 0; i < 6; i++) bytes = gzipSync(bytes)
    const out = decodePayload(bytes, decodeContext())
    expect(out.layers.map((l) => l.decoder)).toEqual(['gzip', 'gzip', 'gzip', 'gzip', 'hex'])
    expect(out.error).toBeNull()
  })
})
