/**
 * Keyboard rules of the tree (WAI-ARIA tree pattern), as a pure decision so the component only
 * carries them out. The rows outside the held window are unknown here; the component handles
 * the cases that need them (moving to a parent far above, type-ahead beyond the window).
 */
import type { TreeRow } from '@api'

export type TreeKeyAction =
  | { kind: 'focus'; index: number }
  | { kind: 'expand'; path: string; action: 'expand' | 'collapse' | 'subtree' }
  | { kind: 'parent'; row: TreeRow }
  | { kind: 'select'; row: TreeRow }
  | { kind: 'typeahead'; char: string }
  | { kind: 'none' }

export interface KeyContext {
  key: string
  index: number
  row: TreeRow | undefined
  totalRows: number
  pageRows: number
  hasModifier: boolean
}

/** What a key press on the focused row means. */
export function treeKeyAction(ctx: KeyContext): TreeKeyAction {
  const last = Math.max(0, ctx.totalRows - 1)
  const clamp = (i: number) => ({ kind: 'focus' as const, index: Math.max(0, Math.min(last, i)) })
  const row = ctx.row
  switch (ctx.key) {
    case 'ArrowDown':
      return clamp(ctx.index + 1)
    case 'ArrowUp':
      return clamp(ctx.index - 1)
    case 'Home':
      return clamp(0)
    case 'End':
      return clamp(last)
    case 'PageDown':
      return clamp(ctx.index + ctx.pageRows)
    case 'PageUp':
      return clamp(ctx.index - ctx.pageRows)
    case 'ArrowRight':
      if (!row || !row.hasChildren) return { kind: 'none' }
      return row.expanded ? clamp(ctx.index + 1) : { kind: 'expand', path: row.path, action: 'expand' }
    case 'ArrowLeft':
      if (!row) return { kind: 'none' }
      if (row.expanded) return { kind: 'expand', path: row.path, action: 'collapse' }
      return row.depth > 0 ? { kind: 'parent', row } : { kind: 'none' }
    case '*':
      return row && row.hasChildren ? { kind: 'expand', path: row.path, action: 'subtree' } : { kind: 'none' }
    case 'Enter':
    case ' ':
      return row ? { kind: 'select', row } : { kind: 'none' }
    case '?':
      // The app's "show keyboard shortcuts" key; the window's command registry takes it.
      return { kind: 'none' }
    default:
      if (!ctx.hasModifier && ctx.key.length === 1 && ctx.key !== ' ') return { kind: 'typeahead', char: ctx.key }
      return { kind: 'none' }
  }
}

/**
 * Type-ahead: the next row (after `from`, wrapping) whose level name starts with `prefix`,
 * among the rows we hold; -1 if none.
 */
export function findByPrefix(rows: ReadonlyArray<{ index: number; name: string }>, from: number, prefix: string): number {
  const p = prefix.toLowerCase()
  const n = rows.length
  if (n === 0) return -1
  let start = rows.findIndex((r) => r.index > from)
  if (start === -1) start = 0
  // A repeated single letter cycles through matches; a longer prefix may stay on the current row.
  for (let k = 0; k < n; k++) {
    const r = rows[(start + k) % n]
    if (r.name.toLowerCase().startsWith(p)) return r.index
  }
  return -1
}

/**
 * Type-ahead among the held rows, but only when that answer is the one a search of every row
 * would give: a match after `from` with every row in between held, or any answer (no match
 * included) when the held rows are all the rows there are. undefined: ask the main side.
 */
export function findByPrefixIfCertain(rows: ReadonlyArray<{ index: number; name: string }>, from: number, prefix: string, totalRows: number): number | undefined {
  const n = rows.length
  if (n === 0) return totalRows === 0 ? -1 : undefined
  // One window, so the held rows are contiguous unless a row is missing; then nothing is certain.
  const first = rows[0].index
  if (rows[n - 1].index - first !== n - 1) return undefined
  const hit = findByPrefix(rows, from, prefix)
  if (first === 0 && n === totalRows) return hit
  return hit > from && from + 1 >= first ? hit : undefined
}
