/**
 * MQTT Explorer's settings.json (electron-settings): connections live under
 * `ConnectionManager_connections`, keyed by id. Certificates are the files' bytes in base64
 * (`selfSignedCertificate`, `clientCertificate`, `clientKey`, each `{name, data}`); the
 * password is in clear. Those become vault items.
 */
import { MAX_NAME_CHARS, notice, type Notice } from '../../api'
import type { ImportDraft } from './materialize'
import { bool, isObject, num, qos, str, type Json } from './foreign-fields'
import type { InputFile } from '../vault/import-items'

const KEY = 'ConnectionManager_connections'

/** The connections of a settings.json (or of the connections object alone), or null. */
function connectionsOf(raw: unknown): Json[] | null {
  if (!isObject(raw)) return null
  const bag = isObject(raw[KEY]) ? raw[KEY] : raw
  const list = Object.values(bag).filter(isObject)
  return list.length > 0 && list.every((c) => c.type === 'mqtt' && 'configVersion' in c && typeof c.host === 'string') ? list : null
}

export function isMqttExplorerSettings(raw: unknown): boolean {
  return connectionsOf(raw) !== null
}

function file(param: unknown, fallback: string): InputFile | null {
  if (!isObject(param)) return null
  const data = str(param.data)
  if (!data) return null
  return { name: str(param.name) || fallback, bytes: Buffer.from(data, 'base64') }
}

function draftOf(c: Json): ImportDraft {
  const name = (str(c.name) || str(c.host) || 'MQTT Explorer connection').slice(0, MAX_NAME_CHARS)
  const warnings: Notice[] = []
  const tls = bool(c.encryption) ?? false
  const ws = str(c.protocol) === 'ws'
  const scheme = ws ? (tls ? 'wss' : 'ws') : tls ? 'mqtts' : 'mqtt'
  const basePath = str(c.basePath)?.replace(/^\/+/, '')
  const subs = Array.isArray(c.subscriptions) ? c.subscriptions.filter(isObject).filter((x) => str(x.topic)) : []
  const spec: Json = {
    name,
    scheme,
    host: str(c.host),
    port: num(c.port) ?? (tls ? 8883 : 1883),
    path: ws ? `/${basePath ?? ''}` : '/mqtt',
    // MQTT Explorer speaks MQTT 3.1.1.
    protocolVersion: 4,
    clientId: str(c.clientId) ?? '',
    username: str(c.username) || undefined,
    tls: { verify: bool(c.certValidation) ?? true },
  }
  if (subs.length) spec.subscriptions = subs.map((x) => ({ filter: str(x.topic), qos: qos(num(x.qos)) }))
  const draft: ImportDraft = { spec, warnings }
  const password = str(c.password)
  if (password) draft.password = { name: `Password for ${name}`.slice(0, MAX_NAME_CHARS), value: password }
  const ca = file(c.selfSignedCertificate, `${name} CA`)
  const cert = file(c.clientCertificate, `${name} client certificate`)
  const key = file(c.clientKey, `${name} client key`)
  if (ca) draft.ca = [{ name: `${name} CA`, files: [ca] }]
  if (cert && key) draft.identity = { name, files: [cert, key] }
  else if (cert || key) warnings.push(notice('IMPORT_IDENTITY_HALF', `"${name}": a client certificate needs both the certificate and its key; pick the identity in the profile.`, { name }))
  if (!tls && (ca || cert)) warnings.push(notice('IMPORT_CERTS_UNENCRYPTED', `"${name}": certificates were imported, but the connection is not encrypted in MQTT Explorer; switch it to mqtts to use them.`, { name }))
  return draft
}

export function mqttExplorerDrafts(raw: unknown): ImportDraft[] {
  return (connectionsOf(raw) ?? []).map(draftOf)
}
