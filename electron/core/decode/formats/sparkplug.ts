/**
 * Sparkplug B (Eclipse Sparkplug 3.0): the payload read with the published schema, the topic's
 * parts, and every metric with its datatype name and a JSON-safe value. DATA and CMD metrics
 * that carry only an alias get their name from the edge node's latest DBIRTH/NBIRTH in the tree;
 * decoded BIRTH alias tables are cached by payload identity, so a firehose of DATA messages
 * does not decode the BIRTH again for each one.
 */
import type { SparkplugMetric, SparkplugSummary } from '../../../api/inspect'
import { bigintToJson, bytesToJson, jsonSafe, numberToJson } from '../json-safe'
import { SPARKPLUG_DATATYPES, sparkplugPayloadType } from '../sparkplug/schema'
import type { DecodeContext, JsonValue } from '../types'
import type { Format } from './format'
import { invalid, messageOf } from './format'

const MESSAGE_TYPES = new Set(['NBIRTH', 'NDATA', 'NDEATH', 'NCMD', 'DBIRTH', 'DDATA', 'DDEATH', 'DCMD'])
const ALIAS_USERS = new Set(['NDATA', 'NCMD', 'DDATA', 'DCMD'])

export interface SparkplugTopic {
  group: string
  messageType: string
  edgeNode: string
  device: string | null
}

/** `spBv1.0/<group>/<type>/<edge node>[/<device>]` with a payload message type, else null (STATE is not). */
export function parseSparkplugTopic(topic: string): SparkplugTopic | null {
  if (!topic.startsWith('spBv1.0/')) return null
  const parts = topic.split('/')
  if (parts.length !== 4 && parts.length !== 5) return null
  const [, group, messageType, edgeNode, device] = parts
  if (!MESSAGE_TYPES.has(messageType) || group === '' || edgeNode === '') return null
  const needsDevice = messageType.startsWith('D')
  if (needsDevice !== (device !== undefined)) return null
  return { group, messageType, edgeNode, device: device ?? null }
}

/** protobufjs gives 64-bit fields as `long` objects (two 32-bit halves). */
type LongLike = number | { low: number; high: number } | null | undefined

/** A protobufjs 64-bit field (a Long) as a number when exact, else its decimal text. */
function long(v: LongLike, signed: boolean): number | string | null {
  if (v === null || v === undefined) return null
  if (typeof v === 'number') return v
  const hi = v.high >>> 0
  const lo = v.low >>> 0
  if (hi < 0x200000) return hi * 4294967296 + lo
  const big = (BigInt(hi) << 32n) | BigInt(lo)
  return bigintToJson(signed ? BigInt.asIntN(64, big) : big)
}

const asNumber = (v: number | string | null): number | null => (typeof v === 'number' ? v : v === null ? null : Number(v))

/** The fields of the decoded protobufjs message that this module reads. */
interface MetricMessage {
  name?: string
  alias?: LongLike
  timestamp?: LongLike
  datatype?: number
  is_null?: boolean
  value?: string
  [field: string]: unknown
}
interface PayloadMessage {
  timestamp?: LongLike
  seq?: LongLike
  uuid?: string
  body?: Uint8Array
  metrics: MetricMessage[]
}

const has = (m: object, field: string) => Object.hasOwn(m, field)

function metricValue(m: MetricMessage, datatype: number): JsonValue {
  if (m.is_null === true) return null
  const field = m.value
  if (field === undefined) return null
  const v = m[field]
  switch (field) {
    case 'int_value': {
      const n = v as number
      if (datatype === 1) return (n << 24) >> 24
      if (datatype === 2) return (n << 16) >> 16
      if (datatype === 3) return n | 0
      return n >>> 0
    }
    case 'long_value':
      return long(v as LongLike, datatype === 4)
    case 'float_value':
    case 'double_value':
      return numberToJson(v as number)
    case 'boolean_value':
    case 'string_value':
      return v as boolean | string
    case 'bytes_value':
      return bytesToJson(v as Uint8Array)
    default: {
      // DataSet, Template, extension: their generic object form.
      const type = sparkplugPayloadType()
      const sub = type.lookupType(field === 'dataset_value' ? 'Payload.DataSet' : field === 'template_value' ? 'Payload.Template' : 'Payload.Metric.MetricValueExtension')
      return jsonSafe(sub.toObject(v as never, { longs: String, bytes: String, enums: String, json: true }))
    }
  }
}

