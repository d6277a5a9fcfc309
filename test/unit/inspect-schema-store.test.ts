/**
 * The schema store on its own, with a small compiler of our own so the store's rules are pinned
 * apart from the decoders: files kept as-is in <dataDir>/schemas, read back at start, damaged or
 * unreadable files listed with their error, conflicts and bad files refused, a .proto waiting for
 * its imports stored with its error, every change announced.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ApiError, type SchemaFileInfo } from '../../electron/api'
import type { CompiledSchemas, SchemaSource } from '../../electron/core/decode/schemas'
import { NO_SCHEMAS } from '../../electron/core/decode/types'
import { missingImports, SchemaStore } from '../../electron/core/inspect/schema-store'

/**
 * A toy compiler: `message X` defines `<package>.X`; `BROKEN` anywhere is a syntax error; an
 * import of a file not among the sources is an error; an .avsc must be JSON with a name.
 */
function toyCompile(sources: readonly SchemaSource[]): CompiledSchemas {
  const names = new Set(sources.map((s) => s.name))
  const files = sources.map((s) => {
    if (s.name.endsWith('.avsc')) {
      try {
        const schema = JSON.parse(s.text) as { name?: string; namespace?: string }
        if (typeof schema.name !== 'string') return { name: s.name, kind: 'avsc' as const, types: [], error: 'schema has no name' }
        return { name: s.name, kind: 'avsc' as const, types: [schema.namespace ? `${schema.namespace}.${schema.name}` : schema.name], error: null }
      } catch (err) {
        return { name: s.name, kind: 'avsc' as const, types: [], error: (err as Error).message }
      }
    }
    if (s.text.includes('BROKEN')) return { name: s.name, kind: 'proto' as const, types: [], error: "illegal token 'BROKEN' (line 1)" }
    const missing = [...s.text.matchAll(/import "([^"]+)"/g)].map((m) => m[1]).find((i) => !names.has(i))
    if (missing) return { name: s.name, kind: 'proto' as const, types: [], error: `no such file: ${missing}` }
    const pkg = /package (\w+);/.exec(s.text)?.[1]
    const types = [...s.text.matchAll(/message (\w+)/g)].map((m) => (pkg ? `${pkg}.${m[1]}` : m[1]))
    return { name: s.name, kind: 'proto' as const, types, error: null }
  })
  return { lookup: NO_SCHEMAS, files }
}

let dataDir: string
const changes: SchemaFileInfo[][] = []
const open = () => SchemaStore.open(dataDir, { compile: toyCompile, onChange: (files) => changes.push(files) })

async function refusal(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise
  } catch (err) {
    if (err instanceof ApiError) return err
    throw err
  }
  throw new Error('expected a refusal')
}

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'mqtts-schemas-'))
  changes.length = 0
})
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true })
})

