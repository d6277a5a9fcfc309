/**
 * Camera frames for the Sandbox: real PNG files made here (IHDR, one zlib IDAT, IEND, each chunk
 * with its CRC-32), 96×64 RGB, a colour gradient that moves from frame to frame and a bar with
 * the clock, so an inline image view visibly changes with every message. About 18 KB raw, about
 * 2 KB deflated; one frame costs well under a millisecond. One camera also sends a GIF preview of
 * the same picture (256 colours, LZW written here), so GIF detection has something to find too.
 */
import { crc32, deflateSync } from 'node:zlib'
import type { DemoSource, FeedMessage } from './demo-source'

export const FRAME_WIDTH = 96
export const FRAME_HEIGHT = 64
const BAR_TOP = 50
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

/** 3×5 pixel digits and a colon, row by row. */
const GLYPHS: Record<string, string> = {
  '0': '111101101101111', '1': '010110010010111', '2': '111001111100111', '3': '111001111001111',
  '4': '101101111001001', '5': '111100111001111', '6': '111100111101111', '7': '111001001001001',
  '8': '111101111101111', '9': '111101111001111', ':': '000010000010000',
}

/**
 * One frame as PNG scanlines (per row a filter byte, 0 = None, and RGB triplets): the gradient
 * shifted by `frame`, tinted by `hue` (radians), and `clock` (e.g. "14:05:09") drawn at twice the
 * font's size in the bottom bar, under a line that fills with the seconds of the minute.
 */
export function renderFrame(frame: number, hue: number, clock: string, secondsFraction: number): Buffer {
  const stride = FRAME_WIDTH * 3 + 1
  const raw = Buffer.alloc(stride * FRAME_HEIGHT)
  for (let y = 0; y < FRAME_HEIGHT; y++) {
    const row = y * stride // the filter byte stays 0 (None)
    for (let x = 0; x < FRAME_WIDTH; x++) {
      const i = row + 1 + x * 3
      if (y >= BAR_TOP) continue // black bar, drawn on below
      const t = (x + y * 0.6 + frame * 4) / 18
      raw[i] = 128 + 127 * Math.sin(t + hue)
      raw[i + 1] = 128 + 127 * Math.sin(t + hue + 2.1)
      raw[i + 2] = 128 + 127 * Math.sin(t + hue + 4.2)
    }
  }
  const fill = Math.round(Math.min(1, Math.max(0, secondsFraction)) * FRAME_WIDTH)
  for (let x = 0; x < fill; x++) {
    setPixel(raw, x, BAR_TOP, 0x40, 0xc0, 0xff)
    setPixel(raw, x, BAR_TOP + 1, 0x40, 0xc0, 0xff)
  }
  let left = Math.floor((FRAME_WIDTH - clock.length * 8 + 2) / 2)
  for (const ch of clock) {
    const glyph = GLYPHS[ch]
    if (glyph) drawGlyph(raw, glyph, left, BAR_TOP + 3)
    left += 8
  }
  return raw
}

/** A PNG of scanlines made by renderFrame. */
export function encodePng(raw: Buffer): Buffer {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(FRAME_WIDTH, 0)
  ihdr.writeUInt32BE(FRAME_HEIGHT, 4)
  ihdr[8] = 8 // bit depth
  ihdr[9] = 2 // truecolour RGB; compression, filter and interlace methods stay 0
  return Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', ihdr), pngChunk('IDAT', deflateSync(raw)), pngChunk('IEND', Buffer.alloc(0))])
}

/**
 * A GIF89a of scanlines made by renderFrame: a 3-3-2 RGB palette of 256 colours and LZW that
 * only ever sends literal codes, with a clear code before the table would outgrow 9-bit codes.
 * Any GIF decoder reads that; it compresses nothing, which at 6 KB for 96×64 does not matter.
 */
