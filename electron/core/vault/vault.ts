/**
 * The vault: certificates, client identities and passwords sealed under one data key that
 * lives in the OS keychain (or, without one, behind a master passphrase). Plain Node; the
 * service exposes it through the contract. Only `resolveTlsMaterial` and `resolveSecret` ever
 * return secrets, and only to main-side callers about to open a connection.
 */
import { join } from 'node:path'
import { ApiError } from '../../api/errors'
import type { SecretKind, VaultItemMeta, VaultStatus } from '../../api/vault'
import { notice, noticesMessage, type Notice } from '../../api/notices'
import { newPassphraseProblem } from '../../api/passphrase-strength'
import { ensurePrivateDir } from '../storage/atomic-json'
import { SerialQueue } from '../storage/serial-queue'
import { deriveItemKeys, newDataKey, type ItemKeys } from './envelope'
import { draftItems, extendsChain, holdsSame, type InputFile, type StoredItem } from './import-items'
import { listItemIds, loadItem, newItemId, openSecret, removeItem, rewriteMeta, verifyItem, writeItem, type ItemFile, type SecretPayload } from './item-store'
import { KeychainKeyStore, toUnavailable, type DataKeyStore } from './key-store'
import { itemMeta, unverifiedMeta } from './item-meta'
import { DEFAULT_SCRYPT, PassphraseKeyStore } from './passphrase-key-store'
import { keyCheckOf, keyMatches, newConfig, readConfig, writeConfig, type VaultConfig } from './vault-config'
import { addToTlsMaterial, certificatesPem, identityPkcs12, type TlsMaterial } from './material'

export type { TlsMaterial } from './material'

/** An imported item, and whether the vault already held it (see `importFiles`). */
export type ImportedItemMeta = VaultItemMeta & { reused: boolean }

export interface VaultOptions {
  /** Builds the keychain store for an install id; defaults to the OS keychain. */
  keychain?: (installId: string) => DataKeyStore
  /** scrypt parameters for a new master passphrase (tests lower them). */
  scryptCost?: { N: number; r: number; p: number }
  /** Clock for expiry flags. */
  now?: () => Date
}

export class Vault {
  private config: VaultConfig
  private keys: ItemKeys | null = null
  private current: VaultStatus = { state: 'needs-passphrase', keySource: 'keychain', passphraseSet: false, itemCount: 0 }
  /** Runs mutations one at a time, so a rename cannot race a delete of the same file. */
  private readonly queue = new SerialQueue()
  private readonly keychain: DataKeyStore
  private readonly passphraseStore: PassphraseKeyStore
  private readonly itemsDir: string
  private readonly now: () => Date

  private constructor(readonly vaultDir: string, config: VaultConfig, opts: VaultOptions) {
    this.config = config
    this.itemsDir = join(vaultDir, 'items')
    this.keychain = (opts.keychain ?? ((id) => new KeychainKeyStore(id)))(config.installId)
    this.passphraseStore = new PassphraseKeyStore(vaultDir, opts.scryptCost ?? DEFAULT_SCRYPT)
    this.now = opts.now ?? (() => new Date())
  }

  /** Opens (or creates) the vault under `<dataDir>/vault` and loads its key when it can. */
  static async open(dataDir: string, opts: VaultOptions = {}): Promise<Vault> {
    const vaultDir = join(dataDir, 'vault')
    await ensurePrivateDir(vaultDir)
    await ensurePrivateDir(join(vaultDir, 'items'))
    const vault = new Vault(vaultDir, (await readConfig(vaultDir)) ?? newConfig(), opts)
    await vault.refresh()
    return vault
  }

  /** Where the vault stands and, unless ready, why. */
  status(): VaultStatus {
    return { ...this.current }
  }

  /** Looks at the key store again (e.g. after the user started their keychain). */
  refresh(): Promise<VaultStatus> {
    return this.queue.run(() => this.load())
  }

  /** Unlocks with the master passphrase, or sets it when none exists yet. */
  unlockWithPassphrase(passphrase: string): Promise<VaultStatus> {
    return this.queue.run(async () => {
      if (this.current.state === 'ready') return this.status()
      if (this.current.state !== 'needs-passphrase') {
        throw new ApiError('VAULT_LOCKED', this.current.reason ?? 'The vault does not use a master passphrase.')
      }
      if (await this.passphraseStore.exists()) {
        const key = await this.withPassphrase(passphrase, () => this.passphraseStore.get())
        if (!key || !keyMatches(this.config, key)) return this.setLost(notice('VAULT_PASSPHRASE_OTHER_KEY', 'The master passphrase opens a different vault key than these items were sealed with — reset the vault and import them again.'))
        return this.setReady(key, 'passphrase')
      }
      // The window asks twice and shows strength; the same rule holds here for any client.
      const weak = newPassphraseProblem(passphrase, passphrase)
      if (weak) throw new ApiError('VAULT_BAD_INPUT', weak)
      const key = newDataKey()
      await this.withPassphrase(passphrase, () => this.passphraseStore.set(key))
      await this.saveConfig({ ...this.config, keySource: 'passphrase', keyCheck: keyCheckOf(key) })
      return this.setReady(key, 'passphrase')
    })
  }

