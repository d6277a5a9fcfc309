/**
 * Builds the profiles export (see export-format.ts). Secrets leave the vault only here and only
 * sealed under the passphrase the user typed for this export.
 */
import { ApiError, type Profile, type ProfilesExportResult, type ValidParams } from '../../api'
import type { VaultManager } from '../vault/vault-manager'
import { sealSecrets } from './bundle-crypto'
import { EXPORT_FORMAT, EXPORT_VERSION, type ExportedCertificate, type ExportedSecret } from './export-format'

type ExportParams = ValidParams<'profiles.export'>

/**
 * A profile as exported: no timestamps, no built-in marker. The id stays, so importing the file
 * where it came from recognises each profile even after a rename (and asks what to do).
 */
function specOf(profile: Profile): Record<string, unknown> {
  const { createdAt: _c, updatedAt: _u, builtin: _b, ...spec } = profile
  return structuredClone(spec)
}

/** A profile's templates as stored (the publish feature's), for the export. */
export type TemplatesOf = (profileId: string) => unknown[]

export async function exportProfiles(all: Profile[], vault: VaultManager, params: ExportParams, now = new Date(), templatesOf: TemplatesOf = () => []): Promise<ProfilesExportResult> {
  if (params.includeSecrets && !params.passphrase) {
    throw new ApiError('BAD_REQUEST', 'Choose a passphrase of at least 8 characters to protect the exported passwords and client certificates.')
  }
  const profiles = all.filter((p) => !p.builtin)
  const certificates = new Map<string, ExportedCertificate>()
  const secrets = new Map<string, ExportedSecret>()
  const needsVault = profiles.some((p) => p.tls.caItemIds.length > 0 || p.tls.identityItemId || p.passwordItemId)
  const items = needsVault ? await vault.items() : []
  if (needsVault && vault.status().state !== 'ready') {
    throw new ApiError('VAULT_LOCKED', vault.status().reason ?? 'Unlock the certificate vault first: the profiles use certificates kept there.')
  }
  const nameOf = (id: string) => items.find((i) => i.id === id)?.name ?? 'item'
  const ready = vault.vault

  const out: Record<string, unknown>[] = []
  for (const profile of profiles) {
    const spec = specOf(profile) as Record<string, unknown> & { tls: Profile['tls']; passwordItemId?: string }
    const caRefs: string[] = []
    for (const id of profile.tls.caItemIds) {
      if (!items.some((i) => i.id === id)) continue // a deleted item: nothing to carry over
      if (!certificates.has(id) && ready) certificates.set(id, { ref: id, name: nameOf(id), pem: await ready.exportCertificatePem(id) })
      caRefs.push(id)
    }
    spec.tls = { ...spec.tls, caItemIds: caRefs }
    const identity = profile.tls.identityItemId
    if (identity && params.includeSecrets && ready && items.some((i) => i.id === identity)) {
      if (!secrets.has(identity)) {
        const material = await ready.resolveTlsMaterial([identity])
        secrets.set(identity, { kind: 'client-identity', ref: identity, name: nameOf(identity), pem: `${material.cert ?? ''}${material.key ?? ''}` })
      }
    } else {
      delete spec.tls.identityItemId
    }
    const password = profile.passwordItemId
    if (password && params.includeSecrets && ready && items.some((i) => i.id === password)) {
      if (!secrets.has(password)) secrets.set(password, { kind: 'password', ref: password, name: nameOf(password), value: await ready.resolveSecret(password) })
    } else {
      delete spec.passwordItemId
    }
    out.push(spec)
  }

  const sealed = params.includeSecrets ? await sealSecrets(JSON.stringify({ items: [...secrets.values()] }), params.passphrase!) : null
  const templates = profiles.flatMap((p) => templatesOf(p.id).map((template) => ({ profileRef: p.id, template })))
  const doc = { format: EXPORT_FORMAT, version: EXPORT_VERSION, exportedAt: now.toISOString(), profiles: out, certificates: [...certificates.values()], secrets: sealed, templates }
  const day = now.toISOString().slice(0, 10)
  return {
    fileName: `mqtts-explorer-profiles-${day}.json`,
    text: JSON.stringify(doc, null, 2),
    profileCount: out.length,
    itemCount: certificates.size + secrets.size,
  }
}
