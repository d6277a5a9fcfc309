/**
 * Page and offset arithmetic of the inspector's views: hex rows and pages fetched around the
 * scroll position, the scroll geometry of a million rows, and the decoded text's pages.
 */
import { describe, expect, it } from 'vitest'
import {
  HEX_PAGE_BYTES, PageCache, hexDump, hexRow, offsetDigits, pageRange, pagesForRows, rowCount, scrollGeometry, visibleRows,
} from '../../renderer/src/lib/inspect/hex-pages'
import { pageCount, pageLabel, pageOf, remainingOffsets, VIEW_PAGE_CHARS } from '../../renderer/src/lib/inspect/text-pages'

describe('hex pages', () => {
  it('counts rows of 16 bytes, the last one short', () => {
    expect(rowCount(0)).toBe(0)
    expect(rowCount(1)).toBe(1)
    expect(rowCount(16)).toBe(1)
    expect(rowCount(17)).toBe(2)
    expect(rowCount(16 * 1024 * 1024)).toBe(1024 * 1024)
  })

  it('fetches the pages that hold the rows in view, and no page past the end', () => {
    const rowsPerPage = HEX_PAGE_BYTES / 16
    expect(pagesForRows(0, 10, 1000)).toEqual([0])
    expect(pagesForRows(rowsPerPage - 2, rowsPerPage + 2, 10 * HEX_PAGE_BYTES)).toEqual([0, 1])
    expect(pagesForRows(0, 100, 0)).toEqual([])
    // Rows past the payload clamp to its last page.
    expect(pagesForRows(0, 10 * rowsPerPage, HEX_PAGE_BYTES + 5)).toEqual([0, 1])
    expect(pageRange(1, HEX_PAGE_BYTES + 5)).toEqual({ offset: HEX_PAGE_BYTES, length: 5 })
    expect(pageRange(0, 100)).toEqual({ offset: 0, length: 100 })
  })

  it('writes offset, 16 hex bytes with a gap after eight, and printable ASCII', () => {
    const bytes = new Uint8Array([0x7b, 0x22, 0x72, 0x75, 0x6e, 0x6e, 0x69, 0x6e, 0x67, 0x00, 0xff, 0x41, 0x20, 0x7e, 0x7f, 0x0a, 0x31])
    expect(hexRow(bytes, 0, 0)).toEqual({ offset: '00000000', hex: '7b 22 72 75 6e 6e 69 6e  67 00 ff 41 20 7e 7f 0a', ascii: '{"running..A ~..' })
    const last = hexRow(bytes, 0, 1)
    expect(last.offset).toBe('00000010')
    expect(last.hex.trimEnd()).toBe('31')
    expect(last.hex.length).toBe(hexRow(bytes, 0, 0).hex.length)
    expect(hexDump(bytes).split('\n')).toEqual([
      '00000000  7b 22 72 75 6e 6e 69 6e  67 00 ff 41 20 7e 7f 0a  {"running..A ~..',
      `00000010  31${' '.repeat(46)}  1`,
    ])
  })

  it('reads a row from the page that holds it, at the page’s offset', () => {
    const page = new Uint8Array(32).map((_, i) => i)
    expect(hexRow(page, 4096, 257).hex.startsWith('10 11 12')).toBe(true)
    expect(hexRow(page, 4096, 257).offset).toBe('00001010')
  })

  it('widens the offset column past 4 GiB only', () => {
    expect(offsetDigits(16 * 1024 * 1024)).toBe(8)
    expect(offsetDigits(2 ** 32 + 1)).toBe(9)
  })

  it('keeps a million rows inside the spacer cap and reaches the last row at the bottom', () => {
    const rows = rowCount(16 * 1024 * 1024)
    const { spacerPx, scale } = scrollGeometry(rows, 18, 400)
    expect(spacerPx).toBeLessThanOrEqual(15_000_000)
    expect(scale).toBeGreaterThan(1)
    const bottom = visibleRows(spacerPx - 400, scale, 18, 400, rows)
    expect(bottom.first + bottom.count).toBe(rows)
    const top = visibleRows(0, scale, 18, 400, rows)
    expect(top).toEqual({ first: 0, count: Math.ceil(400 / 18) + 1, shiftPx: 0 })
    // A small payload scrolls 1:1.
    expect(scrollGeometry(100, 18, 400)).toEqual({ spacerPx: 1800, scale: 1 })
  })

  it('keeps the most recently used pages only', () => {
    const cache = new PageCache<string>(2)
    cache.set(1, 'a')
    cache.set(2, 'b')
    cache.get(1)
    cache.set(3, 'c')
    expect(cache.has(1)).toBe(true)
    expect(cache.has(2)).toBe(false)
    expect(cache.size).toBe(2)
  })
})

describe('text pages', () => {
  it('counts, finds and labels pages', () => {
    expect(pageCount(0)).toBe(1)
    expect(pageCount(VIEW_PAGE_CHARS)).toBe(1)
    expect(pageCount(VIEW_PAGE_CHARS + 1)).toBe(2)
    expect(pageOf(VIEW_PAGE_CHARS)).toBe(1)
    expect(pageLabel(0, 10)).toBe('Characters 1–10 of 10')
    expect(pageLabel(1, 2 * VIEW_PAGE_CHARS + 3)).toBe(`Characters ${(VIEW_PAGE_CHARS + 1).toLocaleString('en-US')}–${(2 * VIEW_PAGE_CHARS).toLocaleString('en-US')} of ${(2 * VIEW_PAGE_CHARS + 3).toLocaleString('en-US')}`)
  })

  it('claims no total while big JSON is still being checked', () => {
    expect(pageLabel(0, VIEW_PAGE_CHARS + 1, VIEW_PAGE_CHARS, false)).toBe(`Characters 1–${VIEW_PAGE_CHARS.toLocaleString('en-US')}, checking the rest…`)
  })

  it('lists the offsets still to fetch, up to the cap', () => {
    expect(remainingOffsets(100, 350, 1000, 100)).toEqual([100, 200, 300])
    expect(remainingOffsets(100, 10_000, 300, 100)).toEqual([100, 200])
    expect(remainingOffsets(350, 350, 1000, 100)).toEqual([])
  })
})