const birthAliases = new WeakMap<Buffer, Map<string, string>>()

/** alias → name of a BIRTH payload (cached per Buffer), or null when it does not decode. */
function aliasTable(birth: Buffer): Map<string, string> | null {
  const cached = birthAliases.get(birth)
  if (cached !== undefined) return cached
  let message: PayloadMessage
  try {
    message = sparkplugPayloadType().decode(birth) as unknown as PayloadMessage
  } catch {
    return null
  }
  const table = new Map<string, string>()
  for (const m of message.metrics) if (has(m, 'alias') && has(m, 'name')) table.set(String(long(m.alias, false)), m.name as string)
  birthAliases.set(birth, table)
  return table
}

function resolver(topic: SparkplugTopic, context: DecodeContext): (alias: string) => string | null {
  if (!ALIAS_USERS.has(topic.messageType)) return () => null
  const tables: Array<Map<string, string> | null | undefined> = []
  const base = `spBv1.0/${topic.group}`
  let loaded = false
  return (alias) => {
    if (!loaded) {
      loaded = true
      if (topic.device !== null) {
        const dbirth = context.latestPayload(`${base}/DBIRTH/${topic.edgeNode}/${topic.device}`)
        if (dbirth !== undefined) tables.push(aliasTable(dbirth))
      }
      const nbirth = context.latestPayload(`${base}/NBIRTH/${topic.edgeNode}`)
      if (nbirth !== undefined) tables.push(aliasTable(nbirth))
    }
    for (const t of tables) {
      const name = t?.get(alias)
      if (name !== undefined) return name
    }
    return null
  }
}

export const sparkplugFormat: Format = {
  id: 'sparkplug',
  label: 'Sparkplug B',
  detect: (_b, context) => (parseSparkplugTopic(context.topic) !== null ? 'topic under spBv1.0/' : null),
  decode(b, context) {
    const topic = parseSparkplugTopic(context.topic) ?? { group: '', messageType: '', edgeNode: '', device: null }
    let message: PayloadMessage
    try {
      message = sparkplugPayloadType().decode(b) as unknown as PayloadMessage
    } catch (err) {
      return invalid('Sparkplug B', messageOf(err))
    }
    const resolve = resolver(topic, context)
    let unresolvedAliases = 0
    const metrics: SparkplugMetric[] = []
    const values: JsonValue[] = []
    for (const m of message.metrics) {
      const datatypeCode = m.datatype ?? 0
      const datatype = SPARKPLUG_DATATYPES[datatypeCode] ?? `Unknown(${datatypeCode})`
      const alias = has(m, 'alias') ? asNumber(long(m.alias, false)) : null
      let name = has(m, 'name') ? (m.name as string) : null
      let nameFromBirth = false
      if (name === null && alias !== null) {
        name = resolve(String(long(m.alias, false)))
        if (name !== null) nameFromBirth = true
        else unresolvedAliases++
      }
      const value = metricValue(m, datatypeCode)
      const timestamp = has(m, 'timestamp') ? asNumber(long(m.timestamp, false)) : null
      const isNull = m.is_null === true
      metrics.push({ name, alias, datatype, value, timestamp, isNull, nameFromBirth })
      const json: { [key: string]: JsonValue } = { name, datatype, value }
      if (alias !== null) json.alias = alias
      if (timestamp !== null) json.timestamp = timestamp
      if (isNull) json.isNull = true
      values.push(json)
    }
    const timestamp = has(message, 'timestamp') ? asNumber(long(message.timestamp, false)) : null
    const seq = has(message, 'seq') ? asNumber(long(message.seq, false)) : null
    const value: { [key: string]: JsonValue } = { timestamp, seq, metrics: values }
    if (has(message, 'uuid')) value.uuid = message.uuid as string
    if (has(message, 'body')) value.body = bytesToJson(message.body as Uint8Array)
    const summary: SparkplugSummary = { ...topic, seq, timestamp, metrics, unresolvedAliases }
    const note = `${metrics.length} ${metrics.length === 1 ? 'metric' : 'metrics'}${unresolvedAliases > 0 ? `, ${unresolvedAliases} unresolved ${unresolvedAliases === 1 ? 'alias' : 'aliases'}` : ''}`
    return { kind: 'final', result: { kind: 'value', value }, sparkplug: summary, note }
  },
}
