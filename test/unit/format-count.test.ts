/**
 * Counts are written in the UI's language, and follow a language change at once (the number
 * formats are cached per language, so a stale one would keep the old separators).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { i18n } from '../../renderer/src/lib/i18n'
import { formatCount } from '../../renderer/src/lib/format'
import { formatChartCount } from '../../renderer/src/lib/charts/chart-theme'

afterEach(() => {
  i18n.global.locale.value = 'en'
})

describe('formatCount', () => {
  it('groups thousands the way the UI language does, switching with it', () => {
    i18n.global.locale.value = 'en'
    expect(formatCount(1_234_567)).toBe('1,234,567')
    i18n.global.locale.value = 'de'
    expect(formatCount(1_234_567)).toBe('1.234.567')
    expect(formatChartCount(209_984)).toBe('209.984')
    i18n.global.locale.value = 'en'
    expect(formatCount(209_984)).toBe('209,984')
    expect(formatCount(0)).toBe('0')
  })
})
