/**
 * Protobuf from the authored JSON, checked against the imported message type before protobufjs
 * sees it (its fromObject coerces silently: "abc" becomes 0, 3.7 becomes 3, an unknown field
 * vanishes). The JSON is the proto3 JSON form the inspector shows: field names as in the
 * .proto (lowerCamelCase accepted too), 64-bit integers as numbers or decimal text, bytes as
 * base64, enums by name or number, NaN/Infinity as text, null for "not set". Every refusal
 * carries the JSON Pointer of the value.
 */
import protobuf from 'protobufjs'
import type { PayloadProblem } from '../../api'
import { AuthoredFloat, isAuthoredObject, type AuthoredObject, type AuthoredValue } from './authored-json'
import { childPointer } from './problem'
import { encodeBase64 } from './text-formats'

export class ProtobufInputError extends Error {
  constructor(readonly pointer: string, message: string) {
    super(message)
  }
}

const RANGES: Readonly<Record<string, readonly [bigint, bigint]>> = {
  int32: [-(2n ** 31n), 2n ** 31n - 1n],
  sint32: [-(2n ** 31n), 2n ** 31n - 1n],
  sfixed32: [-(2n ** 31n), 2n ** 31n - 1n],
  uint32: [0n, 2n ** 32n - 1n],
  fixed32: [0n, 2n ** 32n - 1n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  sint64: [-(2n ** 63n), 2n ** 63n - 1n],
  sfixed64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint64: [0n, 2n ** 64n - 1n],
  fixed64: [0n, 2n ** 64n - 1n],
}

const describe = (v: AuthoredValue): string => {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'a list'
  if (isAuthoredObject(v)) return 'an object'
  if (typeof v === 'string') return `the text ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`
  if (typeof v === 'boolean') return String(v)
  return `the number ${v instanceof AuthoredFloat ? v.value : String(v)}`
}

/** An integer field's value as a bigint, range-checked. */
export function integerValue(v: AuthoredValue, type: string, pointer: string, label: string): bigint {
  let n: bigint | null = null
  if (typeof v === 'number' && Number.isInteger(v)) n = BigInt(v)
  else if (typeof v === 'bigint') n = v
  else if (v instanceof AuthoredFloat && Number.isInteger(v.value)) n = BigInt(v.value)
  else if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) n = BigInt(v.trim())
  if (n === null) throw new ProtobufInputError(pointer, `${label} is ${type}: it takes a whole number (or its decimal text), not ${describe(v)}.`)
  const range = RANGES[type]
  if (range !== undefined && (n < range[0] || n > range[1])) throw new ProtobufInputError(pointer, `${label} is ${type}: ${n} is out of range (${range[0]} to ${range[1]}).`)
  return n
}

function floatValue(v: AuthoredValue, type: string, pointer: string, label: string): number {
  if (typeof v === 'number' || typeof v === 'bigint') return Number(v)
  if (v instanceof AuthoredFloat) return v.value
  if (v === 'NaN') return NaN
  if (v === 'Infinity') return Infinity
  if (v === '-Infinity') return -Infinity
  throw new ProtobufInputError(pointer, `${label} is ${type}: it takes a number (or "NaN", "Infinity", "-Infinity"), not ${describe(v)}.`)
}

function scalar(field: protobuf.Field | protobuf.MapField, type: string, v: AuthoredValue, pointer: string, label: string): unknown {
  switch (type) {
    case 'double':
    case 'float':
      return floatValue(v, type, pointer, label)
    case 'bool':
      if (typeof v !== 'boolean') throw new ProtobufInputError(pointer, `${label} is bool: it takes true or false, not ${describe(v)}.`)
      return v
    case 'string':
      if (typeof v !== 'string') throw new ProtobufInputError(pointer, `${label} is string: put the value in double quotes (it is ${describe(v)}).`)
      return v
    case 'bytes': {
      if (typeof v !== 'string') throw new ProtobufInputError(pointer, `${label} is bytes: it takes base64 text, not ${describe(v)}.`)
      const out = encodeBase64(v)
      if (!out.ok) throw new ProtobufInputError(pointer, `${label} is bytes, written as base64: ${out.problem.message}`)
      return out.bytes
    }
    default: {
      if (RANGES[type] === undefined) break
      const n = integerValue(v, type, pointer, label)
      // protobufjs takes 64-bit values as decimal text (through Long), 32-bit ones as numbers.
      return type.endsWith('64') ? n.toString() : Number(n)
    }
  }
  const resolved = field.resolvedType
  if (resolved instanceof protobuf.Enum) {
    if (typeof v === 'string') {
      if (Object.hasOwn(resolved.values, v)) return v
      throw new ProtobufInputError(pointer, `${label} is the enum ${resolved.name}: "${v}" is not one of its values (${Object.keys(resolved.values).slice(0, 20).join(', ')}).`)
    }
    return Number(integerValue(v, 'int32', pointer, label))
  }
  if (resolved instanceof protobuf.Type) {
    if (!isAuthoredObject(v)) throw new ProtobufInputError(pointer, `${label} is the message ${resolved.name}: it takes an object, not ${describe(v)}.`)
    return message(resolved, v, pointer)
  }
  throw new ProtobufInputError(pointer, `${label} has the type ${type}, which is not resolved in the imported files.`)
}

