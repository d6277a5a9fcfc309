/**
 * Camera frames for the Sandbox: real PNG files made here (IHDR, one zlib IDAT, IEND, each chunk
 * with its CRC-32), 96×64 RGB, a colour gradient that moves from frame to frame and a bar with
 * the clock, so an inline image view visibly changes with every message. About 6 KB raw, a few
 * hundred bytes to a few KB deflated; one frame costs well under a millisecond.
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
 * One frame: the gradient shifted by `frame`, tinted by `hue` (radians), and `clock` (e.g.
 * "14:05:09") drawn twice the font's size in the bottom bar, under a bar that fills with the seconds.
 */
export function cameraFrame(frame: number, hue: number, clock: string, secondsFraction: number): Buffer {
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
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(FRAME_WIDTH, 0)
  ihdr.writeUInt32BE(FRAME_HEIGHT, 4)
  ihdr[8] = 8 // bit depth
  ihdr[9] = 2 // truecolour RGB; compression, filter and interlace methods stay 0
  return Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', ihdr), pngChunk('IDAT', deflateSync(raw)), pngChunk('IEND', Buffer.alloc(0))])
}

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
    return this.options.ids.map((id) => `cameras/${id}/snapshot`)
  }

  initial(now: number): FeedMessage[] {
    return this.options.ids.map((id) => this.frame(id, now))
  }

  tick(tick: number, now: number): FeedMessage[] {
    if (tick % (this.options.every ?? 8) !== 0) return []
    const id = this.options.ids[this.turn++ % this.options.ids.length]
    return [this.frame(id, now)]
  }

  private frame(id: string, now: number): FeedMessage {
    const n = (this.frames.get(id) ?? 0) + 1
    this.frames.set(id, n)
    const at = new Date(now)
    const clock = [at.getHours(), at.getMinutes(), at.getSeconds()].map((v) => String(v).padStart(2, '0')).join(':')
    const hue = this.options.ids.indexOf(id) * 2.2
    const payload = cameraFrame(n, hue, clock, (at.getSeconds() + at.getMilliseconds() / 1000) / 60)
    const typed = this.options.typed?.includes(id)
    return { topic: `cameras/${id}/snapshot`, payload, retain: true, ...(typed ? { contentType: 'image/png' } : {}) }
  }
}
