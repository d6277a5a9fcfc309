/**
 * Two decoded documents with their long unchanged stretches left out: every changed line stays,
 * with a few unchanged lines around it, and each stretch left out becomes one separator line on
 * both sides. Monaco then diffs a few thousand lines instead of two 100,000-line documents, and
 * the renderer shows the full documents' line numbers from the blocks.
 */
import type { DiffExcerpt, DiffExcerptBlock, DiffExcerptSide } from '../../api/inspect'
import { matchedRuns, type LineDiffBudget, type MatchedRun } from './line-diff'

/**
 * Two 1 MB JSON documents (110,708 lines, 191 changed values) take 382 edits and under 300,000
 * steps: 12–40 ms in all on the shared 2-core VM. The bounds stop a hopeless search (two
 * 100,000-line documents with nothing in common) after about 100 ms of the main side's time;
 * the view then compares the documents whole, as it did before trimming. The search keeps
 * (edits + 1)² / 2 integers to walk back: at most 18 MB for 3,000 edits.
 */
export const EXCERPT_BUDGET: LineDiffBudget = { maxEdits: 3000, maxSteps: 8_000_000 }
/** A stretch shorter than this stays: its separator would hide next to nothing. */
const MIN_SKIPPED_LINES = 3

/** Lines as Monaco counts them (CRLF, CR and LF all end a line). */
export function splitLines(text: string): string[] {
  // Most texts have no CR: splitting on one character is several times faster than the pattern.
  return text.includes('\r') ? text.split(/\r\n|\r|\n/) : text.split('\n')
}

/** The separator shown for `count` lines left out (the same on both sides, so Monaco pairs them). */
export function separatorLine(count: number): string {
  return `⋯ ${count.toLocaleString('en-US')} unchanged ${count === 1 ? 'line' : 'lines'} ⋯`
}

interface Kept {
  a0: number
  a1: number
  b0: number
  b1: number
}

/** `left` and `right` trimmed to their changes with `contextLines` around each (see the module comment). */
export function diffExcerpt(left: string, right: string, contextLines: number, budget: LineDiffBudget = EXCERPT_BUDGET): DiffExcerpt {
  const a = splitLines(left)
  const b = splitLines(right)
  const runs = matchedRuns(a, b, budget)
  if (runs === null) return { trimmed: false, reason: 'The two messages differ in too many places to pick out the changes quickly, so they are compared whole.', reasonCode: 'tooDifferent' }
  const kept = keptRanges(runs, a.length, b.length, contextLines)
  return { trimmed: true, left: side(a, kept, 'a'), right: side(b, kept, 'b') }
}

/** Kept line ranges on both sides, in order; the gaps between them are unchanged stretches, equal on both sides. */
function keptRanges(runs: MatchedRun[], n: number, m: number, context: number): Kept[] {
  const kept: Kept[] = []
  const keep = (a0: number, a1: number, b0: number, b1: number): void => {
    if (a1 <= a0 && b1 <= b0) return
    const last = kept[kept.length - 1]
    if (last !== undefined && last.a1 === a0 && last.b1 === b0) {
      last.a1 = a1
      last.b1 = b1
    } else kept.push({ a0, a1, b0, b1 })
  }
  let pa = 0
  let pb = 0
  for (const run of [...runs, { aStart: n, bStart: m, length: 0 }]) {
    // The changed lines before this run, whole.
    keep(pa, run.aStart, pb, run.bStart)
    const atStart = run.aStart === 0 && run.bStart === 0
    const atEnd = run.aStart + run.length === n && run.bStart + run.length === m
    const head = atStart ? 0 : context
    const tail = atEnd ? 0 : context
    if (run.length - head - tail >= MIN_SKIPPED_LINES) {
      keep(run.aStart, run.aStart + head, run.bStart, run.bStart + head)
      const ta = run.aStart + run.length - tail
      const tb = run.bStart + run.length - tail
      keep(ta, ta + tail, tb, tb + tail)
    } else keep(run.aStart, run.aStart + run.length, run.bStart, run.bStart + run.length)
    pa = run.aStart + run.length
    pb = run.bStart + run.length
  }
  return kept
}

function side(lines: string[], kept: Kept[], which: 'a' | 'b'): DiffExcerptSide {
  const out: string[] = []
  const blocks: DiffExcerptBlock[] = []
  let at = 0
  const skip = (to: number): void => {
    if (to <= at) return
    blocks.push({ skipped: to - at })
    out.push(separatorLine(to - at))
  }
  for (const k of kept) {
    const from = which === 'a' ? k.a0 : k.b0
    const to = which === 'a' ? k.a1 : k.b1
    skip(from)
    at = Math.max(at, from)
    if (to > from) {
      blocks.push({ line: from + 1, count: to - from })
      for (let i = from; i < to; i++) out.push(lines[i])
      at = to
    }
  }
  skip(lines.length)
  return { text: out.join('\n'), blocks, totalLines: lines.length }
}
