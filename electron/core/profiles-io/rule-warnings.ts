/**
 * Decoder rules travel with their profile, schema files do not (they belong to the install, not
 * to one profile). An imported rule that names a Protobuf type or an Avro schema this install
 * does not have gets a warning, so the user knows which file to import before those topics
 * decode as intended (until then they fall back to the schema-less view).
 */
import { notice, type DecoderRule, type Notice, type SchemaFileInfo } from '../../api'

export interface SchemaList {
  list(): SchemaFileInfo[]
}

/** One sentence per schema a profile's rules need and this install lacks. */
export function ruleWarnings(profileName: string, rules: readonly DecoderRule[], schemas: SchemaList | undefined): Notice[] {
  if (schemas === undefined || rules.length === 0) return []
  const files = schemas.list()
  const protoTypes = new Set(files.filter((f) => f.kind === 'proto' && f.error === null).flatMap((f) => f.types))
  const avroNames = new Set(files.filter((f) => f.kind === 'avsc' && f.error === null).flatMap((f) => [f.name, ...f.types]))
  const warnings: Notice[] = []
  const warned = new Set<string>()
  for (const rule of rules) {
    if (rule.decoder === 'protobuf' && rule.protobufType !== undefined && !protoTypes.has(rule.protobufType) && !warned.has(`p:${rule.protobufType}`)) {
      warned.add(`p:${rule.protobufType}`)
      const message = `"${profileName}": its decoder rule for ${short(rule.filter)} needs the Protobuf type ${rule.protobufType}, which no imported schema file defines; import its .proto to decode those messages (until then they show without a schema).`
      warnings.push(notice('IMPORT_RULE_PROTOBUF', message, { name: profileName, filter: short(rule.filter), type: rule.protobufType }))
    }
    if (rule.decoder === 'avro' && rule.avroSchema !== undefined && !avroNames.has(rule.avroSchema) && !warned.has(`a:${rule.avroSchema}`)) {
      warned.add(`a:${rule.avroSchema}`)
      const message = `"${profileName}": its decoder rule for ${short(rule.filter)} needs the Avro schema ${rule.avroSchema}, which is not imported; import that .avsc to decode those messages.`
      warnings.push(notice('IMPORT_RULE_AVRO', message, { name: profileName, filter: short(rule.filter), schema: rule.avroSchema }))
    }
  }
  return warnings
}

function short(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}…` : text
}
