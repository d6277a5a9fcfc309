/**
 * Atomic, private file writes for the vault: a reader (or a crash) sees either the old file
 * or the new one, never half of each, and nobody but the owner can read either.
 */
import { randomBytes } from 'node:crypto'
import { chmod, mkdir, open, rename, rm } from 'node:fs/promises'
import { dirname, join, basename } from 'node:path'

/** Owner read/write only: item files hold ciphertext, but their names and metadata are private too. */
export const FILE_MODE = 0o600
/** Owner-only directory, so other users cannot even list which items exist. */
export const DIR_MODE = 0o700

/** Creates `dir` (and parents) and forces mode 0700 on it, whatever the umask was. */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: DIR_MODE })
  // mkdir's mode is filtered by the umask and ignored for existing folders.
  await chmod(dir, DIR_MODE)
}

/**
 * Writes `data` to `path` via a temp file in the same folder: write, fsync, rename, then fsync
 * the folder so the rename itself survives a power cut.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const dir = dirname(path)
  const temp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`)
  const handle = await open(temp, 'wx', FILE_MODE)
  try {
    await handle.writeFile(data)
    await handle.chmod(FILE_MODE)
    await handle.sync()
  } catch (err) {
    await handle.close()
    await rm(temp, { force: true })
    throw err
  }
  await handle.close()
  try {
    await rename(temp, path)
  } catch (err) {
    await rm(temp, { force: true })
    throw err
  }
  await syncDir(dir)
}

async function syncDir(dir: string): Promise<void> {
  // Not every platform lets a directory be opened for fsync (Windows); the rename is still atomic.
  try {
    const handle = await open(dir, 'r')
    try {
      await handle.sync()
    } finally {
      await handle.close()
    }
  } catch {
    /* best effort */
  }
}
