/**
 * The main side's shape, as docs/architecture.md describes it: every feature folder under
 * electron/core/ holds its engine files plus one service.ts exporting `<feature>Service`, which
 * returns that feature's slice of the handlers; core/service.ts only composes them; "Service"
 * names nothing but those slices; tls/ never reaches into connections/; and the app ships no
 * certificate issuers only tests use.
 */
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const CORE = join(__dirname, '../../electron/core')

/** Folder → the name its service.ts exports. Sandbox and decode (pure decoders) have no methods of their own, so no slice. */
const SLICES: Record<string, string> = {
  app: 'appService',
  charts: 'chartsService',
  inspect: 'inspectService',
  connections: 'connectionsService',
  'profiles-io': 'profilesIoService',
  publish: 'publishService',
  recording: 'recordingService',
  replay: 'replayService',
  offline: 'offlineService',
  storage: 'storageService',
  tls: 'tlsService',
  tree: 'treeService',
  vault: 'vaultService',
}

async function sourcesOf(folder: string): Promise<Array<{ file: string; text: string }>> {
  const names = (await readdir(join(CORE, folder), { recursive: true })).filter((n) => n.endsWith('.ts'))
  return Promise.all(names.map(async (file) => ({ file: join(folder, file), text: await readFile(join(CORE, folder, file), 'utf8') })))
}

describe('the shape of electron/core', () => {
  it('gives every feature folder one service.ts exporting <feature>Service', async () => {
    for (const [folder, name] of Object.entries(SLICES)) {
      const text = await readFile(join(CORE, folder, 'service.ts'), 'utf8').catch(() => '')
      expect(text, `${folder}/service.ts`).toMatch(new RegExp(`export function ${name}\\(`))
    }
  })

  it('keeps no feature code loose at the top of core/: only service.ts, which composes', async () => {
    const loose = (await readdir(CORE, { withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name)
    expect(loose).toEqual(['service.ts'])
    const composer = await readFile(join(CORE, 'service.ts'), 'utf8')
    // Every slice is spread in, and no contract method is written inline.
    for (const name of Object.values(SLICES)) expect(composer).toContain(`...${name}(`)
    expect(composer).not.toMatch(/^\s+'[a-z]+\.[a-zA-Z.]+': async/m)
  })

  it('names no engine class "…Service": the word means only a handlers slice', async () => {
    const folders = (await readdir(CORE, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name)
    for (const folder of folders) {
      for (const { file, text } of await sourcesOf(folder)) expect(text, file).not.toMatch(/class \w+Service\b/)
    }
  })

  it('lets tls/ import nothing from connections/', async () => {
    for (const { file, text } of await sourcesOf('tls')) expect(text, file).not.toMatch(/from '\.\.\/connections\//)
  })

  it('ships only the issuers the app uses; test-only certificate kinds live in test/fixtures', async () => {
    const factory = await import('../../electron/core/tls/cert-factory')
    for (const name of ['issueIntermediate', 'issueClientCert', 'createSelfSignedCert', 'pemBundle']) expect(factory, name).not.toHaveProperty(name)
    expect(typeof factory.createRootCa).toBe('function')
    expect(typeof factory.issueServerCert).toBe('function')
  })
})
