/**
 * The sidebar's profiles, searched and grouped into folders. A search matches the name, the
 * broker's address and the folder, every word of it in any order, ignoring case; folders come in
 * name order, profiles without one first (the Sandbox among them), and a folder whose profiles
 * all miss the search is not shown.
 */
import type { Profile } from '@api'

export interface ProfileGroup {
  /** The folder's name; null for the profiles in none. */
  name: string | null
  profiles: Profile[]
}

/** What a search looks at in a profile. */
export function searchText(p: Profile): string {
  const path = p.scheme === 'ws' || p.scheme === 'wss' ? p.path : ''
  return `${p.name} ${p.scheme}://${p.host}:${p.port}${path} ${p.group ?? ''}`.toLowerCase()
}

export function matchesSearch(p: Profile, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean)
  if (words.length === 0) return true
  const text = searchText(p)
  return words.every((w) => text.includes(w))
}

/** `profiles` in their order, filtered by `query`, in folders. */
export function groupProfiles(profiles: readonly Profile[], query: string): ProfileGroup[] {
  const byName = new Map<string | null, Profile[]>()
  for (const p of profiles) {
    if (!matchesSearch(p, query)) continue
    const name = p.group?.trim() || null
    const list = byName.get(name)
    if (list) list.push(p)
    else byName.set(name, [p])
  }
  return [...byName.entries()]
    .sort(([a], [b]) => (a === null ? -1 : b === null ? 1 : a.localeCompare(b)))
    .map(([name, list]) => ({ name, profiles: list }))
}

/** Every folder name in use, for the editor's suggestions. */
export function groupNames(profiles: readonly Profile[]): string[] {
  return [...new Set(profiles.map((p) => p.group?.trim()).filter((g): g is string => !!g))].sort((a, b) => a.localeCompare(b))
}
