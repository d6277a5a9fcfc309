/**
 * The diff view's excerpt (core/inspect/line-diff.ts + diff-excerpt.ts): the matched runs are
 * true and as long as a shortest edit script allows (checked against a dynamic-programming LCS on
 * random documents), every changed line is kept with its context and its full document's line
 * number, both sides leave out the same stretches, changes in the first and the last line stay,
 * a search over its budget says so instead of running on, and the renderer's gutter numbers each
 * excerpt line as its full document does.
 */
import { describe, expect, it } from 'vitest'
import type { DiffExcerptBlock, DiffExcerptSide } from '../../electron/api'
import { diffExcerpt, separatorLine, splitLines } from '../../electron/core/inspect/diff-excerpt'
import { matchedRuns, type MatchedRun } from '../../electron/core/inspect/line-diff'
import { excerptLineNumbers, gutterLabel } from '../../renderer/src/lib/inspect/diff-excerpt'

const WIDE = { maxEdits: 100_000, maxSteps: 1e12 }

/** Length of a longest common subsequence, by the textbook table. */
function lcsLength(a: string[], b: string[]): number {
  let prev = new Array<number>(b.length + 1).fill(0)
  for (let i = 1; i <= a.length; i++) {
    const row = new Array<number>(b.length + 1).fill(0)
    for (let j = 1; j <= b.length; j++) row[j] = a[i - 1] === b[j - 1] ? prev[j - 1] + 1 : Math.max(prev[j], row[j - 1])
    prev = row
  }
  return prev[b.length]
}

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

function runsOf(a: string[], b: string[]): MatchedRun[] {
  const runs = matchedRuns(a, b, WIDE)
  if (runs === null) throw new Error('no runs within a wide budget')
  return runs
}

/** The full documents' line number of each excerpt line (0 for a separator). */
function lineNumbers(blocks: DiffExcerptBlock[]): number[] {
  const out: number[] = []
  for (const block of blocks) {
    if ('skipped' in block) out.push(0)
    else for (let i = 0; i < block.count; i++) out.push(block.line + i)
  }
  return out
}

function trimmed(left: string, right: string, context = 3): { left: DiffExcerptSide; right: DiffExcerptSide } {
  const excerpt = diffExcerpt(left, right, context)
  if (!excerpt.trimmed) throw new Error(excerpt.reason)
  return excerpt
}

/** Pretty JSON of `count` readings; `changed` readings get another value. */
function readings(count: number, changed: (i: number) => boolean = () => false): string {
  return JSON.stringify(Array.from({ length: count }, (_, i) => ({ id: i, name: `sensor-${i}`, ok: i % 3 !== 0, value: changed(i) ? -1 : i / 10 })), null, 2)
}

describe('matched runs', () => {
  it('are true matches, in order, and as long as a longest common subsequence', () => {
    const next = random(7)
    for (let round = 0; round < 200; round++) {
      const alphabet = 1 + Math.floor(next() * 6)
      const line = () => `l${Math.floor(next() * alphabet)}`
      const a = Array.from({ length: Math.floor(next() * 40) }, line)
      const b = next() < 0.5 ? Array.from({ length: Math.floor(next() * 40) }, line) : a.map((l) => (next() < 0.2 ? line() : l)).filter(() => next() > 0.1)
      const runs = runsOf(a, b)
      let ai = 0
      let bi = 0
      let total = 0
      for (const r of runs) {
        expect(r.length).toBeGreaterThan(0)
        expect(r.aStart).toBeGreaterThanOrEqual(ai)
        expect(r.bStart).toBeGreaterThanOrEqual(bi)
        for (let i = 0; i < r.length; i++) expect(a[r.aStart + i]).toBe(b[r.bStart + i])
        ai = r.aStart + r.length
        bi = r.bStart + r.length
        total += r.length
      }
      expect(total).toBe(lcsLength(a, b))
    }
  })

  it('gives up with null when the documents need more edits than the budget allows', () => {
    const a = Array.from({ length: 2000 }, (_, i) => `a${i}`)
    const b = Array.from({ length: 2000 }, (_, i) => `b${i}`)
    expect(matchedRuns(a, b, { maxEdits: 100, maxSteps: 1e9 })).toBeNull()
    expect(matchedRuns(a, b, { maxEdits: 10_000, maxSteps: 5000 })).toBeNull()
    expect(matchedRuns(a, b, WIDE)).toEqual([])
  })
})

