/**
 * The on-disk shape of profiles.json, and the checks that keep it honest: each entry is
 * validated on its own (one bad entry never costs the user the others), and nothing secret is
 * ever let into a document that is written as plain JSON.
 */
import { z } from 'zod'
import { ProfileSpec, SessionSecrets, type Profile } from '../../api'
import { describeIssue, phraseIssue } from './stored-file'

/** Bump when the document shape changes incompatibly; older files are then migrated on read. */
export const PROFILES_SCHEMA_VERSION = 1
export const PROFILES_FILE = 'profiles.json'

/** One saved profile as stored: the spec (defaults filled in) plus identity and timestamps. */
const StoredProfile = ProfileSpec.extend({
  id: z.string().min(1).max(200),
  createdAt: z.string().min(1),
  updatedAt: z.string().min(1),
  builtin: z.literal('sandbox').optional(),
})

/**
 * The document as read back: entries are checked one by one afterwards (see
 * {@link decodeProfileEntries}). A file from a newer version is refused whole, in its own words.
 */
export const ProfilesDocument = z
  .object({
    schemaVersion: z.number().int().min(1),
    profiles: z.array(z.unknown()),
  })
  .superRefine((doc, ctx) => {
    if (doc.schemaVersion > PROFILES_SCHEMA_VERSION) {
      ctx.addIssue(phraseIssue(`were saved by a newer version of MQTTS Explorer (format ${doc.schemaVersion}, this version reads ${PROFILES_SCHEMA_VERSION})`, { format: doc.schemaVersion, reads: PROFILES_SCHEMA_VERSION }))
    }
  })

/** An entry that failed validation, with the reason in words. */
export interface RejectedEntry {
  reason: string
  entry: unknown
}

/** Turns a document's entries into profiles, setting aside the entries that do not validate. */
export function decodeProfileEntries(entries: unknown[]): { profiles: Profile[]; rejected: RejectedEntry[] } {
  const profiles: Profile[] = []
  const rejected: RejectedEntry[] = []
  const seen = new Set<string>()
  for (const entry of entries) {
    const parsed = StoredProfile.safeParse(entry)
    if (!parsed.success) {
      rejected.push({ reason: `${describeEntry(entry)}: ${describeIssue(parsed.error)}`, entry })
    } else if (seen.has(parsed.data.id)) {
      rejected.push({ reason: `${describeEntry(entry)}: duplicate id ${parsed.data.id}`, entry })
    } else {
      seen.add(parsed.data.id)
      profiles.push(parsed.data)
    }
  }
  return { profiles, rejected }
}

/** The document written to disk. Checks every profile for secrets first. */
export function encodeProfilesFile(profiles: Profile[]): { schemaVersion: number; profiles: Profile[] } {
  for (const p of profiles) assertNothingSecret(p)
  return { schemaVersion: PROFILES_SCHEMA_VERSION, profiles }
}

const SECRET_KEYS = new Set(Object.keys(SessionSecrets.shape))
const PRIVATE_KEY_PEM = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/

/**
 * Throws if a profile carries a field named like a session secret, or a PEM private key in
 * any text (typically a combined cert+key file chosen as a certificate). Profiles are plain
 * JSON on disk; secrets belong to the session or the vault.
 */
function assertNothingSecret(profile: unknown): void {
  const walk = (value: unknown, path: string): void => {
    if (typeof value === 'string') {
      if (PRIVATE_KEY_PEM.test(value)) throw new SecretInProfileError(path)
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, `${path}[${i}]`))
    } else if (value && typeof value === 'object') {
      for (const [key, v] of Object.entries(value)) {
        if (SECRET_KEYS.has(key) && v !== undefined) throw new SecretInProfileError(path ? `${path}.${key}` : key)
        walk(v, path ? `${path}.${key}` : key)
      }
    }
  }
  walk(profile, '')
}

/** Raised by {@link assertNothingSecret}; `field` says where the secret was found. */
export class SecretInProfileError extends Error {
  constructor(readonly field: string) {
    super(`Secret material found in profile field ${field}`)
    this.name = 'SecretInProfileError'
  }
}

function describeEntry(entry: unknown): string {
  if (entry && typeof entry === 'object') {
    const name = (entry as { name?: unknown }).name
    if (typeof name === 'string' && name) return `"${name.slice(0, 80)}"`
  }
  return 'an unnamed entry'
}