export function encodeGif(raw: Buffer): Buffer {
  const stride = FRAME_WIDTH * 3 + 1
  const header = Buffer.alloc(13)
  header.write('GIF89a', 0, 'ascii')
  header.writeUInt16LE(FRAME_WIDTH, 6)
  header.writeUInt16LE(FRAME_HEIGHT, 8)
  header[10] = 0xf7 // a global colour table of 2^(7+1) entries, 8 bits per primary
  const palette = Buffer.alloc(256 * 3)
  for (let i = 0; i < 256; i++) {
    palette[i * 3] = Math.round((((i >> 5) & 7) * 255) / 7)
    palette[i * 3 + 1] = Math.round((((i >> 2) & 7) * 255) / 7)
    palette[i * 3 + 2] = Math.round(((i & 3) * 255) / 3)
  }
  const descriptor = Buffer.alloc(10)
  descriptor[0] = 0x2c
  descriptor.writeUInt16LE(FRAME_WIDTH, 5)
  descriptor.writeUInt16LE(FRAME_HEIGHT, 7)
  const codes: number[] = []
  for (let y = 0; y < FRAME_HEIGHT; y++) {
    for (let x = 0; x < FRAME_WIDTH; x++) {
      const i = y * stride + 1 + x * 3
      // 250 literals after a clear add 249 entries (258…506): the code size stays 9 bits.
      if ((y * FRAME_WIDTH + x) % 250 === 0) codes.push(GIF_CLEAR)
      codes.push((raw[i] & 0xe0) | ((raw[i + 1] >> 3) & 0x1c) | (raw[i + 2] >> 6))
    }
  }
  codes.push(GIF_END)
  const lzw = Buffer.alloc(Math.ceil((codes.length * 9) / 8))
  codes.forEach((code, n) => {
    for (let b = 0; b < 9; b++) if (code & (1 << b)) lzw[(n * 9 + b) >> 3] |= 1 << ((n * 9 + b) & 7)
  })
  const blocks: Buffer[] = []
  for (let at = 0; at < lzw.length; at += 255) {
    const part = lzw.subarray(at, at + 255)
    blocks.push(Buffer.from([part.length]), part)
  }
  return Buffer.concat([header, palette, descriptor, Buffer.from([8]), ...blocks, Buffer.from([0, 0x3b])])
}

const GIF_CLEAR = 256
const GIF_END = 257

/** A PNG chunk: length, type, data, CRC-32 over type and data. */
export function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8)
  head.writeUInt32BE(data.length, 0)
  head.write(type, 4, 'ascii')
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0)
  return Buffer.concat([head, data, crc])
}

function setPixel(raw: Buffer, x: number, y: number, r: number, g: number, b: number): void {
  const i = y * (FRAME_WIDTH * 3 + 1) + 1 + x * 3
  raw[i] = r
  raw[i + 1] = g
  raw[i + 2] = b
}

/** A glyph at twice its size: 6×10 pixels. */
function drawGlyph(raw: Buffer, glyph: string, left: number, top: number): void {
  for (let gy = 0; gy < 5; gy++) {
    for (let gx = 0; gx < 3; gx++) {
      if (glyph[gy * 3 + gx] !== '1') continue
      for (let d = 0; d < 4; d++) setPixel(raw, left + gx * 2 + (d & 1), top + gy * 2 + (d >> 1), 0xf0, 0xf0, 0xf0)
    }
  }
}

export interface CameraOptions {
  /** Camera ids; each publishes `cameras/<id>/snapshot`. */
  ids: readonly string[]
  /** Feed ticks between two frames (of the cameras in turn); default 8 (2 s at 250 ms). */
  every?: number
  /** Cameras whose frames carry the `image/png` content type; the others rely on magic bytes. */
  typed?: readonly string[]
  /** Cameras that also publish their frame as a GIF on `cameras/<id>/preview`. */
  gif?: readonly string[]
}

/** Retained snapshots: a frame of every camera at start, then one camera after the other. */
export class DemoCameras implements DemoSource {
  private readonly options: CameraOptions
  private readonly frames = new Map<string, number>()
  private turn = 0

  constructor(options: CameraOptions) {
    this.options = options
  }

  get topics(): string[] {
    return [...this.options.ids.map((id) => `cameras/${id}/snapshot`), ...(this.options.gif ?? []).map((id) => `cameras/${id}/preview`)]
  }

  initial(now: number): FeedMessage[] {
    return this.options.ids.flatMap((id) => this.frame(id, now))
  }

  tick(tick: number, now: number): FeedMessage[] {
    if (tick % (this.options.every ?? 8) !== 0) return []
    const id = this.options.ids[this.turn++ % this.options.ids.length]
    return this.frame(id, now)
  }

  private frame(id: string, now: number): FeedMessage[] {
    const n = (this.frames.get(id) ?? 0) + 1
    this.frames.set(id, n)
    const at = new Date(now)
    const clock = [at.getHours(), at.getMinutes(), at.getSeconds()].map((v) => String(v).padStart(2, '0')).join(':')
    const hue = this.options.ids.indexOf(id) * 2.2
    const raw = renderFrame(n, hue, clock, (at.getSeconds() + at.getMilliseconds() / 1000) / 60)
    const typed = this.options.typed?.includes(id)
    const png: FeedMessage = { topic: `cameras/${id}/snapshot`, payload: encodePng(raw), retain: true, ...(typed ? { contentType: 'image/png' } : {}) }
    return this.options.gif?.includes(id) ? [png, { topic: `cameras/${id}/preview`, payload: encodeGif(raw), retain: true }] : [png]
  }
}
