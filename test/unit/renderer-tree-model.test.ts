/**
 * The renderer's side of tree frames: deltas continue the last seq or ask for a snapshot, the
 * row map never outgrows the window, and the keyboard rules of the tree.
 */
import { describe, expect, it } from 'vitest'
import type { TreeRow, TreeViewFrame } from '../../electron/api'
import { parentPath, TreeViewModel } from '../../renderer/src/lib/tree/tree-view-model'
import { findByPrefix, treeKeyAction } from '../../renderer/src/lib/tree/tree-keys'
import { formatAge, hexLine, prettyJson, bytesAsText } from '../../renderer/src/lib/tree/tree-format'

function row(id: number, path: string, extra: Partial<TreeRow> = {}): TreeRow {
  const levels = path.split('/')
  return {
    id,
    path,
    name: levels[levels.length - 1],
    depth: levels.length - 1,
    ownCount: 1,
    messages: 1,
    topics: 1,
    childCount: 0,
    hasChildren: false,
    expanded: false,
    retained: false,
    preview: '',
    previewKind: 'empty',
    lastUpdate: null,
    subtreeUpdate: null,
    changed: false,
    truncated: false,
    ...extra,
  }
}

function frame(seq: number, baseSeq: number, ids: number[], rows: TreeRow[], offset = 0): TreeViewFrame {
  return {
    connectionId: 'c',
    viewId: 'v',
    seq,
    baseSeq,
    kind: baseSeq === 0 ? 'snapshot' : 'delta',
    totalRows: 1000,
    offset,
    ids,
    rows,
    paused: false,
    totals: { messages: seq, topics: ids.length },
    filter: { state: 'off', matched: 0, scanned: 0, total: 0 },
  }
}

describe('TreeViewModel', () => {
  it('applies a snapshot, then deltas that carry only changed rows', () => {
    const m = new TreeViewModel('v')
    expect(m.apply(frame(1, 0, [1, 2], [row(1, 'a'), row(2, 'b')]))).toBe('applied')
    expect(m.apply(frame(2, 1, [1, 2], [row(2, 'b', { ownCount: 5, changed: true })]))).toBe('applied')
    expect(m.rowAt(0)?.path).toBe('a')
    expect(m.rowAt(1)?.ownCount).toBe(5)
    expect(m.flashes.get(2)?.count).toBe(1)
    expect(m.totals.messages).toBe(2)
  })

  it('reports a gap when a delta does not continue the last frame, and ignores stale frames', () => {
    const m = new TreeViewModel('v')
    m.apply(frame(1, 0, [1], [row(1, 'a')]))
    expect(m.apply(frame(3, 2, [1], []))).toBe('gap')
    expect(m.resyncing).toBe(true)
    expect(m.apply(frame(1, 0, [1], [row(1, 'a')]))).toBe('stale')
    // The snapshot that heals it (seq beyond anything seen) replaces everything.
    expect(m.apply(frame(4, 0, [9], [row(9, 'z')]))).toBe('applied')
    expect(m.resyncing).toBe(false)
    expect(m.rowAt(0)?.path).toBe('z')
  })

  it('keeps only the rows of the current window, however far the window moves', () => {
    const m = new TreeViewModel('v')
    const first = Array.from({ length: 100 }, (_, i) => row(i + 1, `t/${i}`))
    m.apply(frame(1, 0, first.map((r) => r.id), first))
    for (let step = 1; step <= 50; step++) {
      const ids = Array.from({ length: 100 }, (_, i) => step * 10 + i + 1)
      const fresh = ids.slice(-10).map((id) => row(id, `t/${id - 1}`))
      m.apply(frame(step + 1, step, ids, fresh, step * 10))
      expect(m.rows.size).toBe(100)
    }
    expect(m.rowAt(500)?.path).toBe('t/500')
    expect(m.rowAt(499)).toBeUndefined()
    expect(m.covers(500, 599)).toBe(true)
    expect(m.covers(499, 550)).toBe(false)
  })

  it('finds the parent path of a row, with empty levels kept', () => {
    expect(parentPath(row(1, 'a/b/c'))).toBe('a/b')
    expect(parentPath(row(1, 'a//c'))).toBe('a/')
    expect(parentPath(row(1, 'a'))).toBeNull()
  })
})

describe('tree keyboard rules', () => {
  const base = { index: 5, totalRows: 100, pageRows: 20, hasModifier: false }
  it('moves, pages and clamps at both ends', () => {
    expect(treeKeyAction({ ...base, key: 'ArrowDown', row: undefined })).toEqual({ kind: 'focus', index: 6 })
    expect(treeKeyAction({ ...base, key: 'PageUp', row: undefined })).toEqual({ kind: 'focus', index: 0 })
    expect(treeKeyAction({ ...base, key: 'End', row: undefined })).toEqual({ kind: 'focus', index: 99 })
  })

  it('leaves ? to the shortcut sheet instead of type-ahead, and types other characters ahead', () => {
    expect(treeKeyAction({ ...base, key: '?', row: undefined })).toEqual({ kind: 'none' })
    expect(treeKeyAction({ ...base, key: 's', row: undefined })).toEqual({ kind: 'typeahead', char: 's' })
  })

  it('expands a closed node, enters an open one, collapses, then goes to the parent', () => {
    const closed = row(1, 'a/b', { hasChildren: true })
    const open = row(1, 'a/b', { hasChildren: true, expanded: true })
    expect(treeKeyAction({ ...base, key: 'ArrowRight', row: closed })).toEqual({ kind: 'expand', path: 'a/b', action: 'expand' })
    expect(treeKeyAction({ ...base, key: 'ArrowRight', row: open })).toEqual({ kind: 'focus', index: 6 })
    expect(treeKeyAction({ ...base, key: 'ArrowLeft', row: open })).toEqual({ kind: 'expand', path: 'a/b', action: 'collapse' })
    expect(treeKeyAction({ ...base, key: 'ArrowLeft', row: closed })).toEqual({ kind: 'parent', row: closed })
    expect(treeKeyAction({ ...base, key: '*', row: closed })).toEqual({ kind: 'expand', path: 'a/b', action: 'subtree' })
  })

  it('type-ahead finds the next matching name after the focus, wrapping around', () => {
    const rows = [
      { index: 10, name: 'alpha' },
      { index: 11, name: 'beta' },
      { index: 12, name: 'alps' },
    ]
    expect(findByPrefix(rows, 10, 'al')).toBe(12)
    expect(findByPrefix(rows, 12, 'al')).toBe(10)
    expect(findByPrefix(rows, 10, 'x')).toBe(-1)
  })
})

describe('tree formatting', () => {
  it('formats ages, JSON and hex lines', () => {
    expect(formatAge(1000, 1500)).toBe('now')
    expect(formatAge(0, 125_000)).toBe('2m')
    expect(prettyJson('{"a":[1,2]}')).toBe('{\n  "a": [\n    1,\n    2\n  ]\n}')
    expect(prettyJson('not json')).toBeNull()
    expect(hexLine(new Uint8Array([0x41, 0x00, 0xff]), 0)).toMatch(/^00000000 {2}41 00 ff .* A\.\.$/)
    expect(bytesAsText(new Uint8Array([0xff, 0xfe]))).toBeNull()
    expect(bytesAsText(new TextEncoder().encode('héllo'))).toBe('héllo')
  })
})
