/**
 * Decoders that need a schema the user imported: Protobuf with a message type, Avro with a schema.
 * An unknown Protobuf type still shows the schema-less decode (with the error above it); an
 * unknown Avro schema shows hex, since Avro bytes mean nothing without their schema.
 */
import { TooDeepError } from '../json-safe'
import type { Format } from './format'
import { invalid, messageOf } from './format'
import { decodeProtobufRaw } from './protobuf-raw'

const notes = new Map<string, string>()
let lastType = ''
let lastNote = ''
const typeNote = (type: string): string => {
  if (type === lastType) return lastNote
  let note = notes.get(type)
  if (note === undefined) notes.set(type, (note = `type ${type}`))
  lastType = type
  lastNote = note
  return note
}

export const protobufFormat: Format = {
  id: 'protobuf',
  label: 'Protobuf',
  decode(b, context, options) {
    const type = options.protobufType
    const decode = type === undefined ? undefined : context.schemas.protobuf(type)
    if (type === undefined || decode === undefined) {
      const error = type === undefined ? 'Pick a Protobuf message type from an imported .proto file; shown without a schema.' : `Type ${type} is not in any imported schema; shown without a schema.`
      const raw = decodeProtobufRaw(b)
      if (!raw.ok) return { kind: 'error', error: `${error.replace(/; shown without a schema\.$/, '.')} Not valid Protobuf either: ${raw.error}` }
      return { kind: 'final', result: { kind: 'value', value: raw.value }, error, note: 'without a schema' }
    }
    try {
      return { kind: 'final', result: { kind: 'value', value: decode(b) }, note: typeNote(type) }
    } catch (err) {
      return invalid(`Protobuf (${type})`, err instanceof TooDeepError ? `too deep to show: ${err.message}` : messageOf(err))
    }
  },
}

export const avroFormat: Format = {
  id: 'avro',
  label: 'Avro',
  decode(b, context, options) {
    const name = options.avroSchema
    if (name === undefined) return { kind: 'error', error: 'Pick an imported .avsc schema to decode Avro: its bytes mean nothing without one.' }
    const decode = context.schemas.avro(name)
    if (decode === undefined) return { kind: 'error', error: `Avro schema ${name} is not imported: import its .avsc file, or pick another schema.` }
    try {
      return { kind: 'final', result: { kind: 'value', value: decode(b) }, note: `schema ${name}` }
    } catch (err) {
      return invalid(`Avro (${name})`, err instanceof TooDeepError ? `too deep to show: ${err.message}` : messageOf(err))
    }
  },
}
