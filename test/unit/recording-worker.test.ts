/**
 * The recorder's encoder thread (a real worker_threads worker, started from the TS sources by
 * worker-bootstrap.mjs): Stop drains it before it answers; a thread that crashes, a thread that
 * cannot start and a folder that cannot be written each end as a clear error on the recording,
 * never an unhandled one; and the thread's entry is found for built, bundled and source layouts.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import type { ApiErrorData } from '../../electron/api'
import { readRecording } from '../../electron/core/recording/recording-source'
import { recordingWorkerFile } from '../../electron/core/recording/worker-file'
import { oneFileRecorder, receivedPacket } from '../fixtures/recorder'
import { waitUntil } from '../fixtures/wait-for-line'

let dir: string | undefined
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true })
  dir = undefined
})

async function topicsIn(path: string): Promise<string[]> {
  const topics: string[] = []
  for await (const item of readRecording(path)) if (item.kind === 'message') topics.push(item.message.topic)
  return topics
}

describe('recorder encoder thread', () => {
  it('drains the thread on Stop: a burst recorded just before Stop is all in the file when Stop answers', async () => {
    dir = await mkdtemp(join(tmpdir(), 'mqtts-rec-drain-'))
    const path = join(dir, 'r.mqtt.jsonl')
    const { recorder, done } = oneFileRecorder(path)
    await recorder.start()
    const payload = Buffer.alloc(300, 0x63)
    const total = 30_000
    for (let i = 0; i < total; i++) recorder.message(`drain/${i}`, payload, receivedPacket('drain', payload), Date.now(), 5)
    // Most of the burst is still in arenas or in the thread now.
    expect(recorder.pending).toBeGreaterThan(0)
    await recorder.stop()
    expect(recorder.state).toBe('stopped')
    expect(recorder.pending).toBe(0)
    expect(done).toHaveLength(1)
    const topics = await topicsIn(path)
    expect(topics).toHaveLength(total)
    expect(topics.every((t, i) => t === `drain/${i}`)).toBe(true)
  }, 30_000)

  it('stops as failed with a clear error when the thread crashes, and keeps what it encoded readable', async () => {
    dir = await mkdtemp(join(tmpdir(), 'mqtts-rec-crash-thread-'))
    const path = join(dir, 'r.mqtt.jsonl')
    const failures: ApiErrorData[] = []
    const workerFile = new URL('../fixtures/crashing-recording-worker.mjs', import.meta.url)
    const { recorder, done } = oneFileRecorder(path, { workerFile }, (error) => failures.push(error))
    await recorder.start()
    const payload = Buffer.from('hi')
    recorder.message('before/crash', payload, receivedPacket('before/crash', payload), Date.now(), 5)
    await waitUntil('the first arena encoded', async () => (recorder.pending === 0 ? true : undefined), 10_000)
    recorder.message('crashes/it', payload, receivedPacket('crashes/it', payload), Date.now(), 5)
    await waitUntil('the recorder failed', async () => (recorder.state === 'failed' ? true : undefined), 10_000)
    expect(failures).toHaveLength(1)
    expect(failures[0].code).toBe('RECORDING_WRITE_FAILED')
    expect(failures[0].message).toMatch(/encoder thread failed \(the encoder blew up\)/)
    // Later messages are refused quietly, and Stop still answers.
    recorder.message('after/crash', payload, receivedPacket('after/crash', payload), Date.now(), 5)
    await recorder.stop()
    expect(recorder.state).toBe('failed')
    await waitUntil('the file closed', async () => (done.length === 1 ? true : undefined), 10_000)
    expect(await topicsIn(path)).toEqual(['before/crash'])
  }, 30_000)

  it('refuses to start, with a sentence, when the thread cannot start', async () => {
    dir = await mkdtemp(join(tmpdir(), 'mqtts-rec-no-thread-'))
    const { recorder, done } = oneFileRecorder(join(dir, 'r.mqtt.jsonl'), { workerFile: pathToFileURL(join(dir, 'missing-worker.mjs')) })
    await expect(recorder.start()).rejects.toMatchObject({ code: 'RECORDING_WRITE_FAILED', message: expect.stringMatching(/encoder thread did not start/) })
    // No file was made for a recording that never started.
    expect(recorder.files).toHaveLength(0)
    expect(done).toHaveLength(0)
  }, 30_000)

  it('stops as failed with the reason when the folder cannot be written', async () => {
    dir = await mkdtemp(join(tmpdir(), 'mqtts-rec-unwritable-'))
    // A file where the folder should be: the kernel refuses (ENOTDIR) even for root.
    await writeFile(join(dir, 'not-a-folder'), 'x')
    let failure: ApiErrorData | undefined
    const { recorder } = oneFileRecorder(join(dir, 'not-a-folder', 'r.mqtt.jsonl'), {}, (error) => (failure = error))
    await recorder.start()
    const payload = Buffer.from('x')
    recorder.message('t', payload, receivedPacket('t', payload), Date.now(), 5)
    await waitUntil('the recorder failed', async () => (recorder.state === 'failed' ? true : undefined), 10_000)
    expect(failure?.code).toBe('RECORDING_WRITE_FAILED')
    expect(failure?.message).toMatch(/could not be written \(ENOTDIR\)/)
    await recorder.stop()
    expect(recorder.state).toBe('failed')
  }, 30_000)
})

describe('finding the encoder thread', () => {
  it('finds the built entry beside the bundle or one folder up from a chunk, and the bootstrap for sources', async () => {
    const root = (dir = await mkdtemp(join(tmpdir(), 'mqtts-rec-layout-')))
    const main = join(root, 'out', 'main')
    await mkdir(join(main, 'chunks'), { recursive: true })
    await writeFile(join(main, 'recording-worker.js'), '')
    // electron-vite: the recorder's code is in out/main/chunks/, the entry in out/main/.
    expect(recordingWorkerFile(pathToFileURL(join(main, 'chunks', 'static-files-x.js')).href).href).toBe(pathToFileURL(join(main, 'recording-worker.js')).href)
    expect(recordingWorkerFile(pathToFileURL(join(main, 'web.js')).href).href).toBe(pathToFileURL(join(main, 'recording-worker.js')).href)
    // An esbuild bundle (the bench, the crash test's child) with the entry beside it.
    const bench = join(root, 'bench')
    await mkdir(bench)
    await writeFile(join(bench, 'recording-worker.mjs'), '')
    expect(recordingWorkerFile(pathToFileURL(join(bench, 'bench.mjs')).href).href).toBe(pathToFileURL(join(bench, 'recording-worker.mjs')).href)
    // Sources: the bootstrap beside the module, which exists in the repository.
    const fromSources = recordingWorkerFile(new URL('../../electron/core/recording/worker-file.ts', import.meta.url).href)
    expect(fromSources.pathname.endsWith('/electron/core/recording/worker-bootstrap.mjs')).toBe(true)
    expect(await readFile(fromSources, 'utf8')).toMatch(/recording-worker\.ts/)
    // Nowhere: the error names where it looked.
    expect(() => recordingWorkerFile(pathToFileURL(join(root, 'elsewhere', 'x.js')).href)).toThrow(/not where it should be .*recording-worker\.js/)
  })
})