describe('SchemaStore', () => {
  it('stores an imported file as-is, lists its types, and reads it back after a restart', async () => {
    const store = await open()
    expect(store.list()).toEqual([])
    const text = 'syntax = "proto3";\npackage plant;\nmessage Telemetry { double temp = 1; }\n'
    const info = await store.import('telemetry.proto', text, false)
    expect(info).toMatchObject({ name: 'telemetry.proto', kind: 'proto', size: Buffer.byteLength(text), types: ['plant.Telemetry'], error: null })
    expect(await readFile(join(dataDir, 'schemas', 'telemetry.proto'), 'utf8')).toBe(text)
    expect(changes.at(-1)?.map((f) => f.name)).toEqual(['telemetry.proto'])

    const announced = changes.length
    const reopened = await open()
    expect(reopened.list()).toEqual([{ ...info, importedAt: expect.any(String) }])
    // Reading the folder at start is no change: nothing is announced to windows not open yet.
    expect(changes).toHaveLength(announced)
  })

  it('refuses an existing name unless asked to replace it', async () => {
    const store = await open()
    await store.import('a.proto', 'message A {}', false)
    const err = await refusal(store.import('a.proto', 'message B {}', false))
    expect(err.code).toBe('SCHEMA_CONFLICT')
    expect(err.message).toMatch(/already imported/)
    expect(store.list()[0].types).toEqual(['A'])
    const replaced = await store.import('a.proto', 'message B {}', true)
    expect(replaced.types).toEqual(['B'])
  })

  it('refuses a file that does not compile, with the compiler’s words, and keeps nothing of it', async () => {
    const store = await open()
    const err = await refusal(store.import('bad.proto', 'message BROKEN {', false))
    expect(err.code).toBe('SCHEMA_BAD_FILE')
    expect(err.message).toBe("bad.proto does not compile: illegal token 'BROKEN' (line 1). Fix the file and import it again.")
    const avro = await refusal(store.import('bad.avsc', '{ not json', false))
    expect(avro.code).toBe('SCHEMA_BAD_FILE')
    expect(store.list()).toEqual([])
    expect(await readdir(join(dataDir, 'schemas')).catch(() => [])).toEqual([])
  })

  it('stores a .proto whose imports are not imported yet with its error, which clears once they are', async () => {
    const store = await open()
    const waiting = await store.import('telemetry.proto', 'import "units.proto";\nmessage Telemetry {}', false)
    expect(waiting.error).toBe('no such file: units.proto')
    await store.import('units.proto', 'message Unit {}', false)
    expect(store.list().find((f) => f.name === 'telemetry.proto')).toMatchObject({ error: null, types: ['Telemetry'] })
    // Once its imports are all there, a file is judged by its own error: a broken one is refused.
    const broken = await refusal(store.import('other.proto', 'import "units.proto";\nBROKEN', false))
    expect(broken.code).toBe('SCHEMA_BAD_FILE')
  })

  it('deletes a file, says NOT_FOUND for one it does not have, and lists the error a deletion causes', async () => {
    const store = await open()
    await store.import('units.proto', 'message Unit {}', false)
    await store.import('telemetry.proto', 'import "units.proto";\nmessage Telemetry {}', false)
    await store.delete('units.proto')
    expect(store.list()).toMatchObject([{ name: 'telemetry.proto', error: 'no such file: units.proto' }])
    expect(await readdir(join(dataDir, 'schemas'))).toEqual(['telemetry.proto'])
    expect((await refusal(store.delete('units.proto'))).code).toBe('NOT_FOUND')
    expect(changes.at(-1)?.map((f) => f.name)).toEqual(['telemetry.proto'])
  })

  it('lists a damaged or unreadable file with its error and still serves the others', async () => {
    const dir = join(dataDir, 'schemas')
    await mkdir(join(dir, 'folder.proto'), { recursive: true })
    await writeFile(join(dir, 'huge.avsc'), Buffer.alloc(4 * 1024 * 1024 + 10, 0x20))
    await writeFile(join(dir, 'broken.avsc'), '{ "type": "record", ')
    await writeFile(join(dir, 'good.proto'), 'message Good {}')
    await writeFile(join(dir, 'notes.txt'), 'not a schema')
    await writeFile(join(dir, 'good.proto.tmp-1-abcd'), 'half a write')
    const store = await open()
    const byName = Object.fromEntries(store.list().map((f) => [f.name, f]))
    expect(Object.keys(byName)).toEqual(['broken.avsc', 'folder.proto', 'good.proto', 'huge.avsc'])
    expect(byName['folder.proto'].error).toMatch(/not a file/)
    expect(byName['huge.avsc'].error).toMatch(/too big/)
    expect(byName['broken.avsc'].error).toMatch(/JSON|Unexpected|Expected/)
    expect(byName['good.proto']).toMatchObject({ error: null, types: ['Good'] })
  })

  it('survives a compiler that throws: every file is listed with that error', async () => {
    await mkdir(join(dataDir, 'schemas'), { recursive: true })
    await writeFile(join(dataDir, 'schemas', 'a.proto'), 'message A {}')
    const store = await SchemaStore.open(dataDir, {
      compile: () => {
        throw new Error('compiler bug')
      },
    })
    expect(store.list()).toMatchObject([{ name: 'a.proto', types: [], error: 'The schema compiler failed (compiler bug)' }])
  })

  it('bumps its generation on every change, so decodes made with the old schemas are not reused', async () => {
    const store = await open()
    const before = store.generation
    await store.import('a.proto', 'message A {}', false)
    expect(store.generation).toBeGreaterThan(before)
  })
})

describe('missingImports', () => {
  it('names the imports not among the files, by file name, ignoring comments and Google’s well-known types', () => {
    const text = [
      'syntax = "proto3";',
      'import "google/protobuf/timestamp.proto";',
      'import public "vendor/units.proto";',
      '// import "commented.proto";',
      'import weak "other.proto";',
    ].join('\n')
    expect(missingImports('t.proto', text, [{ name: 'units.proto' }])).toEqual(['other.proto'])
    expect(missingImports('t.avsc', text, [])).toEqual([])
  })
})
