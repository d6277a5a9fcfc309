/**
 * STUB, replaced by the decoders branch: compiles the user's imported schema files (`.proto` with
 * imports resolved among the files by name, `.avsc`) into a SchemaLookup, and says per file what
 * it defines or why it does not compile. Pure: the files' text comes in, nothing is read here.
 */
import type { SchemaLookup } from './types'
import { NO_SCHEMAS } from './types'

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

export function compileSchemaFiles(sources: readonly SchemaSource[]): CompiledSchemas {
  return {
    lookup: NO_SCHEMAS,
    files: sources.map((s) => ({ name: s.name, kind: s.name.endsWith('.avsc') ? 'avsc' : 'proto', types: [], error: 'Schemas are not compiled yet.' })),
  }
}
