/**
 * Private files for the vault: owner-only folders, and the atomic owner-only file write that
 * profiles and settings use too (one implementation, in storage/atomic-json).
 */
import { chmod, mkdir } from 'node:fs/promises'
export { writeFileAtomic } from '../storage/atomic-json'

/** Owner-only directory, so other users cannot even list which items exist. */
export const DIR_MODE = 0o700

/** Creates `dir` (and parents) and forces mode 0700 on it, whatever the umask was. */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: DIR_MODE })
  // mkdir's mode is filtered by the umask and ignored for existing folders.
  await chmod(dir, DIR_MODE)
}
