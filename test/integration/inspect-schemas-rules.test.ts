/**
 * Schema files and decoder rules through the whole service against a real mosquitto: files
 * imported, listed, refused on conflict or when they do not compile, deleted, announced, and
 * still there after the service restarts; a message imported as a schema file; decoder rules
 * exported and imported with their profile and applied to the inspector and the tree's previews
 * of the imported profile's connection.
 *
 * Tests marked [real decoders] need the decoders branch (core/decode/pipeline.ts and
 * schemas.ts): with the stubs on main they are skipped, named so, rather than passing vacuously.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { encode as cborEncode } from 'cbor2'
import mqtt, { type MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ApiError, methods, type DecoderRule, type EventName, type EventPayloads, type MethodName, type MethodParams, type MethodResult, type SchemaFileInfo, type TreeViewFrame } from '../../electron/api'
import { decodePayload } from '../../electron/core/decode/pipeline'
import { compileSchemaFiles } from '../../electron/core/decode/schemas'
import { NO_SCHEMAS } from '../../electron/core/decode/types'
import { createService, type Service } from '../../electron/core/service'
import { startMosquitto, type MosquittoBroker } from '../fixtures/mosquitto'
import { waitUntil } from '../fixtures/wait-for-line'

/** The decoders branch has landed: CBOR decodes and a .proto compiles. */
const realDecoders = decodePayload(Buffer.from([0xa1, 0x61, 0x61, 0x01]), { topic: 't', schemas: NO_SCHEMAS, latestPayload: () => undefined, forced: { decoder: 'cbor' } }).result.kind === 'value'
const realCompiler = compileSchemaFiles([{ name: 'a.proto', text: 'syntax = "proto3";\nmessage A { int32 x = 1; }\n' }]).files[0]?.error === null

let root: string
let broker: MosquittoBroker
let publisher: MqttClient

interface Running {
  service: Service
  schemaEvents: SchemaFileInfo[][]
  frames: TreeViewFrame[]
  call<M extends MethodName>(method: M, params?: MethodParams<M>): Promise<MethodResult<M>>
  fail<M extends MethodName>(method: M, params?: MethodParams<M>): Promise<ApiError>
}

const running: Running[] = []

async function start(dataDir: string): Promise<Running> {
  const schemaEvents: SchemaFileInfo[][] = []
  const frames: TreeViewFrame[] = []
  const service = await createService({
    dataDir,
    mode: 'browser',
    version: 'test',
    emit: <E extends EventName>(name: E, payload: EventPayloads[E]) => {
      if (name === 'schemas.changed') schemaEvents.push(payload as SchemaFileInfo[])
    },
    emitTo: <E extends EventName>(_peer: string, name: E, payload: EventPayloads[E]) => {
      if (name === 'tree.view') frames.push(payload as TreeViewFrame)
    },
  })
  const call = async <M extends MethodName>(method: M, params?: MethodParams<M>): Promise<MethodResult<M>> => {
    const handler = service.handlers[method] as (p: unknown, c: { peerId: string }) => Promise<MethodResult<M>>
    return handler(methods[method].parse(params ?? undefined), { peerId: 'window-1' })
  }
  const fail = async <M extends MethodName>(method: M, params?: MethodParams<M>): Promise<ApiError> => {
    try {
      await call(method, params)
    } catch (err) {
      if (err instanceof ApiError) return err
      throw err
    }
    throw new Error(`${method} succeeded where it should fail`)
  }
  const run = { service, schemaEvents, frames, call, fail }
  running.push(run)
  return run
}

async function stop(run: Running): Promise<void> {
  running.splice(running.indexOf(run), 1)
  await run.service.close()
}

async function stored(run: Running, connectionId: string, path: string): Promise<void> {
  await waitUntil(`a message on ${path}`, async () => ((await run.call('tree.topic.history', { connectionId, path, limit: 1, maxPayloadBytes: 1 })).length > 0 ? true : undefined), 30_000)
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mqtts-inspect-schemas-'))
  broker = await startMosquitto({ listeners: [{}] })
  publisher = await mqtt.connectAsync({ host: '127.0.0.1', port: broker.port, protocolVersion: 5, clientId: 'inspect-rules-publisher', reconnectPeriod: 0 })
}, 60_000)

afterAll(async () => {
  await publisher?.endAsync()
  for (const run of [...running]) await stop(run)
  await broker?.stop()
  await rm(root, { recursive: true, force: true })
})

