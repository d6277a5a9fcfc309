/**
 * Connection profiles, kept in `<dataDir>/profiles.json`. Every change goes through one queue
 * and is written atomically before it becomes visible, so a failed save changes nothing and
 * two saves never race. A file that cannot be read is moved aside and reported, never dropped.
 */
import { randomBytes, randomUUID } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { ApiError, MAX_NAME_CHARS, notice, ProfileSpec, type Notice, type Profile, type ProfileSpecInput } from '../../api'
import { removeStaleTemps, writeAside, writeJsonAtomic } from './atomic-json'
import { decodeProfileEntries, encodeProfilesFile, PROFILES_FILE, PROFILES_SCHEMA_VERSION, ProfilesDocument, SecretInProfileError } from './profile-file'
import { SerialQueue } from './serial-queue'
import { describeIssue, readStoredFile, warningNotice } from './stored-file'

const AUTO_CLIENT_ID = /^mqtts-explorer-[0-9a-f]{8}$/

/** A fresh client id, so two profiles never kick each other off a broker by accident. */
export function generateClientId(): string {
  return `mqtts-explorer-${randomBytes(4).toString('hex')}`
}

export class ProfileStore {
  /** Problems found while loading, each a sentence that says where the user's data was kept. */
  readonly warnings: string[]
  /** The same problems with their codes, for translation (same order). */
  readonly warningNotices: Notice[]
  /** Where profiles are saved. */
  readonly filePath: string
  private profiles: Profile[]
  private readonly queue = new SerialQueue()
  /** Set when an unreadable file could not be moved aside: saving would destroy it. */
  private readonly writeBlocked?: string

  private constructor(filePath: string, profiles: Profile[], warnings: Notice[], writeBlocked?: string) {
    this.filePath = filePath
    this.profiles = profiles
    this.warningNotices = warnings
    this.warnings = warnings.map((w) => w.message)
    this.writeBlocked = writeBlocked
  }

  /** Loads (or starts) the profile file in `dataDir`. Never throws for a damaged file; see `warnings`. */
  static async open(dataDir: string): Promise<ProfileStore> {
    const filePath = join(dataDir, PROFILES_FILE)
    await mkdir(dataDir, { recursive: true })
    await removeStaleTemps(filePath)
    const warnings: Notice[] = []

    const read = await readStoredFile(filePath, ProfilesDocument, {
      fallback: () => ({ schemaVersion: PROFILES_SCHEMA_VERSION, profiles: [] }),
      what: 'saved connection profiles',
      shape: 'a profiles document',
      term: 'profiles',
    })
    if (read.problem) {
      warnings.push(warningNotice(read.problem))
      // A file still in place (unreadable, or it could not be moved aside) would be destroyed by the next save.
      return new ProfileStore(filePath, [], warnings, read.problem.keptInPlace ? read.problem.warning : undefined)
    }

    const decoded = decodeProfileEntries(read.value.profiles)
    if (decoded.rejected.length) {
      const backup = await writeAside(filePath, 'invalid', { schemaVersion: PROFILES_SCHEMA_VERSION, rejected: decoded.rejected })
      const n = decoded.rejected.length
      const count = n === 1 ? '1 saved connection profile was' : `${n} saved connection profiles were`
      const reasons = decoded.rejected.map((r) => r.reason).join('; ')
      const message = `${count} invalid and left out (${reasons}); the original entries were kept at ${backup}.`
      warnings.push(n === 1 ? notice('PROFILE_LEFT_OUT', message, { reasons, backup }) : notice('PROFILES_LEFT_OUT', message, { n, reasons, backup }))
    }
    const store = new ProfileStore(filePath, decoded.profiles, warnings)
    if (decoded.rejected.length) {
      // Rewrite now, with the bad entries safely copied, so the warning does not repeat on every start.
      await store.queue.run(() => store.persist(decoded.profiles))
    }
    return store
  }

  /** All profiles, the built-in Sandbox first, then in the order they were created. */
  async list(): Promise<Profile[]> {
    await this.queue.idle()
    const builtin = this.profiles.filter((p) => p.builtin)
    const user = this.profiles.filter((p) => !p.builtin)
    return structuredClone([...builtin, ...user])
  }

  /** One profile, or undefined when no profile has that id. */
  async get(id: string): Promise<Profile | undefined> {
    await this.queue.idle()
    const found = this.profiles.find((p) => p.id === id)
    return found && structuredClone(found)
  }

  /** Saves a new profile; fills in a client id when none is given. */
  async create(spec: ProfileSpecInput): Promise<Profile> {
    return this.queue.run(async () => {
      const now = new Date().toISOString()
      const profile: Profile = { ...normalize(spec, ''), id: randomUUID(), createdAt: now, updatedAt: now }
      await this.persist([...this.profiles, profile])
      return structuredClone(profile)
    })
  }

