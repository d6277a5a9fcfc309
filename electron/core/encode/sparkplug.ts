/**
 * Sparkplug B payloads (Eclipse Sparkplug 3.0) from a Tahu-compatible JSON, encoded with the
 * schema the decoder reads (decode/sparkplug/schema.ts):
 *
 *   {"timestamp": 1700000000000, "seq": 0, "uuid"?, "body"?: base64,
 *    "metrics": [{"name": "temp", "alias"?: 1, "timestamp"?, "datatype": "Double", "value": 21.5,
 *                 "isNull"?, "isHistorical"?, "isTransient"?, "metadata"?: {…},
 *                 "properties"?: {"engUnit": {"type": "String", "value": "°C"}}}]}
 *
 * `datatype` (or Tahu's `type`) is a name from the specification (Int8 … DateTimeArray) or its
 * code. Signed integers travel as two's complement in the unsigned fields, as the
 * specification says; UInt32 travels in long_value, as Eclipse Tahu writes and reads it; arrays (Int8Array …) are packed little-endian into bytes_value, or given
 * as {"$base64": …}; DataSet and Template values are their protobuf JSON form.
 */
import type protobuf from 'protobufjs'
import { SPARKPLUG_DATATYPES, sparkplugPayloadType } from '../decode/sparkplug/schema'
import { AuthoredFloat, isAuthoredObject, type AuthoredObject, type AuthoredValue } from './authored-json'
import { childPointer, nestedProblem } from './problem'
import { encodeProtobufValue, integerValue, ProtobufInputError, refuse } from './protobuf'
import { encodeBase64 } from './text-formats'
import { subjectOf, type SubjectKind } from './value-words'

const CODE_BY_NAME = new Map(Object.entries(SPARKPLUG_DATATYPES).map(([code, name]) => [name.toLowerCase(), Number(code)]))

function datatypeCode(v: AuthoredValue | undefined, pointer: string, subjectKind: SubjectKind, property = ''): number {
  if (typeof v === 'number' && SPARKPLUG_DATATYPES[v] !== undefined && v !== 0) return v
  if (typeof v === 'string') {
    const code = CODE_BY_NAME.get(v.toLowerCase())
    if (code !== undefined && code !== 0) return code
  }
  const subject = subjectOf(subjectKind, property)
  const needs = `${subject.text} needs a datatype: one of Int8, Int16, Int32, Int64, UInt8, UInt16, UInt32, UInt64, Float, Double, Boolean, String, DateTime, Text, UUID, DataSet, Bytes, File, Template or an …Array type`
  if (v === undefined) return refuse(pointer, 'SPARKPLUG_NEEDS_DATATYPE', `${needs}.`, subject.params)
  const value = JSON.stringify(typeof v === 'bigint' ? String(v) : v instanceof AuthoredFloat ? v.value : v)
  return refuse(pointer, 'SPARKPLUG_UNKNOWN_DATATYPE', `${needs} (${value} is none of them).`, { ...subject.params, given: value })
}

const INT_LIMITS: Readonly<Record<number, readonly [string, number, number]>> = {
  1: ['Int8', -128, 127], 2: ['Int16', -32768, 32767], 3: ['Int32', -2147483648, 2147483647],
  5: ['UInt8', 0, 255], 6: ['UInt16', 0, 65535],
}

function smallInt(code: number, v: AuthoredValue, pointer: string): number {
  const [name, min, max] = INT_LIMITS[code]
  const n = integerValue(v, 'sint64', pointer, 'typedValue', name)
  if (n < BigInt(min) || n > BigInt(max)) refuse(pointer, 'SPARKPLUG_INT_RANGE', `${n} does not fit in ${name} (${min} to ${max}).`, { number: String(n), datatype: name, min: String(min), max: String(max) })
  return Number(n) >>> 0
}

