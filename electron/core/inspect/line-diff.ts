/**
 * Which lines two documents share, in order: the matched runs of a shortest edit script
 * (Myers' O(ND) greedy algorithm), with a budget. The diff view uses the runs only
 * to leave long unchanged stretches out of what it sends; Monaco diffs what is left, so a run
 * here never has to be the prettiest alignment, only a true one.
 */

/** A run of equal lines: `a[aStart + i] === b[bStart + i]` for `i < length` (0-based lines). */
export interface MatchedRun {
  aStart: number
  bStart: number
  length: number
}

export interface LineDiffBudget {
  /** Most insertions + deletions searched for; beyond it the answer is null. */
  maxEdits: number
  /** Most line comparisons and diagonal steps; beyond it the answer is null (bounds the time). */
  maxSteps: number
}

/**
 * The matched runs (in order, none empty, adjacent ones merged) of a shortest edit script from
 * `a` to `b`, or null when it needs more than the budget allows. Common head and tail lines are
 * matched first, so a change in one place costs only the lines around it.
 */
export function matchedRuns(a: readonly string[], b: readonly string[], budget: LineDiffBudget): MatchedRun[] | null {
  let head = 0
  const shorter = Math.min(a.length, b.length)
  while (head < shorter && a[head] === b[head]) head++
  let tail = 0
  while (tail < shorter - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++
  const inner = middleRuns(a, b, head, a.length - tail, b.length - tail, budget)
  if (inner === null) return null
  const runs: MatchedRun[] = []
  const push = (aStart: number, bStart: number, length: number): void => {
    if (length <= 0) return
    const last = runs[runs.length - 1]
    if (last !== undefined && last.aStart + last.length === aStart && last.bStart + last.length === bStart) last.length += length
    else runs.push({ aStart, bStart, length })
  }
  push(0, 0, head)
  for (const r of inner) push(r.aStart, r.bStart, r.length)
  push(a.length - tail, b.length - tail, tail)
  return runs
}

/**
 * Myers' forward search over a[from, aEnd) and b[from, bEnd), in coordinates relative to `from`.
 * `trace[d]` keeps the furthest x on each diagonal k = x − y reached with d edits (only the
 * diagonals of d's parity, at index (k + d) / 2), which is what the walk back from the end needs
 * to find each step's snake. Lines are compared as strings: V8 compares lengths, then cached
 * hashes, then characters, which is faster here than giving 200,000 lines ids through a Map first.
 */
function middleRuns(a: readonly string[], b: readonly string[], from: number, aEnd: number, bEnd: number, budget: LineDiffBudget): MatchedRun[] | null {
  const n = aEnd - from
  const m = bEnd - from
  if (n <= 0 || m <= 0) return []
  const maxD = Math.min(n + m, budget.maxEdits)
  // v[k + offset]: furthest x on diagonal k so far.
  const offset = maxD + 1
  const v = new Int32Array(2 * maxD + 3)
  const trace: Int32Array[] = []
  let steps = 0
  for (let d = 0; d <= maxD; d++) {
    const row = new Int32Array(d + 1)
    for (let k = -d; k <= d; k += 2) {
      // Step down (an insertion) from diagonal k+1, or right (a deletion) from k−1, whichever went further.
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1
      let y = x - k
      const snakeFrom = x
      while (x < n && y < m && a[from + x] === b[from + y]) {
        x++
        y++
      }
      steps += 1 + x - snakeFrom
      if (steps > budget.maxSteps) return null
      v[offset + k] = x
      row[(k + d) >> 1] = x
      if (x >= n && y >= m) {
        trace.push(row)
        return walkBack(trace, n, m, from)
      }
    }
    trace.push(row)
  }
  return null
}

/** The snakes of the path that reached (n, m) with trace.length − 1 edits, first to last (shifted by `from`). */
function walkBack(trace: Int32Array[], n: number, m: number, from: number): MatchedRun[] {
  const runs: MatchedRun[] = []
  let x = n
  let y = m
  for (let d = trace.length - 1; d > 0; d--) {
    const k = x - y
    const previous = trace[d - 1]
    const at = (kk: number): number => previous[(kk + d - 1) >> 1]
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1))
    const prevK = down ? k + 1 : k - 1
    const prevX = at(prevK)
    const prevY = prevX - prevK
    // The edit lands at (startX, startY); the snake runs from there to (x, y).
    const startX = down ? prevX : prevX + 1
    const startY = startX - k
    if (x > startX) runs.push({ aStart: from + startX, bStart: from + startY, length: x - startX })
    x = prevX
    y = prevY
  }
  if (x > 0) runs.push({ aStart: from, bStart: from, length: x })
  return runs.reverse()
}
