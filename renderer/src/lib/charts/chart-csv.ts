/**
 * A chart as CSV (RFC 4180): a header `time` plus one column per series (its label), then one
 * line per time, the time as ISO 8601 UTC with milliseconds and an empty cell where a series has
 * no point at that time. Numbers keep JavaScript's shortest round-trip form.
 */
import { hasValue, type ChartTable } from './chart-table'

/** A cell quoted when it must be (comma, quote, line break, or leading/trailing space). */
export function csvCell(text: string): string {
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** The table's rows [i0, i1) (all by default) as CSV text, lines ended by CRLF. */
export function chartCsv(table: ChartTable, labels: readonly string[], i0 = 0, i1 = table.x.length): string {
  const lines: string[] = [['time', ...labels].map(csvCell).join(',')]
  for (let i = i0; i < i1; i++) {
    let line = new Date(table.x[i]).toISOString()
    for (const col of table.ys) {
      const v = col[i]
      line += ',' + (hasValue(v) ? String(v) : '')
    }
    lines.push(line)
  }
  return lines.join('\r\n') + '\r\n'
}