function longValue(code: number, v: AuthoredValue, pointer: string): string {
  if (code === 13 && typeof v === 'string' && !/^-?\d+$/.test(v)) {
    const ms = Date.parse(v)
    if (Number.isNaN(ms)) refuse(pointer, 'SPARKPLUG_DATETIME', `A DateTime is epoch milliseconds or an ISO 8601 time, not ${JSON.stringify(v)}.`, { text: JSON.stringify(v) })
    return String(ms)
  }
  if (code === 7) return String(integerValue(v, 'uint32', pointer, 'typedValue', 'UInt32'))
  const n = integerValue(v, code === 4 ? 'int64' : 'uint64', pointer, 'typedValue', SPARKPLUG_DATATYPES[code])
  return BigInt.asUintN(64, n).toString()
}

/** A Float or Double value, or (`element`) an element of a FloatArray or DoubleArray: `name` is the datatype. */
function floatValue(v: AuthoredValue, pointer: string, name: string, element = false): number {
  if (typeof v === 'number' || typeof v === 'bigint') return Number(v)
  if (v instanceof AuthoredFloat) return v.value
  if (v === 'NaN') return NaN
  if (v === 'Infinity') return Infinity
  if (v === '-Infinity') return -Infinity
  if (element) return refuse(pointer, 'SPARKPLUG_ELEMENT_NOT_FLOAT', `A ${name} element value is a number (or "NaN", "Infinity", "-Infinity").`, { datatype: name })
  return refuse(pointer, 'SPARKPLUG_NOT_FLOAT', `A ${name} value is a number (or "NaN", "Infinity", "-Infinity").`, { datatype: name })
}

/** Bytes of a datatype `name` (or of the payload's `body`), as base64 text or a `$base64` marker. */
function bytesValue(v: AuthoredValue, pointer: string, name: string): Buffer {
  const text = isAuthoredObject(v) && v.size === 1 && v.has('$base64') ? v.get('$base64') : v
  if (typeof text !== 'string') return refuse(pointer, 'SPARKPLUG_NOT_BASE64', `A ${name} value is base64 text or {"$base64": "…"}.`, { datatype: name })
  const out = encodeBase64(text)
  if (!out.ok) return refuse(pointer, 'SPARKPLUG_BASE64_INVALID', `A ${name} value is base64: ${out.problem.message}`, { datatype: name, ...nestedProblem('problem', out.problem) })
  return out.bytes
}

/** Array datatypes: element width and writer (little-endian, as the specification packs them). */
const ARRAYS: Readonly<Record<number, readonly [number, (b: Buffer, v: AuthoredValue, at: number, pointer: string) => void]>> = {
  22: [1, (b, v, at, p) => b.writeInt8(Number(integerValue(v, 'int32', p, 'arrayElement', 'Int8Array')), at)],
  23: [2, (b, v, at, p) => b.writeInt16LE(Number(integerValue(v, 'int32', p, 'arrayElement', 'Int16Array')), at)],
  24: [4, (b, v, at, p) => b.writeInt32LE(Number(integerValue(v, 'int32', p, 'arrayElement', 'Int32Array')), at)],
  25: [8, (b, v, at, p) => b.writeBigInt64LE(integerValue(v, 'int64', p, 'arrayElement', 'Int64Array'), at)],
  26: [1, (b, v, at, p) => b.writeUInt8(Number(integerValue(v, 'uint32', p, 'arrayElement', 'UInt8Array')), at)],
  27: [2, (b, v, at, p) => b.writeUInt16LE(Number(integerValue(v, 'uint32', p, 'arrayElement', 'UInt16Array')), at)],
  28: [4, (b, v, at, p) => b.writeUInt32LE(Number(integerValue(v, 'uint32', p, 'arrayElement', 'UInt32Array')), at)],
  29: [8, (b, v, at, p) => b.writeBigUInt64LE(integerValue(v, 'uint64', p, 'arrayElement', 'UInt64Array'), at)],
  30: [4, (b, v, at, p) => b.writeFloatLE(floatValue(v, p, 'FloatArray', true), at)],
  31: [8, (b, v, at, p) => b.writeDoubleLE(floatValue(v, p, 'DoubleArray', true), at)],
  34: [8, (b, v, at, p) => b.writeBigUInt64LE(BigInt(longValue(13, v, p)), at)],
}

