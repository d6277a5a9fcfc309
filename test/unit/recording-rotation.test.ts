/**
 * Rotation cuts on the hot path: a part ends at the message that would take it past the size
 * limit, even when many parts fill within one flush (a burst long before any file has opened).
 * Every part stays within the limit, opens on its own, and measures offsets from its own start;
 * the parts together hold every message once, in order, on one timeline.
 */
import { stat } from 'node:fs/promises'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { Recorder, type FileStats, type RecorderFile } from '../../electron/core/recording/recorder'
import { readRecording } from '../../electron/core/recording/recording-source'
import { receivedPacket, TEST_RECORDER_HEADER } from '../fixtures/recorder'

let dir: string | undefined
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true })
})

const packet = (topic: string, payload: Buffer) => receivedPacket(topic, payload, 0)

async function recorderIn(d: string, limits: { maxBytes?: number; maxDurationMs?: number }) {
  const done: Array<{ file: RecorderFile; stats: FileStats }> = []
  const recorder = new Recorder(
    {
      header: TEST_RECORDER_HEADER,
      filters: [],
      gzip: false,
      retainAsPublished: () => false,
      ...limits,
    },
    {
      nextFile: async (part) => ({ id: `p${part}`, path: join(d, `p${part}.mqtt.jsonl`) }),
      fileDone: async (file, stats) => void done.push({ file, stats }),
      failed: () => undefined,
    },
  )
  await recorder.start()
  return { recorder, done }
}

async function read(path: string) {
  const topics: string[] = []
  const offsets: number[] = []
  let header: { part: number; monotonicStartNs: string } | undefined
  for await (const item of readRecording(path)) {
    if (item.kind === 'header') header = item.header
    else if (item.kind === 'message') {
      topics.push(item.message.topic)
      offsets.push(item.message.offsetUs)
    }
  }
  return { topics, offsets, header: header! }
}

describe('recorder rotation', () => {
  it('keeps every part within the size limit through a burst that fills many parts at once', async () => {
    dir = await mkdtemp(join(tmpdir(), 'mqtts-rec-rotate-'))
    const maxBytes = 64 * 1024
    const { recorder, done } = await recorderIn(dir, { maxBytes })
    const payload = Buffer.alloc(1000, 0x61)
    const total = 2000
    // One synchronous burst: about 44 parts' worth before the first file write happens.
    for (let i = 0; i < total; i++) recorder.message(`burst/${i}`, payload, packet('burst', payload), Date.now(), 5)
    await recorder.stop()

    const files = recorder.files
    expect(files.length).toBeGreaterThan(30)
    expect(done.map((d) => d.file.id)).toEqual(files.map((f) => f.id))
    const all: string[] = []
    let previousEndNs = 0n
    for (const [i, file] of files.entries()) {
      const size = (await stat(file.path)).size
      const { topics, offsets, header } = await read(file.path)
      // The header line is extra: the limit is on what the part's messages take.
      expect(size).toBeLessThanOrEqual(maxBytes + 1024)
      expect(header.part).toBe(i + 1)
      expect(topics.length).toBeGreaterThan(0)
      expect(done[i].stats.messageCount).toBe(topics.length)
      expect([...offsets].sort((a, b) => a - b)).toEqual(offsets)
      // One timeline: each part starts at or after the previous part's last message (offsets are whole µs).
      const startNs = BigInt(header.monotonicStartNs)
      expect(startNs + BigInt(offsets[0]) * 1000n).toBeGreaterThanOrEqual(previousEndNs - 1000n)
      previousEndNs = startNs + BigInt(offsets[offsets.length - 1]) * 1000n
      all.push(...topics)
    }
    expect(all.length).toBe(total)
    expect(all.every((t, i) => t === `burst/${i}`)).toBe(true)
  }, 30_000)

  it('rotates on time, also while the connection is quiet', async () => {
    dir = await mkdtemp(join(tmpdir(), 'mqtts-rec-rotate-time-'))
    const { recorder } = await recorderIn(dir, { maxDurationMs: 1000 })
    const payload = Buffer.from('x')
    recorder.message('time/0', payload, packet('time', payload), Date.now(), 5)
    // Quiet for longer than the limit: the flush timer rotates without a message to trigger it.
    const deadline = Date.now() + 10_000
    while (recorder.files.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
    expect(recorder.files.length).toBe(2)
    recorder.message('time/1', payload, packet('time', payload), Date.now(), 5)
    await recorder.stop()
    expect((await read(recorder.files[0].path)).topics).toEqual(['time/0'])
    expect((await read(recorder.files[1].path)).topics).toEqual(['time/1'])
  }, 30_000)
})
