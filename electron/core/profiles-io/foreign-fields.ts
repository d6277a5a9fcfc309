/**
 * Small readers shared by the converters of other apps' files: their JSON is untyped, so every
 * field is read defensively and a wrong type simply counts as absent.
 */
import { readFile, stat } from 'node:fs/promises'
import { isAbsolute, basename } from 'node:path'
import type { InputFile } from '../vault/import-items'

export type Json = Record<string, unknown>

export const isObject = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v)
export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)
export const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v.trim() && Number.isFinite(Number(v)) ? Number(v) : undefined)
export const bool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : v === 'true' ? true : v === 'false' ? false : undefined)
export const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, Math.round(v)))
export const qos = (v: unknown): 0 | 1 | 2 => (v === 1 || v === 2 ? v : 0)

/** Certificate files are small; anything bigger than this named in a profile is not one. */
const MAX_CERT_FILE = 1_000_000

/**
 * Reads a certificate file that another app's profile names by path (MQTTX keeps paths). The
 * file is read main-side, becomes a vault item, and is never sent back; a path that is gone
 * is a warning, not a failure.
 */
export async function readNamedFile(path: string): Promise<{ file: InputFile } | NamedFileProblem> {
  if (!isAbsolute(path)) return { problem: `${path} is not a full path`, why: 'not-full-path' }
  try {
    const info = await stat(path)
    if (!info.isFile()) return { problem: `${path} is not a file`, why: 'not-a-file' }
    if (info.size > MAX_CERT_FILE) return { problem: `${path} is too large to be a certificate`, why: 'too-large' }
    return { file: { name: basename(path), bytes: await readFile(path) } }
  } catch (err) {
    const errno = (err as NodeJS.ErrnoException).code ?? 'error'
    return { problem: `${path} could not be read (${errno})`, why: 'unreadable', errno }
  }
}

/** Why a named file was not taken: the words (after the path) and which case it is, for the warning's code. */
export interface NamedFileProblem {
  problem: string
  why: 'not-full-path' | 'not-a-file' | 'too-large' | 'unreadable'
  /** The fs error's code (ENOENT, EACCES…), when it could not be read. */
  errno?: string
}