describe('diff excerpt', () => {
  it('keeps every changed line with its context and the full documents’ line numbers', () => {
    const changed = (i: number) => i % 97 === 0
    const left = readings(2000)
    const right = readings(2000, changed)
    const { left: l, right: r } = trimmed(left, right)
    const full = { left: splitLines(left), right: splitLines(right) }
    expect(l.totalLines).toBe(full.left.length)
    expect(r.totalLines).toBe(full.right.length)
    for (const [side, lines] of [[l, full.left], [r, full.right]] as const) {
      const text = splitLines(side.text)
      const numbers = lineNumbers(side.blocks)
      expect(numbers.length).toBe(text.length)
      // Each kept line is its full document's line of that number.
      numbers.forEach((n, i) => (n === 0 ? expect(text[i]).toMatch(/^⋯ [\d,]+ unchanged lines ⋯$/) : expect(text[i]).toBe(lines[n - 1])))
    }
    // Every line that differs is kept on both sides (here each change is one value line).
    const rightNumbers = new Set(lineNumbers(r.blocks))
    const leftNumbers = new Set(lineNumbers(l.blocks))
    full.right.forEach((line, i) => {
      if (line !== full.left[i]) {
        expect(rightNumbers.has(i + 1)).toBe(true)
        expect(leftNumbers.has(i + 1)).toBe(true)
        // Three lines of context around it.
        for (const d of [-3, -1, 1, 3]) expect(rightNumbers.has(i + 1 + d)).toBe(true)
      }
    })
    // Much smaller than the documents, and the same stretches left out on both sides.
    expect(splitLines(r.text).length).toBeLessThan(full.right.length / 5)
    expect(l.blocks.filter((b) => 'skipped' in b)).toEqual(r.blocks.filter((b) => 'skipped' in b))
  })

  it('keeps a change in the first line and one in the last line', () => {
    const lines = Array.from({ length: 5000 }, (_, i) => `line ${i}`)
    const left = lines.join('\n')
    const right = ['first changed', ...lines.slice(1, -1), 'last changed'].join('\n')
    const { left: l, right: r } = trimmed(left, right)
    expect(r.blocks[0]).toEqual({ line: 1, count: 4 })
    expect(r.blocks.at(-1)).toEqual({ line: 4997, count: 4 })
    expect(r.blocks[1]).toEqual({ skipped: 4992 })
    expect(splitLines(r.text)[0]).toBe('first changed')
    expect(splitLines(r.text).at(-1)).toBe('last changed')
    expect(splitLines(l.text)[0]).toBe('line 0')
    expect(splitLines(l.text).at(-1)).toBe('line 4999')
    expect(splitLines(r.text)[4]).toBe(separatorLine(4992))
  })

  it('keeps inserted and deleted stretches with the lines around them', () => {
    const lines = Array.from({ length: 3000 }, (_, i) => `line ${i}`)
    const right = [...lines.slice(0, 1000), 'new a', 'new b', ...lines.slice(1000, 2000), ...lines.slice(2010)]
    const { left: l, right: r } = trimmed(lines.join('\n'), right.join('\n'))
    expect(l.blocks).toEqual([{ skipped: 997 }, { line: 998, count: 6 }, { skipped: 994 }, { line: 1998, count: 16 }, { skipped: 987 }])
    expect(r.blocks).toEqual([{ skipped: 997 }, { line: 998, count: 8 }, { skipped: 994 }, { line: 2000, count: 6 }, { skipped: 987 }])
  })

  it('leaves identical documents as one separator per side, and tiny ones whole', () => {
    const text = readings(500)
    const same = trimmed(text, text)
    expect(same.left.blocks).toEqual([{ skipped: splitLines(text).length }])
    expect(same.right.text).toBe(separatorLine(splitLines(text).length))
    const small = trimmed('a\nb\nc', 'a\nx\nc')
    expect(small.right.text).toBe('a\nx\nc')
    expect(small.right.blocks).toEqual([{ line: 1, count: 3 }])
  })

  it('counts lines as Monaco does (CRLF, CR and LF)', () => {
    expect(splitLines('a\r\nb\rc\nd')).toEqual(['a', 'b', 'c', 'd'])
  })

  it('answers trimmed: false with a reason when the documents are too different for the budget', () => {
    const a = Array.from({ length: 3000 }, (_, i) => `a${i}`).join('\n')
    const b = Array.from({ length: 3000 }, (_, i) => `b${i}`).join('\n')
    const excerpt = diffExcerpt(a, b, 3, { maxEdits: 1000, maxSteps: 1e9 })
    expect(excerpt).toEqual({ trimmed: false, reason: expect.stringMatching(/compared whole/), reasonCode: 'tooDifferent' })
  })
})

describe('the renderer’s gutter for a trimmed side', () => {
  it('numbers each excerpt line as its full document does, and a separator as ⋯', () => {
    const lines = Array.from({ length: 5000 }, (_, i) => `line ${i}`)
    const right = ['first changed', ...lines.slice(1, -1), 'last changed'].join('\n')
    const { right: r } = trimmed(lines.join('\n'), right)
    const numbers = excerptLineNumbers(r.blocks)
    expect(Array.from(numbers)).toEqual(lineNumbers(r.blocks))
    const labels = Array.from({ length: numbers.length }, (_, i) => gutterLabel(numbers, i + 1))
    expect(labels).toEqual(['1', '2', '3', '4', '⋯', '4997', '4998', '4999', '5000'])
    // Past the excerpt (never asked by Monaco, but harmless): its own number.
    expect(gutterLabel(numbers, 10)).toBe('10')
  })
})
