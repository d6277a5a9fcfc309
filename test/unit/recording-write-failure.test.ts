/**
 * A full disk while recording: the recorder stops as `failed` with RECORDING_WRITE_FAILED, and
 * what reached the file before stays a readable recording. The disk is a real file behind a
 * stream that refuses writes past a byte budget with ENOSPC, as the kernel would.
 */
import { createWriteStream } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { afterEach, describe, expect, it } from 'vitest'
import type { ApiErrorData } from '../../electron/api'
import { readRecording } from '../../electron/core/recording/recording-source'
import { oneFileRecorder, receivedPacket } from '../fixtures/recorder'

let dir: string | undefined
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true })
})

/** A file that accepts `budget` bytes, then fails every write like a full disk. */
function fullDisk(path: string, budget: number): Writable {
  const file = createWriteStream(path)
  let written = 0
  return new Writable({
    write(chunk: Buffer, _enc, done) {
      if (written + chunk.length > budget) {
        const err = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })
        return done(err)
      }
      written += chunk.length
      file.write(chunk, done)
    },
    final(done) {
      file.end(done)
    },
  })
}

const packet = (topic: string, payload: Buffer) => receivedPacket(topic, payload, 0)

describe('recorder write failure', () => {
  it('stops as failed with RECORDING_WRITE_FAILED and leaves the written part readable', async () => {
    dir = await mkdtemp(join(tmpdir(), 'mqtts-rec-enospc-'))
    const path = join(dir, 'r.mqtt.jsonl')
    let failure: ApiErrorData | undefined
    const { recorder, done } = oneFileRecorder(path, { openStream: (p) => fullDisk(p, 60_000) }, (error) => (failure = error))
    await recorder.start()
    const payload = Buffer.alloc(200, 0x61)
    // Each batch goes out on the recorder's flush timer; keep feeding until the disk is full.
    const deadline = Date.now() + 10_000
    let sent = 0
    while (recorder.state === 'recording' && Date.now() < deadline) {
      for (let i = 0; i < 5; i++) recorder.message(`t/${sent++}`, payload, packet('t', payload), Date.now(), 5)
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    expect(recorder.state).toBe('failed')
    expect(failure?.code).toBe('RECORDING_WRITE_FAILED')
    expect(recorder.error?.message).toMatch(/ENOSPC/)
    expect(done).toHaveLength(1)
    await recorder.stop()

    let header = 0
    const topics: string[] = []
    for await (const item of readRecording(path)) {
      if (item.kind === 'header') header++
      else if (item.kind === 'message') topics.push(item.message.topic)
    }
    expect(header).toBe(1)
    // The batches that fit were written whole, in order; the refused one is not in the file.
    expect(topics.length).toBeGreaterThan(0)
    expect(topics.length).toBeLessThan(sent)
    expect(topics).toEqual(topics.map((_, i) => `t/${i}`))
  }, 20_000)
})
