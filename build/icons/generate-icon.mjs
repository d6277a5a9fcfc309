#!/usr/bin/env node
// Draws the app icon (a topic tree on a shield-blue tile) into build/icons/icon.png, with no
// image libraries: a tiny rasteriser with 4×4 supersampling and a hand-written PNG encoder.
// Re-run after changing the drawing: `node build/icons/generate-icon.mjs`.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { deflateSync } from 'node:zlib'

const SIZE = 512
const SS = 4

/** Signed distance helpers in icon units (0..1). */
const roundedRect = (x, y, cx, cy, hw, hh, r) => {
  const qx = Math.abs(x - cx) - hw + r
  const qy = Math.abs(y - cy) - hh + r
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r
}
const circle = (x, y, cx, cy, r) => Math.hypot(x - cx, y - cy) - r
const segment = (x, y, ax, ay, bx, by, w) => {
  const px = x - ax, py = y - ay, dx = bx - ax, dy = by - ay
  const t = Math.max(0, Math.min(1, (px * dx + py * dy) / (dx * dx + dy * dy)))
  return Math.hypot(px - dx * t, py - dy * t) - w
}

const nodes = [[0.3, 0.3], [0.3, 0.52], [0.3, 0.74], [0.62, 0.52], [0.62, 0.74], [0.78, 0.3]]
const edges = [[0.3, 0.3, 0.3, 0.74], [0.3, 0.52, 0.62, 0.52], [0.3, 0.74, 0.62, 0.74], [0.3, 0.3, 0.78, 0.3]]

/** Colour of one sample point, or null when outside the tile. */
function shade(x, y) {
  if (roundedRect(x, y, 0.5, 0.5, 0.46, 0.46, 0.1) > 0) return null
  const t = y
  let c = [Math.round(24 + 20 * t), Math.round(72 + 30 * t), Math.round(140 + 40 * t)]
  const onTree = edges.some(([ax, ay, bx, by]) => segment(x, y, ax, ay, bx, by, 0.018) < 0) || nodes.some(([cx, cy]) => circle(x, y, cx, cy, 0.055) < 0)
  if (onTree) c = [236, 244, 255]
  if (circle(x, y, 0.78, 0.3, 0.055) < 0) c = [120, 230, 170] // the live topic
  return c
}

const rgba = Buffer.alloc(SIZE * SIZE * 4)
for (let py = 0; py < SIZE; py++) {
  for (let px = 0; px < SIZE; px++) {
    let r = 0, g = 0, b = 0, a = 0
    for (let sy = 0; sy < SS; sy++) {
      for (let sx = 0; sx < SS; sx++) {
        const c = shade((px + (sx + 0.5) / SS) / SIZE, (py + (sy + 0.5) / SS) / SIZE)
        if (!c) continue
        r += c[0]; g += c[1]; b += c[2]; a++
      }
    }
    const i = (py * SIZE + px) * 4
    if (a > 0) {
      rgba[i] = Math.round(r / a); rgba[i + 1] = Math.round(g / a); rgba[i + 2] = Math.round(b / a)
    }
    rgba[i + 3] = Math.round((255 * a) / (SS * SS))
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
const crc32 = (buf) => {
  let c = 0xffffffff
  for (const byte of buf) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}
const chunk = (type, data) => {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([len, body, crc])
}
const ihdr = Buffer.alloc(13)
ihdr.writeUInt32BE(SIZE, 0)
ihdr.writeUInt32BE(SIZE, 4)
ihdr[8] = 8 // bit depth
ihdr[9] = 6 // RGBA
const raw = Buffer.alloc(SIZE * (SIZE * 4 + 1))
for (let y = 0; y < SIZE; y++) rgba.copy(raw, y * (SIZE * 4 + 1) + 1, y * SIZE * 4, (y + 1) * SIZE * 4)
const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))])
writeFileSync(join(import.meta.dirname, 'icon.png'), png)
console.log(`wrote build/icons/icon.png (${SIZE}×${SIZE}, ${png.length} bytes)`)
