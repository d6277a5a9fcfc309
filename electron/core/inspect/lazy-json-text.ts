/**
 * Big JSON re-indented only as far as a page needs: the first page comes from a prefix of the
 * re-indent (a few hundred KB of work instead of the whole 16 MB), the whole text is made once,
 * the first time a page past that prefix is asked for. Its length is known up front (counted by
 * the validator), so pagers and totals work as for a plain string.
 *
 * While the validator is still checking the rest (CheckingJsonText), pages come from the
 * re-indent of the bytes it has accepted so far, never from bytes beyond them.
 */
import type { TextPage } from '../../api/inspect'
import type { JsonCheck } from '../decode/json-check'
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
      if (start === 0) this.prefix = prefixOf(this.bytes, need)
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

/**
 * At least `chars` UTF-16 units of the re-indent of `bytes` (all of it when shorter). Asked for
 * as many UTF-8 bytes first, which is exactly enough for ASCII; only text with multi-byte
 * characters is made again, up to 3 bytes a unit (4 bytes make 2 units).
 */
function prefixOf(bytes: Uint8Array, chars: number): string {
  const first = reindentJsonPrefix(bytes, chars)
  return first.length >= chars || Buffer.byteLength(first) < chars ? first : reindentJsonPrefix(bytes, chars * 3)
}

/**
 * Big JSON whose check has not finished: only the start is known to be JSON. It pages from the
 * re-indent of the bytes the check has accepted so far; a page past them is null (wait for the
 * check, then page the document it leaves). `length` is what is known so far, a lower bound.
 */
export class CheckingJsonText {
  private prefix = ''

  constructor(readonly check: JsonCheck) {}

  /** Characters made so far: the whole text is longer (its end is not checked yet). */
  get length(): number {
    return this.prefix.length
  }

  /** The page, as textPage of the whole re-indented text would give it; null when not checked that far. */
  page(offset: number, maxChars: number): TextPage | null {
    // One character past the page: its surrogate test sees the real text, and it is never the end.
    const need = offset + maxChars + 1
    if (this.prefix.length < need) {
      const accepted = this.check.bytes.subarray(0, this.check.state === 'invalid' ? 0 : this.check.position)
      this.prefix = prefixOf(accepted, need)
    }
    return this.prefix.length >= need ? textPage(this.prefix, offset, maxChars) : null
  }
}

/** A document's text: a string, big JSON made as it is paged, or big JSON still being checked. */
export type DocText = string | LazyJsonText | CheckingJsonText

/** textPage for any form of a document's text (a CheckingJsonText must be able to serve it: see its page). */
export function docTextPage(text: DocText, offset: number, maxChars: number): TextPage {
  if (typeof text === 'string') return textPage(text, offset, maxChars)
  const page = text.page(offset, maxChars)
  if (page === null) throw new Error('this page of the JSON is not checked yet')
  return page
}
