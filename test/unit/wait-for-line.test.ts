/**
 * waitForLine hands out whole lines only: a line still being written (no line break yet) is not
 * matched until it is complete, or until its stream ends. Matching the partial line returned a
 * prefix of a 500 kB mosquitto_sub line in the large-draft e2e test.
 */
import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { waitForLine } from '../fixtures/wait-for-line'

describe('waitForLine', () => {
  it('waits for the line break before matching a line that a getter shows half-written', async () => {
    let text = 'ready\nrecording ab'
    setTimeout(() => (text += 'cdef\n'), 120)
    expect(await waitForLine(() => text, /^recording (\S+)$/, 5_000)).toBe('recording abcdef')
  })

  it('does the same for a stream, and takes the last unterminated line once the stream ends', async () => {
    const stream = new PassThrough()
    const line = waitForLine(stream, /^topic [0-9a-f]+$/, 5_000)
    stream.write('topic 00ff')
    stream.write('ee\ntopic 01')
    expect(await line).toBe('topic 00ffee')
    const last = new PassThrough()
    const tail = waitForLine(last, /^done (\d+)$/, 5_000)
    last.write('done 4')
    last.end('2')
    expect(await tail).toBe('done 42')
  })

  it('fails at the deadline with what was seen', async () => {
    await expect(waitForLine(() => 'half a li', /^half a line$/, 100)).rejects.toThrow(/no line matching/)
  })
})
