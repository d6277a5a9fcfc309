/**
 * Protobuf from the authored JSON, checked against the imported message type before protobufjs
 * sees it (its fromObject coerces silently: "abc" becomes 0, 3.7 becomes 3, an unknown field
 * vanishes). The JSON is the proto3 JSON form the inspector shows: field names as in the
 * .proto (lowerCamelCase accepted too), 64-bit integers as numbers or decimal text, bytes as
 * base64, enums by name or number, NaN/Infinity as text, null for "not set". Every refusal
 * carries the JSON Pointer of the value.
 */
import protobuf from 'protobufjs'
import { notice, type Notice, type NoticeCode, type NoticeParams, type PayloadProblem } from '../../api'
import { AuthoredFloat, isAuthoredObject, type AuthoredObject, type AuthoredValue } from './authored-json'
import { childPointer, nestedProblem, problemAtPointer } from './problem'
import { encodeBase64 } from './text-formats'
import { labelOf, valueOf, type LabelKind } from './value-words'

/** A value the message type does not take, at `pointer`, said as a notice. */
export class ProtobufInputError extends Error {
  constructor(readonly pointer: string, readonly said: Notice) {
    super(said.message)
  }
}

/** Throws a ProtobufInputError; the sentence and its values are only built here, on the error path. */
export const refuse = (pointer: string, code: NoticeCode, message: string, params?: NoticeParams): never => {
  throw new ProtobufInputError(pointer, notice(code, message, params))
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

/**
 * An integer field's value as a bigint, range-checked. The value is named in a sentence by
 * `labelKind` and its names (see value-words.ts), passed as they are so that no label is built
 * for a value that is right.
 */
export function integerValue(v: AuthoredValue, type: string, pointer: string, labelKind: LabelKind, labelName = '', labelOfName = ''): bigint {
  let n: bigint | null = null
  if (typeof v === 'number' && Number.isInteger(v)) n = BigInt(v)
  else if (typeof v === 'bigint') n = v
  else if (v instanceof AuthoredFloat && Number.isInteger(v.value)) n = BigInt(v.value)
  else if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) n = BigInt(v.trim())
  if (n === null) return wrongValue(pointer, 'PROTOBUF_NOT_INTEGER', v, labelKind, labelName, labelOfName, (label, value) => `${label} is ${type}: it takes a whole number (or its decimal text), not ${value}.`, { type })
  const range = RANGES[type]
  if (range !== undefined && (n < range[0] || n > range[1])) {
    const label = labelOf(labelKind, labelName, labelOfName)
    // The numbers as JSON writes them (no digit grouping): the user finds and types them so.
    return refuse(pointer, 'PROTOBUF_OUT_OF_RANGE', `${label.text} is ${type}: ${n} is out of range (${range[0]} to ${range[1]}).`, { ...label.params, type, number: String(n), min: String(range[0]), max: String(range[1]) })
  }
  return n
}

function floatValue(v: AuthoredValue, type: string, pointer: string, labelKind: LabelKind, labelName: string, labelOfName: string): number {
  if (typeof v === 'number' || typeof v === 'bigint') return Number(v)
  if (v instanceof AuthoredFloat) return v.value
  if (v === 'NaN') return NaN
  if (v === 'Infinity') return Infinity
  if (v === '-Infinity') return -Infinity
  return wrongValue(pointer, 'PROTOBUF_NOT_FLOAT', v, labelKind, labelName, labelOfName, (label, value) => `${label} is ${type}: it takes a number (or "NaN", "Infinity", "-Infinity"), not ${value}.`, { type })
}

/** A refusal of the shape "<label> …, not <value>.": one code each, the label and value as words the renderer translates. */
function wrongValue(pointer: string, code: NoticeCode, v: AuthoredValue, labelKind: LabelKind, labelName: string, labelOfName: string, say: (label: string, value: string) => string, params: NoticeParams = {}): never {
  const label = labelOf(labelKind, labelName, labelOfName)
  const value = valueOf(v)
  return refuse(pointer, code, say(label.text, value.text), { ...label.params, ...params, ...value.params })
}