describe('schema files through the service', () => {
  it('stores, lists, refuses a conflict, deletes, announces every change, and keeps the files across a restart', async () => {
    const dataDir = join(root, 'schemas-restart')
    const first = await start(dataDir)
    expect(await first.call('schemas.list')).toEqual([])
    // A .proto whose import is not there yet is kept with its error (with any compiler).
    const waiting = await first.call('schemas.import', { name: 'telemetry.proto', text: 'syntax = "proto3";\nimport "units.proto";\npackage plant;\nmessage Telemetry { plant.Unit unit = 1; }\n' })
    expect(waiting).toMatchObject({ name: 'telemetry.proto', kind: 'proto', error: expect.any(String) })
    expect(first.schemaEvents.at(-1)?.map((f) => f.name)).toEqual(['telemetry.proto'])
    const conflict = await first.fail('schemas.import', { name: 'telemetry.proto', text: 'import "units.proto";' })
    expect(conflict.code).toBe('SCHEMA_CONFLICT')
    await first.call('schemas.import', { name: 'second.proto', text: 'import "nothing-yet.proto";\n' })
    expect(await readdir(join(dataDir, 'schemas'))).toEqual(['second.proto', 'telemetry.proto'])
    expect(await first.call('schemas.delete', { name: 'second.proto' })).toEqual({ deleted: true })
    expect(first.schemaEvents.at(-1)?.map((f) => f.name)).toEqual(['telemetry.proto'])
    expect((await first.fail('schemas.delete', { name: 'second.proto' })).code).toBe('NOT_FOUND')
    await stop(first)

    const second = await start(dataDir)
    expect((await second.call('schemas.list')).map((f) => [f.name, f.kind])).toEqual([['telemetry.proto', 'proto']])
    await stop(second)
  })

  it('refuses a file that does not compile with SCHEMA_BAD_FILE and a sentence, and stores nothing', async () => {
    const run = await start(join(root, 'schemas-bad'))
    const bad = await run.fail('schemas.import', { name: 'bad.proto', text: 'message {{{ this is not protobuf' })
    expect(bad.code).toBe('SCHEMA_BAD_FILE')
    expect(bad.message).toMatch(/^bad\.proto does not compile: .+\. Fix the file and import it again\.$/)
    expect(await run.call('schemas.list')).toEqual([])
    await stop(run)
  })

  it.skipIf(!realCompiler)('[real decoders] imports a .proto from a message, lists its types, and clears the error of the file that waited for it', async () => {
    const run = await start(join(root, 'schemas-message'))
    const profile = await run.call('profiles.create', { spec: { name: 'schemas', scheme: 'mqtt', host: '127.0.0.1', port: broker.port, reconnect: { enabled: false }, subscriptions: [{ filter: 'schemas/#', qos: 1 }] } })
    await run.call('connections.connect', { profileId: profile.id })
    await run.call('schemas.import', { name: 'telemetry.proto', text: 'syntax = "proto3";\nimport "units.proto";\npackage plant;\nmessage Telemetry { plant.Unit unit = 1; }\n' })
    await publisher.publishAsync('schemas/units.proto', 'syntax = "proto3";\npackage plant;\nmessage Unit { string name = 1; }\n', { qos: 1, retain: true })
    await stored(run, profile.id, 'schemas/units.proto')
    const decoded = await run.call('inspect.decode', { message: { connectionId: profile.id, path: 'schemas/units.proto' } })
    expect(decoded.schemaOffer).toEqual({ name: 'units.proto' })
    const units = await run.call('schemas.importMessage', { message: { connectionId: profile.id, path: 'schemas/units.proto' }, name: 'units.proto' })
    expect(units).toMatchObject({ name: 'units.proto', types: ['plant.Unit'], error: null })
    expect((await run.call('schemas.list')).find((f) => f.name === 'telemetry.proto')).toMatchObject({ error: null, types: ['plant.Telemetry'] })
    await publisher.publishAsync('schemas/units.proto', '', { qos: 1, retain: true })
    await stop(run)
  })
})

