/**
 * Keyboard stepping through a topic's history list: ↑/k newer, ↓/j older, Home the newest, End
 * the oldest loaded, Enter shows the entry under the cursor. Pure, so the model is tested alone.
 */

export type HistoryKeyAction =
  /** Move the cursor to `index` and show that entry. */
  | { kind: 'move'; index: number }
  /** Show the entry under the cursor. */
  | { kind: 'show'; index: number }
  /** The cursor is on the oldest loaded entry and more are kept: load them, then step. */
  | { kind: 'load-older' }

/**
 * What a key does with the cursor at `cursor` (-1 for none) over `count` loaded entries
 * (`more` = older entries are kept but not loaded); null for keys the list does not use.
 */
export function historyKeyAction(key: string, cursor: number, count: number, more: boolean): HistoryKeyAction | null {
  if (count === 0) return null
  const at = Math.min(Math.max(cursor, 0), count - 1)
  switch (key) {
    case 'ArrowDown':
    case 'j':
      if (cursor < 0) return { kind: 'move', index: 0 }
      if (at === count - 1) return more ? { kind: 'load-older' } : null
      return { kind: 'move', index: at + 1 }
    case 'ArrowUp':
    case 'k':
      if (cursor < 0) return { kind: 'move', index: 0 }
      return at === 0 ? null : { kind: 'move', index: at - 1 }
    case 'Home':
      return { kind: 'move', index: 0 }
    case 'End':
      return { kind: 'move', index: count - 1 }
    case 'Enter':
      return { kind: 'show', index: at }
    default:
      return null
  }
}
