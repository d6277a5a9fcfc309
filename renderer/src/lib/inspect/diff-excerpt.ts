/**
 * A trimmed diff side (`inspect.diff`) as the editor shows it: the full document's line number
 * of each line of the excerpt, for the gutter. Pure arithmetic over the blocks.
 */
import type { DiffExcerptBlock, DiffExcerptSide } from '@api'

/**
 * Decoded texts up to this many characters are compared whole (they come with the decode);
 * longer ones are trimmed to their changes on the main side first. About 3,000 lines of
 * pretty-printed JSON: Monaco diffs that in a few milliseconds, and a reader still sees it all.
 */
export const TRIM_FROM_CHARS = 64 * 1024

/** For each line of the excerpt (index = line − 1), its full document's line number; 0 on a separator. */
export function excerptLineNumbers(blocks: readonly DiffExcerptBlock[]): Int32Array {
  let length = 0
  for (const block of blocks) length += 'skipped' in block ? 1 : block.count
  const out = new Int32Array(length)
  let at = 0
  for (const block of blocks) {
    if ('skipped' in block) at++
    else for (let i = 0; i < block.count; i++) out[at++] = block.line + i
  }
  return out
}

/**
 * The excerpt's text with each separator line written by `separator` (the UI's language): main
 * writes them in English, and both sides get the same words, so Monaco still pairs them. Kept
 * lines hold no line break (main split the documents into lines), so the blocks index the text's lines.
 */
export function excerptText(side: Pick<DiffExcerptSide, 'text' | 'blocks'>, separator: (count: number) => string): string {
  const lines = side.text.split('\n')
  let at = 0
  for (const block of side.blocks) {
    if ('skipped' in block) lines[at++] = separator(block.skipped)
    else at += block.count
  }
  return lines.join('\n')
}

/** The gutter's label for the excerpt's line `lineNumber` (1-based): the full document's number, or ⋯ on a separator. */
export function gutterLabel(lines: Int32Array, lineNumber: number): string {
  const full = lines[lineNumber - 1]
  return full === undefined ? String(lineNumber) : full === 0 ? '⋯' : String(full)
}
