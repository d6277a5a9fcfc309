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

describe('recording read with transient payloads', () => {
  it('hands each message the bytes readRecording gives it, while its batch is current, and reuses the room after', async () => {
    const expected = await single()
    const seen: string[] = []
    let first: Buffer | undefined
    let firstText = ''
    for await (const item of readRecording(path, undefined, { transientPayloads: true })) {
      if (item.kind !== 'message') continue
      // Read as the offline tree reads it: at once, copying what it keeps.
      seen.push(item.message.payload.toString())
      if (first === undefined) {
        first = item.message.payload
        firstText = first.toString()
      }
    }
    expect(seen).toEqual(expected.flatMap((i) => (i.kind === 'message' ? [i.message.payload.toString()] : [])))
    // The first payload's room was filled again by a later batch: nobody may keep these.
    expect(first!.toString()).not.toBe(firstText)
  })
})
