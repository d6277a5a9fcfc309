/**
 * Arithmetic of the paged hex view: rows of 16 bytes, pages of raw bytes fetched from the main
 * side (`inspect.bytes`) around the scroll position, a small cache of pages, and the scroll
 * geometry that keeps a million rows inside the height a browser can lay out.
 */

export const HEX_ROW_BYTES = 16
/** Bytes per fetched page: 4,096 rows, far more than a screen, small enough to cross at once. */
export const HEX_PAGE_BYTES = 64 * 1024
/** Browsers cap an element's height (Chromium near 16.7 M px): stay well below it. */
export const MAX_SPACER_PX = 15_000_000

/** Rows for `totalBytes` (the last may be short). */
export function rowCount(totalBytes: number): number {
  return Math.ceil(totalBytes / HEX_ROW_BYTES)
}

/** Page indexes holding the bytes of rows first..last (inclusive), clamped to the payload. */
export function pagesForRows(first: number, last: number, totalBytes: number, pageBytes = HEX_PAGE_BYTES): number[] {
  if (totalBytes <= 0 || last < first) return []
  const lastByte = Math.min(totalBytes - 1, (last + 1) * HEX_ROW_BYTES - 1)
  const firstByte = Math.max(0, first * HEX_ROW_BYTES)
  if (firstByte > lastByte) return []
  const out: number[] = []
  for (let p = Math.floor(firstByte / pageBytes); p <= Math.floor(lastByte / pageBytes); p++) out.push(p)
  return out
}

/** The byte range of page `page`: offset and length, the last page short. */
export function pageRange(page: number, totalBytes: number, pageBytes = HEX_PAGE_BYTES): { offset: number; length: number } {
  const offset = page * pageBytes
  return { offset, length: Math.max(0, Math.min(pageBytes, totalBytes - offset)) }
}

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'))

/** Offset digits: 8, or more when the payload reaches past 4 GiB. */
export function offsetDigits(totalBytes: number): number {
  return Math.max(8, (Math.max(0, totalBytes - 1)).toString(16).length)
}

/** The parts of one row: offset, 16 byte columns (a gap after 8), and the printable ASCII. */
export interface HexRowText {
  offset: string
  hex: string
  ascii: string
}

/**
 * Row `row` from the bytes of the page that holds it (`pageOffset` = the page's first byte's
 * offset in the payload). Bytes not in `page` (past the end) are left blank.
 */
export function hexRow(page: Uint8Array, pageOffset: number, row: number, digits = 8): HexRowText {
  const start = row * HEX_ROW_BYTES
  let hex = ''
  let ascii = ''
  for (let k = 0; k < HEX_ROW_BYTES; k++) {
    const at = start + k - pageOffset
    const present = at >= 0 && at < page.length
    if (k === 8) hex += ' '
    if (present) {
      const b = page[at]
      hex += (k ? ' ' : '') + HEX[b]
      ascii += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.'
    } else {
      hex += k ? '   ' : '  '
    }
  }
  return { offset: start.toString(16).padStart(digits, '0'), hex, ascii }
}

/** Every row of `bytes` as one text (offset, hex, ASCII per line): the diff's hex form. */
export function hexDump(bytes: Uint8Array, baseOffset = 0, digits = 8): string {
  const lines: string[] = []
  const first = Math.floor(baseOffset / HEX_ROW_BYTES)
  for (let r = first; r * HEX_ROW_BYTES < baseOffset + bytes.length; r++) {
    const { offset, hex, ascii } = hexRow(bytes, baseOffset, r, digits)
    lines.push(`${offset}  ${hex}  ${ascii}`)
  }
  return lines.join('\n')
}

/**
 * Scroll geometry for `rows` rows of `rowPx` in a viewport of `viewportPx`: the spacer's height
 * and the factor that maps the spacer's scrollTop to the virtual one (1 while it fits).
 */
export function scrollGeometry(rows: number, rowPx: number, viewportPx: number, maxSpacerPx = MAX_SPACER_PX): { spacerPx: number; scale: number } {
  const content = rows * rowPx
  const spacerPx = Math.min(content, maxSpacerPx)
  const scale = content > spacerPx && spacerPx > viewportPx ? (content - viewportPx) / (spacerPx - viewportPx) : 1
  return { spacerPx, scale }
}

/** Rows in view at `scrollTop`: the first row and how many (one extra for the partial row). */
export function visibleRows(scrollTop: number, scale: number, rowPx: number, viewportPx: number, rows: number): { first: number; count: number; shiftPx: number } {
  const virtualTop = scrollTop * scale
  const first = Math.max(0, Math.min(rows - 1, Math.floor(virtualTop / rowPx)))
  const count = Math.max(0, Math.min(rows - first, Math.ceil(viewportPx / rowPx) + 1))
  // Where row `first` sits relative to the spacer's top, so rows move smoothly between steps.
  const shiftPx = scrollTop + first * rowPx - virtualTop
  return { first, count, shiftPx }
}

/** A least-recently-used cache of fetched pages, bounded in count. */
export class PageCache<T> {
  private readonly pages = new Map<number, T>()
  constructor(private readonly max = 64) {}
  get(page: number): T | undefined {
    const v = this.pages.get(page)
    if (v !== undefined) {
      this.pages.delete(page)
      this.pages.set(page, v)
    }
    return v
  }
  set(page: number, value: T): void {
    this.pages.delete(page)
    this.pages.set(page, value)
    while (this.pages.size > this.max) this.pages.delete(this.pages.keys().next().value as number)
  }
  has(page: number): boolean {
    return this.pages.has(page)
  }
  clear(): void {
    this.pages.clear()
  }
  get size(): number {
    return this.pages.size
  }
}
