/**
 * The packaging config as electron-builder itself reads it: loaded and schema-checked with
 * electron-builder's own loader (so a misspelt fuse fails here, not on a release machine), then
 * every security-relevant setting pinned. Electron's binary cannot be fetched in this sandbox,
 * so the fuses are checked in the config that flips them.
 */
import { createRequire } from 'node:module'
import { resolve } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'

interface BuilderConfig {
  asar?: boolean | object | null
  asarUnpack?: string[] | string | null
  files?: unknown
  electronFuses?: Record<string, boolean | undefined> | null
}
interface ConfigModule {
  getConfig(projectDir: string, configPath: string | null, configFromOptions: null): Promise<BuilderConfig>
  validateConfiguration(config: BuilderConfig, debugLogger: unknown): Promise<void>
}
interface BuilderUtil {
  DebugLogger: new (isEnabled?: boolean) => unknown
}

const require = createRequire(import.meta.url)
const root = resolve(import.meta.dirname, '..', '..')
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as ConfigModule
const { DebugLogger } = require('builder-util') as BuilderUtil

let config: BuilderConfig

beforeAll(async () => {
  config = await getConfig(root, 'electron-builder.yml', null)
})

describe('electron-builder.yml', () => {
  it('is a configuration electron-builder accepts (its own schema check)', async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined()
  })

  it('refuses a misspelt fuse, so the check above would catch one', async () => {
    const typo = { ...config, electronFuses: { ...config.electronFuses, runAsNod: false } }
    await expect(validateConfiguration(typo, new DebugLogger(false))).rejects.toThrow(/electronFuses/)
  })

  it('packs the app into an asar, unpacking only native modules', () => {
    expect(config.asar).toBe(true)
    expect(config.asarUnpack).toEqual(['**/*.node'])
    // electron-builder normalises the list into one filter set.
    expect(config.files).toEqual([{ filter: ['out/**', 'package.json', '!out/**/*.map'] }])
  })

  it('flips every Electron fuse the security checklist asks for', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
      enableCookieEncryption: true,
    })
  })
})
