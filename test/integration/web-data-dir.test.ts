/**
 * Browser mode's data folder holds profiles, the vault's items and key logs: the real host
 * (out/main/web.js) must create it for its owner only, and say so when an existing one is not.
 */
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startWebApp } from '../fixtures/web-app'

let root: string
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mqtts-data-dir-'))
})
afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

const modeOf = async (path: string) => (await stat(path)).mode & 0o777

describe('browser mode: the data folder', () => {
  it('creates a new --data-dir, and any missing parent, readable by its owner only', async () => {
    const dataDir = join(root, 'new-parent', 'data')
    const app = await startWebApp({ dataDir })
    try {
      expect((await modeOf(dataDir)).toString(8)).toBe('700')
      expect((await modeOf(join(root, 'new-parent'))).toString(8)).toBe('700')
    } finally {
      await app.stop()
    }
  })

  it('leaves an existing --data-dir that others can read as it is, and logs how to close it', async () => {
    const dataDir = join(root, 'shared')
    await mkdir(dataDir, { mode: 0o755 })
    await writeFile(join(dataDir, 'keep.txt'), 'the user’s own file')
    const app = await startWebApp({ dataDir })
    try {
      const line = await app.waitForStderr(/data folder .* is open to other users/)
      expect(line).toContain(`chmod 700 "${dataDir}"`)
      expect((await modeOf(dataDir)).toString(8)).toBe('755')
    } finally {
      await app.stop()
    }
  })

  it('creates the default folder 0700, and tightens it when an earlier run left it open', async () => {
    const config = join(root, 'xdg-config')
    const defaultDir = join(config, 'MQTTS Explorer')
    const first = await startWebApp({ dataDirFlag: false, env: { XDG_CONFIG_HOME: config } })
    try {
      await first.waitForStderr(new RegExp(`data folder: ${defaultDir}`))
      expect((await modeOf(defaultDir)).toString(8)).toBe('700')
    } finally {
      await first.stop()
    }

    await rm(defaultDir, { recursive: true, force: true })
    await mkdir(defaultDir, { mode: 0o755 })
    const second = await startWebApp({ dataDirFlag: false, env: { XDG_CONFIG_HOME: config } })
    try {
      expect(await second.waitForStderr(/data folder .* was open to other users \(mode 0755\); it is now 0700/)).toContain(defaultDir)
      expect((await modeOf(defaultDir)).toString(8)).toBe('700')
    } finally {
      await second.stop()
    }
  }, 60_000)
})
