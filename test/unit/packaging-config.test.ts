/**
 * The packaging config as electron-builder itself reads it: loaded and schema-checked with
 * electron-builder's own loader (so a misspelt fuse fails here, not on a release machine), then
 * every security-relevant setting pinned. Electron's binary cannot be fetched in this sandbox,
 * so the fuses are checked in the config that flips them.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { requireFromBuilder, requireFromBuilderLib } from '../fixtures/builder-require'

interface BuilderConfig {
  asar?: boolean | object | null
  asarUnpack?: string[] | string | null
  files?: unknown
  fileAssociations?: unknown
  electronFuses?: Record<string, boolean | undefined> | null
}
interface ConfigModule {
  getConfig(projectDir: string, configPath: string | null, configFromOptions: null): Promise<BuilderConfig>
  validateConfiguration(config: BuilderConfig, debugLogger: unknown): Promise<void>
}
interface BuilderUtil {
  DebugLogger: new (isEnabled?: boolean) => unknown
}
interface PlatformPackagerModule {
  PlatformPackager: { prototype: { generateFuseConfig(fuses: BuilderConfig['electronFuses']): Promise<object> } }
}
interface FusesModule {
  flipFuses(pathToElectron: string, config: object): Promise<number>
  getCurrentFuseWire(pathToElectron: string): Promise<Record<number, number>>
  FuseV1Options: Record<string, number | string>
}

const root = resolve(import.meta.dirname, '..', '..')
const { getConfig, validateConfiguration } = requireFromBuilder('app-builder-lib/out/util/config/config.js') as ConfigModule
const { DebugLogger } = requireFromBuilder('builder-util') as BuilderUtil
const { PlatformPackager } = requireFromBuilder('app-builder-lib') as PlatformPackagerModule
const fuses = requireFromBuilderLib('@electron/fuses') as FusesModule

/** Where Electron keeps its fuse wire: this marker, a version byte, a length byte, then one byte per fuse. */
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'
/** Electron's own defaults, in wire order (RunAsNode … GrantFileProtocolExtraPrivileges): '1' on, '0' off. */
const ELECTRON_DEFAULT_WIRE = '10110001'

let config: BuilderConfig
let scratch: string

beforeAll(async () => {
  config = await getConfig(root, 'electron-builder.yml', null)
  scratch = await mkdtemp(join(tmpdir(), 'mqtts-fuses-'))
})

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true })
})

describe('electron-builder.yml', () => {
  // Compiling electron-builder's schema takes 4-12 s of CPU on a busy 2-core machine.
  it('is a configuration electron-builder accepts (its own schema check)', async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined()
  }, 90_000)

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

  it('associates recordings with the app as a viewer, without claiming every .gz file', () => {
    expect(config.fileAssociations).toEqual([
      { ext: 'jsonl', name: 'MQTT recording', description: 'MQTTS Explorer recording (JSON Lines)', mimeType: 'application/x-mqtts-recording', role: 'Viewer', rank: 'Alternate' },
    ])
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
  it('flips those fuses in an Electron binary the way the packager does', async () => {
    // A stand-in for the Electron binary (which cannot be downloaded here): just its fuse wire, at Electron's defaults.
    const binary = join(scratch, 'electron')
    const wire = Buffer.concat([Buffer.from([1, ELECTRON_DEFAULT_WIRE.length]), Buffer.from(ELECTRON_DEFAULT_WIRE, 'latin1')])
    await writeFile(binary, Buffer.concat([Buffer.alloc(64), Buffer.from(FUSE_SENTINEL, 'latin1'), wire, Buffer.alloc(64)]))
    // electron-builder's own translation of the yml block, then the library it hands it to.
    const fuseConfig = await PlatformPackager.prototype.generateFuseConfig.call(null, config.electronFuses)
    await fuses.flipFuses(binary, fuseConfig)
    const flipped = await fuses.getCurrentFuseWire(binary)
    const state = (name: string) => String.fromCharCode(flipped[fuses.FuseV1Options[name] as number])
    expect({
      RunAsNode: state('RunAsNode'),
      EnableCookieEncryption: state('EnableCookieEncryption'),
      EnableNodeOptionsEnvironmentVariable: state('EnableNodeOptionsEnvironmentVariable'),
      EnableNodeCliInspectArguments: state('EnableNodeCliInspectArguments'),
      EnableEmbeddedAsarIntegrityValidation: state('EnableEmbeddedAsarIntegrityValidation'),
      OnlyLoadAppFromAsar: state('OnlyLoadAppFromAsar'),
      LoadBrowserProcessSpecificV8Snapshot: state('LoadBrowserProcessSpecificV8Snapshot'),
      GrantFileProtocolExtraPrivileges: state('GrantFileProtocolExtraPrivileges'),
    }).toEqual({
      RunAsNode: '0',
      EnableCookieEncryption: '1',
      EnableNodeOptionsEnvironmentVariable: '0',
      EnableNodeCliInspectArguments: '0',
      EnableEmbeddedAsarIntegrityValidation: '1',
      OnlyLoadAppFromAsar: '1',
      // Not a security fuse: left as Electron ships it.
      LoadBrowserProcessSpecificV8Snapshot: '0',
      GrantFileProtocolExtraPrivileges: '0',
    })
  })
})
