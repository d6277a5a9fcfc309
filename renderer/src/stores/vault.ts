/**
 * The certificate vault as the renderer knows it: its state and item metadata, kept in sync
 * through 'vault.changed'. Nothing secret is ever held here: the main side sends metadata only,
 * and what the user types (passphrases, passwords) goes straight into a request.
 */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { ExpiryFlag, Profile, VaultExportFile, VaultFileInput, VaultImportedItem, VaultItemView, VaultSnapshot, VaultStatus } from '@api'
import { useApi } from '../api/use-api'
import { errorText } from '../lib/format'

/** How serious each flag is, to pick the worst of several items. */
const SEVERITY: Record<ExpiryFlag, number> = { ok: 0, expiring: 1, 'not-yet-valid': 2, expired: 3 }

/** What a profile's certificates say about expiry, for the badge shown on its connection. */
export interface ProfileExpiry {
  flag: ExpiryFlag
  /** The item's name, e.g. "plant-client"; the badge words the sentence in the UI's language. */
  name: string
  /** Whether the item is a client certificate (else a CA certificate). */
  client: boolean
  /** Days left of the soonest-expiring certificate (negative once expired). */
  days: number
}

export const useVaultStore = defineStore('vault', () => {
  const api = useApi()
  const status = ref<VaultStatus | null>(null)
  const items = ref<VaultItemView[]>([])
  const loadError = ref<string | null>(null)

  api.on('vault.changed', apply)

  function apply(snapshot: VaultSnapshot): void {
    status.value = snapshot.status
    items.value = snapshot.items
  }

  const ready = computed(() => status.value?.state === 'ready')
  /**
   * Something saved is out of reach (items, or a passphrase that protects them). A machine
   * without a keychain that has saved nothing yet has nothing locked: the choice of a master
   * passphrase waits until a secret is about to be saved (`secretsWaitForPassphrase`).
   */
  const locked = computed(() => {
    const s = status.value
    if (!s || s.state === 'ready') return false
    return !(s.state === 'needs-passphrase' && !s.passphraseSet && s.itemCount === 0)
  })
  const caItems = computed(() => items.value.filter((i) => i.kind === 'ca-bundle'))
  const identities = computed(() => items.value.filter((i) => i.kind === 'client-identity'))

  function byId(id: string): VaultItemView | undefined {
    return items.value.find((i) => i.id === id)
  }

  async function load(): Promise<void> {
    try {
      apply(await api.call('vault.status'))
      loadError.value = null
    } catch (err) {
      loadError.value = errorText(err)
    }
  }

  async function unlock(passphrase: string): Promise<void> {
    apply(await api.call('vault.unlock', { passphrase }))
  }

  async function reset(passphrase?: string): Promise<void> {
    apply(await api.call('vault.reset', { confirm: true, passphrase }))
  }

  /** Items that were already in the vault come back with `reused: true` instead of being stored twice. */
  async function importFiles(files: VaultFileInput[], passphrase?: string): Promise<VaultImportedItem[]> {
    return api.call('vault.import', { files, passphrase: passphrase || undefined })
  }

  async function storeSecret(kind: 'password' | 'passphrase', name: string, value: string, replaceId?: string): Promise<VaultItemView> {
    return api.call('vault.storeSecret', { kind, name, value, replaceId })
  }

  async function rename(id: string, name: string): Promise<void> {
    await api.call('vault.rename', { id, name })
  }

  async function remove(id: string, force = false): Promise<void> {
    await api.call('vault.delete', { id, force })
  }

  async function exportPem(id: string): Promise<VaultExportFile> {
    return api.call('vault.exportCertificatePem', { id })
  }

  async function exportPkcs12(id: string, passphrase: string): Promise<VaultExportFile> {
    return api.call('vault.exportPkcs12', { id, passphrase })
  }

  /** The worst expiry among the certificates a profile uses, or null when all are fine. */
  function expiryFor(profile: Profile): ProfileExpiry | null {
    let worst: ProfileExpiry | null = null
    const ids = [...(profile.tls.caItemIds ?? []), ...(profile.tls.identityItemId ? [profile.tls.identityItemId] : [])]
    for (const id of ids) {
      const item = byId(id)
      if (!item || item.expiry === 'ok') continue
      if (worst && SEVERITY[worst.flag] >= SEVERITY[item.expiry]) continue
      const days = Math.min(...item.certificates.map((c) => c.daysLeft))
      worst = { flag: item.expiry, name: item.name, client: item.kind === 'client-identity', days }
    }
    return worst
  }

  return { locked, status, items, loadError, ready, caItems, identities, byId, load, apply, unlock, reset, importFiles, storeSecret, rename, remove, exportPem, exportPkcs12, expiryFor }
})
