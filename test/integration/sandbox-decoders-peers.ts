/**
 * Readers for the Sandbox's decoder topics that share no code with what wrote them: the Eclipse
 * Tahu Sparkplug decoder (npm sparkplug-payload, with its own protobufjs), a CBOR reader and a
 * PNG chunk walker with its own CRC-32 written here from RFC 8949 and the PNG specification,
 * and the command-line tools (protoc, gzip, python3's zlib) run as child processes.
 */
import { spawnSync } from 'node:child_process'
import { get as sparkplugNamespace } from 'sparkplug-payload'
import * as tahuProto from 'sparkplug-payload/lib/sparkplugPayloadProto'

/** Tahu's Sparkplug B payload decoder. */
export const tahu = sparkplugNamespace('spBv1.0')!

/** Tahu's generated message type, for what its decoder leaves out (a metric's raw fields). */
export const TahuPayload = tahuProto.org.eclipse.tahu.protobuf.Payload

/** A CBOR tag as this reader returns it. */
export interface CborTag {
  tag: number
  value: CborValue
}
export type CborValue = number | bigint | string | boolean | null | undefined | Uint8Array | CborValue[] | Map<CborValue, CborValue> | CborTag

/** Decodes one CBOR item (RFC 8949 §3), definite lengths only; 8-byte integers come back as bigint. */
export function readCbor(bytes: Uint8Array): CborValue {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let at = 0
  const arg = (info: number): number | bigint => {
    if (info < 24) return info
    const size = 1 << (info - 24)
    const start = at
    at += size
    if (size === 1) return view.getUint8(start)
    if (size === 2) return view.getUint16(start)
    if (size === 4) return view.getUint32(start)
    if (size === 8) return view.getBigUint64(start)
    throw new Error(`CBOR additional info ${info} is not supported here`)
  }
  const item = (): CborValue => {
    const head = view.getUint8(at++)
    const major = head >> 5
    const info = head & 0x1f
    if (major === 7) {
      if (info === 20) return false
      if (info === 21) return true
      if (info === 22) return null
      if (info === 23) return undefined
      const start = at
      if (info < 25 || info > 27) throw new Error(`CBOR simple value ${info} is not supported here`)
      at += 1 << (info - 24)
      return info === 25 ? half(view.getUint16(start)) : info === 26 ? view.getFloat32(start) : view.getFloat64(start)
    }
    const n = arg(info)
    const len = Number(n)
    switch (major) {
      case 0: return n
      case 1: return typeof n === 'bigint' ? -1n - n : -1 - n
      case 2: return bytes.slice(at, (at += len))
      case 3: return new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(at, (at += len)))
      case 4: return Array.from({ length: len }, item)
      case 5: {
        const map = new Map<CborValue, CborValue>()
        for (let i = 0; i < len; i++) map.set(item(), item())
        return map
      }
      default: return { tag: len, value: item() }
    }
  }
  const value = item()
  if (at !== bytes.byteLength) throw new Error(`${bytes.byteLength - at} bytes after the CBOR item`)
  return value
}

/** IEEE 754 half precision (RFC 8949 Appendix D). */
function half(h: number): number {
  const exp = (h >> 10) & 0x1f
  const mant = h & 0x3ff
  const val = exp === 0 ? mant * 2 ** -24 : exp !== 31 ? (mant + 1024) * 2 ** (exp - 25) : mant === 0 ? Infinity : NaN
  return h & 0x8000 ? -val : val
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

/** CRC-32 as the PNG specification's sample code computes it. */
export function pngCrc(bytes: Uint8Array): number {
  let c = 0xffffffff
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

export interface PngChunk {
  type: string
  data: Buffer
  crcOk: boolean
}

/** Walks a PNG's chunks after its signature, checking each CRC. */
export function pngChunks(png: Buffer): PngChunk[] {
  const out: PngChunk[] = []
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at)
    const typeAndData = png.subarray(at + 4, at + 8 + length)
    const crc = png.readUInt32BE(at + 8 + length)
    out.push({ type: typeAndData.subarray(0, 4).toString('latin1'), data: Buffer.from(typeAndData.subarray(4)), crcOk: pngCrc(typeAndData) === crc })
    at += 12 + length
  }
  return out
}

/** Runs a command with `input` on stdin; fails with its stderr. */
export function run(command: string, args: string[], input?: Buffer): Buffer {
  const result = spawnSync(command, args, { input, maxBuffer: 16 * 1024 * 1024 })
  if (result.error) throw result.error
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.status}: ${result.stderr.toString()}`)
  return result.stdout
}

export interface GifImage {
  width: number
  height: number
  /** RGB triplets, row by row. */
  rgb: Buffer
}

/** Decodes a single-image GIF87a/89a with a global colour table (GIF89a specification, LZW as in its Appendix F). */
export function readGif(gif: Buffer): GifImage {
  const signature = gif.subarray(0, 6).toString('latin1')
  if (signature !== 'GIF89a' && signature !== 'GIF87a') throw new Error(`not a GIF: ${signature}`)
  const width = gif.readUInt16LE(6)
  const height = gif.readUInt16LE(8)
  const packed = gif[10]
  if (!(packed & 0x80)) throw new Error('no global colour table')
  const colours = 2 << (packed & 7)
  const palette = gif.subarray(13, 13 + colours * 3)
  let at = 13 + colours * 3
  while (gif[at] === 0x21) {
    at += 2 // extension introducer and label, then its sub-blocks
    while (gif[at] !== 0) at += gif[at] + 1
    at++
  }
  if (gif[at] !== 0x2c) throw new Error(`expected an image descriptor at ${at}, found ${gif[at]}`)
  if (gif.readUInt16LE(at + 5) !== width || gif.readUInt16LE(at + 7) !== height || gif[at + 9] & 0xc0) throw new Error('only a full-size, non-interlaced image without a local table is read here')
  at += 10
  const minCodeSize = gif[at++]
  const parts: Buffer[] = []
  while (gif[at] !== 0) {
    parts.push(gif.subarray(at + 1, at + 1 + gif[at]))
    at += gif[at] + 1
  }
  if (gif[at + 1] !== 0x3b) throw new Error('no trailer after the image')
  const data = Buffer.concat(parts)
  const clear = 1 << minCodeSize
  const end = clear + 1
  const indices: number[] = []
  let table: number[][] = []
  let size = minCodeSize + 1
  let prev: number[] | null = null
  const reset = () => {
    table = Array.from({ length: clear + 2 }, (_, i) => [i])
    size = minCodeSize + 1
    prev = null
  }
  reset()
  for (let bit = 0; bit + size <= data.length * 8; ) {
    let code = 0
    for (let b = 0; b < size; b++, bit++) if (data[bit >> 3] & (1 << (bit & 7))) code |= 1 << b
    if (code === clear) {
      reset()
      continue
    }
    if (code === end) break
    let entry: number[]
    if (code < table.length) entry = table[code]
    else if (code === table.length && prev) entry = [...prev, prev[0]]
    else throw new Error(`LZW code ${code} out of range (table ${table.length})`)
    indices.push(...entry)
    if (prev) table.push([...prev, entry[0]])
    prev = entry
    if (table.length === 1 << size && size < 12) size++
  }
  if (indices.length !== width * height) throw new Error(`${indices.length} pixels decoded, ${width * height} expected`)
  const rgb = Buffer.alloc(width * height * 3)
  indices.forEach((index, i) => palette.copy(rgb, i * 3, index * 3, index * 3 + 3))
  return { width, height, rgb }
}
