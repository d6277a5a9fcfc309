import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ProfileSpecInput } from '../../electron/api'

// Lets a test make the final rename fail, as if the process died between write and rename.
const fsControl = vi.hoisted(() => ({ failRename: false }))
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>()
  return {
    ...real,
    rename: async (from: string, to: string) => {
      if (fsControl.failRename) throw Object.assign(new Error('simulated crash before rename'), { code: 'EIO' })
      return real.rename(from, to)
    },
  }
})

const { ProfileStore } = await import('../../electron/core/storage/profile-store')
const { readJson, writeJsonAtomic } = await import('../../electron/core/storage/atomic-json')

const spec = (name: string, extra: Partial<ProfileSpecInput> = {}): ProfileSpecInput => ({ name, host: 'broker.example.test', port: 8883, ...extra })

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mqtts-profiles-'))
  fsControl.failRename = false
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function expectApiError(promise: Promise<unknown>, code: string): Promise<void> {
  await expect(promise).rejects.toMatchObject({ name: 'ApiError', code })
}

describe('ProfileStore', () => {
  it('creates, lists, updates and deletes profiles, and keeps them across restarts', async () => {
    const store = await ProfileStore.open(dir)
    expect(await store.list()).toEqual([])

    const a = await store.create(spec('Plant A', { username: 'alice' }))
    const b = await store.create(spec('Plant B', { port: 8884 }))
    expect(a.id).toMatch(/^[0-9a-f-]{36}$/)
    expect(a.id).not.toBe(b.id)
    expect(a.scheme).toBe('mqtts')
    expect(a.subscriptions.map((s) => s.filter)).toEqual(['#', '$SYS/#'])

    const updated = await store.update(a.id, { ...a, name: 'Plant A (north)', port: 18883 })
    expect(updated).toMatchObject({ id: a.id, createdAt: a.createdAt, name: 'Plant A (north)', port: 18883, clientId: a.clientId })
    await store.delete(b.id)

    const reopened = await ProfileStore.open(dir)
    expect(reopened.warnings).toEqual([])
    expect(await reopened.list()).toEqual([updated])
    expect(await reopened.get(a.id)).toEqual(updated)
    expect(await reopened.get(b.id)).toBeUndefined()
  })

  it('writes a versioned document', async () => {
    const store = await ProfileStore.open(dir)
    await store.create(spec('Versioned'))
    const doc = JSON.parse(await readFile(join(dir, 'profiles.json'), 'utf8'))
    expect(doc).toMatchObject({ schemaVersion: 1, profiles: [expect.objectContaining({ name: 'Versioned' })] })
  })

  it('answers NOT_FOUND for ids it does not know', async () => {
    const store = await ProfileStore.open(dir)
    await expectApiError(store.update('nope', spec('X')), 'NOT_FOUND')
    await expectApiError(store.duplicate('nope'), 'NOT_FOUND')
    await expectApiError(store.delete('nope'), 'NOT_FOUND')
    expect(await store.get('nope')).toBeUndefined()
  })

  it('rejects an invalid spec with BAD_REQUEST and saves nothing', async () => {
    const store = await ProfileStore.open(dir)
    await expectApiError(store.create({ name: 'Bad port', host: 'h', port: 70000 }), 'BAD_REQUEST')
    expect(await store.list()).toEqual([])
  })

  it('fills in a generated client id when none is given, and keeps a chosen one', async () => {
    const store = await ProfileStore.open(dir)
    const auto = await store.create(spec('Auto'))
    const chosen = await store.create(spec('Chosen', { clientId: 'line-7-monitor' }))
    expect(auto.clientId).toMatch(/^mqtts-explorer-[0-9a-f]{8}$/)
    expect(chosen.clientId).toBe('line-7-monitor')
    // Clearing it on update keeps the profile's existing id rather than churning a new one.
    expect((await store.update(auto.id, { ...auto, clientId: '' })).clientId).toBe(auto.clientId)
  })

  it('duplicates as "<name> (copy)" with a new id and its own generated client id', async () => {
    const store = await ProfileStore.open(dir)
    const original = await store.create(spec('Broker', { username: 'ops' }))
    const copy = await store.duplicate(original.id)
    const second = await store.duplicate(original.id)
    expect(copy).toMatchObject({ name: 'Broker (copy)', username: 'ops', host: original.host })
    expect(second.name).toBe('Broker (copy 2)')
    expect(copy.id).not.toBe(original.id)
    expect(copy.clientId).toMatch(/^mqtts-explorer-[0-9a-f]{8}$/)
    expect(copy.clientId).not.toBe(original.clientId)
    expect((await store.list()).map((p) => p.name)).toEqual(['Broker', 'Broker (copy)', 'Broker (copy 2)'])
  })

  it('creates the built-in Sandbox once, lists it first, keeps its edits and refuses to delete it', async () => {
    const store = await ProfileStore.open(dir)
    await store.create(spec('Mine'))
    const sandbox = await store.ensureBuiltin(spec('Sandbox', { host: '127.0.0.1', protocolVersion: 4 }), 'sandbox', 'sandbox')
    expect(sandbox).toMatchObject({ id: 'sandbox', builtin: 'sandbox', name: 'Sandbox' })
    await store.update('sandbox', { ...sandbox, subscriptions: [{ filter: 'factory/#' }] })

    const reopened = await ProfileStore.open(dir)
    await reopened.ensureBuiltin(spec('Sandbox', { host: '127.0.0.1' }), 'sandbox', 'sandbox')
    const list = await reopened.list()
    expect(list.map((p) => p.name)).toEqual(['Sandbox', 'Mine'])
    expect(list[0].subscriptions.map((s) => s.filter)).toEqual(['factory/#'])
    expect(list[0].builtin).toBe('sandbox')

    await expectApiError(reopened.delete('sandbox'), 'BAD_REQUEST')
    const copy = await reopened.duplicate('sandbox')
    expect(copy.builtin).toBeUndefined()
    await reopened.delete(copy.id)
  })

  it('moves an unreadable file aside, starts empty and says where the backup is', async () => {
    const file = join(dir, 'profiles.json')
    await writeFile(file, '{"schemaVersion": 1, "profiles": [ {"name": "half')
    const store = await ProfileStore.open(dir)
    expect(await store.list()).toEqual([])
    expect(store.warnings).toHaveLength(1)
    const backup = (await readdir(dir)).find((n) => n.startsWith('profiles.json.corrupt-'))
    expect(backup).toBeDefined()
    expect(store.warnings[0]).toContain(join(dir, backup!))
    expect(await readFile(join(dir, backup!), 'utf8')).toBe('{"schemaVersion": 1, "profiles": [ {"name": "half')

    // The store works normally afterwards, and the backup is never overwritten.
    await store.create(spec('Fresh'))
    expect((await ProfileStore.open(dir)).warnings).toEqual([])
    expect(await readFile(join(dir, backup!), 'utf8')).toContain('half')
  })

  it('keeps a file from a newer app version aside instead of overwriting it', async () => {
    await writeFile(join(dir, 'profiles.json'), JSON.stringify({ schemaVersion: 99, profiles: [{ name: 'future' }] }))
    const store = await ProfileStore.open(dir)
    expect(store.warnings[0]).toMatch(/newer version of MQTTS Explorer \(format 99/)
    expect((await readdir(dir)).some((n) => n.startsWith('profiles.json.corrupt-'))).toBe(true)
  })

  it('sets individually invalid entries aside, keeps the valid ones and reports which', async () => {
    const seed = await ProfileStore.open(dir)
    const good = await seed.create(spec('Good'))
    const file = join(dir, 'profiles.json')
    const doc = JSON.parse(await readFile(file, 'utf8'))
    doc.profiles.push({ ...good, id: 'x1', name: 'Broken port', port: 'eighty' })
    await writeFile(file, JSON.stringify(doc))

    const store = await ProfileStore.open(dir)
    expect((await store.list()).map((p) => p.name)).toEqual(['Good'])
    expect(store.warnings).toHaveLength(1)
    expect(store.warnings[0]).toMatch(/1 saved connection profile was invalid.*"Broken port": port/)
    const aside = (await readdir(dir)).find((n) => n.startsWith('profiles.json.invalid-'))
    expect(store.warnings[0]).toContain(join(dir, aside!))
    const kept = JSON.parse(await readFile(join(dir, aside!), 'utf8'))
    expect(kept.rejected[0].entry).toMatchObject({ id: 'x1', port: 'eighty' })
    // The main file was cleaned right away, so the next start is quiet.
    expect((await ProfileStore.open(dir)).warnings).toEqual([])
  })

  it('leaves the previous file intact and the store unchanged when a save dies before the rename', async () => {
    const store = await ProfileStore.open(dir)
    const kept = await store.create(spec('Kept'))
    const before = await readFile(join(dir, 'profiles.json'), 'utf8')

    fsControl.failRename = true
    await expectApiError(store.create(spec('Lost')), 'STORAGE_WRITE_FAILED')
    await expectApiError(store.update(kept.id, { ...kept, name: 'Renamed' }), 'STORAGE_WRITE_FAILED')
    fsControl.failRename = false

    expect(await readFile(join(dir, 'profiles.json'), 'utf8')).toBe(before)
    expect((await readdir(dir)).filter((n) => n.includes('.tmp-'))).toEqual([])
    expect((await store.list()).map((p) => p.name)).toEqual(['Kept'])
    expect((await (await ProfileStore.open(dir)).list()).map((p) => p.name)).toEqual(['Kept'])
  })

  it('ignores and removes temp files a crashed write left behind', async () => {
    const store = await ProfileStore.open(dir)
    await store.create(spec('Survivor'))
    const stale = join(dir, 'profiles.json.tmp-4242-deadbeef')
    await writeFile(stale, '{"schemaVersion":1,"profiles":[{"na')
    const old = new Date(Date.now() - 3_600_000)
    await utimes(stale, old, old)

    const reopened = await ProfileStore.open(dir)
    expect((await reopened.list()).map((p) => p.name)).toEqual(['Survivor'])
    expect(await readdir(dir)).toEqual(['profiles.json'])
  })

  it('serializes concurrent changes so none is lost', async () => {
    const store = await ProfileStore.open(dir)
    const created = await Promise.all(Array.from({ length: 25 }, (_, i) => store.create(spec(`P${i}`))))
    await Promise.all([
      ...created.slice(0, 10).map((p) => store.delete(p.id)),
      ...created.slice(10, 20).map((p) => store.update(p.id, { ...p, port: 9000 })),
      store.duplicate(created[24].id),
    ])
    const expected = [...created.slice(10).map((p) => p.name), 'P24 (copy)']
    expect((await store.list()).map((p) => p.name)).toEqual(expected)
    const onDisk = await ProfileStore.open(dir)
    expect((await onDisk.list()).map((p) => p.name)).toEqual(expected)
    expect((await onDisk.list()).filter((p) => p.port === 9000)).toHaveLength(10)
  })

  it('never writes secrets: extra secret fields are dropped and a pasted private key is refused', async () => {
    const store = await ProfileStore.open(dir)
    const sneaky = { ...spec('Sneaky'), password: 'hunter2', keyPem: '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----' } as ProfileSpecInput
    const saved = await store.create(sneaky)
    expect(saved).not.toHaveProperty('password')
    expect(saved).not.toHaveProperty('keyPem')

    const combined = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n-----BEGIN EC PRIVATE KEY-----\nMHcC\n-----END EC PRIVATE KEY-----\n'
    await expectApiError(store.create(spec('Combined file', { tls: { clientCert: { name: 'client.pem', pem: combined } } })), 'BAD_REQUEST')

    const text = await readFile(join(dir, 'profiles.json'), 'utf8')
    expect(text).not.toMatch(/password|keyPem|hunter2|PRIVATE KEY/)
    expect(text).toContain('Sneaky')
  })
})

describe('atomic JSON helpers', () => {
  it('round-trips a value and reports a missing file as undefined', async () => {
    const file = join(dir, 'nested', 'settings.json')
    expect(await readJson(file)).toBeUndefined()
    await writeJsonAtomic(file, { theme: 'dark', n: 3 })
    expect(await readJson(file)).toEqual({ theme: 'dark', n: 3 })
  })

  it('throws on a file that is not JSON', async () => {
    const file = join(dir, 'bad.json')
    await writeFile(file, 'not json')
    await expect(readJson(file)).rejects.toThrow(SyntaxError)
  })
})
