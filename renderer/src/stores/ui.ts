/**
 * What is open on screen (profile editor, secret prompt) and the connect flow that ties
 * profiles, secrets and sessions together, so the sidebar and the tabs share one behaviour.
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { ApiError, type ApiErrorData, type Profile } from '@api'
import { needsPrompt, useSecretsStore, type MissingSecrets } from './secrets'
import { useConnectionsStore } from './connections'
import { useProfilesStore } from './profiles'

export interface EditorTarget {
  /** null for a new profile. */
  profileId: string | null
}

export interface SecretRequest {
  profileId: string
  missing: MissingSecrets
  /** Why we ask again, e.g. a wrong passphrase reported by the main side. */
  reason?: ApiErrorData
}

/** Codes after which asking the user for a secret again is the useful next step. */
const SECRET_CODES = new Set(['SECRET_MISSING', 'TLS_KEY_PASSPHRASE', 'TLS_BAD_PKCS12', 'MQTT_BAD_CREDENTIALS'])

export const useUiStore = defineStore('ui', () => {
  const editor = ref<EditorTarget | null>(null)
  const secretRequest = ref<SecretRequest | null>(null)
  const secrets = useSecretsStore()
  const connections = useConnectionsStore()
  const profiles = useProfilesStore()

  function openEditor(profileId: string | null): void {
    editor.value = { profileId }
  }

  function closeEditor(): void {
    editor.value = null
  }

  /** Connects, first asking for any secret this run has not seen yet. */
  async function connectProfile(profileId: string): Promise<void> {
    const profile = profiles.byId(profileId)
    if (!profile) return
    const missing = secrets.missingFor(profile)
    if (needsPrompt(missing)) {
      secretRequest.value = { profileId, missing }
      return
    }
    await connectNow(profile)
  }

  async function connectNow(profile: Profile): Promise<void> {
    try {
      const state = await connections.connect(profile.id, secrets.forConnect(profile.id))
      if (state.error && SECRET_CODES.has(state.error.code)) askAgain(profile, state.error)
    } catch (err) {
      if (err instanceof ApiError && SECRET_CODES.has(err.code)) askAgain(profile, err.toJSON())
      // Other errors are shown next to the profile by the connections store.
    }
  }

  function askAgain(profile: Profile, reason: ApiErrorData): void {
    const missing = secrets.missingFor(profile)
    const code = reason.code
    secretRequest.value = {
      profileId: profile.id,
      reason,
      missing: {
        password: missing.password || code === 'MQTT_BAD_CREDENTIALS',
        keyPem: missing.keyPem || (code === 'SECRET_MISSING' && !!profile.tls.clientKeyName),
        keyPassphrase: missing.keyPassphrase || (code === 'TLS_KEY_PASSPHRASE' && !!profile.tls.clientKeyName),
        pkcs12: missing.pkcs12 || code === 'TLS_BAD_PKCS12' || (code === 'SECRET_MISSING' && !!profile.tls.pkcs12Name),
        pkcs12Passphrase: code === 'TLS_KEY_PASSPHRASE' && !!profile.tls.pkcs12Name,
      },
    }
  }

  /** Called by the secret dialog once the user answered. */
  async function secretsProvided(): Promise<void> {
    const request = secretRequest.value
    secretRequest.value = null
    const profile = request && profiles.byId(request.profileId)
    if (profile) await connectNow(profile)
  }

  return { editor, secretRequest, openEditor, closeEditor, connectProfile, secretsProvided }
})
