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
import { note as layerNote, REASON_SPARKPLUG_TOPIC } from '../sentences'
import type { LayerNote } from '../types'
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

/** The members of the Metric `value` oneof. */
const VALUE_FIELDS = new Set(['int_value', 'long_value', 'float_value', 'double_value', 'boolean_value', 'string_value', 'bytes_value', 'dataset_value', 'template_value', 'extension_value'])

/**
 * The value of the oneof member `field` (found among the metric's own keys: protobufjs' oneof
 * getter walks every member through the prototype, and was a third of the decode's time).
 */
function metricValue(m: MetricMessage, datatype: number, field: string | undefined): JsonValue {
  if (m.is_null === true) return null
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

/** What a BIRTH says about one metric: DATA messages may carry only its alias, and no datatype. */
interface BirthMetric {
  name: string
  datatype: number | null
}
interface BirthTable {
  byAlias: Map<string, BirthMetric>
  byName: Map<string, BirthMetric>
}

const birthTables = new WeakMap<Buffer, BirthTable>()

/** The metrics a BIRTH payload defines, by alias and by name (cached per Buffer), or null when it does not decode. */
function birthTable(birth: Buffer): BirthTable | null {
  const cached = birthTables.get(birth)
  if (cached !== undefined) return cached
  let message: PayloadMessage
  try {
    message = sparkplugPayloadType().decode(birth) as unknown as PayloadMessage
  } catch {
    return null
  }
  const table: BirthTable = { byAlias: new Map(), byName: new Map() }
  for (const m of message.metrics) {
    if (!has(m, 'name')) continue
    const entry: BirthMetric = { name: m.name as string, datatype: has(m, 'datatype') ? (m.datatype as number) : null }
    table.byName.set(entry.name, entry)
    if (has(m, 'alias')) table.byAlias.set(String(long(m.alias, false)), entry)
  }
  birthTables.set(birth, table)
  return table
}

/** Looks a DATA/CMD metric up in the device's DBIRTH, then the node's NBIRTH (aliases are unique per edge node). */
function resolver(topic: SparkplugTopic, context: DecodeContext): { byAlias(alias: string): BirthMetric | null; byName(name: string): BirthMetric | null } {
  if (!ALIAS_USERS.has(topic.messageType)) return { byAlias: () => null, byName: () => null }
  let tables: BirthTable[] | null = null
  const load = (): BirthTable[] => {
    if (tables !== null) return tables
    tables = []
    const base = `spBv1.0/${topic.group}`
    if (topic.device !== null) {
      const dbirth = context.latestPayload(`${base}/DBIRTH/${topic.edgeNode}/${topic.device}`)
      const t = dbirth === undefined ? null : birthTable(dbirth)
      if (t !== null) tables.push(t)
    }
    const nbirth = context.latestPayload(`${base}/NBIRTH/${topic.edgeNode}`)
    const t = nbirth === undefined ? null : birthTable(nbirth)
    if (t !== null) tables.push(t)
    return tables
  }
  const find = (key: string, by: 'byAlias' | 'byName'): BirthMetric | null => {
    for (const t of load()) {
      const hit = t[by].get(key)
      if (hit !== undefined) return hit
    }
    return null
  }
  return { byAlias: (alias) => find(alias, 'byAlias'), byName: (name) => find(name, 'byName') }
}

let lastMetrics = -1
let lastUnresolved = -1
let lastMetricsNote: LayerNote | null = null
/** "3 metrics, 1 unresolved alias": one device's messages share a note, so the last one is kept. */
function metricsNote(metrics: number, unresolved: number): LayerNote {
  if (metrics === lastMetrics && unresolved === lastUnresolved && lastMetricsNote !== null) return lastMetricsNote
  const text = `${metrics} ${metrics === 1 ? 'metric' : 'metrics'}${unresolved > 0 ? `, ${unresolved} unresolved ${unresolved === 1 ? 'alias' : 'aliases'}` : ''}`
  lastMetrics = metrics
  lastUnresolved = unresolved
  return (lastMetricsNote = layerNote(text, 'sparkplugMetrics', { metrics, unresolved }))
}

export const sparkplugFormat: Format = {
  id: 'sparkplug',
  label: 'Sparkplug B',
  detect: (_b, context) => (parseSparkplugTopic(context.topic) !== null ? REASON_SPARKPLUG_TOPIC : null),
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
    for (const m of message.metrics) {
      // One pass over the fields that are set (own keys; unset ones read defaults from the prototype).
      let name: string | null = null
      let hasAlias = false
      let hasTimestamp = false
      let hasDatatype = false
      let field: string | undefined
      for (const key of Object.keys(m)) {
        if (key === 'name') name = m.name as string
        else if (key === 'datatype') hasDatatype = true
        else if (key === 'alias') hasAlias = true
        else if (key === 'timestamp') hasTimestamp = true
        else if (field === undefined && VALUE_FIELDS.has(key)) field = key
      }
      const aliasJson = hasAlias ? long(m.alias, false) : null
      const alias = asNumber(aliasJson)
      let nameFromBirth = false
      // DATA may carry the alias alone and no datatype (Sparkplug 3.0): both come from the BIRTH,
      // and the datatype matters for the value too (an Int32 -5 travels as uint32 4294967291).
      let birth: BirthMetric | null = null
      if (name === null && aliasJson !== null) {
        birth = resolve.byAlias(String(aliasJson))
        if (birth !== null) {
          name = birth.name
          nameFromBirth = true
        } else unresolvedAliases++
      } else if (name !== null && !hasDatatype) birth = resolve.byName(name)
      const datatypeCode = hasDatatype ? (m.datatype as number) : (birth?.datatype ?? 0)
      const datatype = SPARKPLUG_DATATYPES[datatypeCode] ?? `Unknown(${datatypeCode})`
      const value = metricValue(m, datatypeCode, field)
      const timestamp = hasTimestamp ? asNumber(long(m.timestamp, false)) : null
      const isNull = m.is_null === true
      metrics.push({ name, alias, datatype, value, timestamp, isNull, nameFromBirth })
    }
    const timestamp = has(message, 'timestamp') ? asNumber(long(message.timestamp, false)) : null
    const seq = has(message, 'seq') ? asNumber(long(message.seq, false)) : null
    // The value shown is the summary's own metric objects (all JSON-safe), not a second copy.
    const value: { [key: string]: JsonValue } = { timestamp, seq, metrics: metrics as unknown as JsonValue[] }
    if (has(message, 'uuid')) value.uuid = message.uuid as string
    if (has(message, 'body')) value.body = bytesToJson(message.body as Uint8Array)
    const summary: SparkplugSummary = { ...topic, seq, timestamp, metrics, unresolvedAliases }
    return { kind: 'final', result: { kind: 'value', value }, sparkplug: summary, note: metricsNote(metrics.length, unresolvedAliases) }
  },
}