  /** Replaces a profile's settings; id, creation time and built-in status stay. */
  async update(id: string, spec: ProfileSpecInput): Promise<Profile> {
    return this.queue.run(async () => {
      const current = this.require(id)
      const updated: Profile = { ...normalize(spec, current.clientId), id, createdAt: current.createdAt, updatedAt: new Date().toISOString() }
      if (current.builtin) updated.builtin = current.builtin
      await this.persist(this.profiles.map((p) => (p.id === id ? updated : p)))
      return structuredClone(updated)
    })
  }

  /** Copies a profile as "<name> (copy)", with its own client id if the original's was generated. */
  async duplicate(id: string): Promise<Profile> {
    return this.queue.run(async () => {
      const { id: _id, createdAt: _c, updatedAt: _u, builtin: _b, ...spec } = this.require(id)
      const names = new Set(this.profiles.map((p) => p.name))
      const now = new Date().toISOString()
      const copy: Profile = {
        ...structuredClone(spec),
        name: copyName(spec.name, names),
        // Two connections with one client id would take turns disconnecting each other.
        clientId: AUTO_CLIENT_ID.test(spec.clientId) ? generateClientId() : spec.clientId,
        id: randomUUID(),
        createdAt: now,
        updatedAt: now,
      }
      await this.persist([...this.profiles, copy])
      return structuredClone(copy)
    })
  }

  /** Deletes a user profile. The built-in Sandbox cannot be deleted. */
  async delete(id: string): Promise<void> {
    return this.queue.run(async () => {
      const current = this.require(id)
      if (current.builtin) {
        throw new ApiError('BAD_REQUEST', `"${current.name}" is built in and cannot be deleted; duplicate it if you want a copy to change.`, { id })
      }
      await this.persist(this.profiles.filter((p) => p.id !== id))
    })
  }

  /**
   * Makes sure the built-in profile `id` exists, creating it from `spec` the first time only:
   * later edits the user makes to it are kept.
   */
  async ensureBuiltin(spec: ProfileSpecInput, id: string, kind: 'sandbox'): Promise<Profile> {
    return this.queue.run(async () => {
      const current = this.profiles.find((p) => p.id === id)
      if (current?.builtin === kind) return structuredClone(current)
      if (current) {
        const marked: Profile = { ...current, builtin: kind }
        await this.persist(this.profiles.map((p) => (p.id === id ? marked : p)))
        return structuredClone(marked)
      }
      const now = new Date().toISOString()
      const profile: Profile = { ...normalize(spec, ''), id, createdAt: now, updatedAt: now, builtin: kind }
      await this.persist([profile, ...this.profiles])
      return structuredClone(profile)
    })
  }

  private require(id: string): Profile {
    const found = this.profiles.find((p) => p.id === id)
    if (!found) throw new ApiError('NOT_FOUND', 'That connection profile no longer exists. It may have been deleted in another window.', { id })
    return found
  }

  /** Writes `next` and only then makes it the current state, so a failed save changes nothing. */
  private async persist(next: Profile[]): Promise<void> {
    if (this.writeBlocked) throw new ApiError('STORAGE_CORRUPT', this.writeBlocked)
    let doc: ReturnType<typeof encodeProfilesFile>
    try {
      doc = encodeProfilesFile(next)
    } catch (err) {
      if (err instanceof SecretInProfileError) {
        throw new ApiError('BAD_REQUEST', `The profile's ${err.field} contains a private key; choose the key separately so it is kept as a secret instead of in the saved profile.`, { field: err.field })
      }
      throw err
    }
    try {
      await writeJsonAtomic(this.filePath, doc)
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message
      throw new ApiError('STORAGE_WRITE_FAILED', `Could not save connection profiles to ${this.filePath} (${code}); check that the folder is writable and the disk is not full.`)
    }
    this.profiles = next
  }
}

/** Validates what the user sent and fills defaults; an empty client id gets `fallback` or a fresh one. */
function normalize(spec: ProfileSpecInput, fallbackClientId: string): ProfileSpec {
  const parsed = ProfileSpec.safeParse(spec)
  if (!parsed.success) throw new ApiError('BAD_REQUEST', `The profile is not valid: ${describeIssue(parsed.error)}.`)
  const clientId = parsed.data.clientId.trim() ? parsed.data.clientId : fallbackClientId || generateClientId()
  return { ...parsed.data, clientId }
}

function copyName(name: string, taken: Set<string>): string {
  for (let n = 1; ; n++) {
    const suffix = n === 1 ? ' (copy)' : ` (copy ${n})`
    const candidate = name.slice(0, MAX_NAME_CHARS - suffix.length) + suffix
    if (!taken.has(candidate)) return candidate
  }
}
