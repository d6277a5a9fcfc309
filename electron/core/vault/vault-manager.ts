/**
 * The vault feature's engine, around the vault itself (vault.ts): why it could not open, the
 * `vault.changed` event, which profiles use which item, and the one place where a profile's
 * item ids become key material (right before the connection is opened, never on the way to the
 * renderer). Its `vault.*` methods are in service.ts.
 */
import {
  ApiError,
  isTlsScheme,
  notice,
  type Notice,
  type CertificateFile,
  type Profile,
  type SessionSecrets,
  type VaultItemMeta,
  type VaultItemUser,
  type VaultItemView,
  type VaultSnapshot,
  type VaultStatus,
} from '../../api'
import type { ProfileStore } from '../storage/profile-store'
import { Vault, type VaultOptions } from './vault'

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

export class VaultManager {
  private constructor(
    readonly vault: Vault | null,
    private readonly openProblem: Notice | undefined,
    /** Which profiles use which item. */
    readonly profiles: ProfileStore,
    private readonly emitChanged: (snapshot: VaultSnapshot) => void,
  ) {}

  /** Opens `<dataDir>/vault`. A failure to open never stops the app: the status says why. */
  static async open(dataDir: string, profiles: ProfileStore, emitChanged: (s: VaultSnapshot) => void, options: VaultOptions = {}): Promise<VaultManager> {
    try {
      return new VaultManager(await Vault.open(dataDir, options), undefined, profiles, emitChanged)
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err)
      return new VaultManager(null, notice('VAULT_OPEN_FAILED', `The certificate vault could not be opened (${why}) — check that the data folder is writable, then restart the app.`, { why }), profiles, emitChanged)
    }
  }

  status(): VaultStatus {
    if (!this.vault) return { state: 'keychain-unavailable', keySource: 'keychain', passphraseSet: false, ...(this.openProblem ? { reason: this.openProblem.message, reasonNotices: [this.openProblem] } : {}), itemCount: 0 }
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

  /** Tells every window and answers with the new snapshot (unlock, reset). */
  async afterChange(): Promise<VaultSnapshot> {
    const snapshot = await this.snapshot()
    this.emitChanged(snapshot)
    return snapshot
  }

  /** The open vault, or VAULT_LOCKED with why it is not available. */
  require(): Vault {
    if (!this.vault) throw new ApiError('VAULT_LOCKED', this.openProblem?.message ?? 'The certificate vault is not available.')
    return this.vault
  }

  /** An item with the profiles that use it. */
  view(item: VaultItemMeta, profiles: Profile[]): VaultItemView {
    return { ...item, usedBy: usersOf(profiles, item.id) }
  }

  /** A label for files and connection material; `fallback` if the item went away meanwhile. */
  async nameOf(id: string, fallback = 'certificate'): Promise<string> {
    return this.require().nameOf(id).catch(() => fallback)
  }
}
