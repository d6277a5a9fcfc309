import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { EXPORT_KEEP_MS, exportsDir, pruneExports } from '../../electron/core/recording/export'

const dirs: string[] = []
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true })
})

async function recordingsDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mqtts-export-prune-'))
  dirs.push(dir)
  await mkdir(exportsDir(dir))
  return dir
}

describe('exports waiting to be downloaded', () => {
  it('are removed once older than the keep time, and the newer ones stay', async () => {
    const dir = await recordingsDir()
    const now = Date.now()
    const old = join(exportsDir(dir), 'a.csv')
    const fresh = join(exportsDir(dir), 'b.mqtt.jsonl')
    await writeFile(old, 'x')
    await writeFile(fresh, 'y')
    const past = new Date(now - EXPORT_KEEP_MS - 60_000)
    await utimes(old, past, past)
    expect(await pruneExports(dir, EXPORT_KEEP_MS, now)).toBe(1)
    expect(await readdir(exportsDir(dir))).toEqual(['b.mqtt.jsonl'])
  })

  it('from an earlier run are all removed at start, but not one written after it', async () => {
    const dir = await recordingsDir()
    const start = Date.now() - 10_000
    const before = join(exportsDir(dir), 'before.csv')
    await writeFile(before, 'x')
    await utimes(before, new Date(start - 1000), new Date(start - 1000))
    await writeFile(join(exportsDir(dir), 'after.csv'), 'y')
    expect(await pruneExports(dir, 0, start)).toBe(1)
    expect(await readdir(exportsDir(dir))).toEqual(['after.csv'])
  })

  it('cost nothing when there is no exports folder yet', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mqtts-export-prune-'))
    dirs.push(dir)
    expect(await pruneExports(dir, 0)).toBe(0)
  })
})
