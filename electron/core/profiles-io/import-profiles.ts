/**
 * Imports a profiles file: our own export (with or without its encrypted secrets), MQTTX's
 * JSON export, or MQTT Explorer's settings.json. The format is recognised from the content,
 * not the file name; anything else is one clear sentence and changes nothing.
 */
import { ApiError, type Profile, type ProfilesImportResult, type ValidParams } from '../../api'
import { openSecrets } from './bundle-crypto'
import { ExportDocument, ExportedSecrets, EXPORT_FORMAT, EXPORT_VERSION, type ExportedSecret } from './export-format'
import { isMqttExplorerSettings, mqttExplorerDrafts } from './foreign-mqtt-explorer'
import { isMqttxExport, mqttxDrafts } from './foreign-mqttx'
import { isObject, type Json } from './foreign-fields'
import { importOrReuse, materialize, readyVault, type ImportContext } from './materialize'

type ImportParams = ValidParams<'profiles.import'>

export async function importProfiles(params: ImportParams, ctx: ImportContext): Promise<ProfilesImportResult> {
  let raw: unknown
  try {
    raw = JSON.parse(params.text.replace(/^\uFEFF/, ''))
  } catch {
    throw new ApiError('PROFILES_BAD_FILE', `${params.fileName} is not JSON — choose a file exported by MQTTS Explorer, MQTTX (Export Data → JSON) or MQTT Explorer's settings.json.`)
  }
  if (isObject(raw) && raw.format === EXPORT_FORMAT) return { format: 'mqtts-explorer', ...(await importOurs(raw, params, ctx)) }
  if (isMqttExplorerSettings(raw)) return { format: 'mqtt-explorer', ...(await materialize(mqttExplorerDrafts(raw), ctx)) }
  if (isMqttxExport(raw)) return { format: 'mqttx', ...(await materialize(await mqttxDrafts(raw), ctx)) }
  throw new ApiError('PROFILES_BAD_FILE', `${params.fileName} holds no connection profiles this app knows — choose a file exported by MQTTS Explorer, MQTTX (Export Data → JSON) or MQTT Explorer's settings.json.`)
}

async function importOurs(raw: Json, params: ImportParams, ctx: ImportContext): Promise<Omit<ProfilesImportResult, 'format'>> {
  const parsed = ExportDocument.safeParse(raw)
  if (!parsed.success) throw new ApiError('PROFILES_BAD_FILE', `${params.fileName} is a damaged MQTTS Explorer export (${parsed.error.issues[0]?.path.join('.') ?? 'format'}) — export the profiles again.`)
  const doc = parsed.data
  if (doc.version > EXPORT_VERSION) throw new ApiError('PROFILES_BAD_FILE', `${params.fileName} was exported by a newer MQTTS Explorer — update this app to import it.`)

  const warnings: string[] = []
  // Open the secrets first: a wrong passphrase must change nothing.
  let secrets: ExportedSecret[] = []
  if (doc.secrets && params.passphrase) {
    const opened = ExportedSecrets.safeParse(JSON.parse(await openSecrets(doc.secrets, params.passphrase)))
    if (!opened.success) throw new ApiError('PROFILES_BAD_FILE', `The secrets in ${params.fileName} are damaged — export the profiles again.`)
    secrets = opened.data.items
  } else if (doc.secrets) {
    throw new ApiError('PROFILES_WRONG_PASSPHRASE', `${params.fileName} holds passwords and client certificates encrypted under a passphrase — type it to import them.`)
  }

  const refs = new Map<string, string>()
  let itemCount = 0
  if (doc.certificates.length || secrets.length) {
    const vault = readyVault(ctx)
    for (const cert of doc.certificates) {
      const items = await importOrReuse(vault, [{ name: `${cert.name}.pem`, bytes: Buffer.from(cert.pem) }], cert.name)
      const ca = items.find((i) => i.kind === 'ca-bundle')
      if (ca) refs.set(cert.ref, ca.id)
      itemCount++
    }
    for (const secret of secrets) {
      if (secret.kind === 'client-identity') {
        const items = await importOrReuse(vault, [{ name: `${secret.name}.pem`, bytes: Buffer.from(secret.pem) }], secret.name)
        const identity = items.find((i) => i.kind === 'client-identity')
        if (identity) refs.set(secret.ref, identity.id)
      } else {
        refs.set(secret.ref, (await vault.storeSecret(secret.kind, secret.value, secret.name)).id)
      }
      itemCount++
    }
  }

  const profiles: Profile[] = []
  for (const entry of doc.profiles) {
    if (!isObject(entry)) continue
    const name = typeof entry.name === 'string' ? entry.name : 'an unnamed profile'
    const tls = isObject(entry.tls) ? { ...entry.tls } : {}
    const caIds = Array.isArray(tls.caItemIds) ? tls.caItemIds.filter((r): r is string => typeof r === 'string') : []
    tls.caItemIds = caIds.map((r) => refs.get(r)).filter((id): id is string => !!id)
    const identityRef = typeof tls.identityItemId === 'string' ? tls.identityItemId : undefined
    tls.identityItemId = identityRef ? refs.get(identityRef) : undefined
    if (identityRef && !tls.identityItemId) warnings.push(`"${name}": its client certificate was not in the file; pick one in the profile.`)
    const passwordRef = typeof entry.passwordItemId === 'string' ? entry.passwordItemId : undefined
    const spec = { ...entry, tls, passwordItemId: passwordRef ? refs.get(passwordRef) : undefined }
    try {
      profiles.push(await ctx.profiles.create(spec as Parameters<typeof ctx.profiles.create>[0]))
    } catch (err) {
      warnings.push(`"${name}" was skipped: ${err instanceof Error ? err.message : String(err)}`)
    }
  }
  return { profiles, itemCount, warnings }
}