function arrayBytes(code: number, list: AuthoredValue[], pointer: string): Buffer {
  const small = (v: AuthoredValue, i: number): void => {
    // Element ranges for the narrow types (the writers throw a RangeError, not a sentence).
    const limits: Readonly<Record<number, number>> = { 22: 1, 23: 2, 26: 5, 27: 6 }
    const base = limits[code]
    if (base !== undefined) smallInt(base, v, childPointer(pointer, i))
  }
  if (code === 32) {
    const out = Buffer.alloc(4 + Math.ceil(list.length / 8))
    out.writeUInt32LE(list.length, 0)
    list.forEach((v, i) => {
      if (typeof v !== 'boolean') refuse(childPointer(pointer, i), 'SPARKPLUG_BOOLEAN_ARRAY', 'A BooleanArray holds true and false only.')
      if (v === true) out[4 + (i >> 3)] |= 0x80 >> (i & 7)
    })
    return out
  }
  if (code === 33) {
    const parts: Buffer[] = []
    list.forEach((v, i) => {
      if (typeof v !== 'string') refuse(childPointer(pointer, i), 'SPARKPLUG_STRING_ARRAY', 'A StringArray holds text only.')
      if ((v as string).includes('\0')) refuse(childPointer(pointer, i), 'SPARKPLUG_STRING_ARRAY_NUL', 'A StringArray element cannot contain U+0000: it ends each element.')
      parts.push(Buffer.from(v as string, 'utf8'), Buffer.from([0]))
    })
    return Buffer.concat(parts)
  }
  const [width, write] = ARRAYS[code]
  const out = Buffer.alloc(list.length * width)
  list.forEach((v, i) => {
    small(v, i)
    write(out, v, i * width, childPointer(pointer, i))
  })
  return out
}

/** The protobufjs object-form fields for a value of `code` (metric, property or parameter). */
function valueFields(code: number, v: AuthoredValue, pointer: string, subType: (name: string) => protobuf.Type): Record<string, unknown> {
  const name = SPARKPLUG_DATATYPES[code]
  if (INT_LIMITS[code] !== undefined) return { int_value: smallInt(code, v, pointer) }
  switch (code) {
    case 4:
    case 7:
    case 8:
    case 13:
      return { long_value: longValue(code, v, pointer) }
    case 9:
      return { float_value: floatValue(v, pointer, name) }
    case 10:
      return { double_value: floatValue(v, pointer, name) }
    case 11:
      if (typeof v !== 'boolean') refuse(pointer, 'SPARKPLUG_NOT_BOOLEAN', 'A Boolean value is true or false.')
      return { boolean_value: v }
    case 12:
    case 14:
    case 15:
      if (typeof v !== 'string') refuse(pointer, 'SPARKPLUG_NOT_TEXT', `A ${name} value is text in double quotes.`, { datatype: name })
      return { string_value: v }
    case 17:
    case 18:
      return { bytes_value: bytesValue(v, pointer, name) }
    case 16:
    case 19: {
      const type = subType(code === 16 ? 'Payload.DataSet' : 'Payload.Template')
      const bytes = encodeAt(type, v, pointer)
      return { [code === 16 ? 'dataset_value' : 'template_value']: type.decode(bytes) }
    }
    default:
      if (code >= 22 && code <= 34) return { bytes_value: Array.isArray(v) ? arrayBytes(code, v, pointer) : bytesValue(v, pointer, name) }
      return refuse(pointer, 'SPARKPLUG_NOT_METRIC_TYPE', `${name} is not a metric datatype: PropertySet and PropertySetList are for properties.`, { datatype: name })
  }
}

/** A sub-message in its protobuf JSON form, errors pointed into the payload. */
function encodeAt(type: protobuf.Type, v: AuthoredValue, pointer: string): Buffer {
  try {
    return encodeProtobufValue(type, v)
  } catch (err) {
    if (err instanceof ProtobufInputError) throw new ProtobufInputError(pointer + err.pointer, err.said)
    throw err
  }
}