  /**
   * Starts over with a fresh data key: the only way a new key replaces one that items were
   * sealed with. Old item files stay (listed as damaged) so the user sees what to re-import.
   * Uses the keychain when reachable, else `passphrase` as the new master passphrase.
   */
  reset(opts: { passphrase?: string } = {}): Promise<VaultStatus> {
    return this.queue.run(async () => {
      const key = newDataKey()
      try {
        await this.storeInKeychain(key)
        await this.passphraseStore.delete()
        await this.saveConfig({ ...this.config, keySource: 'keychain', keyCheck: keyCheckOf(key) })
        return this.setReady(key, 'keychain')
      } catch (err) {
        if (err instanceof ApiError) throw err
        const reason = toUnavailable(err).reason
        const weak = opts.passphrase ? newPassphraseProblem(opts.passphrase, opts.passphrase) : 'Give a new master passphrase to reset the vault.'
        if (!opts.passphrase || weak) throw new ApiError('VAULT_LOCKED', `${reason} ${weak}`)
        await this.withPassphrase(opts.passphrase, () => this.passphraseStore.set(key))
        await this.saveConfig({ ...this.config, keySource: 'passphrase', keyCheck: keyCheckOf(key) })
        return this.setReady(key, 'passphrase')
      }
    })
  }

  /** Every item, metadata only. Damaged items are listed (with the problem) rather than hidden. */
  async list(): Promise<VaultItemMeta[]> {
    this.requireUnlocked()
    const out: VaultItemMeta[] = []
    for (const id of await listItemIds(this.itemsDir)) {
      let loaded
      try {
        loaded = await loadItem(this.itemsDir, id)
      } catch (err) {
        if (err instanceof ApiError && err.code === 'NOT_FOUND') continue // deleted meanwhile
        throw err
      }
      const now = this.now()
      if (loaded.problem !== undefined) out.push(unverifiedMeta(id, loaded.file, loaded.problem))
      else if (!this.keys) out.push(unverifiedMeta(id, loaded.file, notice('VAULT_ITEM_KEY_GONE', 'It was sealed with a vault key that no longer exists — delete it and import the file again.')))
      else if (!verifyItem(this.keys, loaded.file)) out.push(unverifiedMeta(id, loaded.file, notice('VAULT_ITEM_OTHER_KEY', 'The item file was altered or sealed with another key — delete it and import the item again.')))
      else out.push(itemMeta(loaded.file, now))
    }
    return out
  }

  /**
   * Imports certificate/key/PKCS#12 files as one drop; nothing is stored unless all of it is
   * good. A certificate or identity the vault already holds (same SHA-256 fingerprints, same
   * key) is reused, never written again: that item comes back with `reused: true`, completed
   * in place when the new files carry a longer chain.
   */
  importFiles(files: InputFile[], opts: { name?: string; passphrase?: string } = {}): Promise<ImportedItemMeta[]> {
    return this.queue.run(async () => {
      const keys = this.requireReady()
      const drafts = draftItems(files, { ...opts, now: this.now() })
      const stored = await this.certificateItems(keys)
      const written: ItemFile[] = []
      const out: Array<{ file: ItemFile; reused: boolean }> = []
      try {
        for (const draft of drafts) {
          const at = this.now().toISOString()
          const twin = stored.find((s) => holdsSame(draft, s))
          if (!twin) {
            const file = await writeItem(this.itemsDir, keys, newItemId(), { ...draft.meta, createdAt: at, updatedAt: at }, draft.payload)
            written.push(file)
            out.push({ file, reused: false })
          } else if (extendsChain(draft, twin)) {
            const meta = { ...twin.file.meta, certificates: draft.meta.certificates, updatedAt: at }
            out.push({ file: await writeItem(this.itemsDir, keys, twin.file.id, meta, draft.payload), reused: true })
          } else {
            out.push({ file: twin.file, reused: true })
          }
        }
      } catch (err) {
        for (const file of written) await removeItem(this.itemsDir, file.id)
        throw new ApiError('STORAGE_WRITE_FAILED', `Could not save to the vault (${(err as Error).message}) — check free disk space and permissions of the data folder.`)
      }
      this.current.itemCount = (await listItemIds(this.itemsDir)).length
      return out.map(({ file, reused }) => ({ ...itemMeta(file, this.now()), reused }))
    })
  }

