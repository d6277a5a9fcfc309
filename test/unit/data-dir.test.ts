import { chmod, mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { prepareDataDir } from '../../electron/host/data-dir'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mqtts-data-dir-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('prepareDataDir', () => {
  it('tightens a loose folder of ours to 0700 and says so', async () => {
    await chmod(dir, 0o755)
    const prepared = await prepareDataDir(dir, { ours: true, platform: 'linux' })
    expect(prepared).toMatchObject({ created: false, tightened: true })
    expect((await stat(dir)).mode & 0o777).toBe(0o700)
  })

  it('leaves a folder the user chose alone and says how to close it', async () => {
    await chmod(dir, 0o755)
    const prepared = await prepareDataDir(dir, { ours: false, platform: 'linux' })
    expect(prepared.tightened).toBe(false)
    expect(prepared.warning).toContain('chmod 700')
  })

  it('on Windows, whose mode bits are made up, neither warns nor changes the folder', async () => {
    await chmod(dir, 0o755)
    for (const ours of [true, false]) {
      expect(await prepareDataDir(dir, { ours, platform: 'win32' })).toEqual({ created: false, tightened: false })
    }
    expect((await stat(dir)).mode & 0o777).toBe(0o755)
  })
})
