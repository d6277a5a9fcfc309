/**
 * Paging of decoded text: Monaco shows one page at a time (never 16 MB at once), and the diff
 * gathers whole documents up to a cap. Pure arithmetic over offsets and totals.
 */
import { MAX_DIFF_TEXT_CHARS } from '@api'
import { formatCount } from '../format'
import { t } from '../i18n'

/** Characters a page of the inspector shows: big enough to read, small enough for Monaco to lay out (wrap) and paint at once (256K took ~4x as long). */
export const VIEW_PAGE_CHARS = 64 * 1024
/** Largest decoded text the diff fetches per side (the main side's trimming compares as much). */
export const DIFF_CAP_CHARS = MAX_DIFF_TEXT_CHARS

/** Page count for `totalChars` (at least one, so an empty document still has a page). */
export function pageCount(totalChars: number, pageChars = VIEW_PAGE_CHARS): number {
  return Math.max(1, Math.ceil(totalChars / pageChars))
}

/** The page holding `offset`. */
export function pageOf(offset: number, pageChars = VIEW_PAGE_CHARS): number {
  return Math.floor(Math.max(0, offset) / pageChars)
}

/**
 * "Characters 262,145–524,288 of 16,777,216" (1-based, inclusive), for the page controls; with
 * `known` false (big JSON whose rest is still being checked, `totalChars` a lower bound) the
 * total is not claimed: "Characters 1–65,536, checking the rest…". In the UI's language, its
 * numbers written the language's way.
 */
export function pageLabel(page: number, totalChars: number, pageChars = VIEW_PAGE_CHARS, known = true): string {
  const from = Math.min(totalChars, page * pageChars)
  const to = Math.min(totalChars, from + pageChars)
  const range = { from: formatCount(from + (to > from ? 1 : 0)), to: formatCount(to) }
  return known ? t('inspector.text.pageOf', { ...range, total: formatCount(totalChars) }) : t('inspector.text.pageChecking', range)
}

/** Offsets of the pages still to fetch to reach `min(totalChars, cap)` after `have` characters. */
export function remainingOffsets(have: number, totalChars: number, cap: number, pageChars: number): number[] {
  const out: number[] = []
  for (let at = have; at < Math.min(totalChars, cap); at += pageChars) out.push(at)
  return out
}