  /** The verified certificate items (CA bundles, identities): what an import is compared with. */
  private async certificateItems(keys: ItemKeys): Promise<Array<StoredItem & { file: ItemFile }>> {
    const out: Array<StoredItem & { file: ItemFile }> = []
    for (const id of await listItemIds(this.itemsDir)) {
      const loaded = await loadItem(this.itemsDir, id).catch(() => null) // deleted meanwhile
      if (!loaded || loaded.problem !== undefined || !verifyItem(keys, loaded.file)) continue
      const file = loaded.file
      if (file.kind !== 'ca-bundle' && file.kind !== 'client-identity') continue
      out.push({ file, kind: file.kind, meta: file.meta, payload: () => openSecret(keys, file) })
    }
    return out
  }

  /** Stores a typed-in password or passphrase; `replaceId` updates an existing one in place. */
  storeSecret(kind: SecretKind, value: string, name: string, replaceId?: string): Promise<VaultItemMeta> {
    return this.queue.run(async () => {
      const keys = this.requireReady()
      const at = this.now().toISOString()
      let createdAt = at
      if (replaceId) createdAt = (await this.loadVerified(replaceId)).meta.createdAt
      const file = await writeItem(this.itemsDir, keys, replaceId ?? newItemId(), { name, source: 'typed', certificates: [], createdAt, updatedAt: at }, { kind, value })
      return itemMeta(file, this.now())
    })
  }

  rename(id: string, name: string): Promise<VaultItemMeta> {
    return this.queue.run(async () => {
      const keys = this.requireReady()
      const file = await this.loadVerified(id)
      const next = await rewriteMeta(this.itemsDir, keys, file, { ...file.meta, name, updatedAt: this.now().toISOString() })
      return itemMeta(next, this.now())
    })
  }

  /** Deletes an item; works in every state, so damaged items can always be cleared away. */
  delete(id: string): Promise<void> {
    return this.queue.run(async () => {
      await loadItem(this.itemsDir, id) // NOT_FOUND when it is not there
      await removeItem(this.itemsDir, id)
      this.current.itemCount = (await listItemIds(this.itemsDir)).length
    })
  }

  /** The name of one verified item, without reading every other item as list() does. */
  async nameOf(id: string): Promise<string> {
    return (await this.loadVerified(id)).meta.name
  }

  /** The certificate(s) of an item as PEM: public data, safe to save anywhere. */
  async exportCertificatePem(id: string): Promise<string> {
    return certificatesPem(await this.secretOf(id))
  }

  /** A client identity as a PKCS#12 file encrypted under `passphrase` (chosen by the user). */
  async exportPkcs12(id: string, passphrase: string): Promise<Buffer> {
    const keys = this.requireReady()
    // One read: the name and the secret come from the same verified file.
    const file = await this.loadVerified(id)
    return identityPkcs12(openSecret(keys, file), passphrase, file.meta.name)
  }

  /**
   * Decrypts the items a connection uses, right before tls.connect. MAIN SIDE ONLY: the result
   * holds the private key and must never be sent to the renderer, logged or stored.
   */
  async resolveTlsMaterial(ids: string[]): Promise<TlsMaterial> {
    const material: TlsMaterial = { ca: [] }
    for (const id of ids) addToTlsMaterial(material, await this.secretOf(id, true))
    return material
  }

  /** Decrypts a password or passphrase item. MAIN SIDE ONLY. */
  async resolveSecret(id: string): Promise<string> {
    const payload = await this.secretOf(id, true)
    if (payload.kind === 'password' || payload.kind === 'passphrase') return payload.value
    throw new ApiError('VAULT_BAD_INPUT', 'A certificate item was picked where a password belongs — fix the profile.')
  }

  /** Forgets the key in memory (app shutdown, or before unlocking again). */
  close(): void {
    this.keys?.encryption.fill(0)
    this.keys?.mac.fill(0)
    this.keys = null
  }

  private async secretOf(id: string, forConnection = false): Promise<SecretPayload> {
    // A keychain that did not answer when the app started (a slow or late desktop session) gets
    // another chance when a connection needs it, instead of failing every connect until a restart.
    if (forConnection && this.current.state === 'keychain-unavailable') await this.refresh()
    const keys = this.requireReady()
    try {
      return openSecret(keys, await this.loadVerified(id))
    } catch (err) {
      if (forConnection && err instanceof ApiError && err.code === 'NOT_FOUND') {
        throw new ApiError('SECRET_MISSING', 'A vault item this connection uses has been deleted — pick another one in the profile.', { id })
      }
      throw err
    }
  }

  private async loadVerified(id: string): Promise<ItemFile> {
    const loaded = await loadItem(this.itemsDir, id)
    const name = typeof loaded.file?.meta?.name === 'string' ? loaded.file.meta.name : id
    if (loaded.problem !== undefined || !this.keys || !verifyItem(this.keys, loaded.file)) {
      throw new ApiError('VAULT_ITEM_DAMAGED', `The vault item "${name}" is damaged and cannot be used — delete it and import it again.`, { id })
    }
    return loaded.file
  }