function scalar(field: protobuf.Field | protobuf.MapField, type: string, v: AuthoredValue, pointer: string, labelKind: LabelKind, labelName: string, labelOfName: string): unknown {
  switch (type) {
    case 'double':
    case 'float':
      return floatValue(v, type, pointer, labelKind, labelName, labelOfName)
    case 'bool':
      if (typeof v !== 'boolean') wrongValue(pointer, 'PROTOBUF_NOT_BOOL', v, labelKind, labelName, labelOfName, (label, value) => `${label} is bool: it takes true or false, not ${value}.`)
      return v
    case 'string':
      if (typeof v !== 'string') wrongValue(pointer, 'PROTOBUF_NOT_STRING', v, labelKind, labelName, labelOfName, (label, value) => `${label} is string: put the value in double quotes (it is ${value}).`)
      return v
    case 'bytes': {
      if (typeof v !== 'string') return wrongValue(pointer, 'PROTOBUF_NOT_BYTES', v, labelKind, labelName, labelOfName, (label, value) => `${label} is bytes: it takes base64 text, not ${value}.`)
      const out = encodeBase64(v)
      if (!out.ok) {
        const label = labelOf(labelKind, labelName, labelOfName)
        return refuse(pointer, 'PROTOBUF_BYTES_BASE64', `${label.text} is bytes, written as base64: ${out.problem.message}`, { ...label.params, ...nestedProblem('problem', out.problem) })
      }
      return out.bytes
    }
    default: {
      if (RANGES[type] === undefined) break
      const n = integerValue(v, type, pointer, labelKind, labelName, labelOfName)
      // protobufjs takes 64-bit values as decimal text (through Long), 32-bit ones as numbers.
      return type.endsWith('64') ? n.toString() : Number(n)
    }
  }
  const resolved = field.resolvedType
  if (resolved instanceof protobuf.Enum) {
    if (typeof v === 'string') {
      if (Object.hasOwn(resolved.values, v)) return v
      const label = labelOf(labelKind, labelName, labelOfName)
      const values = Object.keys(resolved.values).slice(0, 20).join(', ')
      return refuse(pointer, 'PROTOBUF_ENUM_VALUE', `${label.text} is the enum ${resolved.name}: "${v}" is not one of its values (${values}).`, { ...label.params, enum: resolved.name, text: v, values })
    }
    return Number(integerValue(v, 'int32', pointer, labelKind, labelName, labelOfName))
  }
  if (resolved instanceof protobuf.Type) {
    if (!isAuthoredObject(v)) return wrongValue(pointer, 'PROTOBUF_NOT_MESSAGE', v, labelKind, labelName, labelOfName, (label, value) => `${label} is the message ${resolved.name}: it takes an object, not ${value}.`, { message: resolved.name })
    return message(resolved, v, pointer)
  }
  const label = labelOf(labelKind, labelName, labelOfName)
  return refuse(pointer, 'PROTOBUF_UNRESOLVED', `${label.text} has the type ${type}, which is not resolved in the imported files.`, { ...label.params, type })
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
      const name = type.fullName.replace(/^\./, '')
      if (names.length === 0) refuse(at, 'PROTOBUF_UNKNOWN_FIELD_NONE', `${name} has no field "${key}".`, { message: name, key })
      const fields = `${names.slice(0, 20).join(', ')}${names.length > 20 ? ', …' : ''}`
      return refuse(at, 'PROTOBUF_UNKNOWN_FIELD', `${name} has no field "${key}": its fields are ${fields}.`, { message: name, key, fields })
    }
    if (v === null) continue
    const oneof = field.partOf
    if (oneof !== null && oneof.oneof.length > 1) {
      const other = oneofSet.get(oneof.name)
      if (other !== undefined) refuse(at, 'PROTOBUF_ONEOF_TWICE', `"${field.name}" and "${other}" are both in the oneof "${oneof.name}": set only one.`, { field: field.name, other, oneof: oneof.name })
      oneofSet.set(oneof.name, field.name)
    }
    if (field instanceof protobuf.MapField) {
      if (!isAuthoredObject(v)) return wrongValue(at, 'PROTOBUF_NOT_MAP', v, 'field', field.name, '', (label, value) => `${label} is a map: it takes an object, not ${value}.`)
      const map: Record<string, unknown> = {}
      for (const [k, entry] of v) {
        const entryAt = childPointer(at, k)
        if (field.keyType !== 'string') {
          if (field.keyType === 'bool') {
            if (k !== 'true' && k !== 'false') refuse(entryAt, 'PROTOBUF_BOOL_KEY', `The field "${field.name}" has bool keys: "true" or "false", not "${k}".`, { ...labelOf('field', field.name).params, key: k })
          } else integerValue(k, field.keyType, entryAt, 'mapKey', field.name)
        }
        if (entry === null) refuse(entryAt, 'PROTOBUF_MAP_NULL', `A map value cannot be null: remove the key "${k}" or give it a value.`, { key: k })
        map[k] = scalar(field, field.type, entry as AuthoredValue, entryAt, 'mapValue', k, field.name)
      }
      out[field.name] = map
    } else if (field.repeated) {
      if (!Array.isArray(v)) return wrongValue(at, 'PROTOBUF_NOT_LIST', v, 'field', field.name, '', (label, value) => `${label} is repeated: it takes a list ([…]), not ${value}.`)
      out[field.name] = v.map((item, i) => {
        if (item === null) refuse(childPointer(at, i), 'PROTOBUF_REPEATED_NULL', `A repeated field cannot hold null: remove it.`)
        return scalar(field, field.type, item, childPointer(at, i), 'field', field.name, '')
      })
    } else out[field.name] = scalar(field, field.type, v, at, 'field', field.name, '')
  }
  for (const field of type.fieldsArray) {
    if (field.required && !Object.hasOwn(out, field.name)) refuse(pointer, 'PROTOBUF_REQUIRED', `${type.name} requires the field "${field.name}": add it.`, { message: type.name, field: field.name })
  }
  return out
}

/** The bytes of `value` as the message `type`; throws ProtobufInputError with a pointer. */
export function encodeProtobufValue(type: protobuf.Type, value: AuthoredValue): Buffer {
  if (!isAuthoredObject(value)) {
    const v = valueOf(value)
    return refuse('', 'PROTOBUF_NOT_OBJECT', `A ${type.name} message is written as a JSON object ({…}), not ${v.text}.`, { message: type.name, ...v.params })
  }
  const plain = message(type, value, '')
  const bytes = type.encode(type.fromObject(plain)).finish()
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

export const protobufProblem = (err: ProtobufInputError): PayloadProblem => problemAtPointer(err.pointer, err.said)
