/**
 * Layout checks on the page's bounding boxes: which of the named elements overlap one another,
 * and whether a row of controls shares one top. Boxes are measured as the user sees them: cut to
 * every scrolling or clipping ancestor, so a part scrolled out of its pane is not counted.
 */
import type { Page } from 'playwright-core'

export interface Box {
  name: string
  x: number
  y: number
  width: number
  height: number
}

/** True when `a` and `b` share an area more than `tolerancePx` deep on both axes. */
export function overlaps(a: Box, b: Box, tolerancePx = 1): boolean {
  const dx = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)
  const dy = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)
  return dx > tolerancePx && dy > tolerancePx
}

/** Every overlapping pair, as "a ∩ b" with the boxes, for a readable failure. */
export function findOverlaps(boxes: readonly Box[], tolerancePx = 1): string[] {
  const found: string[] = []
  const fmt = (b: Box): string => `${b.name} [${Math.round(b.x)},${Math.round(b.y)} ${Math.round(b.width)}×${Math.round(b.height)}]`
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) if (overlaps(boxes[i], boxes[j], tolerancePx)) found.push(`${fmt(boxes[i])} ∩ ${fmt(boxes[j])}`)
  return found
}

/** The spread of the boxes' tops (0 when they all start on the same line). */
export function topSpread(boxes: readonly Box[]): number {
  if (boxes.length === 0) return 0
  const tops = boxes.map((b) => b.y)
  return Math.max(...tops) - Math.min(...tops)
}

/**
 * The visible boxes of every element matching each selector (named `label` or `label #n`), each cut
 * to its clipping ancestors; hidden, empty or fully clipped elements are left out.
 */
export async function visibleBoxes(page: Page, selectors: Record<string, string>): Promise<Box[]> {
  return page.evaluate((entries) => {
    const out: Array<{ name: string; x: number; y: number; width: number; height: number }> = []
    for (const [label, selector] of entries) {
      const els = Array.from(document.querySelectorAll(selector))
      els.forEach((el, n) => {
        const style = getComputedStyle(el)
        if (style.visibility === 'hidden' || style.display === 'none') return
        const r = el.getBoundingClientRect()
        let left = r.left
        let top = r.top
        let right = r.right
        let bottom = r.bottom
        for (let p = el.parentElement; p; p = p.parentElement) {
          const ps = getComputedStyle(p)
          if (ps.overflowX === 'visible' && ps.overflowY === 'visible') continue
          const c = p.getBoundingClientRect()
          left = Math.max(left, c.left)
          top = Math.max(top, c.top)
          right = Math.min(right, c.right)
          bottom = Math.min(bottom, c.bottom)
        }
        right = Math.min(right, window.innerWidth)
        bottom = Math.min(bottom, window.innerHeight)
        if (right - left < 1 || bottom - top < 1) return
        out.push({ name: els.length > 1 ? `${label} #${n + 1}` : label, x: left, y: top, width: right - left, height: bottom - top })
      })
    }
    return out
  }, Object.entries(selectors))
}
