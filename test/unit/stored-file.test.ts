import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { z } from 'zod'

// The rename that moves a file aside can be made to fail, for root (as in CI) as for anyone.
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>()
  return { ...real, rename: vi.fn(real.rename) }
})

// Every read is recorded, so a test can say which stored files went through the helper.
vi.mock('../../electron/core/storage/stored-file', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../electron/core/storage/stored-file')>()
  return { ...real, readStoredFile: vi.fn(real.readStoredFile) }
})

const { readStoredFile } = await import('../../electron/core/storage/stored-file')
const { PinStore, makePin } = await import('../../electron/core/tls/pinning')
const { HandshakeHistory } = await import('../../electron/core/tls/handshake-history')
const { SettingsStore } = await import('../../electron/core/storage/settings-store')
const { ProfileStore } = await import('../../electron/core/storage/profile-store')
const { readConfig, configPath } = await import('../../electron/core/vault/vault-config')
const { PassphraseKeyStore } = await import('../../electron/core/vault/passphrase-key-store')
const { loadOrCreateSandboxIdentity } = await import('../../electron/core/sandbox/sandbox-identity')

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mqtts-stored-file-'))
  vi.mocked(readStoredFile).mockClear()
})
afterEach(async () => {
  vi.mocked(rename).mockReset()
  await rm(dir, { recursive: true, force: true })
})

const Doc = z.object({ version: z.literal(1), names: z.array(z.string()) })
const options = { fallback: () => ({ version: 1 as const, names: [] }), what: 'saved names', shape: 'a names file' }

async function backups(name: string): Promise<string[]> {
  return (await readdir(dir)).filter((n) => n.startsWith(`${name}.corrupt-`))
}

