import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LINE_BATCH } from '../../electron/core/recording/line-reader'
import { readRecording, readRecordingBatches, type RecordingItem } from '../../electron/core/recording/recording-source'
import { RecordingStore } from '../../electron/core/recording/recording-store'
import { recorded, writeRecording } from '../fixtures/recording-file'

let dir: string
let path: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mqtts-batches-'))
  const id = await writeRecording(dir, { brokerUrl: 'mqtt://127.0.0.1:1883', messages: Array.from({ length: 1000 }, (_, i) => recorded(i * 1000, `b/${i % 7}`, `p${i}`)) })
  path = await new RecordingStore(dir).path(id)
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function flat(selection?: { fromUs?: number; toUs?: number; filters?: string[] }): Promise<{ items: RecordingItem[]; sizes: number[] }> {
  const items: RecordingItem[] = []
  const sizes: number[] = []
  for await (const batch of readRecordingBatches(path, selection)) {
    sizes.push(batch.length)
    items.push(...batch)
  }
  return { items, sizes }
}

async function single(selection?: { fromUs?: number; toUs?: number; filters?: string[] }): Promise<RecordingItem[]> {
  const items: RecordingItem[] = []
  for await (const item of readRecording(path, selection)) items.push(item)
  return items
}

describe('recording read in batches', () => {
  it('yields the items readRecording yields, in order, in small batches', async () => {
    const { items, sizes } = await flat()
    expect(items).toHaveLength(1001)
    expect(items[0].kind).toBe('header')
    expect(items).toEqual(await single())
    expect(Math.max(...sizes)).toBeLessThanOrEqual(LINE_BATCH)
    expect(sizes.length).toBeGreaterThan(1000 / LINE_BATCH)
  })

  it('applies a window and filters the same way', async () => {
    const selection = { fromUs: 100_000, toUs: 500_000, filters: ['b/3'] }
    const { items } = await flat(selection)
    expect(items).toEqual(await single(selection))
    const topics = items.filter((i) => i.kind === 'message').map((i) => (i.kind === 'message' ? i.message.topic : ''))
    expect(new Set(topics)).toEqual(new Set(['b/3']))
    expect(topics).toHaveLength(58) // 101, 108, …, 500
  })
})
