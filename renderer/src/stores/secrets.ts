/**
 * Secrets typed or chosen this run (passwords, private keys, PKCS#12 bundles, passphrases),
 * keyed by profile id. Memory only: never localStorage/sessionStorage/IndexedDB, never part of a
 * profile. They go to the main side with each connect as SessionSecrets and vanish on reload.
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { Profile, SessionSecrets } from '@api'
import { isEncryptedKeyPem } from '../lib/files'

/** Which secrets a connect still needs from the user. */
export interface MissingSecrets {
  password: boolean
  keyPem: boolean
  keyPassphrase: boolean
  pkcs12: boolean
  /** Only after the main side said the bundle's passphrase is wrong. */
  pkcs12Passphrase: boolean
}

export const useSecretsStore = defineStore('secrets', () => {
  // A plain Map, deliberately not reactive: secrets should not sit in devtools-visible state.
  const store = new Map<string, SessionSecrets>()
  /** Bumped on every change so views that show "key loaded" can react without seeing the key. */
  const version = ref(0)

  function get(profileId: string): SessionSecrets {
    return { ...(store.get(profileId) ?? {}) }
  }

  /** Merges values in; `undefined` leaves a field as it is, '' keeps an explicit empty answer. */
  function set(profileId: string, patch: SessionSecrets): void {
    const next = { ...(store.get(profileId) ?? {}) }
    for (const [k, v] of Object.entries(patch) as [keyof SessionSecrets, string | undefined][]) {
      if (v !== undefined) next[k] = v
    }
    store.set(profileId, next)
    version.value++
  }

  function forget(profileId: string, keys?: (keyof SessionSecrets)[]): void {
    if (!keys) store.delete(profileId)
    else {
      const next = { ...(store.get(profileId) ?? {}) }
      for (const k of keys) delete next[k]
      store.set(profileId, next)
    }
    version.value++
  }

  function has(profileId: string, key: keyof SessionSecrets): boolean {
    void version.value
    return store.get(profileId)?.[key] !== undefined
  }

  /** What the profile needs that memory does not hold (e.g. a key file chosen in an earlier run). */
  function missingFor(profile: Profile): MissingSecrets {
    const s = store.get(profile.id) ?? {}
    const tls = profile.tls
    const keyPem = !!tls.clientKeyName && !s.keyPem
    const encrypted = !!s.keyPem && isEncryptedKeyPem(s.keyPem)
    return {
      // A username without a remembered password (or an explicit blank answer) may need one.
      password: !!profile.username && s.password === undefined && !profile.passwordItemId,
      keyPem,
      keyPassphrase: encrypted && s.keyPassphrase === undefined,
      pkcs12: !!tls.pkcs12Name && !s.pkcs12Base64,
      pkcs12Passphrase: false,
    }
  }

  /** The secrets to send with a connect: empty answers are left out. */
  function forConnect(profileId: string): SessionSecrets {
    const out: SessionSecrets = {}
    for (const [k, v] of Object.entries(store.get(profileId) ?? {}) as [keyof SessionSecrets, string | undefined][]) {
      if (v) out[k] = v
    }
    return out
  }

  return { version, get, set, forget, has, missingFor, forConnect }
})

/** True when any secret must be asked for before connecting. */
export function needsPrompt(missing: MissingSecrets): boolean {
  return missing.password || missing.keyPem || missing.keyPassphrase || missing.pkcs12 || missing.pkcs12Passphrase
}
