/**
 * MQTTX's connection export (Export Data → JSON): an array of connections (or one object),
 * collections holding `children`. TLS material sits in `ca`/`cert`/`key`, either file paths
 * (what MQTTX stores) or PEM text; `certType` 'server' means "trust the system roots",
 * 'self' means use those files. The password is in clear: it goes straight into the vault.
 */
import { MAX_NAME_CHARS, notice, type Notice, type NoticeCode } from '../../api'
import type { ImportDraft } from './materialize'
import { bool, clamp, isObject, num, qos, readNamedFile, str, type Json, type NamedFileProblem } from './foreign-fields'
import type { InputFile } from '../vault/import-items'

/** True when the JSON looks like MQTTX connections. */
export function isMqttxExport(raw: unknown): boolean {
  const list = Array.isArray(raw) ? raw : [raw]
  return list.length > 0 && list.every((c) => isObject(c) && ('isCollection' in c || (typeof c.host === 'string' && 'clientId' in c && ('mqttVersion' in c || 'certType' in c || 'ssl' in c))))
}

function flatten(list: unknown[]): Json[] {
  return list.flatMap((c) => (isObject(c) && Array.isArray(c.children) ? flatten(c.children) : isObject(c) && c.isCollection !== true ? [c] : []))
}

/** Which certificate file a connection names, in main's words (the warning's term gives the UI's). */
const PART_LABELS = { ca: 'CA certificate', cert: 'client certificate', key: 'client key' } as const

const PROBLEM_CODES: Record<NamedFileProblem['why'], NoticeCode> = {
  'not-full-path': 'IMPORT_FILE_NOT_FULL_PATH',
  'not-a-file': 'IMPORT_FILE_NOT_A_FILE',
  'too-large': 'IMPORT_FILE_TOO_LARGE',
  unreadable: 'IMPORT_FILE_UNREADABLE',
}

async function material(value: unknown, part: keyof typeof PART_LABELS, name: string, warnings: Notice[]): Promise<InputFile | null> {
  const label = PART_LABELS[part]
  const text = str(value)?.trim()
  if (!text) return null
  if (text.includes('-----BEGIN ')) return { name: `${name} ${label}.pem`, bytes: Buffer.from(text) }
  const read = await readNamedFile(text)
  if ('file' in read) return read.file
  const params = { name, label, labelTerm: part, path: text, ...(read.errno ? { errno: read.errno } : {}) }
  warnings.push(notice(PROBLEM_CODES[read.why], `"${name}": the ${label} file ${read.problem}; pick it in the profile.`, params))
  return null
}

function scheme(c: Json): 'mqtt' | 'mqtts' | 'ws' | 'wss' {
  const protocol = str(c.protocol)
  const ssl = bool(c.ssl) ?? false
  if (protocol === 'ws' || protocol === 'wss') return ssl || protocol === 'wss' ? 'wss' : 'ws'
  return ssl || protocol === 'mqtts' ? 'mqtts' : 'mqtt'
}

async function draftOf(c: Json): Promise<ImportDraft> {
  const name = (str(c.name) || str(c.host) || 'MQTTX connection').slice(0, MAX_NAME_CHARS)
  const warnings: Notice[] = []
  const s = scheme(c)
  const v5 = str(c.mqttVersion) === '5.0' || str(c.mqttVersion) === '5'
  if (str(c.mqttVersion) === '3.1') warnings.push(notice('IMPORT_MQTT31', `"${name}": MQTT 3.1 is not supported; the profile uses MQTT 3.1.1.`, { name }))
  const host = (str(c.host) ?? '').replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '')
  const subs = Array.isArray(c.subscriptions) ? c.subscriptions.filter(isObject).filter((x) => str(x.topic)) : []
  const will = isObject(c.will) && str(c.will.lastWillTopic) ? c.will : null
  const willProps = will && isObject(will.properties) ? will.properties : {}
  const props = isObject(c.properties) ? c.properties : {}
  const spec: Json = {
    name,
    scheme: s,
    host,
    port: num(c.port) ?? (s === 'mqtts' ? 8883 : s === 'wss' ? 443 : s === 'ws' ? 80 : 1883),
    path: str(c.path) || '/mqtt',
    protocolVersion: v5 ? 5 : 4,
    clientId: str(c.clientId) ?? '',
    username: str(c.username) || undefined,
    cleanStart: bool(c.clean) ?? true,
    sessionExpiryInterval: v5 ? clamp(num(props.sessionExpiryInterval) ?? 0, 0, 4294967295) : 0,
    keepalive: clamp(num(c.keepalive) ?? 60, 0, 65535),
    // MQTTX counts the connect timeout in seconds.
    connectTimeoutMs: clamp((num(c.connectTimeout) ?? 15) * 1000, 1000, 300_000),
    reconnect: { enabled: bool(c.reconnect) ?? true },
    tls: { verify: bool(c.rejectUnauthorized) ?? true },
    will: will
      ? {
          topic: str(will.lastWillTopic),
          payload: str(will.lastWillPayload) ?? '',
          qos: qos(num(will.lastWillQos)),
          retain: bool(will.lastWillRetain) ?? false,
          properties: v5
            ? { willDelayInterval: num(willProps.willDelayInterval), messageExpiryInterval: num(willProps.messageExpiryInterval), contentType: str(willProps.contentType) || undefined, responseTopic: str(willProps.responseTopic) || undefined }
            : undefined,
        }
      : null,
  }
  if (subs.length) {
    spec.subscriptions = subs.map((x) => ({
      filter: str(x.topic),
      qos: qos(num(x.qos)),
      noLocal: v5 && bool(x.nl) === true,
      retainAsPublished: v5 && bool(x.rap) === true,
      retainHandling: v5 ? qos(num(x.rh)) : 0,
    }))
  }
  const draft: ImportDraft = { spec, warnings }
  const password = str(c.password)
  if (password) draft.password = { name: `Password for ${name}`.slice(0, MAX_NAME_CHARS), value: password }
  if (s === 'mqtts' || s === 'wss') {
    if (str(c.certType) !== 'server') {
      const ca = await material(c.ca, 'ca', name, warnings)
      if (ca) draft.ca = [{ name: `${name} CA`, files: [ca] }]
      const cert = await material(c.cert, 'cert', name, warnings)
      const key = await material(c.key, 'key', name, warnings)
      if (cert && key) draft.identity = { name, files: [cert, key] }
      else if (cert || key) warnings.push(notice('IMPORT_IDENTITY_HALF', `"${name}": a client certificate needs both the certificate and its key; pick the identity in the profile.`, { name }))
    }
  }
  return draft
}

/** MQTTX connections → import drafts. */
export async function mqttxDrafts(raw: unknown): Promise<ImportDraft[]> {
  const list = flatten(Array.isArray(raw) ? raw : [raw])
  return Promise.all(list.map(draftOf))
}
