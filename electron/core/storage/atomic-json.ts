/**
 * JSON files that are never seen half-written: profiles and settings are replaced with a
 * temp-file-then-rename in the same folder, so a crash or a full disk leaves the previous file
 * intact. Reading back goes through `stored-file.ts`, which moves a file that cannot be read
 * aside instead of letting it be overwritten. Every file written here is owner-only (0600);
 * folders holding secrets are made 0700 here too.
 */
import { randomBytes } from 'node:crypto'
import { access, chmod, mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

/** Profiles name hosts and users: keep them readable by their owner only. */
const FILE_MODE = 0o600
/** Owner-only folder (the vault, the Sandbox's key), so other users cannot even list what is in it. */
const DIR_MODE = 0o700
const TEMP_MARK = '.tmp-'

/**
 * Writes `data` to `path` so that a reader, a crash or a full disk sees the old file or the new
 * one, never half of each: temp file in the same folder (mode 0600), fsync, rename, then fsync
 * the folder so the rename itself survives a power cut. On failure the temp file is removed.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const dir = dirname(path)
  await mkdir(dir, { recursive: true })
  const temp = join(dir, `${basename(path)}${TEMP_MARK}${process.pid}-${randomBytes(4).toString('hex')}`)
  try {
    const handle = await open(temp, 'wx', FILE_MODE)
    try {
      await handle.writeFile(data)
      // open()'s mode is filtered by the umask; make it exactly owner-only.
      await handle.chmod(FILE_MODE)
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(temp, path)
  } catch (err) {
    await rm(temp, { force: true })
    throw err
  }
  await syncDir(dir)
}

/** Creates `dir` (and parents) and forces mode 0700 on it, whatever the umask was. */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: DIR_MODE })
  // mkdir's mode is filtered by the umask and ignored for existing folders.
  await chmod(dir, DIR_MODE)
}

/** Writes `value` as pretty JSON with {@link writeFileAtomic}. */
export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(value, null, 2) + '\n')
}

/**
 * Reads and parses a JSON file. Returns `undefined` when the file does not exist; throws
 * (SyntaxError or the fs error) when it exists but cannot be read as JSON.
 */
export async function readJson(path: string): Promise<unknown> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
  return JSON.parse(text) as unknown
}

/**
 * Renames `path` to `<path>.<label>-<timestamp>` (with a counter if that exists) and returns
 * the new path, so a damaged file is kept for the user instead of being dropped.
 */
export async function moveAside(path: string, label: string): Promise<string> {
  const target = await unusedPath(path, label)
  await rename(path, target)
  return target
}

/** Writes `value` to a fresh `<path>.<label>-<timestamp>` file (never overwriting) and returns its path. */
export async function writeAside(path: string, label: string, value: unknown): Promise<string> {
  const target = await unusedPath(path, label)
  await writeJsonAtomic(target, value)
  return target
}

/** `<path>.<label>-<timestamp>`, with a counter if a file of that name exists already. */
async function unusedPath(path: string, label: string): Promise<string> {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-')
  for (let n = 0; ; n++) {
    const target = `${path}.${label}-${stamp}${n ? `-${n}` : ''}`
    if (!(await exists(target))) return target
  }
}

/**
 * Deletes temp files a crashed write left next to `path`. They are never the source of truth:
 * the rename that would have made them so never happened. Only files older than `minAgeMs`
 * go, so a second app instance sharing the folder never loses a write in flight.
 */
export async function removeStaleTemps(path: string, minAgeMs = 60_000): Promise<void> {
  const dir = dirname(path)
  const prefix = basename(path) + TEMP_MARK
  let names: string[]
  try {
    names = await readdir(dir)
  } catch {
    return
  }
  const cutoff = Date.now() - minAgeMs
  for (const name of names.filter((n) => n.startsWith(prefix))) {
    const file = join(dir, name)
    const info = await stat(file).catch(() => undefined)
    if (info && info.mtimeMs <= cutoff) await rm(file, { force: true })
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path)
    return true
  } catch {
    return false
  }
}

async function syncDir(dir: string): Promise<void> {
  // Windows cannot open a folder for fsync; the rename is atomic there all the same.
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
