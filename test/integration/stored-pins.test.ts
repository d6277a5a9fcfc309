/**
 * A damaged pin file through the whole service (createService, as both shells run it): it is
 * moved aside and reported like a damaged profiles file, and the Sandbox still connects, so
 * one bad file never blocks a connection or crashes the app.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { methods, type MethodName, type MethodParams, type MethodResult } from '../../electron/api'
import { createService, type Service } from '../../electron/core/service'
import { SANDBOX_PROFILE_ID } from '../../electron/core/sandbox/sandbox-broker'

let dir: string | undefined
let service: Service | undefined

afterEach(async () => {
  await service?.close()
  service = undefined
  if (dir) await rm(dir, { recursive: true, force: true })
  dir = undefined
})

async function call<M extends MethodName>(method: M, params?: MethodParams<M>): Promise<MethodResult<M>> {
  const parsed = methods[method].parse(params ?? undefined)
  const handler = service!.handlers[method] as (p: unknown, c: { peerId: string }) => Promise<MethodResult<M>>
  return handler(parsed, { peerId: 'test' })
}

const damaged: Array<[string, string]> = [
  ['an object without a pin map', JSON.stringify({ x: 5 })],
  ['a JSON array', JSON.stringify([{ kind: 'leaf', sha256: 'AA' }])],
  ['text that is not JSON', '{"version": 1, "pins": {"sandbox": {"kind": "le'],
  ['a pin without a fingerprint for the Sandbox', JSON.stringify({ version: 1, pins: { [SANDBOX_PROFILE_ID]: { kind: 'leaf' } } })],
]

describe('a damaged tls-pins.json', () => {
  it.each(damaged)('holding %s is moved aside and reported, and the Sandbox still connects', async (_label, text) => {
    dir = await mkdtemp(join(tmpdir(), 'mqtts-stored-pins-'))
    const dataDir = join(dir, 'data')
    await mkdir(dataDir, { recursive: true })
    await writeFile(join(dataDir, 'tls-pins.json'), text)

    service = await createService({ dataDir, mode: 'browser', version: 'test', emit: () => {} })

    const backup = (await readdir(dataDir)).find((n) => n.startsWith('tls-pins.json.corrupt-'))
    expect(backup, 'the damaged file is kept aside').toBeDefined()
    expect(await readFile(join(dataDir, backup!), 'utf8')).toBe(text)
    const { storageWarnings } = await call('app.info')
    const warning = storageWarnings.find((w) => w.includes('certificate pins'))
    expect(warning, storageWarnings.join('\n')).toContain(join(dataDir, backup!))

    expect(await call('tls.pinState', { profileId: SANDBOX_PROFILE_ID })).toBeNull()
    const state = await call('connections.connect', { profileId: SANDBOX_PROFILE_ID })
    expect(state.status).toBe('connected')
    await call('connections.disconnect', { connectionId: SANDBOX_PROFILE_ID })
  }, 60_000)
})
