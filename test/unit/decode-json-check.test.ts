/**
 * The JSON validator as a scan that stops between tokens and goes on later, and the big-payload
 * text scan: stopped anywhere, the scan reaches the same verdict and count as one pass, and what
 * it has accepted is always a prefix the re-indenter may be fed (its output a prefix of the
 * whole's); the four-bytes-at-a-time control scan agrees with a byte-by-byte one.
 */
import { describe, expect, it } from 'vitest'
import { JsonCheck, jsonBytesLayout } from '../../electron/core/decode/json-check'
import { reindentJsonBytes, reindentJsonPrefix } from '../../electron/core/decode/json-text'
import { scanText, utf16Length, utf8Text } from '../../electron/core/decode/text-scan'
import { finishInSlices } from '../../electron/core/inspect/check-slices'

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let x = seed
  return () => {
    x = (x * 1103515245 + 12345) % 2 ** 31
    return x / 2 ** 31
  }
}

/** About `bytes` of JSON with nesting, empty containers, escapes, non-ASCII and odd spacing. */
function mixedJson(bytes: number): Buffer {
  const parts: string[] = []
  let size = 2
  for (let i = 0; size < bytes; i++) {
    const item = `{ "id" :${i},"s":"é ✓ 𐅑 \\"q\\" \\u00e9","v":[${i % 7}, {}, [ ],null, -1.5e3],"o":{"deep":{"x":[true,false]}} }`
    parts.push(item)
    size += item.length + 3
  }
  return Buffer.from(`\ufeff[\n${parts.join(' ,\n')}]`)
}

describe('a JSON check that stops between tokens', () => {
  const doc = mixedJson(300_000)
  const whole = reindentJsonBytes(doc)

  it('reaches the verdict and count of one pass however it is sliced', () => {
    const next = random(7)
    for (let round = 0; round < 20; round++) {
      const check = new JsonCheck(doc)
      const slice = 1 + Math.floor(next() * 5000)
      let stops = 0
      while (!check.run(check.position + slice)) stops++
      expect(stops).toBeGreaterThan(0)
      expect([check.state, check.outBytes]).toEqual(['valid', jsonBytesLayout(doc)])
      expect(check.outBytes).toBe(Buffer.byteLength(whole))
    }
  })

  it('has accepted only whole tokens wherever it stops: their re-indent is the start of the whole', () => {
    const check = new JsonCheck(doc)
    const next = random(11)
    let checked = 0
    while (!check.run(check.position + 1 + Math.floor(next() * 20_000))) {
      const prefix = reindentJsonPrefix(doc.subarray(0, check.position), Infinity)
      expect(Buffer.byteLength(prefix)).toBe(check.outBytes)
      expect(whole.startsWith(prefix)).toBe(true)
      checked++
    }
    expect(checked).toBeGreaterThan(5)
  })

  it('stops once it counted enough re-indented text for a page', () => {
    const check = new JsonCheck(doc)
    expect(check.run(Infinity, 5000)).toBe(false)
    expect(check.outBytes).toBeGreaterThanOrEqual(5000)
    expect(check.position).toBeLessThan(doc.length / 10)
  })

  it.each([
    ['[1,2,]', 5],
    ['{"a" 1}', 5],
    ['{"a":1,"b":tru}', 11],
    ['[1] x', 4],
    ['[1, "open', 4],
  ])('%j is refused, and says where it stops being JSON', (text, at) => {
    const check = new JsonCheck(Buffer.from(text))
    check.run(2)
    check.run()
    expect([check.state, check.failedAt]).toEqual(['invalid', at])
  })

  it('refuses a 16 MB document broken near its end in slices, without ever looping', async () => {
    const broken = Buffer.concat([mixedJson(16 * 1024 * 1024).subarray(0, -1), Buffer.from(',,]')])
    const check = new JsonCheck(broken)
    expect(check.run(Infinity, 200_000)).toBe(false)
    expect(await finishInSlices(check, () => true)).toBe(true)
    expect(check.state).toBe('invalid')
    expect(check.failedAt).toBeGreaterThan(broken.length - 4)
  })

  it('gives up between slices when nobody wants the verdict any more', async () => {
    const check = new JsonCheck(mixedJson(4 * 1024 * 1024))
    let asked = 0
    expect(await finishInSlices(check, () => ++asked < 2, 64 * 1024)).toBe(false)
    expect(check.done).toBe(false)
    expect(check.position).toBeLessThan(200_000)
  })
})

describe('the big-payload text scan', () => {
  /** The old definition: valid UTF-8 and none of these controls. */
  const CONTROLS = /[\u0000-\u0008\u000b\u000e-\u001f\u007f]/

  it('agrees with a byte-by-byte scan on every alignment, control byte and position', () => {
    const base = Buffer.from('line of text\twith tabs\r\nand é ✓ 𐅑 too\f\n'.repeat(3000))
    const arena = Buffer.alloc(base.length + 8)
    // Over an ASCII byte, so the bytes stay valid UTF-8.
    const asciiFrom = (i: number): number => (base[i] < 0x80 ? i : asciiFrom(i + 1))
    for (const offset of [0, 1, 2, 3]) {
      for (const control of [0x00, 0x01, 0x08, 0x0b, 0x0e, 0x1f, 0x7f, null]) {
        for (const at of [0, 1, 5, asciiFrom(64 * 1024 + 3), base.length - 1]) {
          const b = arena.subarray(offset, offset + base.length)
          base.copy(b)
          if (control !== null) b[at] = control
          const text = b.toString('utf8')
          expect(scanText(Buffer.from(b))).toEqual({ validUtf8: true, looksLikeText: !CONTROLS.test(text) })
          expect(scanText(b)).toEqual({ validUtf8: true, looksLikeText: control === null })
        }
      }
    }
  })

  it('finds invalid UTF-8 anywhere, and counts UTF-16 units without making the string for ASCII', () => {
    const ascii = Buffer.from('plain ascii text\n'.repeat(10_000))
    expect(utf16Length(ascii)).toBe(ascii.length)
    const mixed = Buffer.from('é ✓ 𐅑 text\n'.repeat(10_000))
    expect(utf16Length(mixed)).toBe(utf8Text(mixed)!.length)
    const bad = Buffer.from(mixed)
    bad[bad.length - 3] = 0xff
    expect(scanText(bad)).toEqual({ validUtf8: false, looksLikeText: false })
    expect([utf8Text(bad), utf16Length(bad)]).toEqual([null, null])
  })
})
