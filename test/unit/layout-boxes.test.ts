/**
 * The e2e layout helper's arithmetic: it must report a real overlap (or the layout e2e could
 * never fail), and must not report boxes that only touch.
 */
import { describe, expect, it } from 'vitest'
import { findOverlaps, overlaps, topSpread, type Box } from '../e2e/layout-boxes'

const box = (name: string, x: number, y: number, width: number, height: number): Box => ({ name, x, y, width, height })

describe('layout boxes', () => {
  it('reports two boxes that share an area', () => {
    expect(overlaps(box('a', 0, 0, 100, 20), box('b', 50, 10, 100, 20))).toBe(true)
    expect(findOverlaps([box('History', 10, 400, 200, 20), box('payload', 10, 300, 400, 110), box('far', 600, 0, 10, 10)])).toEqual([
      'History [10,400 200×20] ∩ payload [10,300 400×110]',
    ])
  })

  it('does not report boxes that touch or overlap by less than the tolerance', () => {
    expect(overlaps(box('a', 0, 0, 100, 20), box('b', 100, 0, 100, 20))).toBe(false)
    expect(overlaps(box('a', 0, 0, 100, 20), box('b', 0, 19.5, 100, 20))).toBe(false)
    expect(findOverlaps([box('a', 0, 0, 10, 10), box('b', 0, 10, 10, 10), box('c', 10, 0, 10, 10)])).toEqual([])
  })

  it('measures how far a row of controls spreads vertically', () => {
    expect(topSpread([box('a', 0, 40, 10, 20), box('b', 20, 42, 10, 16)])).toBe(2)
    expect(topSpread([box('a', 0, 40, 10, 20), box('b', 0, 70, 10, 20)])).toBe(30)
    expect(topSpread([])).toBe(0)
  })
})
