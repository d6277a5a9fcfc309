/**
 * The fallback when no OS keychain is usable: the data key is wrapped (AES-256-GCM) under a
 * key derived from a master passphrase with scrypt. The data key stays random, so changing the
 * passphrase or moving to a keychain later never re-encrypts items. The wrapped key doubles as
 * the check value: a wrong passphrase fails its authentication tag.
 */
import { randomBytes } from 'node:crypto'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { ApiError } from '../../api/errors'
import { writeFileAtomic } from '../storage/atomic-json'
import { readStoredFile } from '../storage/stored-file'
import { open, passphraseKey, seal, type SealedBox } from './envelope'
import type { DataKeyStore } from './key-store'

/** scrypt cost: N = 2^17, r = 8 (128 MiB, a fraction of a second): OWASP's current floor. */
export const DEFAULT_SCRYPT = { N: 2 ** 17, r: 8, p: 1 }
const WRAP_AAD = Buffer.from('mqtts-explorer vault passphrase-wrap v1')

interface PassphraseFile {
  format: 'mqtts-explorer-vault-passphrase'
  version: 1
  kdf: { name: 'scrypt'; N: number; r: number; p: number; salt: string }
  wrappedKey: SealedBox
}

/**
 * What a usable passphrase.json must hold: the scrypt cost within bounds a real install can pay
 * (so a hand-edited N = 2^40 cannot hang the app). Other fields are kept as written.
 */
const StoredPassphraseFile = z.looseObject({
  format: z.literal('mqtts-explorer-vault-passphrase'),
  kdf: z.looseObject({
    name: z.literal('scrypt'),
    N: z.number().int().min(2 ** 10).max(2 ** 22),
    r: z.number().min(1).max(32),
    p: z.number().min(1).max(16),
  }),
})

/** Keeps the data key wrapped under a master passphrase in `<vaultDir>/passphrase.json`. */
export class PassphraseKeyStore implements DataKeyStore {
  readonly kind = 'passphrase' as const
  readonly path: string
  private passphrase: string | null = null

  constructor(vaultDir: string, private readonly cost = DEFAULT_SCRYPT) {
    this.path = join(vaultDir, 'passphrase.json')
  }

  /** Whether a master passphrase has been chosen already. */
  async exists(): Promise<boolean> {
    return (await this.readFile()) !== null
  }

  /** Remembers the passphrase for the following get/set calls (in memory only). */
  usePassphrase(passphrase: string): void {
    this.passphrase = passphrase
  }

  /** Drops the remembered passphrase once the data key is unwrapped or wrapped: nothing needs it after. */
  forgetPassphrase(): void {
    this.passphrase = null
  }

  async get(): Promise<Buffer | null> {
    const file = await this.readFile()
    if (!file) return null
    const passphrase = this.requirePassphrase()
    const kek = await passphraseKey(passphrase, Buffer.from(file.kdf.salt, 'base64'), file.kdf)
    const key = open(kek, file.wrappedKey, WRAP_AAD)
    if (!key) throw new ApiError('VAULT_LOCKED', 'That passphrase does not unlock the vault — check it (and Caps Lock) and try again.')
    return key
  }

  async set(key: Buffer): Promise<void> {
    const passphrase = this.requirePassphrase()
    const salt = randomBytes(16)
    const kek = await passphraseKey(passphrase, salt, this.cost)
    const file: PassphraseFile = {
      format: 'mqtts-explorer-vault-passphrase',
      version: 1,
      kdf: { name: 'scrypt', ...this.cost, salt: salt.toString('base64') },
      wrappedKey: seal(kek, key, WRAP_AAD),
    }
    await writeFileAtomic(this.path, JSON.stringify(file, null, 2))
  }

  async delete(): Promise<void> {
    await rm(this.path, { force: true })
  }

  private requirePassphrase(): string {
    if (this.passphrase === null) throw new ApiError('VAULT_LOCKED', 'Enter the vault passphrase first.')
    return this.passphrase
  }

  /**
   * The wrapped key, or null when no passphrase was chosen yet. A damaged file stays where it is
   * (`onInvalid: 'keep'`): moved aside, it would look like no passphrase was ever chosen, and
   * the vault would start over with a new key that cannot open the items.
   */
  private async readFile(): Promise<PassphraseFile | null> {
    const read = await readStoredFile(this.path, StoredPassphraseFile, {
      fallback: () => null,
      what: 'vault passphrase file',
      shape: 'a vault passphrase file',
      onInvalid: 'keep',
    })
    if (read.problem?.failure === 'unreadable') throw read.problem.error
    if (read.problem) throw new ApiError('STORAGE_CORRUPT', 'The vault passphrase file is damaged — reset the vault and import your items again.')
    return read.value as PassphraseFile | null
  }
}
