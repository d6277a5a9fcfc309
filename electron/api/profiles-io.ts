/**
 * Moving profiles between machines and from other MQTT clients. The exported file is JSON;
 * secrets (the vault items the profiles use) are included only when the user asks, and then
 * only encrypted under a passphrase they choose.
 */
import { z } from 'zod'
import type { Notice } from './notices'
import type { Profile } from './profiles'
import { MAX_FILE_NAME_CHARS, MAX_IMPORTED_PROFILES, MAX_PASSPHRASE_CHARS, MAX_PROFILES_FILE_CHARS } from './limits'

export const ProfilesExportParams = z.object({
  /** Include client identities and passwords, encrypted under `passphrase`. CA certificates are public and always included. */
  includeSecrets: z.boolean().default(false),
  passphrase: z.string().min(8).max(MAX_PASSPHRASE_CHARS).optional(),
})

/** What to do with an imported profile whose id or name is already taken. */
export const ProfilesConflictChoice = z.enum(['skip', 'replace', 'keep-both'])
export type ProfilesConflictChoice = z.infer<typeof ProfilesConflictChoice>

/** The file to look at before importing: the same two fields the import sends. */
export const ProfilesImportPreviewParams = z.object({
  fileName: z.string().min(1).max(MAX_FILE_NAME_CHARS),
  /** The file's text (JSON). 20 MB is far beyond any real export. */
  text: z.string().min(1).max(MAX_PROFILES_FILE_CHARS),
})

export const ProfilesImportParams = ProfilesImportPreviewParams.extend({
  /** Opens the secrets of an export made with secrets. */
  passphrase: z.string().max(MAX_PASSPHRASE_CHARS).optional(),
  /**
   * A choice for each conflict the preview listed: `each` by the preview's index, `all` for the
   * rest. A conflict left without a choice refuses the whole import (PROFILES_IMPORT_CONFLICT),
   * so nothing is ever overwritten without the user saying so.
   */
  onConflict: z
    .object({
      all: ProfilesConflictChoice.optional(),
      each: z
        .array(z.object({ index: z.number().int().min(0).max(MAX_IMPORTED_PROFILES - 1), choice: ProfilesConflictChoice }))
        .max(MAX_IMPORTED_PROFILES)
        .optional(),
    })
    .optional(),
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

/** An imported profile whose id or name an existing profile already has. */
export interface ProfilesImportConflict {
  /** Position of the profile in the file, as `profiles` of the preview lists it. */
  index: number
  /** Its name in the file. */
  name: string
  existingId: string
  existingName: string
  /** `id`: the file is an export of this very profile (maybe renamed since); `name`: same name only. */
  match: 'id' | 'name'
  /** The existing one is built in (the Sandbox): it can be skipped or kept beside, not replaced. */
  builtin: boolean
}

/** What an import would do, before anything is stored. */
export interface ProfilesImportPreview {
  format: ProfilesFileFormat
  /** Every profile in the file, in order. */
  profiles: Array<{ index: number; name: string }>
  conflicts: ProfilesImportConflict[]
  /** The file holds secrets sealed under a passphrase: ask for it before importing. */
  needsPassphrase: boolean
}

export interface ProfilesImportResult {
  format: ProfilesFileFormat
  /** Profiles added (copies kept beside an existing one included, under their new names). */
  profiles: Profile[]
  /** Existing profiles whose settings the file replaced (same ids). */
  replaced: Profile[]
  /** Names of the profiles in the file that were skipped because they exist. */
  skipped: string[]
  /** Vault items created (certificates, identities, passwords). */
  itemCount: number
  /** Certificates and identities the vault already held (same SHA-256 fingerprints, same key): reused, not stored again. */
  reusedItemCount: number
  /** Sentences about what could not be brought over (e.g. a certificate file path that no longer exists). */
  warnings: string[]
  /** The same warnings with their codes, for translation (same order). */
  warningNotices?: Notice[]
}
