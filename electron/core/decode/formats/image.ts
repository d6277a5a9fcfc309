/**
 * Images shown inline: PNG, JPEG, GIF, WebP, with width and height read from their headers. A
 * corrupt header gives null sizes: the bytes are still offered to the browser's decoder.
 */
import type { DecodedResult } from '../types'
import type { Format } from './format'
import { note, reason } from '../sentences'
import type { DecodeReason } from '../types'
import { invalidBecause } from './format'

type Mime = 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp'

const ascii = (b: Uint8Array, at: number, text: string) => {
  if (b.length < at + text.length) return false
  for (let i = 0; i < text.length; i++) if (b[at + i] !== text.charCodeAt(i)) return false
  return true
}

export function imageMime(b: Uint8Array): Mime | null {
  if (b.length >= 8 && b[0] === 0x89 && ascii(b, 1, 'PNG\r\n\x1a\n')) return 'image/png'
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg'
  if (ascii(b, 0, 'GIF87a') || ascii(b, 0, 'GIF89a')) return 'image/gif'
  if (ascii(b, 0, 'RIFF') && ascii(b, 8, 'WEBP')) return 'image/webp'
  return null
}

type Size = { width: number; height: number } | null

function pngSize(b: Buffer): Size {
  if (b.length < 24 || !ascii(b, 12, 'IHDR')) return null
  const width = b.readUInt32BE(16)
  const height = b.readUInt32BE(20)
  return width > 0 && height > 0 ? { width, height } : null
}

function gifSize(b: Buffer): Size {
  if (b.length < 10) return null
  return { width: b.readUInt16LE(6), height: b.readUInt16LE(8) }
}

function jpegSize(b: Buffer): Size {
  let i = 2
  // Walks the marker segments to the first start-of-frame (SOF0–SOF15 but DHT, JPG, DAC).
  while (i + 4 <= b.length) {
    if (b[i] !== 0xff) return null
    const marker = b[i + 1]
    if (marker === 0xff) { i++; continue }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) { i += 2; continue }
    const length = b.readUInt16BE(i + 2)
    if (length < 2) return null
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (i + 9 > b.length) return null
      const height = b.readUInt16BE(i + 5)
      const width = b.readUInt16BE(i + 7)
      return width > 0 && height > 0 ? { width, height } : null
    }
    if (marker === 0xda || marker === 0xd9) return null
    i += 2 + length
  }
  return null
}

function webpSize(b: Buffer): Size {
  if (ascii(b, 12, 'VP8 ') && b.length >= 30 && b[23] === 0x9d && b[24] === 0x01 && b[25] === 0x2a) {
    return { width: b.readUInt16LE(26) & 0x3fff, height: b.readUInt16LE(28) & 0x3fff }
  }
  if (ascii(b, 12, 'VP8L') && b.length >= 25 && b[20] === 0x2f) {
    const bits = b.readUInt32LE(21)
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 }
  }
  if (ascii(b, 12, 'VP8X') && b.length >= 30) {
    return { width: b.readUIntLE(24, 3) + 1, height: b.readUIntLE(27, 3) + 1 }
  }
  return null
}

const SIZE: Record<Mime, (b: Buffer) => Size> = { 'image/png': pngSize, 'image/jpeg': jpegSize, 'image/gif': gifSize, 'image/webp': webpSize }

export function decodeImage(b: Buffer): DecodedResult | null {
  const mime = imageMime(b)
  if (mime === null) return null
  let size: Size = null
  try {
    size = SIZE[mime](b)
  } catch {
    size = null
  }
  return { kind: 'image', mime, width: size?.width ?? null, height: size?.height ?? null }
}

const signature = (mime: Mime): DecodeReason => {
  const format = mime.slice(6).toUpperCase()
  return reason(`${format} signature`, 'imageSignature', { format })
}
/** "PNG signature", …: one reason per image type, shared. */
export const SIGNATURE_REASONS: Readonly<Record<Mime, DecodeReason>> = { 'image/png': signature('image/png'), 'image/jpeg': signature('image/jpeg'), 'image/gif': signature('image/gif'), 'image/webp': signature('image/webp') }
const SIZE_UNREADABLE = note('size unreadable', 'imageSizeUnknown')

export const imageFormat: Format = {
  id: 'image',
  label: 'image',
  detect(b) {
    const mime = imageMime(b)
    return mime === null ? null : SIGNATURE_REASONS[mime]
  },
  decode(b) {
    const result = decodeImage(b)
    if (result === null) return invalidBecause('image', 'it starts with no PNG, JPEG, GIF or WebP signature', 'invalidImageSignature')
    return { kind: 'final', result, note: result.kind === 'image' && result.width !== null ? note(`${result.width} × ${result.height}`, 'imageSize', { width: result.width, height: result.height ?? 0 }) : SIZE_UNREADABLE }
  },
}
