import { describe, expect, it } from 'vitest'
import { historyKeyAction } from '../../renderer/src/lib/history/history-keys'
import { entryTime } from '../../renderer/src/lib/history/history-format'

describe('keyboard stepping through a topic’s history', () => {
  it('steps older with ArrowDown and j, newer with ArrowUp and k, and stops at the ends', () => {
    expect(historyKeyAction('ArrowDown', 0, 5, false)).toEqual({ kind: 'move', index: 1 })
    expect(historyKeyAction('j', 3, 5, false)).toEqual({ kind: 'move', index: 4 })
    expect(historyKeyAction('ArrowDown', 4, 5, false)).toBeNull()
    expect(historyKeyAction('ArrowUp', 2, 5, false)).toEqual({ kind: 'move', index: 1 })
    expect(historyKeyAction('k', 1, 5, false)).toEqual({ kind: 'move', index: 0 })
    expect(historyKeyAction('ArrowUp', 0, 5, false)).toBeNull()
  })

  it('jumps with Home and End, shows with Enter, and ignores other keys', () => {
    expect(historyKeyAction('Home', 3, 5, true)).toEqual({ kind: 'move', index: 0 })
    expect(historyKeyAction('End', 0, 5, true)).toEqual({ kind: 'move', index: 4 })
    expect(historyKeyAction('Enter', 2, 5, false)).toEqual({ kind: 'show', index: 2 })
    expect(historyKeyAction('x', 2, 5, false)).toBeNull()
  })

  it('asks to load older entries when stepping past the last loaded one while more are kept', () => {
    expect(historyKeyAction('ArrowDown', 4, 5, true)).toEqual({ kind: 'load-older' })
  })

  it('starts at the newest entry when there is no cursor, keeps a stale cursor inside the list, and does nothing on an empty list', () => {
    expect(historyKeyAction('ArrowDown', -1, 5, false)).toEqual({ kind: 'move', index: 0 })
    expect(historyKeyAction('k', -1, 5, false)).toEqual({ kind: 'move', index: 0 })
    // The search shrank the list under the cursor.
    expect(historyKeyAction('Enter', 9, 3, false)).toEqual({ kind: 'show', index: 2 })
    expect(historyKeyAction('ArrowUp', 9, 3, false)).toEqual({ kind: 'move', index: 1 })
    expect(historyKeyAction('ArrowDown', 0, 0, true)).toBeNull()
  })

  it('writes arrival times with milliseconds, and the date only when not today', () => {
    const now = new Date(2026, 11, 2, 15, 0, 0).getTime()
    expect(entryTime(new Date(2026, 11, 2, 9, 5, 7, 42).getTime(), now)).toBe('09:05:07.042')
    expect(entryTime(new Date(2026, 10, 30, 23, 59, 59, 999).getTime(), now)).toBe('2026-11-30 23:59:59.999')
  })
})
