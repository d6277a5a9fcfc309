/**
 * A disk slower than the broker: the recorder never drops a message. While the file lags, the
 * backlog shows as `pending`; once the disk catches up every message is in the file, in order.
 * The slow disk is a real file behind a stream that takes 1.5 s per write (longer than the
 * recorder's flush interval) and holds a tiny buffer, so each batch meets a full stream.
 */
import { createWriteStream } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { afterEach, describe, expect, it } from 'vitest'
import { readRecording } from '../../electron/core/recording/recording-source'
import { oneFileRecorder, receivedPacket } from '../fixtures/recorder'

let dir: string | undefined
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true })
})

function slowDisk(path: string, delayMs: number): Writable {
  const file = createWriteStream(path)
  return new Writable({
    highWaterMark: 1024,
    write(chunk: Buffer, _enc, done) {
      setTimeout(() => file.write(chunk, done), delayMs)
    },
    final(done) {
      file.end(done)
    },
  })
}

const packet = (topic: string, payload: Buffer) => receivedPacket(topic, payload, 1)

describe('recorder backpressure', () => {
  it('queues behind a slow disk, reports the backlog as pending, and writes every message in order', async () => {
    dir = await mkdtemp(join(tmpdir(), 'mqtts-rec-slow-'))
    const path = join(dir, 'r.mqtt.jsonl')
    const { recorder, done } = oneFileRecorder(path, { openStream: (p) => slowDisk(p, 1500) })
    await recorder.start()
    const payload = Buffer.alloc(2000, 0x62)
    const total = 20_000
    let maxPending = 0
    // 20k messages in bursts over about 2 s: the disk takes one batch per 1.5 s.
    for (let sent = 0; sent < total; ) {
      for (let i = 0; i < 2000; i++, sent++) recorder.message(`slow/${sent}`, payload, packet('slow', payload), Date.now(), 5)
      maxPending = Math.max(maxPending, recorder.pending)
      await new Promise((resolve) => setTimeout(resolve, 200))
      maxPending = Math.max(maxPending, recorder.pending)
    }
    expect(recorder.state).toBe('recording')
    expect(recorder.messages).toBe(total)
    // The backlog was visible while the disk lagged, also after a flush had handed lines over.
    expect(maxPending).toBeGreaterThan(1000)
    await new Promise((resolve) => setTimeout(resolve, 1200))
    expect(recorder.pending).toBeGreaterThan(0)
    await recorder.stop()
    expect(recorder.state).toBe('stopped')
    expect(recorder.pending).toBe(0)
    expect(done).toHaveLength(1)

    const topics: string[] = []
    for await (const item of readRecording(path)) if (item.kind === 'message') topics.push(item.message.topic)
    expect(topics.length).toBe(total)
    expect(topics.every((t, i) => t === `slow/${i}`)).toBe(true)
  }, 60_000)
})