describe('decoder rules', () => {
  const rules: DecoderRule[] = [
    { filter: 'ruled/+/cbor', decoder: 'cbor' },
    { filter: 'ruled/hex/#', decoder: 'hex' },
    { filter: 'ruled/proto', decoder: 'protobuf', protobufType: 'plant.Telemetry' },
  ]
  const TELEMETRY_PROTO = 'syntax = "proto3";\npackage plant;\nmessage Telemetry { double temp = 1; }\n'

  async function exportRuled(dataDir: string): Promise<string> {
    const source = await start(dataDir)
    await source.call('profiles.create', { spec: { name: 'ruled', scheme: 'mqtt', host: '127.0.0.1', port: broker.port, reconnect: { enabled: false }, subscriptions: [{ filter: 'ruled/#', qos: 1 }], decoderRules: rules } })
    const exported = await source.call('profiles.export', {})
    await stop(source)
    return exported.text
  }

  it('are exported and imported with their profile', async () => {
    const source = await start(join(root, 'rules-source'))
    await source.call('profiles.create', { spec: { name: 'ruled', scheme: 'mqtt', host: '127.0.0.1', port: broker.port, reconnect: { enabled: false }, subscriptions: [{ filter: 'ruled/#', qos: 1 }], decoderRules: rules } })
    const exported = await source.call('profiles.export', {})
    expect(JSON.parse(exported.text).profiles.find((p: { name: string }) => p.name === 'ruled').decoderRules).toEqual(rules)
    await stop(source)

    const target = await start(join(root, 'rules-target'))
    const result = await target.call('profiles.import', { fileName: 'profiles.json', text: exported.text, onConflict: { all: 'keep-both' } })
    const imported = result.profiles.find((p) => p.name === 'ruled')
    expect(imported?.decoderRules).toEqual(rules)
    // Schema files stay with the install: the import says which one the rules need.
    expect(result.warnings).toContain('"ruled": its decoder rule for ruled/proto needs the Protobuf type plant.Telemetry, which no imported schema file defines; import its .proto to decode those messages (until then they show without a schema).')
    expect((await target.call('profiles.list')).find((p) => p.id === imported?.id)?.decoderRules).toEqual(rules)
    await stop(target)
  })

  it.skipIf(!realCompiler)('[real decoders] warn about no schema the install already has', async () => {
    const text = await exportRuled(join(root, 'rules-warn-source'))
    const target = await start(join(root, 'rules-warn-target'))
    await target.call('schemas.import', { name: 'telemetry.proto', text: TELEMETRY_PROTO })
    const result = await target.call('profiles.import', { fileName: 'profiles.json', text, onConflict: { all: 'keep-both' } })
    expect(result.profiles.map((p) => p.name)).toEqual(['ruled'])
    expect(result.warnings.filter((w) => w.includes('decoder rule'))).toEqual([])
    await stop(target)
  })

  it.skipIf(!realDecoders)('[real decoders] apply to the imported profile’s inspector and tree previews, and follow an edit', async () => {
    const source = await start(join(root, 'rules-apply-source'))
    await source.call('profiles.create', { spec: { name: 'ruled', scheme: 'mqtt', host: '127.0.0.1', port: broker.port, reconnect: { enabled: false }, subscriptions: [{ filter: 'ruled/#', qos: 1 }], decoderRules: rules } })
    const exported = await source.call('profiles.export', {})
    await stop(source)
    const run = await start(join(root, 'rules-apply-target'))
    const profile = (await run.call('profiles.import', { fileName: 'profiles.json', text: exported.text, onConflict: { all: 'keep-both' } })).profiles.find((p) => p.name === 'ruled')
    if (profile === undefined) throw new Error('the profile was not imported')
    await run.call('connections.connect', { profileId: profile.id })

    const cbor = Buffer.from(cborEncode({ temp: 21.5 }))
    await publisher.publishAsync('ruled/line1/cbor', cbor, { qos: 1 })
    await publisher.publishAsync('ruled/hex/json', '{"a":1}', { qos: 1 })
    await stored(run, profile.id, 'ruled/line1/cbor')
    await stored(run, profile.id, 'ruled/hex/json')
    const decoded = await run.call('inspect.decode', { message: { connectionId: profile.id, path: 'ruled/line1/cbor' } })
    expect(decoded.layers.map((l) => l.decoder)).toContain('cbor')
    expect(decoded.reason).toMatch(/rule/)
    expect(decoded.view).toMatchObject({ kind: 'text', language: 'json' })
    if (decoded.view.kind === 'text') expect(JSON.parse(decoded.view.firstPage.text)).toEqual({ temp: 21.5 })
    const hex = await run.call('inspect.decode', { message: { connectionId: profile.id, path: 'ruled/hex/json' } })
    expect(hex.view).toEqual({ kind: 'hex', totalBytes: 7 })

    // The tree's row for the ruled topic shows the decoded preview.
    const view = await run.call('tree.view.open', { connectionId: profile.id, expanded: ['ruled', 'ruled/line1'] })
    const row = view.rows.find((r) => r.path === 'ruled/line1/cbor')
    expect(row?.preview).toMatch(/temp/)
    await run.call('tree.view.close', { viewId: view.viewId })

    // An edit that drops the rules: the JSON payload is detected as JSON again.
    const { id: _id, createdAt: _c, updatedAt: _u, builtin: _b, ...spec } = profile
    await run.call('profiles.update', { id: profile.id, spec: { ...spec, decoderRules: [] } })
    const unruled = await run.call('inspect.decode', { message: { connectionId: profile.id, path: 'ruled/hex/json' } })
    expect(unruled.detected).toBe('json')
    expect(unruled.view.kind).toBe('text')
    await stop(run)
  })
})
