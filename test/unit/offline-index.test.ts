/**
 * The offline timeline's index: offsets kept across chunk boundaries, and a time turned into the
 * number of messages at or before it (equal offsets all count), as seeks rely on.
 */
import { describe, expect, it } from 'vitest'
import { RecordingIndex } from '../../electron/core/offline/recording-index'

describe('RecordingIndex', () => {
  it('keeps every offset across chunk boundaries', () => {
    const index = new RecordingIndex()
    const n = 200_000
    for (let i = 0; i < n; i++) index.push(i * 3)
    expect(index.count).toBe(n)
    expect(index.lastOffsetUs).toBe((n - 1) * 3)
    for (const i of [0, 65_535, 65_536, 65_537, 131_072, n - 1]) expect(index.offsetAt(i)).toBe(i * 3)
    expect(index.offsetAt(n)).toBeUndefined()
    expect(index.offsetAt(-1)).toBeUndefined()
  })

  it('counts the messages at or before a time, equal offsets included', () => {
    const index = new RecordingIndex()
    for (const us of [0, 0, 10, 20, 20, 20, 30]) index.push(us)
    expect([-1, 0, 5, 10, 19, 20, 29, 30, 1e12].map((us) => index.countUpTo(us))).toEqual([0, 2, 2, 3, 3, 6, 6, 7, 7])
    expect(new RecordingIndex().countUpTo(100)).toBe(0)
    expect(new RecordingIndex().lastOffsetUs).toBe(0)
  })

  it('keeps offsets exact that do not fit a chunk of 32-bit distances: fractions, steps back, hours apart', () => {
    const index = new RecordingIndex()
    const offsets: number[] = []
    for (let i = 0; i < 70_000; i++) offsets.push(i * 10)
    // In the second chunk: a fraction, a step back, then offsets 2^32 µs (71 minutes) and more past its base.
    offsets.push(700_000.5, 12, 700_020, 700_000 + 2 ** 32, 700_000 + 2 ** 40, 2 ** 53 - 1)
    for (let i = 0; i < 70_000; i++) offsets.push(2 ** 40 + i)
    for (const us of offsets) index.push(us)
    expect(index.count).toBe(offsets.length)
    for (let i = 0; i < offsets.length; i++) if (index.offsetAt(i) !== offsets[i]) expect({ i, got: index.offsetAt(i) }).toEqual({ i, got: offsets[i] })
    expect(index.lastOffsetUs).toBe(2 ** 40 + 69_999)
  })
})
