/**
 * The vault as the service exposes it: the `vault.*` methods, the `vault.changed` event, which
 * profiles use which item, and the one place where a profile's item ids become key material
 * (right before the connection is opened, never on the way to the renderer).
 */
import {
  ApiError,
  isTlsScheme,
  type CertificateFile,
  type Profile,
  type SessionSecrets,
  type ValidParams,
  type VaultExportFile,
  type VaultItemMeta,
  type VaultItemUser,
  type VaultItemView,
  type VaultSnapshot,
  type VaultStatus,
} from '../api'
import type { ProfileStore } from './storage/profile-store'
import { Vault, type VaultOptions } from './vault/vault'

/** The item ids a profile refers to, whatever their role. */
export function itemIdsOf(profile: Profile): string[] {
  const ids = [...(profile.tls.caItemIds ?? [])]
  if (profile.tls.identityItemId) ids.push(profile.tls.identityItemId)
  if (profile.passwordItemId) ids.push(profile.passwordItemId)
  return ids
}

/** Profiles that use `id`. */
export function usersOf(profiles: Profile[], id: string): VaultItemUser[] {
  return profiles.filter((p) => itemIdsOf(p).includes(id)).map((p) => ({ profileId: p.id, name: p.name }))
}

/** A file name made from an item name: no path separators or control characters. */
export function safeFileName(name: string, ext: string): string {
  const base = name.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '_').trim().slice(0, 100) || 'certificate'
  return `${base}.${ext}`
}

export class VaultService {
  private constructor(
    readonly vault: Vault | null,
    private readonly openProblem: string | undefined,
    private readonly profiles: ProfileStore,
    private readonly emitChanged: (snapshot: VaultSnapshot) => void,
  ) {}

