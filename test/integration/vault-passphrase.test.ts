/**
 * A machine without any Secret Service: the vault asks for a master passphrase and says why,
 * and never stores a key in plain text. Runs in a child process whose session bus points nowhere.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Vault } from '../../electron/core/vault/vault'
import { readConfig } from '../../electron/core/vault/vault-config'
import { KeychainKeyStore, KeychainUnavailableError, type DataKeyStore } from '../../electron/core/vault/key-store'
import { deleteKeychainEntry, requireSecretService, runWithoutSecretService } from '../fixtures/keyring'

const VAULT = resolve(import.meta.dirname, '../../electron/core/vault/vault.ts')
let dataDir: string

// The child opens the vault twice (a restart), stores a password, and prints what it saw.
const script = `
import { Vault } from ${JSON.stringify(VAULT)}
async function attempt<T>(fn: () => Promise<T>): Promise<T | { code: string; message: string }> {
  try { return await fn() } catch (e) { const err = e as { code: string; message: string }; return { code: err.code, message: err.message } }
}
async function main() {
  const [dir, step] = process.argv.slice(2)
  const cost = { N: 2 ** 14, r: 8, p: 1 }
  const vault = await Vault.open(dir, { scryptCost: cost })
  const out: Record<string, unknown> = { before: vault.status() }
  if (step === 'setup') {
    out.listLocked = await attempt(() => vault.list())
    out.tooShort = await attempt(() => vault.unlockWithPassphrase('short'))
    // Long enough for the old 8-character rule, but guessable: the main side refuses it for any client.
    out.guessable = await attempt(() => vault.unlockWithPassphrase('aaaaaaaaaaaaaaaa'))
    out.after = await vault.unlockWithPassphrase('correct horse battery')
    out.item = await vault.storeSecret('password', 'pw-without-keychain-77', 'Broker login')
  } else if (step === 'keychain-gone') {
    out.list = await attempt(() => vault.list())
    out.unlock = await attempt(() => vault.unlockWithPassphrase('anything at all'))
  } else {
    out.wrong = await attempt(() => vault.unlockWithPassphrase('wrong horse battery'))
    out.after = await vault.unlockWithPassphrase('correct horse battery')
    const [item] = await vault.list()
    out.secret = await vault.resolveSecret(item.id)
  }
  process.stdout.write(JSON.stringify(out))
}
main().catch((e) => { process.stdout.write(JSON.stringify({ crash: String(e) })); process.exitCode = 1 })
`

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'mqtts-vault-nokeyring-'))
})
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true })
})

describe('vault without a Secret Service', () => {
  it('asks for a master passphrase, says why, and works with it across a restart', async () => {
    const first = JSON.parse(await runWithoutSecretService(script, [dataDir, 'setup']))
    expect(first.before).toMatchObject({ state: 'needs-passphrase', keySource: 'passphrase', passphraseSet: false })
    expect(first.before.reason).toMatch(/No desktop session bus is running, so no system keychain \(Secret Service\) is reachable\. Choose a master passphrase/)
    expect(first.listLocked.code).toBe('VAULT_LOCKED')
    expect(first.tooShort.code).toBe('VAULT_BAD_INPUT')
    expect(first.guessable.code).toBe('VAULT_BAD_INPUT')
    expect(first.guessable.message).toMatch(/easy to guess/)
    expect(first.after.state).toBe('ready')

    const second = JSON.parse(await runWithoutSecretService(script, [dataDir, 'unlock']))
    expect(second.before).toMatchObject({ state: 'needs-passphrase', passphraseSet: true })
    expect(second.wrong).toMatchObject({ code: 'VAULT_LOCKED', message: expect.stringMatching(/does not unlock/) })
    expect(second.after.state).toBe('ready')
    expect(second.secret).toBe('pw-without-keychain-77')

    // Neither the password nor anything key-like is on disk in the clear.
    const config = JSON.parse(await readFile(join(dataDir, 'vault', 'vault.json'), 'utf8'))
    expect(config.keySource).toBe('passphrase')
    const wrapped = JSON.parse(await readFile(join(dataDir, 'vault', 'passphrase.json'), 'utf8'))
    expect(wrapped.kdf).toMatchObject({ name: 'scrypt', N: 2 ** 14 })
    for (const name of await readdir(dataDir, { recursive: true })) {
      const path = join(dataDir, name)
      const text = await readFile(path).then((b) => b.toString('latin1'), () => '')
      expect(text).not.toContain('pw-without-keychain-77')
      expect(text).not.toContain('correct horse battery')
    }
  })
})

describe('vault whose keychain goes away', () => {
  it('reports keychain-unavailable (not a new key, not a passphrase prompt) and recovers when the keychain is back', async () => {
    await requireSecretService()
    const dir = await mkdtemp(join(tmpdir(), 'mqtts-vault-keychain-gone-'))
    const vault = await Vault.open(dir)
    const installId = (await readConfig(join(dir, 'vault')))!.installId
    try {
      const item = await vault.storeSecret('password', 'kept-in-keychain-mode', 'Broker login')
      vault.close()
      const out = JSON.parse(await runWithoutSecretService(script, [dir, 'keychain-gone']))
      expect(out.before).toMatchObject({ state: 'keychain-unavailable', keySource: 'keychain', itemCount: 1 })
      expect(out.before.reason).toMatch(/start or unlock the keychain and try again/)
      expect(out.list.code).toBe('VAULT_LOCKED')
      expect(out.unlock.code).toBe('VAULT_LOCKED')
      // Back in a session with the keychain, the same items open again.
      const back = await Vault.open(dir)
      expect(await back.resolveSecret(item.id)).toBe('kept-in-keychain-mode')
    } finally {
      await deleteKeychainEntry(installId)
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe('vault whose keychain did not answer at start', () => {
  it('asks the keychain again when a connection needs an item, and opens it once the keychain answers', async () => {
    await requireSecretService()
    const dir = await mkdtemp(join(tmpdir(), 'mqtts-vault-keychain-late-'))
    const first = await Vault.open(dir)
    const installId = (await readConfig(join(dir, 'vault')))!.installId
    try {
      const item = await first.storeSecret('password', 'kept-for-a-late-keychain', 'Broker login')
      first.close()
      // The real keychain behind a seam that fails its first read, as a slow session bus does.
      let failuresLeft = 1
      const late = (id: string): DataKeyStore => {
        const real = new KeychainKeyStore(id)
        return {
          kind: 'keychain',
          get: async () => {
            if (failuresLeft-- > 0) throw new KeychainUnavailableError('The system keychain did not answer (timeout).', 'timeout')
            return real.get()
          },
          set: (key) => real.set(key),
          delete: () => real.delete(),
        }
      }
      const vault = await Vault.open(dir, { keychain: late })
      expect(vault.status().state).toBe('keychain-unavailable')
      expect(await vault.resolveSecret(item.id)).toBe('kept-for-a-late-keychain')
      expect(vault.status().state).toBe('ready')
    } finally {
      await deleteKeychainEntry(installId)
      await rm(dir, { recursive: true, force: true })
    }
  })
})
