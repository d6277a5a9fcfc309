/**
 * The stored profiles' and settings' methods (`profiles.list/create/update/duplicate/delete`,
 * `settings.*`), answered by the stores (profile-store.ts, settings-store.ts). What other
 * features do about a change (close a deleted profile's connection, apply new tree limits) comes
 * in as hooks, so storage knows no other feature.
 */
import type { AppSettings, EventName, EventPayloads, ServiceHandlers } from '../../api'
import type { ProfileStore } from './profile-store'
import type { SettingsStore } from './settings-store'

type StorageMethod = 'profiles.list' | 'profiles.create' | 'profiles.update' | 'profiles.duplicate' | 'profiles.delete' | Extract<keyof ServiceHandlers, `settings.${string}`>

export interface StorageServiceDeps {
  profiles: ProfileStore
  settings: SettingsStore
  emit: <E extends EventName>(name: E, payload: EventPayloads[E]) => void
  /** After every profile change: tell every window. */
  profilesChanged(): Promise<void>
  /** Before a profile is deleted (its connection closes). */
  profileDeleting(id: string): Promise<void>
  /** After a profile was deleted (what belonged to it goes). */
  profileDeleted(id: string): void
  /** New settings were saved; runs before `settings.changed` goes out. */
  settingsSaved(next: AppSettings): void
}

/** The stores' slice of the contract. */
export function storageService({ profiles, settings, emit, profilesChanged, profileDeleting, profileDeleted, settingsSaved }: StorageServiceDeps): Pick<ServiceHandlers, StorageMethod> {
  return {
    'profiles.list': async () => profiles.list(),
    'profiles.create': async ({ spec }) => {
      const created = await profiles.create(spec)
      await profilesChanged()
      return created
    },
    'profiles.update': async ({ id, spec }) => {
      const updated = await profiles.update(id, spec)
      await profilesChanged()
      return updated
    },
    'profiles.duplicate': async ({ id }) => {
      const copy = await profiles.duplicate(id)
      await profilesChanged()
      return copy
    },
    'profiles.delete': async ({ id }) => {
      await profileDeleting(id)
      await profiles.delete(id)
      profileDeleted(id)
      await profilesChanged()
      return { deleted: true }
    },
    'settings.get': async () => settings.get(),
    'settings.update': async ({ patch }) => {
      const next = await settings.update(patch)
      settingsSaved(next)
      emit('settings.changed', next)
      return next
    },
  }
}