const camelCase = (name: string): string => name.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase())

function fieldNamed(type: protobuf.Type, key: string): protobuf.Field | undefined {
  const direct = type.fields[key]
  if (direct !== undefined) return direct
  return type.fieldsArray.find((f) => camelCase(f.name) === key)
}

function message(type: protobuf.Type, obj: AuthoredObject, pointer: string): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  const oneofSet = new Map<string, string>()
  for (const [key, v] of obj) {
    const at = childPointer(pointer, key)
    const field = fieldNamed(type, key)
    if (field === undefined) {
      const names = type.fieldsArray.map((f) => f.name)
      throw new ProtobufInputError(at, `${type.fullName.replace(/^\./, '')} has no field "${key}"${names.length > 0 ? `: its fields are ${names.slice(0, 20).join(', ')}${names.length > 20 ? ', …' : ''}` : ''}.`)
    }
    if (v === null) continue
    const label = `The field "${field.name}"`
    const oneof = field.partOf
    if (oneof !== null && oneof.oneof.length > 1) {
      const other = oneofSet.get(oneof.name)
      if (other !== undefined) throw new ProtobufInputError(at, `"${field.name}" and "${other}" are both in the oneof "${oneof.name}": set only one.`)
      oneofSet.set(oneof.name, field.name)
    }
    if (field instanceof protobuf.MapField) {
      if (!isAuthoredObject(v)) throw new ProtobufInputError(at, `${label} is a map: it takes an object, not ${describe(v)}.`)
      const map: Record<string, unknown> = {}
      for (const [k, entry] of v) {
        const entryAt = childPointer(at, k)
        if (field.keyType !== 'string') {
          if (field.keyType === 'bool') {
            if (k !== 'true' && k !== 'false') throw new ProtobufInputError(entryAt, `${label} has bool keys: "true" or "false", not "${k}".`)
          } else integerValue(k, field.keyType, entryAt, `A key of ${label.toLowerCase()}`)
        }
        if (entry === null) throw new ProtobufInputError(entryAt, `A map value cannot be null: remove the key "${k}" or give it a value.`)
        map[k] = scalar(field, field.type, entry, entryAt, `The value of "${k}" in ${field.name}`)
      }
      out[field.name] = map
    } else if (field.repeated) {
      if (!Array.isArray(v)) throw new ProtobufInputError(at, `${label} is repeated: it takes a list ([…]), not ${describe(v)}.`)
      out[field.name] = v.map((item, i) => {
        if (item === null) throw new ProtobufInputError(childPointer(at, i), `A repeated field cannot hold null: remove it.`)
        return scalar(field, field.type, item, childPointer(at, i), label)
      })
    } else out[field.name] = scalar(field, field.type, v, at, label)
  }
  for (const field of type.fieldsArray) {
    if (field.required && !Object.hasOwn(out, field.name)) throw new ProtobufInputError(pointer, `${type.name} requires the field "${field.name}": add it.`)
  }
  return out
}

/** The bytes of `value` as the message `type`; throws ProtobufInputError with a pointer. */
export function encodeProtobufValue(type: protobuf.Type, value: AuthoredValue): Buffer {
  if (!isAuthoredObject(value)) throw new ProtobufInputError('', `A ${type.name} message is written as a JSON object ({…}), not ${describe(value)}.`)
  const plain = message(type, value, '')
  const bytes = type.encode(type.fromObject(plain)).finish()
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

export const protobufProblem = (err: ProtobufInputError): PayloadProblem => ({ message: err.message, pointer: err.pointer })
