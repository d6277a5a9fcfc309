import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { canonicalJson, deriveItemKeys, newDataKey, open, seal } from '../../electron/core/vault/envelope'
import { loadItem, openSecret, writeItem, type ItemFile } from '../../electron/core/vault/item-store'
import { PassphraseKeyStore } from '../../electron/core/vault/passphrase-key-store'

const dirs: string[] = []
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true })
})
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mqtts-envelope-'))
  dirs.push(dir)
  return dir
}
const meta = { name: 'x', createdAt: '2025-01-01T00:00:00.000Z', updatedAt: '2025-01-01T00:00:00.000Z', source: 'typed' as const, certificates: [] }

describe('envelope encryption', () => {
  it('opens only with the same key and associated data', () => {
    const key = deriveItemKeys(newDataKey()).encryption
    const box = seal(key, Buffer.from('secret'), Buffer.from('a'))
    expect(open(key, box, Buffer.from('a'))?.toString()).toBe('secret')
    expect(open(key, box, Buffer.from('b'))).toBeNull()
    expect(open(deriveItemKeys(newDataKey()).encryption, box, Buffer.from('a'))).toBeNull()
  })

  it('uses a fresh nonce for every seal', () => {
    const key = deriveItemKeys(newDataKey()).encryption
    const a = seal(key, Buffer.from('same'), Buffer.alloc(0))
    const b = seal(key, Buffer.from('same'), Buffer.alloc(0))
    expect(a.nonce).not.toBe(b.nonce)
    expect(Buffer.from(a.nonce, 'base64')).toHaveLength(12)
  })

  it('sorts keys at every level in canonical JSON', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ y: 1, x: 2 }], c: 3 } })).toBe('{"a":{"c":3,"d":[{"x":2,"y":1}]},"b":1}')
  })

  it('refuses a sealed secret moved into another item file (id bound as associated data)', async () => {
    const dir = await tempDir()
    const keys = deriveItemKeys(newDataKey())
    const a = await writeItem(dir, keys, 'aaaaaaaa-1', meta, { kind: 'password', value: 'pw-a' })
    const b = await writeItem(dir, keys, 'bbbbbbbb-2', meta, { kind: 'password', value: 'pw-b' })
    expect(openSecret(keys, a)).toEqual({ kind: 'password', value: 'pw-a' })
    const swapped: ItemFile = { ...b, secret: a.secret }
    expect(() => openSecret(keys, swapped)).toThrow(expect.objectContaining({ code: 'VAULT_ITEM_DAMAGED' }))
    // Relabelling the kind is caught as well.
    const relabelled: ItemFile = { ...a, kind: 'passphrase' }
    expect(() => openSecret(keys, relabelled)).toThrow(expect.objectContaining({ code: 'VAULT_ITEM_DAMAGED' }))
    const loaded = await loadItem(dir, 'aaaaaaaa-1')
    expect(loaded.problem).toBeUndefined()
  })
})

describe('master passphrase key store', () => {
  const cost = { N: 2 ** 14, r: 8, p: 1 }

  it('wraps the data key so that only the right passphrase unwraps it', async () => {
    const dir = await tempDir()
    const store = new PassphraseKeyStore(dir, cost)
    expect(await store.exists()).toBe(false)
    const key = newDataKey()
    store.usePassphrase('correct horse battery')
    await store.set(Buffer.from(key))
    const file = await readFile(join(dir, 'passphrase.json'), 'utf8')
    expect(file).not.toContain(key.toString('base64'))
    expect(file).not.toContain('correct horse battery')

    const again = new PassphraseKeyStore(dir, cost)
    again.usePassphrase('correct horse battery')
    expect((await again.get())?.equals(key)).toBe(true)
    again.usePassphrase('correct horse batterY')
    await expect(again.get()).rejects.toMatchObject({ code: 'VAULT_LOCKED' })
  })
})
