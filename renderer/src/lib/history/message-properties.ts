/**
 * MQTT 5 PUBLISH properties of one message, as rows a person reads: each by its name in the MQTT
 * specification, values explained (payload format indicator, correlation data as hex and base64),
 * and user properties as ordered pairs with duplicates kept. The names stay the specification's;
 * the explanations follow the UI's language.
 */
import type { JsonBytes } from '@api'
import { base64ToBytes } from '../base64'
import { formatCount } from '../format'
import { t } from '../i18n'

/** mqtt.js's property keys → the names MQTT 5.0 §3.3.2.3 gives them. */
const MQTT_NAMES: Record<string, string> = {
  payloadFormatIndicator: 'Payload Format Indicator',
  messageExpiryInterval: 'Message Expiry Interval',
  topicAlias: 'Topic Alias',
  responseTopic: 'Response Topic',
  correlationData: 'Correlation Data',
  subscriptionIdentifier: 'Subscription Identifier',
  contentType: 'Content Type',
}

export interface PropertyRow {
  /** mqtt.js's key (stable, for tests and keys). */
  key: string
  /** The MQTT name. */
  name: string
  value: string
  /** A second reading (correlation data: base64 beside the hex). */
  extra?: string
}

function isJsonBytes(v: unknown): v is JsonBytes {
  return typeof v === 'object' && v !== null && typeof (v as JsonBytes).base64 === 'string'
}

function hexOf(b: JsonBytes): string {
  if (b.hex !== undefined) return b.hex
  const bytes = base64ToBytes(b.base64)
  let out = ''
  for (const x of bytes) out += x.toString(16).padStart(2, '0')
  return out
}

/**
 * User properties in arrival order, duplicates kept. `fromDecode` (the inspector's list, read in
 * wire order) wins; otherwise the tree's `userProperties` (name → string | string[]) is
 * flattened: names in the order they first came, each name's values in their order.
 */
export function flattenUserProperties(properties: Record<string, unknown> | undefined, fromDecode?: ReadonlyArray<readonly [string, string]>): Array<[string, string]> {
  if (fromDecode && fromDecode.length > 0) return fromDecode.map(([k, v]) => [k, v])
  const raw = properties?.userProperties
  if (typeof raw !== 'object' || raw === null) return []
  const out: Array<[string, string]> = []
  for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
    for (const v of Array.isArray(value) ? value : [value]) out.push([name, typeof v === 'string' ? v : JSON.stringify(v)])
  }
  return out
}

/** Every property but the user properties (a table of their own), by MQTT name. */
export function propertyRows(properties: Record<string, unknown> | undefined): PropertyRow[] {
  if (!properties) return []
  const rows: PropertyRow[] = []
  for (const [key, value] of Object.entries(properties)) {
    if (key === 'userProperties' || value === undefined) continue
    const name = MQTT_NAMES[key] ?? key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase())
    if (key === 'payloadFormatIndicator') {
      const utf8 = value === true || value === 1
      rows.push({ key, name, value: t(utf8 ? 'tree.detail.utf8Payload' : 'tree.detail.bytesPayload') })
    } else if (key === 'messageExpiryInterval' && typeof value === 'number') {
      rows.push({ key, name, value: `${formatCount(value)} s` })
    } else if (isJsonBytes(value)) {
      rows.push({ key, name, value: `hex ${hexOf(value)}`, extra: `base64 ${value.base64}` })
    } else if (Array.isArray(value)) {
      rows.push({ key, name, value: value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ') })
    } else {
      rows.push({ key, name, value: typeof value === 'string' ? value : JSON.stringify(value) })
    }
  }
  return rows
}

/** True when a message carries any MQTT 5 property (the history marks it). */
export function hasProperties(properties: Record<string, unknown> | undefined): boolean {
  return properties !== undefined && Object.keys(properties).length > 0
}
