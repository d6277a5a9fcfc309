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
import { childPointer } from './problem'
import { encodeProtobufValue, integerValue, ProtobufInputError } from './protobuf'
import { encodeBase64 } from './text-formats'

const CODE_BY_NAME = new Map(Object.entries(SPARKPLUG_DATATYPES).map(([code, name]) => [name.toLowerCase(), Number(code)]))

const fail = (pointer: string, message: string): never => {
  throw new ProtobufInputError(pointer, message)
}

function datatypeCode(v: AuthoredValue | undefined, pointer: string, what: string): number {
  if (typeof v === 'number' && SPARKPLUG_DATATYPES[v] !== undefined && v !== 0) return v
  if (typeof v === 'string') {
    const code = CODE_BY_NAME.get(v.toLowerCase())
    if (code !== undefined && code !== 0) return code
  }
  return fail(pointer, `${what} needs a datatype: one of Int8, Int16, Int32, Int64, UInt8, UInt16, UInt32, UInt64, Float, Double, Boolean, String, DateTime, Text, UUID, DataSet, Bytes, File, Template or an …Array type${v === undefined ? '' : ` (${JSON.stringify(typeof v === 'bigint' ? String(v) : v instanceof AuthoredFloat ? v.value : v)} is none of them)`}.`)
}

const INT_LIMITS: Readonly<Record<number, readonly [string, number, number]>> = {
  1: ['Int8', -128, 127], 2: ['Int16', -32768, 32767], 3: ['Int32', -2147483648, 2147483647],
  5: ['UInt8', 0, 255], 6: ['UInt16', 0, 65535],
}

function smallInt(code: number, v: AuthoredValue, pointer: string): number {
  const [name, min, max] = INT_LIMITS[code]
  const n = integerValue(v, 'sint64', pointer, `A ${name} value`)
  if (n < BigInt(min) || n > BigInt(max)) fail(pointer, `${n} does not fit in ${name} (${min} to ${max}).`)
  return Number(n) >>> 0
}

function longValue(code: number, v: AuthoredValue, pointer: string): string {
  if (code === 13 && typeof v === 'string' && !/^-?\d+$/.test(v)) {
    const ms = Date.parse(v)
    if (Number.isNaN(ms)) fail(pointer, `A DateTime is epoch milliseconds or an ISO 8601 time, not ${JSON.stringify(v)}.`)
    return String(ms)
  }
  if (code === 7) return String(integerValue(v, 'uint32', pointer, 'A UInt32 value'))
  const n = integerValue(v, code === 4 ? 'int64' : 'uint64', pointer, `A ${SPARKPLUG_DATATYPES[code]} value`)
  return BigInt.asUintN(64, n).toString()
}

function floatValue(v: AuthoredValue, pointer: string, name: string): number {
  if (typeof v === 'number' || typeof v === 'bigint') return Number(v)
  if (v instanceof AuthoredFloat) return v.value
  if (v === 'NaN') return NaN
  if (v === 'Infinity') return Infinity
  if (v === '-Infinity') return -Infinity
  return fail(pointer, `A ${name} value is a number (or "NaN", "Infinity", "-Infinity").`)
}

function bytesValue(v: AuthoredValue, pointer: string, name: string): Buffer {
  const text = isAuthoredObject(v) && v.size === 1 && v.has('$base64') ? v.get('$base64') : v
  if (typeof text !== 'string') return fail(pointer, `A ${name} value is base64 text or {"$base64": "…"}.`)
  const out = encodeBase64(text)
  if (!out.ok) fail(pointer, `A ${name} value is base64: ${out.problem.message}`)
  return (out as { bytes: Buffer }).bytes
}