function objectAt(v: AuthoredValue | undefined, pointer: string, subjectKind: SubjectKind, property = ''): AuthoredObject {
  if (isAuthoredObject(v)) return v
  const subject = subjectOf(subjectKind, property)
  return refuse(pointer, 'SPARKPLUG_NOT_OBJECT', `${subject.text} is a JSON object ({…}).`, subject.params)
}

function checkKeys(obj: AuthoredObject, allowed: ReadonlySet<string>, pointer: string, subjectKind: SubjectKind, property = ''): void {
  for (const key of obj.keys()) {
    if (allowed.has(key)) continue
    const subject = subjectOf(subjectKind, property)
    const keys = [...allowed].filter((k) => k !== 'nameFromBirth').join(', ')
    refuse(childPointer(pointer, key), 'SPARKPLUG_UNKNOWN_KEY', `${subject.text} has no "${key}": it takes ${keys}.`, { ...subject.params, key, keys })
  }
}

const set = (v: AuthoredValue | undefined): v is Exclude<AuthoredValue, null> => v !== undefined && v !== null

function propertySet(v: AuthoredValue, pointer: string, subType: (name: string) => protobuf.Type): Record<string, unknown> {
  const obj = objectAt(v, pointer, 'properties')
  const keys: string[] = []
  const values: Record<string, unknown>[] = []
  for (const [key, pv] of obj) {
    const at = childPointer(pointer, key)
    const p = objectAt(pv, at, 'property', key)
    checkKeys(p, PROPERTY_KEYS, at, 'property', key)
    const typeAt = childPointer(at, p.has('type') ? 'type' : 'datatype')
    const code = datatypeCode(p.get('type') ?? p.get('datatype'), typeAt, 'property', key)
    const value: Record<string, unknown> = { type: code }
    if (p.get('isNull') === true || !set(p.get('value'))) value.is_null = true
    else {
      const valueAt = childPointer(at, 'value')
      const pvValue = p.get('value') as AuthoredValue
      if (code === 20) value.propertyset_value = propertySet(pvValue, valueAt, subType)
      else if (code === 21) {
        if (!Array.isArray(pvValue)) refuse(valueAt, 'SPARKPLUG_PROPERTY_SET_LIST', 'A PropertySetList value is a list of property objects.')
        value.propertysets_value = { propertyset: (pvValue as AuthoredValue[]).map((s, i) => propertySet(s, childPointer(valueAt, i), subType)) }
      } else if (code >= 16) refuse(typeAt, 'SPARKPLUG_PROPERTY_TYPE', `A property's type is a scalar, PropertySet or PropertySetList, not ${SPARKPLUG_DATATYPES[code]}.`, { datatype: SPARKPLUG_DATATYPES[code] })
      else Object.assign(value, valueFields(code, pvValue, valueAt, subType))
    }
    keys.push(key)
    values.push(value)
  }
  return { keys, values }
}

const PAYLOAD_KEYS = new Set(['timestamp', 'seq', 'uuid', 'body', 'metrics'])
const METRIC_KEYS = new Set(['name', 'alias', 'timestamp', 'datatype', 'type', 'value', 'isNull', 'isHistorical', 'isTransient', 'metadata', 'properties', 'nameFromBirth'])
const PROPERTY_KEYS = new Set(['type', 'datatype', 'value', 'isNull'])

function flag(obj: AuthoredObject, key: string, pointer: string): boolean | undefined {
  const v = obj.get(key)
  if (!set(v)) return undefined
  if (typeof v !== 'boolean') refuse(childPointer(pointer, key), 'SPARKPLUG_FLAG', `"${key}" is true or false.`, { key })
  return v as boolean
}