  private async load(): Promise<VaultStatus> {
    this.close()
    const itemCount = (await listItemIds(this.itemsDir)).length
    this.current = { ...this.current, itemCount }
    if (this.config.keySource === 'passphrase') {
      const passphraseSet = await this.passphraseStore.exists()
      return this.set({ state: 'needs-passphrase', keySource: 'passphrase', passphraseSet }, [passphraseSet ? notice('VAULT_ENTER_PASSPHRASE', 'Enter the master passphrase to unlock saved certificates and passwords.') : notice('VAULT_CHOOSE_PASSPHRASE', 'Choose a master passphrase to protect saved certificates and passwords.')])
    }
    let key: Buffer | null
    try {
      key = await this.keychain.get()
    } catch (err) {
      const cause = toUnavailable(err).reasonNotice
      const fresh = !this.config.keyCheck && itemCount === 0
      if (fresh) {
        return this.set({ state: 'needs-passphrase', keySource: 'passphrase', passphraseSet: false }, [cause, notice('VAULT_CHOOSE_PASSPHRASE_INSTEAD', 'Choose a master passphrase to protect saved certificates and passwords instead.')])
      }
      return this.set({ state: 'keychain-unavailable', keySource: 'keychain', passphraseSet: false }, [cause, notice('VAULT_KEYCHAIN_RETRY', 'The vault key is kept there — start or unlock the keychain and try again, or reset the vault.')])
    }
    if (!key) {
      if (this.config.keyCheck || itemCount > 0) {
        return this.setLost(notice('VAULT_KEY_GONE', `The vault key is gone from the system keychain (deleted or reset), so ${itemCount} saved item(s) can no longer be decrypted — reset the vault and import them again.`, { n: itemCount }))
      }
      key = newDataKey()
      await this.storeInKeychain(key)
      await this.saveConfig({ ...this.config, keySource: 'keychain', keyCheck: keyCheckOf(key) })
    }
    if (!keyMatches(this.config, key)) {
      return this.setLost(notice('VAULT_KEY_DIFFERENT', 'The system keychain holds a different vault key than the one the saved items were sealed with — reset the vault and import them again.'))
    }
    return this.setReady(key, 'keychain')
  }

  /** Lends the passphrase store `passphrase` for one call, so it is not kept in memory afterwards. */
  private async withPassphrase<T>(passphrase: string, fn: () => Promise<T>): Promise<T> {
    this.passphraseStore.usePassphrase(passphrase)
    try {
      return await fn()
    } finally {
      this.passphraseStore.forgetPassphrase()
    }
  }

  private async storeInKeychain(key: Buffer): Promise<void> {
    await this.keychain.set(key)
    // Read it back: a keychain that accepts a write but does not keep it would lose every item.
    const back = await this.keychain.get()
    if (!back || !back.equals(key)) throw new ApiError('STORAGE_WRITE_FAILED', 'The system keychain did not keep the vault key — check that it is unlocked and try again.')
  }

  private async saveConfig(config: VaultConfig): Promise<void> {
    await writeConfig(this.vaultDir, config)
    this.config = config
  }

  private setReady(key: Buffer, keySource: 'keychain' | 'passphrase'): VaultStatus {
    this.keys = deriveItemKeys(key)
    key.fill(0)
    return this.set({ state: 'ready', keySource, passphraseSet: keySource === 'passphrase' })
  }

  private setLost(reason: Notice): VaultStatus {
    this.close()
    return this.set({ state: 'key-lost', keySource: this.config.keySource, passphraseSet: this.config.keySource === 'passphrase' }, [reason])
  }

  /** The new state; its reason is the sentences given, in English (`reason`) and with their codes (`reasonNotices`). */
  private set(next: Omit<VaultStatus, 'itemCount' | 'reason' | 'reasonNotices'>, reasons: Notice[] = []): VaultStatus {
    this.current = { ...next, itemCount: this.current.itemCount }
    if (reasons.length > 0) {
      this.current.reason = noticesMessage(reasons)
      this.current.reasonNotices = reasons
    }
    return this.status()
  }

  private requireReady(): ItemKeys {
    if (this.current.state === 'ready' && this.keys) return this.keys
    const code = this.current.state === 'key-lost' ? 'VAULT_KEY_MISSING' : 'VAULT_LOCKED'
    throw new ApiError(code, this.current.reason ?? 'The vault is locked.')
  }

  private requireUnlocked(): void {
    if (this.current.state === 'needs-passphrase' || this.current.state === 'keychain-unavailable') {
      throw new ApiError('VAULT_LOCKED', this.current.reason ?? 'The vault is locked.')
    }
  }
}