/** Array datatypes: element width and writer (little-endian, as the specification packs them). */
const ARRAYS: Readonly<Record<number, readonly [number, (b: Buffer, v: AuthoredValue, at: number, pointer: string) => void]>> = {
  22: [1, (b, v, at, p) => b.writeInt8(Number(integerValue(v, 'int32', p, 'An Int8Array element')), at)],
  23: [2, (b, v, at, p) => b.writeInt16LE(Number(integerValue(v, 'int32', p, 'An Int16Array element')), at)],
  24: [4, (b, v, at, p) => b.writeInt32LE(Number(integerValue(v, 'int32', p, 'An Int32Array element')), at)],
  25: [8, (b, v, at, p) => b.writeBigInt64LE(integerValue(v, 'int64', p, 'An Int64Array element'), at)],
  26: [1, (b, v, at, p) => b.writeUInt8(Number(integerValue(v, 'uint32', p, 'A UInt8Array element')), at)],
  27: [2, (b, v, at, p) => b.writeUInt16LE(Number(integerValue(v, 'uint32', p, 'A UInt16Array element')), at)],
  28: [4, (b, v, at, p) => b.writeUInt32LE(Number(integerValue(v, 'uint32', p, 'A UInt32Array element')), at)],
  29: [8, (b, v, at, p) => b.writeBigUInt64LE(integerValue(v, 'uint64', p, 'A UInt64Array element'), at)],
  30: [4, (b, v, at, p) => b.writeFloatLE(floatValue(v, p, 'FloatArray element'), at)],
  31: [8, (b, v, at, p) => b.writeDoubleLE(floatValue(v, p, 'DoubleArray element'), at)],
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
      if (typeof v !== 'boolean') fail(childPointer(pointer, i), 'A BooleanArray holds true and false only.')
      if (v === true) out[4 + (i >> 3)] |= 0x80 >> (i & 7)
    })
    return out
  }
  if (code === 33) {
    const parts: Buffer[] = []
    list.forEach((v, i) => {
      if (typeof v !== 'string') fail(childPointer(pointer, i), 'A StringArray holds text only.')
      if ((v as string).includes('\0')) fail(childPointer(pointer, i), 'A StringArray element cannot contain U+0000: it ends each element.')
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
      if (typeof v !== 'boolean') fail(pointer, 'A Boolean value is true or false.')
      return { boolean_value: v }
    case 12:
    case 14:
    case 15:
      if (typeof v !== 'string') fail(pointer, `A ${name} value is text in double quotes.`)
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
      return fail(pointer, `${name} is not a metric datatype: PropertySet and PropertySetList are for properties.`)
  }
}

/** A sub-message in its protobuf JSON form, errors pointed into the payload. */
function encodeAt(type: protobuf.Type, v: AuthoredValue, pointer: string): Buffer {
  try {
    return encodeProtobufValue(type, v)
  } catch (err) {
    if (err instanceof ProtobufInputError) throw new ProtobufInputError(pointer + err.pointer, err.message)
    throw err
  }
}

function objectAt(v: AuthoredValue | undefined, pointer: string, what: string): AuthoredObject {
  if (!isAuthoredObject(v)) return fail(pointer, `${what} is a JSON object ({…}).`)
  return v
}

function checkKeys(obj: AuthoredObject, allowed: ReadonlySet<string>, pointer: string, what: string): void {
  for (const key of obj.keys()) if (!allowed.has(key)) fail(childPointer(pointer, key), `${what} has no "${key}": it takes ${[...allowed].filter((k) => k !== 'nameFromBirth').join(', ')}.`)
}

const set = (v: AuthoredValue | undefined): v is Exclude<AuthoredValue, null> => v !== undefined && v !== null

function propertySet(v: AuthoredValue, pointer: string, subType: (name: string) => protobuf.Type): Record<string, unknown> {
  const obj = objectAt(v, pointer, 'Properties')
  const keys: string[] = []
  const values: Record<string, unknown>[] = []
  for (const [key, pv] of obj) {
    const at = childPointer(pointer, key)
    const p = objectAt(pv, at, `The property "${key}"`)
    checkKeys(p, PROPERTY_KEYS, at, `The property "${key}"`)
    const typeAt = childPointer(at, p.has('type') ? 'type' : 'datatype')
    const code = datatypeCode(p.get('type') ?? p.get('datatype'), typeAt, `The property "${key}"`)
    const value: Record<string, unknown> = { type: code }
    if (p.get('isNull') === true || !set(p.get('value'))) value.is_null = true
    else {
      const valueAt = childPointer(at, 'value')
      const pvValue = p.get('value') as AuthoredValue
      if (code === 20) value.propertyset_value = propertySet(pvValue, valueAt, subType)
      else if (code === 21) {
        if (!Array.isArray(pvValue)) fail(valueAt, 'A PropertySetList value is a list of property objects.')
        value.propertysets_value = { propertyset: (pvValue as AuthoredValue[]).map((s, i) => propertySet(s, childPointer(valueAt, i), subType)) }
      } else if (code >= 16) fail(typeAt, `A property's type is a scalar, PropertySet or PropertySetList, not ${SPARKPLUG_DATATYPES[code]}.`)
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
  if (typeof v !== 'boolean') fail(childPointer(pointer, key), `"${key}" is true or false.`)
  return v as boolean
}

function metric(v: AuthoredValue, pointer: string, subType: (name: string) => protobuf.Type): Record<string, unknown> {
  const m = objectAt(v, pointer, 'A metric')
  checkKeys(m, METRIC_KEYS, pointer, 'A metric')
  const out: Record<string, unknown> = {}
  const name = m.get('name')
  if (set(name)) {
    if (typeof name !== 'string') fail(childPointer(pointer, 'name'), "A metric's name is text.")
    out.name = name
  }
  const alias = m.get('alias')
  if (set(alias)) out.alias = integerValue(alias, 'uint64', childPointer(pointer, 'alias'), 'An alias').toString()
  if (!set(name) && !set(alias)) fail(pointer, 'A metric needs a name or an alias.')
  const timestamp = m.get('timestamp')
  if (set(timestamp)) out.timestamp = longValue(13, timestamp, childPointer(pointer, 'timestamp'))
  const typeKey = m.has('datatype') ? 'datatype' : 'type'
  const code = datatypeCode(m.get(typeKey), childPointer(pointer, typeKey), 'A metric')
  out.datatype = code
  const historical = flag(m, 'isHistorical', pointer)
  if (historical !== undefined) out.is_historical = historical
  const transient = flag(m, 'isTransient', pointer)
  if (transient !== undefined) out.is_transient = transient
  const value = m.get('value')
  if (flag(m, 'isNull', pointer) === true) {
    if (set(value)) fail(childPointer(pointer, 'value'), 'A metric with "isNull": true has no value: remove one of them.')
    out.is_null = true
  } else if (!set(value)) fail(pointer, 'A metric needs a value (or "isNull": true).')
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
  const root = objectAt(value, '', 'A Sparkplug B payload')
  checkKeys(root, PAYLOAD_KEYS, '', 'A Sparkplug B payload')
  const out: Record<string, unknown> = {}
  const timestamp = root.get('timestamp')
  if (set(timestamp)) out.timestamp = longValue(13, timestamp, '/timestamp')
  const seq = root.get('seq')
  if (set(seq)) out.seq = integerValue(seq, 'uint64', '/seq', 'seq').toString()
  const uuid = root.get('uuid')
  if (set(uuid)) {
    if (typeof uuid !== 'string') fail('/uuid', 'uuid is text.')
    out.uuid = uuid
  }
  const body = root.get('body')
  if (set(body)) out.body = bytesValue(body, '/body', 'body')
  const metrics = root.get('metrics')
  if (set(metrics)) {
    if (!Array.isArray(metrics)) fail('/metrics', 'metrics is a list of metric objects.')
    out.metrics = (metrics as AuthoredValue[]).map((m, i) => metric(m, `/metrics/${i}`, subType))
  }
  const bytes = payloadType.encode(payloadType.fromObject(out)).finish()
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}
