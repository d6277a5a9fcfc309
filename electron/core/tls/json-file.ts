/**
 * Small JSON files written atomically (temp file + rename), so a crash mid-write never leaves
 * half a history or pin file behind. Pins and handshake history are not secrets: plain JSON.
 */
import { randomBytes } from 'node:crypto'
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'

/** Reads a JSON file; `fallback` when it does not exist or cannot be parsed (the bad file is kept aside). */
export async function readJsonFile<T>(path: string, fallback: T): Promise<T> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return fallback
    throw err
  }
  try {
    return JSON.parse(text) as T
  } catch {
    // Keep the damaged file for a bug report instead of silently overwriting it.
    await rename(path, `${path}.corrupt-${Date.now()}`).catch(() => undefined)
    return fallback
  }
}

/** Writes `value` as JSON via a temp file in the same directory and an atomic rename. */
export async function writeJsonFile(path: string, value: unknown): Promise<void> {
  await mkdir(dirname(path), { recursive: true })
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`
  try {
    await writeFile(tmp, JSON.stringify(value, null, 2) + '\n', { mode: 0o644 })
    await rename(tmp, path)
  } catch (err) {
    await rm(tmp, { force: true })
    throw err
  }
}

/** Serialises async updates of one file, so two handshakes finishing together never lose a write. */
export class WriteQueue {
  private tail: Promise<unknown> = Promise.resolve()

  run<T>(job: () => Promise<T>): Promise<T> {
    const next = this.tail.then(job, job)
    this.tail = next.catch(() => undefined)
    return next
  }
}
