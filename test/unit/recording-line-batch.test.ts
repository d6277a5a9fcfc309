/** Lines batched as UTF-8 bytes come out exactly as the joined strings would, in order, with exact byte counts. */
import { describe, expect, it } from 'vitest'
import { LineBatch } from '../../electron/core/recording/line-batch'

describe('line batch', () => {
  it('keeps order and exact bytes across chunks, multi-byte text and lines larger than a chunk', () => {
    const batch = new LineBatch()
    const lines: string[] = []
    for (let i = 0; i < 5000; i++) lines.push(i % 7 === 0 ? `{"topic":"werk/größe/温度/${i}","emoji":"🚀"}` : `{"t":${i},"payload":"${'A'.repeat(i % 300)}"}`)
    lines.splice(2500, 0, 'x'.repeat(400 * 1024), 'ü'.repeat(100 * 1024))
    let pushed = 0
    for (const line of lines) pushed += batch.push(line)
    const expected = Buffer.from(lines.join('\n') + '\n', 'utf8')
    expect(batch.lines).toBe(lines.length)
    expect(batch.bytes).toBe(expected.length)
    expect(pushed).toBe(expected.length)
    const taken = batch.take()
    expect(taken.chunks.length).toBeGreaterThan(3)
    expect(Buffer.concat(taken.chunks).equals(expected)).toBe(true)
    expect(batch.take()).toEqual({ chunks: [], lines: 0, bytes: 0 })
  })

  it('makes a one-line batch for a header', () => {
    const taken = LineBatch.of('{"format":"x"}')
    expect(taken.lines).toBe(1)
    expect(Buffer.concat(taken.chunks).toString()).toBe('{"format":"x"}\n')
  })
})
