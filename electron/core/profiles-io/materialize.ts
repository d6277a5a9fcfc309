/**
 * Turns imported material into vault items and profiles. Shared by every import format: each
 * converter says what a profile needs (CA files, an identity's files, a password) and this
 * module stores it, reusing a vault item that already holds the same certificates, so
 * importing the same file twice does not double the Certificates list.
 */
import { ApiError, ProfileSpec, type Profile, type VaultItemMeta } from '../../api'
import type { ProfileStore } from '../storage/profile-store'
import type { InputFile } from '../vault/import-items'
import type { Vault } from '../vault/vault'
import type { VaultService } from '../vault-service'

/** One profile as a converter read it, before anything is stored. */
export interface ImportDraft {
  /** Profile fields in our shape; validated here. */
  spec: Record<string, unknown>
  /** CA certificate files (become one CA bundle item). */
  ca?: InputFile[]
  /** Client certificate + key files (become one client identity item). */
  identity?: InputFile[]
  password?: string
  warnings: string[]
}

export interface ImportContext {
  profiles: ProfileStore
  vault: VaultService
}

function fingerprints(item: VaultItemMeta): string {
  return `${item.kind}:${item.certificates.map((c) => c.fingerprint256).join(',')}`
}

/** Imports files, reusing an existing item with the same kind and certificates. */
export async function importOrReuse(vault: Vault, files: InputFile[], name: string): Promise<VaultItemMeta[]> {
  const existing = (await vault.list()).filter((i) => i.status === 'ok')
  const created = await vault.importFiles(files, { name })
  const out: VaultItemMeta[] = []
  for (const item of created) {
    const twin = existing.find((e) => e.certificates.length > 0 && fingerprints(e) === fingerprints(item))
    if (twin) {
      await vault.delete(item.id)
      out.push(twin)
    } else out.push(item)
  }
  return out
}

/** The ready vault, or a clear error when a file carries certificates or passwords and it is locked. */
export function readyVault(ctx: ImportContext): Vault {
  const status = ctx.vault.status()
  if (!ctx.vault.vault || status.state !== 'ready') {
    throw new ApiError('VAULT_LOCKED', `${status.reason ?? 'The certificate vault is locked.'} Nothing was imported: the file carries certificates or passwords that belong in the vault.`)
  }
  return ctx.vault.vault
}

const reason = (err: unknown) => (err instanceof Error ? err.message : String(err))

/** Stores each draft's material in the vault and creates the profile; problems become warnings. */
export async function materialize(drafts: ImportDraft[], ctx: ImportContext): Promise<{ profiles: Profile[]; itemCount: number; warnings: string[] }> {
  const needsVault = drafts.some((d) => d.ca?.length || d.identity?.length || d.password)
  const vault = needsVault ? readyVault(ctx) : null
  const profiles: Profile[] = []
  const warnings: string[] = []
  let itemCount = 0
  for (const draft of drafts) {
    const name = typeof draft.spec.name === 'string' ? draft.spec.name : 'imported profile'
    // Check the profile before storing anything for it, so a skipped one leaves no orphan items.
    const pre = ProfileSpec.safeParse(draft.spec)
    if (!pre.success) {
      const issue = pre.error.issues[0]
      warnings.push(`"${name}" was skipped: ${issue ? `${issue.path.join('.') || 'profile'}: ${issue.message}` : 'invalid'}.`)
      continue
    }
    const tls = { ...((draft.spec.tls as Record<string, unknown> | undefined) ?? {}) }
    const caItemIds: string[] = []
    warnings.push(...draft.warnings)
    if (vault && draft.ca?.length) {
      try {
        const items = await importOrReuse(vault, draft.ca, `${name} CA`)
        caItemIds.push(...items.filter((i) => i.kind === 'ca-bundle').map((i) => i.id))
        itemCount += items.length
      } catch (err) {
        warnings.push(`"${name}": its CA certificate was not imported (${reason(err)}); the profile uses the system's root certificates until you pick one.`)
      }
    }
    if (vault && draft.identity?.length) {
      try {
        const items = await importOrReuse(vault, draft.identity, name)
        const identity = items.find((i) => i.kind === 'client-identity')
        if (identity) tls.identityItemId = identity.id
        itemCount += items.length
      } catch (err) {
        warnings.push(`"${name}": its client certificate was not imported (${reason(err)}); pick one in the profile before connecting.`)
      }
    }
    if (caItemIds.length) tls.caItemIds = caItemIds
    const spec: Record<string, unknown> = { ...draft.spec, tls }
    if (vault && draft.password) {
      const item = await vault.storeSecret('password', draft.password, `Password for ${name}`.slice(0, 200))
      spec.passwordItemId = item.id
      itemCount++
    }
    profiles.push(await ctx.profiles.create(ProfileSpec.parse(spec)))
  }
  return { profiles, itemCount, warnings }
}
