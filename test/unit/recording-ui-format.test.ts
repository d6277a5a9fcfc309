import { describe, expect, it } from 'vitest'
import { formatDuration, parseFilters, remapRules, secondsToUs } from '../../renderer/src/lib/recording/format'

describe('recording UI helpers', () => {
  it('formats durations like a clock', () => {
    expect(formatDuration(0)).toBe('0:00')
    expect(formatDuration(65_000)).toBe('1:05')
    expect(formatDuration(3_723_000)).toBe('1:02:03')
  })

  it('turns remap rows into rules, skipping blank rows', () => {
    const out = remapRules([
      { kind: 'prefix', from: 'a/', to: 'b/' },
      { kind: 'prefix', from: '', to: '' },
      { kind: 'regex', from: '^x/(.*)$', to: 'y/$1' },
    ])
    expect(out.error).toBeNull()
    expect(out.rules).toEqual([
      { kind: 'prefix', from: 'a/', to: 'b/' },
      { kind: 'regex', pattern: '^x/(.*)$', replacement: 'y/$1' },
    ])
  })

  it('names the row of an invalid regular expression', () => {
    expect(remapRules([{ kind: 'regex', from: '(', to: 'z' }]).error).toMatch(/^Rule 1:/)
  })

  it('parses filters and window seconds', () => {
    expect(parseFilters('a/#, b/+\n\n c')).toEqual(['a/#', 'b/+', 'c'])
    expect(secondsToUs('')).toBeUndefined()
    expect(secondsToUs('1.5')).toBe(1_500_000)
    expect(secondsToUs('-1')).toBeUndefined()
  })
})
