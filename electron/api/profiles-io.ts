/**
 * Moving profiles between machines and from other MQTT clients. The exported file is JSON;
 * secrets (the vault items the profiles use) are included only when the user asks, and then
 * only encrypted under a passphrase they choose.
 */
import { z } from 'zod'
import type { Profile } from './profiles'
import { MAX_FILE_NAME_CHARS, MAX_PASSPHRASE_CHARS, MAX_PROFILES_FILE_CHARS } from './limits'

export const ProfilesExportParams = z.object({
  /** Include client identities and passwords, encrypted under `passphrase`. CA certificates are public and always included. */
  includeSecrets: z.boolean().default(false),
  passphrase: z.string().min(8).max(MAX_PASSPHRASE_CHARS).optional(),
})

export const ProfilesImportParams = z.object({
  fileName: z.string().min(1).max(MAX_FILE_NAME_CHARS),
  /** The file's text (JSON). 20 MB is far beyond any real export. */
  text: z.string().min(1).max(MAX_PROFILES_FILE_CHARS),
  /** Opens the secrets of an export made with secrets. */
  passphrase: z.string().max(MAX_PASSPHRASE_CHARS).optional(),
})

/** Which application wrote the imported file. */
export type ProfilesFileFormat = 'mqtts-explorer' | 'mqttx' | 'mqtt-explorer'

export interface ProfilesExportResult {
  fileName: string
  /** The file's text (JSON). */
  text: string
  profileCount: number
  /** Vault items written into the file (encrypted ones included). */
  itemCount: number
}

export interface ProfilesImportResult {
  format: ProfilesFileFormat
  profiles: Profile[]
  /** Vault items created (certificates, identities, passwords). */
  itemCount: number
  /** Sentences about what could not be brought over (e.g. a certificate file path that no longer exists). */
  warnings: string[]
}
