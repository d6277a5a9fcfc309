/**
 * A recording file from anywhere on disk (the OS opened it with the app: a double click, "Open
 * with", a second launch with a path) brought into the library. Our own format is copied byte
 * for byte, plain or gzip, whatever its size (the copy is the kernel's, not read into memory);
 * mosquitto_sub or mqtt-recorder-rs lines are converted as an import is (up to the import size).
 * The original file is never changed.
 */
import { createReadStream } from 'node:fs'
import { copyFile, readFile, stat } from 'node:fs/promises'
import { basename } from 'node:path'
import { createGunzip } from 'node:zlib'
import { ApiError, MAX_IMPORT_TEXT_CHARS, type RecordingInfo } from '../../api'
import { writeFileAtomic } from '../storage/atomic-json'
import { FORMAT_NAME } from './format'
import { convertImport, decodeImport, detectKind } from './import'
import type { RecordingStore } from './recording-store'

/** How much of a file's start is read to tell what it is. */
const SNIFF_BYTES = 64 * 1024

/** The recording's name from its file name: `plant.mqtt.jsonl.gz` is "plant". */
export function recordingNameOf(path: string): string {
  const file = basename(path)
  return file.replace(/\.(mqtt\.)?jsonl?(\.gz)?$|\.gz$|\.txt$/i, '') || file
}

export async function adoptRecordingFile(store: RecordingStore, path: string): Promise<RecordingInfo> {
  const info = await stat(path).catch((err: NodeJS.ErrnoException) => {
    throw new ApiError('RECORDING_NOT_FOUND', `${basename(path)} could not be opened: ${err.code === 'ENOENT' ? 'there is no such file' : err.message}.`)
  })
  if (!info.isFile()) throw new ApiError('RECORDING_BAD_FILE', `${basename(path)} is not a file.`)
  const { gzip, start } = await sniff(path)
  const name = recordingNameOf(path)
  if (isOwnFormat(start)) {
    const entry = await store.create(gzip)
    await copyFile(path, entry.path)
    await store.rescan(entry.id, entry.path, name)
    return store.info(entry.id)
  }
  if (info.size > MAX_IMPORT_TEXT_CHARS) {
    throw new ApiError('RECORDING_BAD_FILE', `${basename(path)} is ${Math.round(info.size / 1024 / 1024)} MB: files of other tools are converted in memory, up to ${MAX_IMPORT_TEXT_CHARS / 1024 / 1024} MB.`)
  }
  const converted = convertImport(decodeImport(await readFile(path)), 'auto', name)
  const entry = await store.create(false)
  await writeFileAtomic(entry.path, converted.text)
  await store.rescan(entry.id, entry.path, name)
  return store.info(entry.id)
}

/** Whether the file is gzip, and the text of its first bytes (inflated when it is). */
async function sniff(path: string): Promise<{ gzip: boolean; start: string }> {
  const head = await readStart(createReadStream(path, { start: 0, end: 1 }), 2)
  const gzip = head.length === 2 && head[0] === 0x1f && head[1] === 0x8b
  const stream = gzip ? createReadStream(path).pipe(createGunzip()) : createReadStream(path, { start: 0, end: SNIFF_BYTES - 1 })
  return { gzip, start: (await readStart(stream, SNIFF_BYTES)).toString('utf8') }
}

/** Up to `limit` bytes from a stream's start; a stream that fails (a cut gzip) gives what came before. */
async function readStart(stream: NodeJS.ReadableStream & { destroy(): void }, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  try {
    for await (const chunk of stream) {
      const buf = chunk as Buffer
      chunks.push(buf)
      size += buf.length
      if (size >= limit) break
    }
  } catch {
    // What was read is enough to tell, or not: the caller decides.
  } finally {
    stream.destroy()
  }
  return Buffer.concat(chunks).subarray(0, limit)
}

/** Our own header on the first non-empty line. */
function isOwnFormat(start: string): boolean {
  const first = start.split('\n').find((line) => line.trim() !== '')
  if (!first || !first.includes(FORMAT_NAME)) return false
  return detectKind(first) === 'mqtts'
}
