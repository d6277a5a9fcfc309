/**
 * The user's imported schema files, kept as-is in `<dataDir>/schemas/<name>` (`.proto`, `.avsc`)
 * and compiled together into the lookup every decode uses. Files are read once at start; writes
 * are atomic and go through one queue. A file that cannot be read, is too big or does not
 * compile is listed with its error, never a crash: the other files still decode.
 *
 * Import rule: a new file must compile among the others (SCHEMA_BAD_FILE with the compiler's
 * words otherwise), except a `.proto` whose only problem may be an `import` of a file not
 * imported yet: it is stored with its error listed, so the user can import its dependencies
 * next, in any order, and the error goes away when the last one arrives.
 */
import { readdir, readFile, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { ApiError, notice, type Notice, type SchemaFileInfo } from '../../api'
import { MAX_SCHEMA_FILE_CHARS, SchemaFileName } from '../../api/inspect'
import { compileSchemaFiles, type CompiledSchemas, type SchemaSource } from '../decode/schemas'
import { NO_SCHEMAS, type SchemaLookup } from '../decode/types'
import { removeStaleTemps, writeFileAtomic } from '../storage/atomic-json'
import { SerialQueue } from '../storage/serial-queue'

export const SCHEMAS_DIR = 'schemas'

interface StoredSchema {
  name: string
  /** null when the file could not be read. */
  text: string | null
  size: number
  importedAt: string
  readError: string | null
}

export interface SchemaStoreOptions {
  /** The compiler (tests pass their own to pin the store's behaviour apart from the decoders). */
  compile?: (sources: readonly SchemaSource[]) => CompiledSchemas
  /** Called with the new list after every change. */
  onChange?: (files: SchemaFileInfo[]) => void
}

export class SchemaStore {
  /** Problems found while reading the folder, as sentences for app.info. */
  readonly warnings: string[] = []
  /** The same problems with their codes, for translation (same order). */
  readonly warningNotices: Notice[] = []
  /** Bumped on every change, so cached decodes made with the old schemas are not reused. */
  generation = 0
  private files: StoredSchema[] = []
  private infos: SchemaFileInfo[] = []
  private compiledLookup: SchemaLookup = NO_SCHEMAS
  private readonly queue = new SerialQueue()
  private readonly compile: (sources: readonly SchemaSource[]) => CompiledSchemas

  private constructor(readonly dir: string, private readonly options: SchemaStoreOptions) {
    this.compile = options.compile ?? compileSchemaFiles
  }

  /** Reads `<dataDir>/schemas/`; never throws for a damaged or unreadable file. */
  static async open(dataDir: string, options: SchemaStoreOptions = {}): Promise<SchemaStore> {
    const store = new SchemaStore(join(dataDir, SCHEMAS_DIR), options)
    let names: string[] = []
    try {
      names = await readdir(store.dir)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        const said = notice('SCHEMAS_UNLISTED', `Your imported schema files could not be listed (${reason(err)}); fix the permissions of ${store.dir} and restart.`, { reason: reason(err), dir: store.dir })
        store.warnings.push(said.message)
        store.warningNotices.push(said)
      }
    }
    for (const temp of new Set(names.filter((n) => n.includes('.tmp-')).map((n) => n.slice(0, n.indexOf('.tmp-'))))) await removeStaleTemps(join(store.dir, temp))
    const files: StoredSchema[] = []
    for (const name of names.sort()) {
      if (!SchemaFileName.safeParse(name).success) continue
      files.push(await readSchemaFile(join(store.dir, name), name))
    }
    store.adopt(files, store.compileSafely(files), false)
    return store
  }

  /** Every file, sorted by name, with what it defines or why it does not compile. */
  list(): SchemaFileInfo[] {
    return structuredClone(this.infos)
  }

  /** The compiled schemas, for decoding. */
  get lookup(): SchemaLookup {
    return this.compiledLookup
  }

  /** Stores a schema file (see the module comment for when a file that does not compile is refused). */
  import(name: string, text: string, replace: boolean): Promise<SchemaFileInfo> {
    return this.queue.run(async () => {
      if (!replace && this.files.some((f) => f.name === name)) {
        throw new ApiError('SCHEMA_CONFLICT', `A schema file named ${name} is already imported: replace it, or rename the new file before importing it.`, { name })
      }
      if (text.length > MAX_SCHEMA_FILE_CHARS) throw new ApiError('SCHEMA_BAD_FILE', `${name} is bigger than ${MAX_SCHEMA_FILE_CHARS.toLocaleString('en-US')} characters, too big for a schema file: import the file that defines the types you need.`, { name })
      const entry: StoredSchema = { name, text, size: Buffer.byteLength(text), importedAt: new Date().toISOString(), readError: null }
      const next = [...this.files.filter((f) => f.name !== name), entry].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      const compiled = this.compileSafely(next)
      const error = compiled.files.find((f) => f.name === name)?.error ?? null
      if (error !== null && missingImports(name, text, next).length === 0) {
        throw new ApiError('SCHEMA_BAD_FILE', `${name} does not compile: ${error}. Fix the file and import it again.`, { name, error })
      }
      try {
        await writeFileAtomic(join(this.dir, name), text)
      } catch (err) {
        throw new ApiError('STORAGE_WRITE_FAILED', `${name} could not be saved in ${this.dir} (${reason(err)}); free some space or fix the folder's permissions and import it again.`, { name })
      }
      this.adopt(next, compiled)
      return structuredClone(this.infos.find((i) => i.name === name) as SchemaFileInfo)
    })
  }

  /** Deletes a schema file; NOT_FOUND when none has that name. */
  delete(name: string): Promise<void> {
    return this.queue.run(async () => {
      if (!this.files.some((f) => f.name === name)) throw new ApiError('NOT_FOUND', `No schema file named ${name} is imported; the list may be out of date, reopen it.`, { name })
      try {
        await rm(join(this.dir, name), { force: true })
      } catch (err) {
        throw new ApiError('STORAGE_WRITE_FAILED', `${name} could not be deleted from ${this.dir} (${reason(err)}); fix the folder's permissions and try again.`, { name })
      }
      this.adopt(this.files.filter((f) => f.name !== name))
    })
  }

  private adopt(files: StoredSchema[], compiled = this.compileSafely(files), announce = true): void {
    this.files = files
    this.compiledLookup = compiled.lookup
    const byName = new Map(compiled.files.map((f) => [f.name, f]))
    this.infos = files.map((f) => {
      const c = byName.get(f.name)
      return {
        name: f.name,
        kind: f.name.endsWith('.avsc') ? 'avsc' : 'proto',
        size: f.size,
        importedAt: f.importedAt,
        types: c?.types ?? [],
        error: f.readError ?? c?.error ?? null,
      }
    })
    this.generation++
    if (announce) this.options.onChange?.(this.list())
  }

  /** Compiles the readable files; a compiler that throws marks every file rather than failing. */
  private compileSafely(files: readonly StoredSchema[]): CompiledSchemas {
    const sources = files.flatMap((f) => (f.text === null ? [] : [{ name: f.name, text: f.text }]))
    try {
      return this.compile(sources)
    } catch (err) {
      const error = `The schema compiler failed (${reason(err)})`
      return { lookup: NO_SCHEMAS, files: sources.map((s) => ({ name: s.name, kind: s.name.endsWith('.avsc') ? 'avsc' : 'proto', types: [], error })) }
    }
  }
}

