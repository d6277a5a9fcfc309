/** Saved connection profiles, kept in sync with the main side through 'profiles.changed'. */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { Profile, ProfileSpecInput } from '@api'
import { useApi } from '../api/use-api'
import { useSecretsStore } from './secrets'

export const useProfilesStore = defineStore('profiles', () => {
  const api = useApi()
  const profiles = ref<Profile[]>([])
  const loaded = ref(false)
  const secrets = useSecretsStore()

  api.on('profiles.changed', (list) => replaceAll(list))

  /**
   * A deleted profile's typed passwords and keys have nothing left to serve: drop them now
   * rather than keep them in memory until the window closes.
   */
  function replaceAll(list: Profile[]): void {
    const keep = new Set(list.map((p) => p.id))
    for (const p of profiles.value) if (!keep.has(p.id)) secrets.forget(p.id)
    profiles.value = list
  }

  /** The Sandbox (builtin) first, then by name, so the zero-setup entry is always easy to find. */
  const sorted = computed(() =>
    [...profiles.value].sort((a, b) => Number(!a.builtin) - Number(!b.builtin) || a.name.localeCompare(b.name)),
  )

  function byId(id: string): Profile | undefined {
    return profiles.value.find((p) => p.id === id)
  }

  /** Replaces or inserts one profile locally so the UI does not wait for the change event. */
  function upsert(profile: Profile): void {
    const i = profiles.value.findIndex((p) => p.id === profile.id)
    if (i >= 0) profiles.value.splice(i, 1, profile)
    else profiles.value.push(profile)
  }

  async function load(): Promise<void> {
    replaceAll(await api.call('profiles.list'))
    loaded.value = true
  }

  async function create(spec: ProfileSpecInput): Promise<Profile> {
    const created = await api.call('profiles.create', { spec })
    upsert(created)
    return created
  }

  async function update(id: string, spec: ProfileSpecInput): Promise<Profile> {
    const updated = await api.call('profiles.update', { id, spec })
    upsert(updated)
    return updated
  }

  async function duplicate(id: string): Promise<Profile> {
    const copy = await api.call('profiles.duplicate', { id })
    upsert(copy)
    return copy
  }

  async function remove(id: string): Promise<void> {
    await api.call('profiles.delete', { id })
    replaceAll(profiles.value.filter((p) => p.id !== id))
  }

  return { profiles, sorted, loaded, byId, load, create, update, duplicate, remove }
})
