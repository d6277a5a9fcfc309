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
