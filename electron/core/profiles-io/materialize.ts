/**
 * Turns imported material into vault items and profiles. Shared by every import format: each
 * converter says what a profile needs (CA files, an identity's files, a password) and this
 * module stores it. The vault recognises certificates and identities it already holds (by
 * SHA-256 fingerprint and key) and reuses them, so importing the same file twice, or one
 * identity from three apps, does not grow the Certificates list. A profile that already exists
 * is skipped, replaced or kept beside as the user chose (see conflicts.ts); a skipped one
 * stores nothing at all.
 */
import { ApiError, notice, ProfileSpec, type Notice, type Profile, type ProfilesImportResult, type ValidParams } from '../../api'
import type { ProfileStore } from '../storage/profile-store'
import type { InputFile } from '../vault/import-items'
import type { Vault } from '../vault/vault'
import type { VaultManager } from '../vault/vault-manager'
import { choiceFor, draftName, findConflicts, freeName, requireChoices } from './conflicts'
import { ruleWarnings, type SchemaList } from './rule-warnings'

/** Material that becomes one vault item. `ref` ties uses of one item within a file together. */
interface Material {
  ref?: string
  name: string
}

/** One profile as a converter read it, before anything is stored. */
export interface ImportDraft {
  /** Profile fields in our shape; validated here. */
  spec: Record<string, unknown>
  /** The profile's message templates, as exported (our own format only). */
  templates?: unknown[]
  /** The id the profile had where it was exported (our own format only). */
  sourceId?: string
  /** CA bundles, each from its files. */
  ca?: Array<Material & { files: InputFile[] }>
  /** Client certificate + key files (become one client identity item). */
  identity?: Material & { files: InputFile[] }
  password?: Material & { value: string }
  warnings: Notice[]
}

/** Where an imported profile's message templates go (the publish feature's template store). */
export interface TemplateImport {
  /** Validates and adds them to the profile; returns a warning per template that was not taken. */
  importTemplates(profileId: string, templates: unknown[], profileName: string): Promise<Notice[]>
}

export interface ImportContext {
  profiles: ProfileStore
  vault: VaultManager
  templates?: TemplateImport
  /** The imported schema files, to warn about decoder rules that name a schema this install lacks. */
  schemas?: SchemaList
}

type Outcome = Omit<ProfilesImportResult, 'format'>
type OnConflict = ValidParams<'profiles.import'>['onConflict']

/** The ready vault, or a clear error when a file carries certificates or passwords and it is locked. */
export function readyVault(ctx: ImportContext): Vault {
  const status = ctx.vault.status()
  if (!ctx.vault.vault || status.state !== 'ready') {
    throw new ApiError('VAULT_LOCKED', `${status.reason ?? 'The certificate vault is locked.'} Nothing was imported: the file carries certificates or passwords that belong in the vault.`)
  }
  return ctx.vault.vault
}

const reason = (err: unknown) => (err instanceof Error ? err.message : String(err))
/**
 * An inner error's English and, when it has one, its stable code with its detail's plain values
 * (`reasonDetail.<key>`), so the UI puts that error's own sentence in its language in their place.
 */
function reasonParams(err: unknown): Record<string, string | number> {
  if (!(err instanceof ApiError)) return { reason: reason(err) }
  const params: Record<string, string | number> = { reason: err.message, reasonErrorCode: err.code }
  for (const [key, value] of Object.entries(err.detail ?? {})) {
    if ((typeof value === 'string' && value.length <= 4096) || typeof value === 'number') params[`reasonDetail.${key}`.slice(0, 64)] = value
  }
  return params
}
const needsVault = (d: ImportDraft) => !!(d.ca?.length || d.identity || d.password)

