/**
 * Which imported profiles are already here, and what the user chose for each. A profile from
 * our own export carries the id it had, so a re-import finds it even after a rename; other
 * files are matched by name. Pure functions: the preview and the import share them, so both
 * see the same conflicts at the same indexes.
 */
import { ApiError, MAX_NAME_CHARS, type Profile, type ProfilesConflictChoice, type ProfilesImportConflict, type ValidParams } from '../../api'


/** What `findConflicts` needs of a draft. */
export interface NamedDraft {
  spec: Record<string, unknown>
  sourceId?: string
}

export function draftName(draft: NamedDraft): string {
  return typeof draft.spec.name === 'string' && draft.spec.name ? draft.spec.name : 'imported profile'
}

/** Each draft whose id or name an existing profile has, with that profile. */
export function findConflicts(drafts: NamedDraft[], existing: Profile[]): ProfilesImportConflict[] {
  const out: ProfilesImportConflict[] = []
  drafts.forEach((draft, index) => {
    const name = draftName(draft)
    const byId = draft.sourceId ? existing.find((p) => p.id === draft.sourceId) : undefined
    const found = byId ?? existing.find((p) => p.name === name)
    if (found) out.push({ index, name, existingId: found.id, existingName: found.name, match: byId ? 'id' : 'name', builtin: !!found.builtin })
  })
  return out
}

type OnConflict = ValidParams<'profiles.import'>['onConflict']

/** The user's choice for one conflict: its own, else the one for all, else none. */
export function choiceFor(conflict: ProfilesImportConflict, onConflict: OnConflict): ProfilesConflictChoice | undefined {
  return onConflict?.each?.find((c) => c.index === conflict.index)?.choice ?? onConflict?.all
}

/** Refuses the import, changing nothing, while a conflict has no choice. */
export function requireChoices(conflicts: ProfilesImportConflict[], onConflict: OnConflict, fileName: string): void {
  const open = conflicts.filter((c) => !choiceFor(c, onConflict))
  if (open.length === 0) return
  const names = open.slice(0, 5).map((c) => `"${c.existingName}"`).join(', ') + (open.length > 5 ? ` and ${open.length - 5} more` : '')
  const what = open.length === 1 ? 'A profile in' : `${open.length} profiles in`
  throw new ApiError(
    'PROFILES_IMPORT_CONFLICT',
    `${what} ${fileName} already ${open.length === 1 ? 'exists' : 'exist'} here (${names}) — choose for each whether to skip it, replace it or keep both; nothing was imported.`,
    { conflicts: open },
  )
}

/** `name` if free, else "name (2)", "name (3)", … cut to fit MAX_NAME_CHARS. */
export function freeName(name: string, taken: Set<string>): string {
  if (!taken.has(name)) return name
  // A copy's copy is "name (3)", not "name (2) (2)".
  const base = name.replace(/ \(\d+\)$/, '')
  for (let n = 2; ; n++) {
    const suffix = ` (${n})`
    const candidate = base.slice(0, MAX_NAME_CHARS - suffix.length) + suffix
    if (!taken.has(candidate)) return candidate
  }
}
