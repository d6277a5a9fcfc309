/**
 * Imports a profiles file: our own export (with or without its encrypted secrets), MQTTX's
 * JSON export, or MQTT Explorer's settings.json. The format is recognised from the content,
 * not the file name; anything else is one clear sentence and changes nothing. `previewImport`
 * reads the same file without storing anything, so the user can settle conflicts first.
 */
import { ApiError, notice, type Notice, type ProfilesFileFormat, type ProfilesImportPreview, type ProfilesImportResult, type ValidParams } from '../../api'
import { openSecrets } from './bundle-crypto'
import { draftName, findConflicts } from './conflicts'
import { ExportDocument, ExportedSecrets, EXPORT_FORMAT, EXPORT_VERSION, type ExportedSecret } from './export-format'
import { isMqttExplorerSettings, mqttExplorerDrafts } from './foreign-mqtt-explorer'
import { isMqttxExport, mqttxDrafts } from './foreign-mqttx'
import { isObject, type Json } from './foreign-fields'
import { materialize, type ImportContext, type ImportDraft } from './materialize'

type ImportParams = ValidParams<'profiles.import'>

interface ReadFile {
  format: ProfilesFileFormat
  drafts: ImportDraft[]
  needsPassphrase: boolean
}

/** Parses and converts the file. `passphrase` null: a preview, the secrets stay sealed. */
async function readProfilesFile(fileName: string, text: string, passphrase: string | undefined | null): Promise<ReadFile> {
  let raw: unknown
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''))
  } catch {
    throw new ApiError('PROFILES_BAD_FILE', `${fileName} is not JSON — choose a file exported by MQTTS Explorer, MQTTX (Export Data → JSON) or MQTT Explorer's settings.json.`)
  }
  if (isObject(raw) && raw.format === EXPORT_FORMAT) return ours(raw, fileName, passphrase)
  if (isMqttExplorerSettings(raw)) return { format: 'mqtt-explorer', drafts: mqttExplorerDrafts(raw), needsPassphrase: false }
  if (isMqttxExport(raw)) return { format: 'mqttx', drafts: await mqttxDrafts(raw), needsPassphrase: false }
  throw new ApiError('PROFILES_BAD_FILE', `${fileName} holds no connection profiles this app knows — choose a file exported by MQTTS Explorer, MQTTX (Export Data → JSON) or MQTT Explorer's settings.json.`)
}

export async function previewImport(params: ValidParams<'profiles.importPreview'>, ctx: ImportContext): Promise<ProfilesImportPreview> {
  const file = await readProfilesFile(params.fileName, params.text, null)
  return {
    format: file.format,
    profiles: file.drafts.map((d, index) => ({ index, name: draftName(d) })),
    conflicts: findConflicts(file.drafts, await ctx.profiles.list()),
    needsPassphrase: file.needsPassphrase,
  }
}

export async function importProfiles(params: ImportParams, ctx: ImportContext): Promise<ProfilesImportResult> {
  const file = await readProfilesFile(params.fileName, params.text, params.passphrase)
  return { format: file.format, ...(await materialize(file.drafts, ctx, params.fileName, params.onConflict)) }
}

async function ours(raw: Json, fileName: string, passphrase: string | undefined | null): Promise<ReadFile> {
  const parsed = ExportDocument.safeParse(raw)
  if (!parsed.success) throw new ApiError('PROFILES_BAD_FILE', `${fileName} is a damaged MQTTS Explorer export (${parsed.error.issues[0]?.path.join('.') ?? 'format'}) — export the profiles again.`)
  const doc = parsed.data
  if (doc.version > EXPORT_VERSION) throw new ApiError('PROFILES_BAD_FILE', `${fileName} was exported by a newer MQTTS Explorer — update this app to import it.`)

  // Open the secrets before anything else: a wrong passphrase must change nothing.
  let secrets: ExportedSecret[] = []
  if (doc.secrets && passphrase) {
    const opened = ExportedSecrets.safeParse(JSON.parse(await openSecrets(doc.secrets, passphrase)))
    if (!opened.success) throw new ApiError('PROFILES_BAD_FILE', `The secrets in ${fileName} are damaged — export the profiles again.`)
    secrets = opened.data.items
  } else if (doc.secrets && passphrase !== null) {
    throw new ApiError('PROFILES_WRONG_PASSPHRASE', `${fileName} holds passwords and client certificates encrypted under a passphrase — type it to import them.`)
  }

  const certificates = new Map(doc.certificates.map((c) => [c.ref, c]))
  const sealed = new Map(secrets.map((s) => [s.ref, s]))
  const drafts: ImportDraft[] = []
  for (const entry of doc.profiles) {
    if (!isObject(entry)) continue
    const name = typeof entry.name === 'string' ? entry.name : 'an unnamed profile'
    const warnings: Notice[] = []
    const { id, tls: rawTls, passwordItemId, ...rest } = entry
    const tls = isObject(rawTls) ? { ...rawTls } : {}
    const caRefs = Array.isArray(tls.caItemIds) ? tls.caItemIds.filter((r): r is string => typeof r === 'string') : []
    const identityRef = typeof tls.identityItemId === 'string' ? tls.identityItemId : undefined
    const passwordRef = typeof passwordItemId === 'string' ? passwordItemId : undefined
    delete tls.caItemIds
    delete tls.identityItemId
    const draft: ImportDraft = { spec: { ...rest, tls }, warnings, sourceId: typeof id === 'string' ? id : undefined }
    if (typeof id === 'string') {
      const templates = doc.templates.filter((t) => t.profileRef === id).map((t) => t.template)
      if (templates.length > 0) draft.templates = templates
    }
    draft.ca = caRefs.flatMap((ref) => {
      const cert = certificates.get(ref)
      return cert ? [{ ref, name: cert.name, files: [{ name: `${cert.name}.pem`, bytes: Buffer.from(cert.pem) }] }] : []
    })
    const identity = identityRef ? sealed.get(identityRef) : undefined
    if (identity?.kind === 'client-identity') draft.identity = { ref: identity.ref, name: identity.name, files: [{ name: `${identity.name}.pem`, bytes: Buffer.from(identity.pem) }] }
    else if (identityRef && passphrase !== null) warnings.push(notice('IMPORT_IDENTITY_MISSING', `"${name}": its client certificate was not in the file; pick one in the profile.`, { name }))
    const password = passwordRef ? sealed.get(passwordRef) : undefined
    if (password && password.kind !== 'client-identity') draft.password = { ref: password.ref, name: password.name, value: password.value }
    drafts.push(draft)
  }
  return { format: 'mqtts-explorer', drafts, needsPassphrase: !!doc.secrets }
}
