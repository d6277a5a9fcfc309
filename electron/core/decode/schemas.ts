/**
 * Compiles the user's imported schema files (`.proto` with imports resolved among the files by
 * name, `.avsc`) into a SchemaLookup, and says per file what it defines or why it does not
 * compile. Pure: the files' text comes in, nothing is read here.
 *
 * Protobuf values come out in protobufjs' JSON form: field names as written in the .proto,
 * 64-bit integers as decimal text (as the proto3 JSON mapping does), bytes as base64, enums by
 * name, NaN and Infinity as text, the set member of a oneof named by the oneof.
 */
import avro from 'avsc'
import protobuf from 'protobufjs'
import { jsonSafe } from './json-safe'
import type { JsonValue, SchemaLookup } from './types'

export interface SchemaSource {
  name: string
  text: string
}

export interface CompiledSchemaFile {
  name: string
  kind: 'proto' | 'avsc'
  /** Protobuf message types (fully qualified) or the Avro schema's full name(s). */
  types: string[]
  /** Why the file does not compile (with line and column where known), or null. */
  error: string | null
}

export interface CompiledSchemas {
  lookup: SchemaLookup
  files: CompiledSchemaFile[]
}

const TO_OBJECT: protobuf.IConversionOptions = { longs: String, enums: String, bytes: String, oneofs: true, json: true }
const PARSE: protobuf.IParseOptions = { keepCase: true, alternateCommentMode: true }

class SchemaError extends Error {}

const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1)

/** "illegal token 'x' (line 3)" → "telemetry.proto:3: illegal token 'x'" */
function protoError(file: string, err: unknown): string {
  const message = err instanceof Error ? err.message : String(err)
  const m = /^(.*?)\s*\(line (\d+)\)\s*$/.exec(message)
  return m ? `${file}:${m[2]}: ${m[1]}` : `${file}: ${message}`
}

function messageTypes(ns: protobuf.NamespaceBase, out: string[]): string[] {
  for (const nested of ns.nestedArray) {
    if (nested instanceof protobuf.Type) out.push(nested.fullName.replace(/^\./, ''))
    if (nested instanceof protobuf.Namespace || nested instanceof protobuf.Type) messageTypes(nested, out)
  }
  return out
}

/** The file with its imports (found among `sources` by path or file name) parsed into one root. */
function protoRoot(file: SchemaSource, find: (path: string) => SchemaSource | undefined): protobuf.Root {
  const root = new protobuf.Root()
  const seen = new Set<string>()
  const load = (source: SchemaSource) => {
    if (seen.has(source.name)) return
    seen.add(source.name)
    let parsed: protobuf.IParserResult
    try {
      parsed = protobuf.parse(source.text, root, PARSE)
    } catch (err) {
      throw new SchemaError(source === file ? protoError(source.name, err) : `imports ${source.name}, which does not compile (${protoError(source.name, err)})`)
    }
    for (const path of [...(parsed.imports ?? []), ...(parsed.weakImports ?? [])]) {
      if (seen.has(path)) continue
      const imported = find(path)
      if (imported !== undefined) {
        load(imported)
        continue
      }
      const common = protobuf.common.get(path) as { nested?: protobuf.INamespace['nested'] } | null
      if (common?.nested !== undefined) {
        seen.add(path)
        root.addJSON(common.nested)
        continue
      }
      throw new SchemaError(`${source.name} imports ${path}, which is not imported: import that file too.`)
    }
  }
  load(file)
  try {
    root.resolveAll()
  } catch (err) {
    throw new SchemaError(`${file.name}: ${err instanceof Error ? err.message : String(err)}`)
  }
  return root
}

