/**
 * Big JSON re-indented only as far as a page needs: the first page comes from a prefix of the
 * re-indent (a few hundred KB of work instead of the whole 16 MB), the whole text is made once,
 * the first time a page past that prefix is asked for. Its length is known up front (counted by
 * the validator), so pagers and totals work as for a plain string.
 */
import type { TextPage } from '../../api/inspect'
import { reindentJsonBytes, reindentJsonPrefix } from '../decode/json-text'
import { textPage } from './pages'

export class LazyJsonText {
  private whole: string | null = null
  private prefix = ''

  /** `length`: reindentJsonBytes(bytes).length, from reindentedJsonLength. */
  constructor(
    private readonly bytes: Uint8Array,
    readonly length: number,
  ) {}

  /** The same page as textPage(reindentJsonBytes(bytes), offset, maxChars). */
  page(offset: number, maxChars: number): TextPage {
    const start = Math.min(offset, this.length)
    // One character past the page, so the surrogate test at its end sees the real text.
    const need = Math.min(this.length, start + maxChars + 1)
    if (this.whole === null && (start > 0 || need > this.prefix.length)) {
      // A UTF-16 unit is at most 3 UTF-8 bytes (4 bytes make 2 units).
      if (start === 0) this.prefix = reindentJsonPrefix(this.bytes, need * 3)
      if (this.prefix.length < need || start > 0) this.whole = reindentJsonBytes(this.bytes)
    }
    const text = this.whole ?? this.prefix
    const page = textPage(text, start, maxChars)
    return { ...page, nextOffset: page.offset + page.text.length < this.length ? page.offset + page.text.length : null }
  }

  /** The whole text (made now if it was not yet). */
  toString(): string {
    this.whole ??= reindentJsonBytes(this.bytes)
    return this.whole
  }
}

/** A document's text: a string, or big JSON made as it is paged. */
export type DocText = string | LazyJsonText

/** textPage for either form of a document's text. */
export function docTextPage(text: DocText, offset: number, maxChars: number): TextPage {
  return typeof text === 'string' ? textPage(text, offset, maxChars) : text.page(offset, maxChars)
}