function metric(v: AuthoredValue, pointer: string, subType: (name: string) => protobuf.Type): Record<string, unknown> {
  const m = objectAt(v, pointer, 'metric')
  checkKeys(m, METRIC_KEYS, pointer, 'metric')
  const out: Record<string, unknown> = {}
  const name = m.get('name')
  if (set(name)) {
    if (typeof name !== 'string') refuse(childPointer(pointer, 'name'), 'SPARKPLUG_METRIC_NAME', "A metric's name is text.")
    out.name = name
  }
  const alias = m.get('alias')
  if (set(alias)) out.alias = integerValue(alias, 'uint64', childPointer(pointer, 'alias'), 'alias').toString()
  if (!set(name) && !set(alias)) refuse(pointer, 'SPARKPLUG_METRIC_NAME_OR_ALIAS', 'A metric needs a name or an alias.')
  const timestamp = m.get('timestamp')
  if (set(timestamp)) out.timestamp = longValue(13, timestamp, childPointer(pointer, 'timestamp'))
  const typeKey = m.has('datatype') ? 'datatype' : 'type'
  const code = datatypeCode(m.get(typeKey), childPointer(pointer, typeKey), 'metric')
  out.datatype = code
  const historical = flag(m, 'isHistorical', pointer)
  if (historical !== undefined) out.is_historical = historical
  const transient = flag(m, 'isTransient', pointer)
  if (transient !== undefined) out.is_transient = transient
  const value = m.get('value')
  if (flag(m, 'isNull', pointer) === true) {
    if (set(value)) refuse(childPointer(pointer, 'value'), 'SPARKPLUG_NULL_WITH_VALUE', 'A metric with "isNull": true has no value: remove one of them.')
    out.is_null = true
  } else if (!set(value)) refuse(pointer, 'SPARKPLUG_METRIC_VALUE', 'A metric needs a value (or "isNull": true).')
  const metadata = m.get('metadata')
  if (set(metadata)) out.metadata = subType('Payload.MetaData').decode(encodeAt(subType('Payload.MetaData'), metadata, childPointer(pointer, 'metadata')))
  const properties = m.get('properties')
  if (set(properties)) out.properties = propertySet(properties, childPointer(pointer, 'properties'), subType)
  if (set(value) && out.is_null !== true) Object.assign(out, valueFields(code, value, childPointer(pointer, 'value'), subType))
  return out
}

let resolved = false

/** The Sparkplug B bytes of an authored payload; throws ProtobufInputError with a pointer. */
export function encodeSparkplugValue(value: AuthoredValue): Buffer {
  const payloadType = sparkplugPayloadType()
  // The shared type is parsed lazily, not resolved: the checks in protobuf.ts read resolvedType.
  if (!resolved) {
    payloadType.root.resolveAll()
    resolved = true
  }
  const subType = (name: string) => payloadType.lookupType(name.replace(/^Payload\./, ''))
  const root = objectAt(value, '', 'payload')
  checkKeys(root, PAYLOAD_KEYS, '', 'payload')
  const out: Record<string, unknown> = {}
  const timestamp = root.get('timestamp')
  if (set(timestamp)) out.timestamp = longValue(13, timestamp, '/timestamp')
  const seq = root.get('seq')
  if (set(seq)) out.seq = integerValue(seq, 'uint64', '/seq', 'seq').toString()
  const uuid = root.get('uuid')
  if (set(uuid)) {
    if (typeof uuid !== 'string') refuse('/uuid', 'SPARKPLUG_UUID', 'uuid is text.')
    out.uuid = uuid
  }
  const body = root.get('body')
  if (set(body)) out.body = bytesValue(body, '/body', 'body')
  const metrics = root.get('metrics')
  if (set(metrics)) {
    if (!Array.isArray(metrics)) refuse('/metrics', 'SPARKPLUG_METRICS_LIST', 'metrics is a list of metric objects.')
    out.metrics = (metrics as AuthoredValue[]).map((m, i) => metric(m, `/metrics/${i}`, subType))
  }
  const bytes = payloadType.encode(payloadType.fromObject(out)).finish()
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}
