/** The size arithmetic of resizable panes: clamping, drags, and the window-splitter keys. */
import { describe, expect, it } from 'vitest'
import { boundsWithin, clampSize, dragTo, KEY_STEP_PX, keyToState, LARGE_KEY_STEP_PX, toggleCollapsed } from '../../renderer/src/lib/layout/pane-size'

const bounds = { min: 200, max: 600 }
const open = (size: number) => ({ size, collapsed: false })

describe('pane sizes', () => {
  it('holds a size inside its bounds, rounded', () => {
    expect(clampSize(150, bounds)).toBe(200)
    expect(clampSize(900, bounds)).toBe(600)
    expect(clampSize(321.6, bounds)).toBe(322)
    expect(clampSize(Number.NaN, bounds)).toBe(200)
    // A range that the window squeezed under its minimum keeps the minimum.
    expect(clampSize(400, { min: 200, max: 120 })).toBe(200)
  })

  it('leaves the other panes their room, but never goes under its own minimum', () => {
    expect(boundsWithin(bounds, 1000, 640)).toEqual({ min: 200, max: 360 })
    expect(boundsWithin(bounds, 2000, 640)).toEqual({ min: 200, max: 600 })
    expect(boundsWithin(bounds, 700, 640)).toEqual({ min: 200, max: 200 })
    expect(boundsWithin(bounds, 0, 640)).toEqual(bounds)
  })

  it('follows a drag on either side of the splitter, and collapses when dragged far under the minimum', () => {
    expect(dragTo(open(300), 500, 560, 'before', bounds)).toEqual(open(360))
    expect(dragTo(open(300), 500, 560, 'after', bounds)).toEqual(open(240))
    expect(dragTo(open(300), 500, 2000, 'before', bounds)).toEqual(open(600))
    expect(dragTo(open(300), 500, 380, 'before', bounds)).toEqual(open(200))
    expect(dragTo(open(300), 500, 250, 'before', bounds)).toEqual({ size: 300, collapsed: true })
    // Dragging a collapsed pane open starts from nothing.
    expect(dragTo({ size: 300, collapsed: true }, 10, 260, 'before', bounds)).toEqual(open(250))
  })

  it('moves the splitter by a step per arrow, and by more with Shift', () => {
    expect(keyToState('ArrowRight', false, 'vertical', 'before', open(300), bounds)).toEqual(open(300 + KEY_STEP_PX))
    expect(keyToState('ArrowLeft', false, 'vertical', 'before', open(300), bounds)).toEqual(open(300 - KEY_STEP_PX))
    expect(keyToState('ArrowLeft', true, 'vertical', 'after', open(300), bounds)).toEqual(open(300 + LARGE_KEY_STEP_PX))
    expect(keyToState('ArrowDown', false, 'horizontal', 'before', open(300), bounds)).toEqual(open(300 + KEY_STEP_PX))
    expect(keyToState('ArrowRight', false, 'vertical', 'before', open(595), bounds)).toEqual(open(600))
    expect(keyToState('ArrowUp', false, 'vertical', 'before', open(300), bounds)).toBeNull()
    expect(keyToState('a', false, 'vertical', 'before', open(300), bounds)).toBeNull()
  })

  it('goes to the ends with Home and End, and collapses and restores with Enter', () => {
    expect(keyToState('Home', false, 'vertical', 'before', open(300), bounds)).toEqual(open(200))
    expect(keyToState('End', false, 'vertical', 'before', open(300), bounds)).toEqual(open(600))
    const collapsed = keyToState('Enter', false, 'vertical', 'before', open(333), bounds)
    expect(collapsed).toEqual({ size: 333, collapsed: true })
    expect(toggleCollapsed(collapsed!)).toEqual(open(333))
    // An arrow that grows a collapsed pane shows it at its kept size; one that shrinks it does nothing.
    expect(keyToState('ArrowRight', false, 'vertical', 'before', { size: 333, collapsed: true }, bounds)).toEqual(open(333))
    expect(keyToState('ArrowLeft', false, 'vertical', 'before', { size: 333, collapsed: true }, bounds)).toEqual({ size: 333, collapsed: true })
  })
})