/** Stores each draft's material in the vault and creates (or replaces) its profile; problems become warnings. */
export async function materialize(drafts: ImportDraft[], ctx: ImportContext, fileName: string, onConflict: OnConflict): Promise<Outcome> {
  const existing = await ctx.profiles.list()
  const conflicts = findConflicts(drafts, existing)
  requireChoices(conflicts, onConflict, fileName)
  const choices = new Map(conflicts.map((c) => [c.index, { conflict: c, choice: choiceFor(c, onConflict)! }]))
  const vault = drafts.some((d, i) => needsVault(d) && choices.get(i)?.choice !== 'skip') ? readyVault(ctx) : null

  const out: Omit<Outcome, 'warnings'> & { warnings: Notice[] } = { profiles: [], replaced: [], skipped: [], itemCount: 0, reusedItemCount: 0, warnings: [] }
  const taken = new Set(existing.map((p) => p.name))
  /** Item ids by the file's ref, so one item shared by several profiles is stored once. */
  const byRef = new Map<string, string>()

  async function certificateItem(material: Material & { files: InputFile[] }, kind: 'ca-bundle' | 'client-identity'): Promise<string | undefined> {
    const known = material.ref ? byRef.get(material.ref) : undefined
    if (known) return known
    const items = await vault!.importFiles(material.files, { name: material.name })
    for (const item of items) {
      if (item.reused) out.reusedItemCount++
      else out.itemCount++
    }
    const id = items.find((i) => i.kind === kind)?.id
    if (id && material.ref) byRef.set(material.ref, id)
    return id
  }

  async function passwordItem(material: Material & { value: string }, replaceId: string | undefined): Promise<string> {
    const known = material.ref ? byRef.get(material.ref) : undefined
    if (known) return known
    let id: string | undefined
    // Replacing a profile updates its password item in place, so nothing else needs to change;
    // but only when no other profile shares that item, or they would get this password too.
    const soleUser = replaceId !== undefined && existing.filter((p) => p.passwordItemId === replaceId).length === 1
    if (replaceId && soleUser) {
      id = await vault!.storeSecret('password', material.value, material.name, replaceId).then((i) => i.id, () => undefined)
    }
    if (!id) {
      id = (await vault!.storeSecret('password', material.value, material.name)).id
      out.itemCount++
    }
    if (material.ref) byRef.set(material.ref, id)
    return id
  }

  for (const [index, draft] of drafts.entries()) {
    const name = draftName(draft)
    // Check the profile before storing anything for it, so a skipped one leaves no orphan items.
    const pre = ProfileSpec.safeParse(draft.spec)
    if (!pre.success) {
      const issue = pre.error.issues[0]
      const problem = issue ? `${issue.path.join('.') || 'profile'}: ${issue.message}` : 'invalid'
      out.warnings.push(notice('IMPORT_PROFILE_INVALID', `"${name}" was skipped: ${problem}.`, { name, problem }))
      continue
    }
    const decided = choices.get(index)
    let choice = decided?.choice
    const target = decided && existing.find((p) => p.id === decided.conflict.existingId)
    if (choice === 'skip') {
      out.skipped.push(name)
      continue
    }
    if (choice === 'replace' && target?.builtin) {
      out.warnings.push(notice('IMPORT_BUILTIN_KEPT_BESIDE', `"${target.name}" is built in and was not replaced; the imported profile was kept beside it.`, { name: target.name }))
      choice = 'keep-both'
    }
    const replacing = choice === 'replace' ? target : undefined
    out.warnings.push(...draft.warnings)
    out.warnings.push(...ruleWarnings(name, pre.data.decoderRules, ctx.schemas))

    const tls: Record<string, unknown> = { ...((draft.spec.tls as Record<string, unknown> | undefined) ?? {}) }
    const caItemIds: string[] = []
    for (const ca of draft.ca ?? []) {
      try {
        const id = await certificateItem(ca, 'ca-bundle')
        if (id && !caItemIds.includes(id)) caItemIds.push(id)
      } catch (err) {
        out.warnings.push(notice('IMPORT_CA_FAILED', `"${name}": its CA certificate was not imported (${reason(err)}); the profile uses the system's root certificates until you pick one.`, { name, ...reasonParams(err) }))
      }
    }
    if (caItemIds.length) tls.caItemIds = caItemIds
    if (draft.identity) {
      try {
        const id = await certificateItem(draft.identity, 'client-identity')
        if (id) tls.identityItemId = id
      } catch (err) {
        out.warnings.push(notice('IMPORT_IDENTITY_FAILED', `"${name}": its client certificate was not imported (${reason(err)}); pick one in the profile before connecting.`, { name, ...reasonParams(err) }))
      }
    }
    const spec: Record<string, unknown> = { ...draft.spec, tls }
    if (draft.password) spec.passwordItemId = await passwordItem(draft.password, replacing?.passwordItemId)
    // What the file does not carry (an export made without secrets) is kept from the profile it replaces.
    if (replacing && !tls.identityItemId && replacing.tls.identityItemId) tls.identityItemId = replacing.tls.identityItemId
    if (replacing && !spec.passwordItemId && replacing.passwordItemId) spec.passwordItemId = replacing.passwordItemId

    try {
      let stored: Profile
      if (replacing) {
        spec.name = draft.spec.name
        stored = await ctx.profiles.update(replacing.id, ProfileSpec.parse(spec))
        out.replaced.push(stored)
      } else {
        spec.name = choice === 'keep-both' ? freeName(name, taken) : name
        stored = await ctx.profiles.create(ProfileSpec.parse(spec))
        out.profiles.push(stored)
      }
      taken.add(spec.name as string)
      if (draft.templates?.length && ctx.templates) out.warnings.push(...(await ctx.templates.importTemplates(stored.id, draft.templates, stored.name)))
    } catch (err) {
      out.warnings.push(notice('IMPORT_PROFILE_FAILED', `"${name}" was skipped: ${reason(err)}`, { name, ...reasonParams(err) }))
    }
  }
  return { ...out, warnings: out.warnings.map((w) => w.message), warningNotices: out.warnings }
}