function compileProtos(sources: SchemaSource[], types: Map<string, protobuf.Type>): CompiledSchemaFile[] {
  const byName = new Map(sources.map((s) => [s.name, s]))
  const find = (path: string) => byName.get(path) ?? byName.get(baseName(path))
  return sources.map((file) => {
    try {
      const root = protoRoot(file, find)
      // The types this file itself defines: its text parsed alone (imports are not followed by parse).
      const own = messageTypes(protobuf.parse(file.text, new protobuf.Root(), PARSE).root, [])
      for (const name of own) if (!types.has(name)) types.set(name, root.lookupType(name))
      return { name: file.name, kind: 'proto', types: own, error: null }
    } catch (err) {
      return { name: file.name, kind: 'proto', types: [], error: err instanceof SchemaError ? err.message : protoError(file.name, err) }
    }
  })
}

function compileAvsc(sources: SchemaSource[], schemas: Map<string, avro.Type>): CompiledSchemaFile[] {
  const registry: { [name: string]: avro.Type } = {}
  const results = new Map<string, CompiledSchemaFile>()
  let pending = [...sources]
  // Named types may be referenced across files: compile in rounds until no file makes progress.
  for (let progress = true; pending.length > 0 && progress; ) {
    progress = false
    const failed: SchemaSource[] = []
    for (const file of pending) {
      let schema: unknown
      try {
        schema = JSON.parse(file.text)
      } catch (err) {
        results.set(file.name, { name: file.name, kind: 'avsc', types: [], error: `${file.name}: not JSON (${err instanceof Error ? err.message : String(err)})` })
        continue
      }
      try {
        // On a copy: a schema that fails half-way must not leave its names registered.
        const attempt = { ...registry }
        const type = avro.Type.forSchema(schema as avro.Schema, { registry: attempt })
        Object.assign(registry, attempt)
        const full = type.name
        schemas.set(file.name, type)
        if (full !== undefined) schemas.set(full, type)
        results.set(file.name, { name: file.name, kind: 'avsc', types: full !== undefined ? [full] : [], error: null })
        progress = true
      } catch (err) {
        failed.push(file)
        results.set(file.name, { name: file.name, kind: 'avsc', types: [], error: `${file.name}: ${err instanceof Error ? err.message : String(err)}` })
      }
    }
    pending = failed
  }
  return sources.map((s) => results.get(s.name) as CompiledSchemaFile)
}

/** Compiles the imported files; a file that does not compile is listed with its error and defines nothing. */
export function compileSchemaFiles(sources: readonly SchemaSource[]): CompiledSchemas {
  const types = new Map<string, protobuf.Type>()
  const avroTypes = new Map<string, avro.Type>()
  const protos = compileProtos(sources.filter((s) => !s.name.endsWith('.avsc')), types)
  const avscs = compileAvsc(sources.filter((s) => s.name.endsWith('.avsc')), avroTypes)
  const byName = new Map([...protos, ...avscs].map((f) => [f.name, f]))
  const decoders = new Map<string, (bytes: Uint8Array) => JsonValue>()
  let lastName = ''
  let lastDecode: ((bytes: Uint8Array) => JsonValue) | undefined
  const lookup: SchemaLookup = {
    protobuf(typeName) {
      // A topic's messages ask for the same type again and again: the last answer is kept aside.
      if (typeName === lastName && lastDecode !== undefined) return lastDecode
      // Keyed by the name as asked ("pkg.Msg" or ".pkg.Msg").
      let decode = decoders.get(typeName)
      if (decode === undefined) {
        const type = types.get(typeName.charCodeAt(0) === 0x2e ? typeName.slice(1) : typeName)
        if (type === undefined) return undefined
        decode = (bytes) => type.toObject(type.decode(bytes), TO_OBJECT) as JsonValue
        decoders.set(typeName, decode)
      }
      lastName = typeName
      lastDecode = decode
      return decode
    },
    avro(schema) {
      const type = avroTypes.get(schema)
      if (type === undefined) return undefined
      return (bytes) => jsonSafe(type.fromBuffer(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)))
    },
    protobufType: (typeName) => types.get(typeName.charCodeAt(0) === 0x2e ? typeName.slice(1) : typeName),
    protobufTypes: () => [...types.keys()],
    avroSchemas: () => [...avroTypes.keys()],
  }
  return { lookup, files: sources.map((s) => byName.get(s.name) as CompiledSchemaFile) }
}