describe('readStoredFile', () => {
  it('gives the default for a missing file and the validated value for a good one, quietly', async () => {
    const file = join(dir, 'names.json')
    expect(await readStoredFile(file, Doc, options)).toEqual({ value: { version: 1, names: [] } })
    await writeFile(file, JSON.stringify({ version: 1, names: ['a'], extra: true }))
    expect(await readStoredFile(file, Doc, options)).toEqual({ value: { version: 1, names: ['a'] } })
  })

  it('moves a file that is not JSON aside, returns the default and says where the file went', async () => {
    const file = join(dir, 'names.json')
    await writeFile(file, '{"version": 1, "na')
    const read = await readStoredFile(file, Doc, options)
    expect(read.value).toEqual({ version: 1, names: [] })
    expect(read.problem?.failure).toBe('not-json')
    const [backup] = await backups('names.json')
    expect(read.problem?.movedTo).toBe(join(dir, backup))
    expect(await readFile(join(dir, backup), 'utf8')).toBe('{"version": 1, "na')
    expect(read.problem?.warning).toMatch(/^Your saved names could not be read \(.+\), so MQTTS Explorer started without them; the file was kept unchanged at /)
    expect(read.problem?.warning).toContain(join(dir, backup))
  })

  it('moves a file that fails its schema aside and names the first bad field', async () => {
    const file = join(dir, 'names.json')
    await writeFile(file, JSON.stringify({ version: 1, names: [5] }))
    const read = await readStoredFile(file, Doc, { ...options, startsWith: 'with no names' })
    expect(read.problem).toMatchObject({ failure: 'invalid', reason: expect.stringMatching(/^not a names file \(names\.0: /) })
    expect(read.problem?.warning).toContain('started with no names')
    expect(await backups('names.json')).toHaveLength(1)
  })

  it("leaves a damaged file in place with onInvalid 'keep'", async () => {
    const file = join(dir, 'names.json')
    await writeFile(file, '[]')
    const read = await readStoredFile(file, Doc, { ...options, onInvalid: 'keep' })
    expect(read.problem?.failure).toBe('invalid')
    expect(read.problem?.movedTo).toBeUndefined()
    expect(await readdir(dir)).toEqual(['names.json'])
  })

  it('says so, and that nothing will be saved, when the damaged file cannot be moved aside', async () => {
    const file = join(dir, 'names.json')
    await writeFile(file, 'not json')
    vi.mocked(rename).mockRejectedValueOnce(Object.assign(new Error('EPERM: operation not permitted, rename'), { code: 'EPERM' }))
    const read = await readStoredFile(file, Doc, options)
    expect(read.problem?.moveError).toContain('EPERM')
    expect(read.problem?.keptInPlace).toBe(true)
    expect(read.problem?.warning).toContain(`nothing will be saved until ${file} is fixed or removed`)
    expect(await readdir(dir)).toEqual(['names.json'])
  })

  it('leaves a file it cannot read where it is: an I/O error is not damage', async () => {
    const file = join(dir, 'names.json')
    await mkdir(file) // reading a folder fails with EISDIR, as EACCES or EBUSY would
    const read = await readStoredFile(file, Doc, options)
    expect(read.value).toEqual({ version: 1, names: [] })
    expect(read.problem).toMatchObject({ failure: 'unreadable', keptInPlace: true, reason: expect.stringContaining('EISDIR') })
    expect(read.problem?.movedTo).toBeUndefined()
    expect(read.problem?.warning).toMatch(/^Your saved names could not be read \(.*EISDIR.*\); the file was left unchanged at /)
    expect(await readdir(dir)).toEqual(['names.json'])
  })
})

describe('a profiles.json that cannot be read', () => {
  it('stays where it is and is not saved over', async () => {
    const file = join(dir, 'profiles.json')
    await mkdir(file)
    const store = await ProfileStore.open(dir)
    expect(store.warnings).toHaveLength(1)
    expect(await store.list()).toEqual([])
    await expect(store.create({ name: 'New', host: 'localhost', port: 1883 })).rejects.toMatchObject({ code: 'STORAGE_CORRUPT' })
    expect(await readdir(dir)).toEqual(['profiles.json'])
  })
})

describe('a damaged tls-pins.json', () => {
  const leaf = { sha256: 'AA:BB', spkiSha256: 'CC:DD', subject: 'CN=broker', issuer: 'CN=ca', validTo: 'never' }

  it.each([
    ['an object without a pin map', JSON.stringify({ x: 5 })],
    ['a JSON array', JSON.stringify([makePin('leaf', leaf)])],
    ['text that is not JSON', '{"version": 1, "pins": {'],
    ['a pin map that is not a map', JSON.stringify({ version: 1, pins: 'p1' })],
    ['a pin without a fingerprint', JSON.stringify({ version: 1, pins: { p1: { kind: 'leaf', pinnedAt: 1, subject: 'CN=broker' } } })],
    ['a pin of an unknown kind', JSON.stringify({ version: 1, pins: { p1: { ...makePin('leaf', leaf), kind: 'issuer' } } })],
  ])('holding %s is moved aside and reported, and pins nothing', async (_label, text) => {
    await writeFile(join(dir, 'tls-pins.json'), text)
    const pins = await PinStore.open(dir)
    expect(pins.get('p1')).toBeNull()
    const [backup] = await backups('tls-pins.json')
    expect(await readFile(join(dir, backup), 'utf8')).toBe(text)
    expect(pins.warnings).toHaveLength(1)
    expect(pins.warnings[0]).toMatch(/^Your certificate pins could not be read \(/)
    expect(pins.warnings[0]).toContain(join(dir, backup))

    // Pinning again works and the next start is quiet.
    await pins.set('p1', makePin('spki', leaf))
    const reopened = await PinStore.open(dir)
    expect(reopened.get('p1')).toMatchObject({ kind: 'spki', sha256: 'CC:DD' })
    expect(reopened.warnings).toEqual([])
  })
})

describe('a damaged handshake history file', () => {
  it('is moved aside and reported, and the history starts again', async () => {
    await mkdir(join(dir, 'tls-history'))
    const file = join(dir, 'tls-history', 'p1.json')
    await writeFile(file, JSON.stringify({ version: 1, records: [{ time: 'yesterday' }] }))
    const history = new HandshakeHistory(dir)
    expect(await history.list('p1')).toEqual([])
    expect(history.warnings).toHaveLength(1)
    expect(history.warnings[0]).toMatch(/handshake history .*records\.0\.time/)
    expect((await readdir(join(dir, 'tls-history'))).filter((n) => n.startsWith('p1.json.corrupt-'))).toHaveLength(1)
  })

  it('is moved aside once, with one warning, when two readers ask at the same time', async () => {
    await mkdir(join(dir, 'tls-history'))
    await writeFile(join(dir, 'tls-history', 'p1.json'), 'not json')
    const history = new HandshakeHistory(dir)
    expect(await Promise.all([history.list('p1'), history.list('p1')])).toEqual([[], []])
    expect(history.warnings).toHaveLength(1)
    expect(history.warnings[0]).toContain('the file was kept unchanged at')
  })
})

describe('a settings.json that is not JSON', () => {
  it('is moved aside and reported, and the defaults are used', async () => {
    await writeFile(join(dir, 'settings.json'), '{"tree": {')
    const store = await SettingsStore.open(dir)
    expect(store.get().tree.historyMessagesPerTopic).toBe(100)
    expect(await backups('settings.json')).toHaveLength(1)
    expect(store.warnings).toHaveLength(1)
    expect(store.warnings[0]).toContain('started with the default settings')
  })
})

describe('the vault files', () => {
  it('keeps a damaged vault.json where it is and rebuilds the config, as before', async () => {
    await writeFile(configPath(dir), '{"format": "mqtts-explorer-vault", "installId": 5}')
    expect(await readConfig(dir)).toBeNull()
    expect(await readdir(dir)).toEqual(['vault.json'])
  })

  it('keeps unchecked fields of a good vault.json as they were', async () => {
    const config = { format: 'mqtts-explorer-vault', version: 1, installId: 'abcdef12-3456', keySource: 'passphrase', keyCheck: 'ab12' }
    await writeFile(configPath(dir), JSON.stringify(config))
    expect(await readConfig(dir)).toEqual(config)
  })

  it('refuses a damaged passphrase.json with STORAGE_CORRUPT and leaves it in place', async () => {
    const store = new PassphraseKeyStore(dir)
    await writeFile(store.path, JSON.stringify({ format: 'mqtts-explorer-vault-passphrase', kdf: { name: 'scrypt', N: 2 ** 30, r: 8, p: 1 } }))
    await expect(store.exists()).rejects.toMatchObject({ code: 'STORAGE_CORRUPT' })
    await writeFile(store.path, 'not json')
    await expect(store.exists()).rejects.toMatchObject({ code: 'STORAGE_CORRUPT' })
    expect(await readdir(dir)).toEqual(['passphrase.json'])
  })
})

describe('every stored file', () => {
  it('is read through readStoredFile', async () => {
    await ProfileStore.open(dir)
    await SettingsStore.open(dir)
    await PinStore.open(dir)
    await new HandshakeHistory(dir).list('p1')
    await readConfig(join(dir, 'vault'))
    await new PassphraseKeyStore(join(dir, 'vault')).exists()
    await loadOrCreateSandboxIdentity(join(dir, 'sandbox'))
    const read = vi.mocked(readStoredFile).mock.calls.map(([path]) => relative(dir, path)).sort()
    expect(read).toEqual(['profiles.json', 'sandbox/identity.json', 'settings.json', 'tls-history/p1.json', 'tls-pins.json', 'vault/passphrase.json', 'vault/vault.json'])
  })

  it('has no other way in: only the helper reads JSON with readJson', async () => {
    const { readdir: list } = await import('node:fs/promises')
    const root = join(import.meta.dirname, '../../electron')
    const files = (await list(root, { recursive: true })).filter((f) => f.endsWith('.ts'))
    const users: string[] = []
    for (const f of files) {
      const text = await readFile(join(root, f), 'utf8')
      if (/\breadJson\b/.test(text)) users.push(f)
    }
    expect(users.sort()).toEqual(['core/storage/atomic-json.ts', 'core/storage/stored-file.ts'])
  })
})
