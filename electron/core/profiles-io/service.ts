/**
 * The profiles file methods (`profiles.export`, `profiles.importPreview`, `profiles.import`).
 * They work on the engines they need, the profile store and the vault, never on another
 * feature's handlers.
 */
import type { ServiceHandlers } from '../../api'
import type { ProfileStore } from '../storage/profile-store'
import type { VaultManager } from '../vault/vault-manager'
import { exportProfiles, type TemplatesOf } from './export-profiles'
import { importProfiles, previewImport } from './import-profiles'
import type { TemplateImport } from './materialize'
import type { SchemaList } from './rule-warnings'

type ProfilesIoMethod = 'profiles.export' | 'profiles.importPreview' | 'profiles.import'

export interface ProfilesIoServiceDeps {
  profiles: ProfileStore
  vault: VaultManager
  /** After an import stored profiles: tell every window. */
  profilesChanged(): Promise<void>
  /** Imported schema files (decoder rules that name a missing one get a warning). */
  schemas?: SchemaList
  /** The profiles' message templates: exported with them, imported back. */
  templates?: TemplateImport & { ofProfile: TemplatesOf }
}

/** Import and export's slice of the contract. */
export function profilesIoService({ profiles, vault, profilesChanged, schemas, templates }: ProfilesIoServiceDeps): Pick<ServiceHandlers, ProfilesIoMethod> {
  return {
    'profiles.export': async (params) => exportProfiles(await profiles.list(), vault, params, new Date(), (id) => templates?.ofProfile(id) ?? []),
    'profiles.importPreview': async (params) => previewImport(params, { profiles, vault }),
    'profiles.import': async (params) => {
      const result = await importProfiles(params, { profiles, vault, schemas, templates })
      await profilesChanged()
      return result
    },
  }
}