  /** Opens `<dataDir>/vault`. A failure to open never stops the app: the status says why. */
  static async open(dataDir: string, profiles: ProfileStore, emitChanged: (s: VaultSnapshot) => void, options: VaultOptions = {}): Promise<VaultService> {
    try {
      return new VaultService(await Vault.open(dataDir, options), undefined, profiles, emitChanged)
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err)
      return new VaultService(null, `The certificate vault could not be opened (${why}) — check that the data folder is writable, then restart the app.`, profiles, emitChanged)
    }
  }

  status(): VaultStatus {
    if (!this.vault) return { state: 'keychain-unavailable', keySource: 'keychain', passphraseSet: false, reason: this.openProblem, itemCount: 0 }
    return this.vault.status()
  }

  /** Items with the profiles that use them; empty while locked. */
  async items(): Promise<VaultItemView[]> {
    const vault = this.vault
    const state = this.status().state
    if (!vault || state === 'needs-passphrase' || state === 'keychain-unavailable') return []
    const profiles = await this.profiles.list()
    return (await vault.list()).map((item) => this.view(item, profiles))
  }

  async snapshot(): Promise<VaultSnapshot> {
    return { status: this.status(), items: await this.items() }
  }

  /** Tells every window; called after each change, including profile saves (usage changes). */
  async changed(): Promise<void> {
    try {
      this.emitChanged(await this.snapshot())
    } catch {
      // A listing that fails (e.g. the folder vanished) is reported by the next explicit call.
    }
  }

  /** Handlers for the `vault.*` methods. */
  handlers() {
    return {
      'vault.status': async () => {
        if (this.vault && this.vault.status().state !== 'ready') await this.vault.refresh()
        return this.snapshot()
      },
      'vault.unlock': async ({ passphrase }: ValidParams<'vault.unlock'>) => {
        await this.require().unlockWithPassphrase(passphrase)
        return this.afterChange()
      },
      'vault.reset': async ({ passphrase }: ValidParams<'vault.reset'>) => {
        await this.require().reset({ passphrase })
        return this.afterChange()
      },
      'vault.list': async () => this.items(),
      'vault.import': async ({ files, name, passphrase }: ValidParams<'vault.import'>) => {
        const input = files.map((f) => ({ name: f.name, bytes: Buffer.from(f.dataBase64, 'base64') }))
        const imported = await this.require().importFiles(input, { name, passphrase })
        await this.changed()
        const profiles = await this.profiles.list()
        return imported.map((item) => ({ ...this.view(item, profiles), reused: item.reused }))
      },
      'vault.storeSecret': async ({ kind, name, value, replaceId }: ValidParams<'vault.storeSecret'>) => {
        const item = await this.require().storeSecret(kind, value, name, replaceId)
        await this.changed()
        return this.view(item, await this.profiles.list())
      },
      'vault.rename': async ({ id, name }: ValidParams<'vault.rename'>) => {
        const item = await this.require().rename(id, name)
        await this.changed()
        return this.view(item, await this.profiles.list())
      },
      'vault.delete': async ({ id, force }: ValidParams<'vault.delete'>) => {
        const users = usersOf(await this.profiles.list(), id)
        if (users.length > 0 && !force) {
          const names = users.map((u) => `"${u.name}"`).join(', ')
          throw new ApiError('VAULT_ITEM_IN_USE', `This item is used by ${users.length === 1 ? 'the profile' : 'the profiles'} ${names} — those connections will stop working until you pick another item in them.`, { profiles: users })
        }
        await this.require().delete(id)
        await this.changed()
        return { deleted: true as const }
      },
      'vault.exportCertificatePem': async ({ id }: ValidParams<'vault.exportCertificatePem'>): Promise<VaultExportFile> => {
        const vault = this.require()
        const pem = await vault.exportCertificatePem(id)
        return { fileName: safeFileName(await this.nameOf(id), 'pem'), dataBase64: Buffer.from(pem).toString('base64') }
      },
      'vault.exportPkcs12': async ({ id, passphrase }: ValidParams<'vault.exportPkcs12'>): Promise<VaultExportFile> => {
        const p12 = await this.require().exportPkcs12(id, passphrase)
        return { fileName: safeFileName(await this.nameOf(id), 'p12'), dataBase64: p12.toString('base64') }
      },
    }
  }

  /**
   * The profile and secrets a connect actually uses: vault CAs and the client identity become
   * PEM in main-side memory, the password item becomes the password. MAIN SIDE ONLY: the
   * result holds the private key and goes straight to the connection manager.
   */
  async resolveForConnect(profile: Profile, secrets: SessionSecrets): Promise<{ profile: Profile; secrets: SessionSecrets }> {
    const out: SessionSecrets = { ...secrets }
    let resolved = profile
    if (isTlsScheme(profile.scheme) && (profile.tls.caItemIds.length > 0 || profile.tls.identityItemId)) {
      const vault = this.require()
      const ca: CertificateFile[] = [...profile.tls.ca]
      for (const id of profile.tls.caItemIds) {
        const material = await vault.resolveTlsMaterial([id])
        const name = await this.nameOf(id, id)
        for (const pem of material.ca) ca.push({ name, pem })
      }
      let clientCert = profile.tls.clientCert
      if (profile.tls.identityItemId) {
        const material = await vault.resolveTlsMaterial([profile.tls.identityItemId])
        if (!material.cert || !material.key) {
          throw new ApiError('VAULT_BAD_INPUT', 'The item picked as client certificate holds no private key — pick a client identity in the profile.')
        }
        clientCert = { name: await this.nameOf(profile.tls.identityItemId, 'client certificate'), pem: material.cert }
        out.keyPem = material.key
        // The vault keeps keys decrypted inside its envelope: no passphrase and no PKCS#12 apply.
        delete out.keyPassphrase
        delete out.pkcs12Base64
        delete out.pkcs12Passphrase
      }
      resolved = { ...profile, tls: { ...profile.tls, ca, clientCert } }
    }
    if (profile.passwordItemId && !out.password) out.password = await this.require().resolveSecret(profile.passwordItemId)
    return { profile: resolved, secrets: out }
  }

  close(): void {
    this.vault?.close()
  }

  private async afterChange(): Promise<VaultSnapshot> {
    const snapshot = await this.snapshot()
    this.emitChanged(snapshot)
    return snapshot
  }

  private require(): Vault {
    if (!this.vault) throw new ApiError('VAULT_LOCKED', this.openProblem ?? 'The certificate vault is not available.')
    return this.vault
  }

  private view(item: VaultItemMeta, profiles: Profile[]): VaultItemView {
    return { ...item, usedBy: usersOf(profiles, item.id) }
  }

  /** A label for files and connection material; `fallback` if the item went away meanwhile. */
  private async nameOf(id: string, fallback = 'certificate'): Promise<string> {
    return this.require().nameOf(id).catch(() => fallback)
  }
}
