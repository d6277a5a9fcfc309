/**
 * Decoders that need a schema the user imported: Protobuf with a message type, Avro with a schema.
 * An unknown Protobuf type still shows the schema-less decode (with the error above it); an
 * unknown Avro schema shows hex, since Avro bytes mean nothing without their schema.
 */
import { TooDeepError } from '../json-safe'
import { note, problem } from '../sentences'
import type { LayerNote } from '../types'
import type { Format } from './format'
import { failed, invalid, messageOf, tooDeep } from './format'
import { decodeProtobufRaw } from './protobuf-raw'

/**
 * A note per name ("type plant.Telemetry", "schema telemetry.avsc"), made once: a rule topic's
 * messages all name the same type, and the pipeline shares their layers list by note.
 */
function noteCache(make: (name: string) => LayerNote): (name: string) => LayerNote {
  const notes = new Map<string, LayerNote>()
  let lastName = ''
  let lastNote: LayerNote | null = null
  return (name) => {
    if (name === lastName && lastNote !== null) return lastNote
    let found = notes.get(name)
    if (found === undefined) {
      // Names come from the imported schemas, but keep the cache bounded anyway.
      if (notes.size >= 1024) notes.clear()
      notes.set(name, (found = make(name)))
    }
    lastName = name
    return (lastNote = found)
  }
}
const typeNote = noteCache((type) => note(`type ${type}`, 'protobufType', { type }))
const schemaNote = noteCache((schema) => note(`schema ${schema}`, 'avroSchema', { schema }))
const WITHOUT_SCHEMA = note('without a schema', 'withoutSchema')
const NO_TYPE = problem('Pick a Protobuf message type from an imported .proto file; shown without a schema.', 'protobufNoType')
const NO_AVRO_SCHEMA = problem('Pick an imported .avsc schema to decode Avro: its bytes mean nothing without one.', 'avroNoSchema')

export const protobufFormat: Format = {
  id: 'protobuf',
  label: 'Protobuf',
  decode(b, context, options) {
    const type = options.protobufType
    const decode = type === undefined ? undefined : context.schemas.protobuf(type)
    if (type === undefined || decode === undefined) {
      const error = type === undefined ? NO_TYPE : problem(`Type ${type} is not in any imported schema; shown without a schema.`, 'protobufUnknownType', { type })
      const raw = decodeProtobufRaw(b)
      if (!raw.ok) {
        const text = `${error.text.replace(/; shown without a schema\.$/, '.')} Not valid Protobuf either: ${raw.error}`
        return failed(type === undefined ? problem(text, 'protobufNoTypeInvalid', { detail: raw.error }) : problem(text, 'protobufUnknownTypeInvalid', { type, detail: raw.error }))
      }
      return { kind: 'final', result: { kind: 'value', value: raw.value }, error, note: WITHOUT_SCHEMA }
    }
    try {
      return { kind: 'final', result: { kind: 'value', value: decode(b) }, note: typeNote(type) }
    } catch (err) {
      return err instanceof TooDeepError ? tooDeep(`Protobuf (${type})`, err) : invalid(`Protobuf (${type})`, messageOf(err))
    }
  },
}

export const avroFormat: Format = {
  id: 'avro',
  label: 'Avro',
  decode(b, context, options) {
    const name = options.avroSchema
    if (name === undefined) return failed(NO_AVRO_SCHEMA)
    const decode = context.schemas.avro(name)
    if (decode === undefined) return failed(problem(`Avro schema ${name} is not imported: import its .avsc file, or pick another schema.`, 'avroUnknownSchema', { schema: name }))
    try {
      return { kind: 'final', result: { kind: 'value', value: decode(b) }, note: schemaNote(name) }
    } catch (err) {
      return err instanceof TooDeepError ? tooDeep(`Avro (${name})`, err) : invalid(`Avro (${name})`, messageOf(err))
    }
  },
}
