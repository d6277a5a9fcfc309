/** The results table on stdout and test/bench/results.json. */
import { writeFile } from 'node:fs/promises'

export interface ResultRow {
  scenario: string
  metric: string
  unit: string
  ours: number | null
  reference: number | null
  ratio: number | null
  /** The bound as text, e.g. "ratio <= 1.15"; "info" when there is none. */
  target: string
  /** null when there is no bound or the row was not measured. */
  pass: boolean | null
  lost: number | null
  note?: string
}

const round = (n: number | null, digits = 1) => (n === null ? null : Math.round(n * 10 ** digits) / 10 ** digits)

/** ours/reference against a bound: at most it (a time, lower is better) or at least it (a rate). */
function comparedRow(scenario: string, metric: string, unit: string, ours: number, reference: number, bound: number, lost: number, atLeast: boolean): ResultRow {
  const ratio = reference > 0 ? ours / reference : null
  return {
    scenario,
    metric,
    unit,
    ours: round(ours),
    reference: round(reference),
    ratio: round(ratio, 3),
    target: `ratio ${atLeast ? '>=' : '<='} ${bound}, lost = 0`,
    pass: ratio !== null && (atLeast ? ratio >= bound : ratio <= bound) && lost === 0,
    lost,
  }
}

/** A row comparing ours with the reference; `bound` applies to the ratio. */
export function ratioRow(scenario: string, metric: string, unit: string, ours: number, reference: number, bound: number, lost: number): ResultRow {
  return comparedRow(scenario, metric, unit, ours, reference, bound, lost, false)
}

/** A row comparing a rate (higher is better) with the reference's; ours/reference must reach `minRatio`. */
export function rateRow(scenario: string, metric: string, unit: string, ours: number, reference: number, minRatio: number, lost: number): ResultRow {
  return comparedRow(scenario, metric, unit, ours, reference, minRatio, lost, true)
}

/** A row with an absolute bound (`max`), or an informational one (max undefined). */
export function valueRow(scenario: string, metric: string, unit: string, ours: number, max?: number, reference: number | null = null, lost: number | null = null): ResultRow {
  return {
    scenario,
    metric,
    unit,
    ours: round(ours),
    reference: round(reference),
    ratio: reference ? round(ours / reference, 3) : null,
    target: max === undefined ? 'info' : `<= ${max} ${unit}`,
    pass: max === undefined ? null : ours <= max && (lost === null || lost === 0),
    lost,
  }
}

export function notRunRow(scenario: string, metric: string, unit: string, target: string, why: string): ResultRow {
  return { scenario, metric, unit, ours: null, reference: null, ratio: null, target, pass: null, lost: null, note: `not run yet: ${why}` }
}

export function printTable(rows: ResultRow[]): void {
  const header = ['scenario', 'metric', 'ours', 'reference', 'ratio', 'target', 'pass', 'lost']
  const cells = rows.map((r) => [
    r.scenario,
    r.metric,
    r.ours === null ? '—' : `${r.ours} ${r.unit}`,
    r.reference === null ? '—' : `${r.reference} ${r.unit}`,
    r.ratio === null ? '—' : r.ratio.toFixed(3),
    r.target,
    r.note ? 'NOT RUN' : r.pass === null ? 'info' : r.pass ? 'PASS' : 'FAIL',
    r.lost === null ? '—' : String(r.lost),
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)))
  const line = (c: string[]) => c.map((v, i) => v.padEnd(widths[i])).join('  ')
  console.log(line(header))
  console.log(widths.map((w) => '-'.repeat(w)).join('  '))
  for (const c of cells) console.log(line(c))
  for (const r of rows) if (r.note) console.log(`  ${r.scenario}: ${r.note}`)
}

export async function writeResults(path: string, rows: ResultRow[]): Promise<void> {
  await writeFile(path, JSON.stringify(rows, null, 2) + '\n')
}
