/**
 * kill -9 of a process that is recording: the file opens, and holds every message but those of
 * about the last second (the recorder writes at least once a second). A real mosquitto and a
 * real child process; the child is our recorder bundled by esbuild, with its encoder thread beside it.
 */
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build } from 'esbuild'
import mqtt from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RecordingStore } from '../../electron/core/recording/recording-store'
import { readRecording } from '../../electron/core/recording/recording-source'
import { startMosquitto, type MosquittoBroker } from '../fixtures/mosquitto'
import { waitForLine } from '../fixtures/wait-for-line'

let broker: MosquittoBroker
let dir: string

beforeAll(async () => {
  broker = await startMosquitto({ listeners: [{ name: 'plain' }] })
  dir = await mkdtemp(join(tmpdir(), 'mqtts-rec-crash-'))
  await build({ entryPoints: [join(__dirname, '../fixtures/recording-child.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: join(dir, 'child.cjs'), logLevel: 'silent' })
  // The recorder's encoder thread, beside the child, where worker-file.ts looks in a bundle.
  await build({ entryPoints: [join(__dirname, '../../electron/core/recording/recording-worker.ts')], bundle: true, platform: 'node', format: 'esm', outfile: join(dir, 'recording-worker.mjs'), logLevel: 'silent' })
}, 60_000)

afterAll(async () => {
  await broker?.stop()
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe.each(['plain', 'gzip'])('kill -9 while recording (%s)', (mode) => {
  it('keeps all but about the last second of messages', async () => {
    const dataDir = join(dir, `data-${mode}`)
    const child = spawn(process.execPath, [join(dir, 'child.cjs'), String(broker.port), dataDir, mode], { stdio: ['ignore', 'pipe', 'pipe'] })
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    try {
      const line = await waitForLine(child.stdout!, /^recording (\S+)$/m, 15_000)
      const recordingId = /^recording (\S+)$/m.exec(line)![1]
      const publisher = await mqtt.connectAsync({ host: '127.0.0.1', port: broker.port, protocolVersion: 5, reconnectPeriod: 0 })
      const sentAt: number[] = []
      const until = Date.now() + 3000
      while (Date.now() < until) {
        await publisher.publishAsync(`crash/${sentAt.length}`, Buffer.from(`m${sentAt.length}`), { qos: 1 })
        sentAt.push(Date.now())
        await new Promise((resolve) => setTimeout(resolve, 10))
      }
      child.kill('SIGKILL')
      const killedAt = Date.now()
      await exited
      await publisher.endAsync()

      const store = new RecordingStore(dataDir)
      const info = await store.info(recordingId)
      const topics: string[] = []
      for await (const item of readRecording(await store.path(recordingId))) if (item.kind === 'message') topics.push(item.message.topic)
      // Every message sent more than 1.5 s before the kill (1 s flush, plus delivery slack) is in the file, in order.
      const mustHave = sentAt.filter((t) => t < killedAt - 1500).length
      expect(mustHave).toBeGreaterThan(50)
      expect(topics.length).toBeGreaterThanOrEqual(mustHave)
      expect(topics).toEqual(topics.map((_, i) => `crash/${i}`))
      expect(info.messageCount).toBe(topics.length)
      expect(info.recording).toBe(false)
      expect(typeof info.truncated).toBe('boolean')
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL')
    }
  }, 60_000)
})