async function readSchemaFile(path: string, name: string): Promise<StoredSchema> {
  try {
    const info = await stat(path)
    const importedAt = info.mtime.toISOString()
    if (!info.isFile()) return { name, text: null, size: 0, importedAt, readError: `${name} is not a file` }
    // UTF-8 needs at least one byte per character: more bytes than that is surely too many characters.
    if (info.size > MAX_SCHEMA_FILE_CHARS * 4) return { name, text: null, size: info.size, importedAt, readError: `${name} is too big for a schema file (${info.size.toLocaleString('en-US')} bytes)` }
    const text = await readFile(path, 'utf8')
    if (text.length > MAX_SCHEMA_FILE_CHARS) return { name, text: null, size: info.size, importedAt, readError: `${name} is too big for a schema file (${text.length.toLocaleString('en-US')} characters)` }
    return { name, text, size: info.size, importedAt, readError: null }
  } catch (err) {
    return { name, text: null, size: 0, importedAt: new Date(0).toISOString(), readError: `${name} could not be read (${reason(err)})` }
  }
}

const IMPORT = /^\s*import\s+(?:public\s+|weak\s+)?["']([^"']+)["']\s*;/gm

/**
 * The files a `.proto` imports that are not among `files` (by file name, as the store keeps them
 * flat); Google's well-known types come with the compiler and are never missing.
 */
export function missingImports(name: string, text: string, files: ReadonlyArray<{ name: string }>): string[] {
  if (!name.endsWith('.proto')) return []
  const have = new Set(files.map((f) => f.name))
  const missing: string[] = []
  for (const match of stripComments(text).matchAll(IMPORT)) {
    const path = match[1]
    if (path.startsWith('google/protobuf/')) continue
    const base = path.slice(path.lastIndexOf('/') + 1)
    if (!have.has(base)) missing.push(path)
  }
  return missing
}

function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '')
}

function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
