/** CSV export of a chart: a time column in ISO 8601 UTC with milliseconds, one column per series, RFC 4180 quoting. */
import { describe, expect, it } from 'vitest'
import { chartCsv, csvCell } from '../../renderer/src/lib/charts/chart-csv'
import { ChartTable } from '../../renderer/src/lib/charts/chart-table'

describe('chart CSV', () => {
  it('writes one line per time with an empty cell where a series has no point', () => {
    const table = new ChartTable()
    const t0 = Date.UTC(2026, 0, 2, 3, 4, 5, 6)
    table.add('a', [t0, t0 + 1], [1.5, -2])
    table.add('b', [t0 + 1, t0 + 1000], [1e21, 0.1 + 0.2])
    expect(chartCsv(table, ['temp', 'power'])).toBe(
      'time,temp,power\r\n' +
        '2026-01-02T03:04:05.006Z,1.5,\r\n' +
        '2026-01-02T03:04:05.007Z,-2,1e+21\r\n' +
        '2026-01-02T03:04:06.006Z,,0.30000000000000004\r\n',
    )
  })

  it('quotes labels with commas, quotes, line breaks or edge spaces', () => {
    expect(csvCell('plant/line1 /temp')).toBe('plant/line1 /temp')
    expect(csvCell('a,b')).toBe('"a,b"')
    expect(csvCell('say "hi"')).toBe('"say ""hi"""')
    expect(csvCell('two\nlines')).toBe('"two\nlines"')
    expect(csvCell(' padded')).toBe('" padded"')
    const table = new ChartTable()
    table.add('a', [0], [1])
    expect(chartCsv(table, ['x,y']).split('\r\n')[0]).toBe('time,"x,y"')
  })

  it('writes only the header for an empty chart', () => {
    expect(chartCsv(new ChartTable(), [])).toBe('time\r\n')
  })
})
