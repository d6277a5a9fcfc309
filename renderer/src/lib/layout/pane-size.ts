/**
 * The arithmetic of a resizable pane, apart from the DOM: sizes clamped to the pane's range and to
 * what its container leaves it, drags, and the window-splitter keys (arrows by a step, Home/End to
 * the ends, Enter to collapse and restore). The pane keeps its size while collapsed, so restoring
 * brings back the width the user chose.
 */

/** The sizes a pane may take, in CSS pixels. */
export interface PaneBounds {
  min: number
  max: number
}

/** A pane's remembered state. */
export interface PaneState {
  size: number
  collapsed: boolean
}

/** Which side of its splitter the pane lies: `before` = left of (or above) it, `after` = right of (or below). */
export type PaneSide = 'before' | 'after'

/** `vertical`: a splitter between panes side by side (arrows Left/Right); `horizontal`: between stacked panes (Up/Down). */
export type SplitterOrientation = 'vertical' | 'horizontal'

/** One arrow press; with Shift, a larger one. */
export const KEY_STEP_PX = 16
export const LARGE_KEY_STEP_PX = 80

/** A drag that leaves less than this share of the minimum collapses the pane. */
const COLLAPSE_SHARE = 0.5

/** `size` rounded and held inside `bounds` (a range whose max is under its min keeps the min). */
export function clampSize(size: number, bounds: PaneBounds): number {
  const max = Math.max(bounds.min, bounds.max)
  if (!Number.isFinite(size)) return bounds.min
  return Math.min(max, Math.max(bounds.min, Math.round(size)))
}

/**
 * The pane's bounds inside a container of `containerPx`, where the other panes need `reservePx`:
 * the pane never pushes its neighbours under their minimum, but never goes under its own either.
 */
export function boundsWithin(own: PaneBounds, containerPx: number, reservePx: number): PaneBounds {
  if (!(containerPx > 0)) return own
  return { min: own.min, max: Math.max(own.min, Math.min(own.max, Math.floor(containerPx - reservePx))) }
}

/**
 * The state while a drag is under way: the pointer moved from `startPos` to `pos` along the axis.
 * Dragged well under the minimum, the pane collapses and keeps the size it had when the drag began.
 */
export function dragTo(start: PaneState, startPos: number, pos: number, side: PaneSide, bounds: PaneBounds): PaneState {
  const base = start.collapsed ? 0 : start.size
  const raw = base + (side === 'before' ? pos - startPos : startPos - pos)
  if (raw < bounds.min * COLLAPSE_SHARE) return { size: clampSize(start.size, bounds), collapsed: true }
  return { size: clampSize(raw, bounds), collapsed: false }
}

/** Enter's effect: collapse, or restore the size kept. */
export function toggleCollapsed(state: PaneState): PaneState {
  return { size: state.size, collapsed: !state.collapsed }
}

/**
 * The state after a key press on the splitter, or null for a key it does not handle. An arrow
 * moves the splitter (so it grows the pane on one side and shrinks it on the other); growing a
 * collapsed pane restores it first.
 */
export function keyToState(key: string, shift: boolean, orientation: SplitterOrientation, side: PaneSide, state: PaneState, bounds: PaneBounds): PaneState | null {
  if (key === 'Enter') return toggleCollapsed(state)
  if (key === 'Home') return { size: bounds.min, collapsed: false }
  if (key === 'End') return { size: clampSize(bounds.max, bounds), collapsed: false }
  const [back, forward] = orientation === 'vertical' ? ['ArrowLeft', 'ArrowRight'] : ['ArrowUp', 'ArrowDown']
  if (key !== back && key !== forward) return null
  const towardsEnd = key === forward
  const grows = side === 'before' ? towardsEnd : !towardsEnd
  const step = shift ? LARGE_KEY_STEP_PX : KEY_STEP_PX
  if (state.collapsed) return grows ? { size: clampSize(state.size, bounds), collapsed: false } : state
  return { size: clampSize(state.size + (grows ? step : -step), bounds), collapsed: false }
}
