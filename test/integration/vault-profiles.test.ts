/**
 * Profiles that use vault items, through the whole service (createService, as both shells run
 * it) against a real mosquitto with mutual TLS and a password, and the real gnome-keyring.
 * A second createService on the same data folder is a restart of the app.
 */
import { createPrivateKey } from 'node:crypto'
import { watch } from 'node:fs'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ApiError, type EventName, type EventPayloads, type MethodParams, type MethodResult, type MethodName, type Profile, type ProfileSpecInput, type VaultSnapshot } from '../../electron/api'
import { createService, type Service } from '../../electron/core/service'
import { readConfig } from '../../electron/core/vault/vault-config'
import { deleteKeychainEntry, requireSecretService } from '../fixtures/keyring'
import { startMosquitto, type MosquittoBroker } from '../fixtures/mosquitto'
import { generateTestPki, TEST_PASSPHRASE_LIST, TEST_PASSPHRASES, type TestPki } from '../fixtures/pki'

const USER = 'plant-operator'
const PASSWORD = 'broker-Pa55-word-9'
const EXPORT_PASSPHRASE = 'export-passphrase-42'

let pki: TestPki
let broker: MosquittoBroker
const dirs: string[] = []
const services: Service[] = []

interface App {
  dir: string
  service: Service
  events: Array<{ name: EventName; payload: unknown }>
  call<M extends MethodName>(method: M, params?: MethodParams<M>): Promise<MethodResult<M>>
}

/** Starts the service on `dir` (a new temp folder by default), as the app does at launch. */
async function startApp(dir?: string): Promise<App> {
  const dataDir = dir ?? (await mkdtemp(join(tmpdir(), 'mqtts-vault-app-')))
  if (!dir) dirs.push(dataDir)
  const events: App['events'] = []
  const service = await createService({
    dataDir,
    mode: 'browser',
    version: 'test',
    emit: <E extends EventName>(name: E, payload: EventPayloads[E]) => void events.push({ name, payload }),
  })
  services.push(service)
  const call = async <M extends MethodName>(method: M, params?: MethodParams<M>): Promise<MethodResult<M>> => {
    const { methods } = await import('../../electron/api')
    const parsed = methods[method].parse(params ?? undefined)
    const handler = service.handlers[method] as (p: unknown, c: { peerId: string }) => Promise<MethodResult<M>>
    return handler(parsed, { peerId: 'test' })
  }
  return { dir: dataDir, service, events, call }
}

async function stopApp(app: App): Promise<void> {
  await app.service.close()
  services.splice(services.indexOf(app.service), 1)
}

const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64')

function mtlsSpec(name: string, extra: Partial<ProfileSpecInput> = {}): ProfileSpecInput {
  return { name, scheme: 'mqtts', host: '127.0.0.1', port: broker.ports.mtls, username: USER, ...extra }
}

async function rejection(promise: Promise<unknown>): Promise<ApiError> {
  const err = await promise.then(() => null, (e: unknown) => e)
  expect(err).toBeInstanceOf(ApiError)
  return err as ApiError
}

/** Imports the CA and the client PKCS#12 and stores the password, as the Certificates view does. */
async function vaultProfile(app: App, name: string): Promise<Profile> {
  const [ca] = await app.call('vault.import', { files: [{ name: 'root-ca.crt', dataBase64: b64(pki.root.cert.pem) }] })
  const [identity] = await app.call('vault.import', { files: [{ name: 'client.p12', dataBase64: pki.client.p12.base64 }], passphrase: TEST_PASSPHRASES.pkcs12 })
  const password = await app.call('vault.storeSecret', { kind: 'password', name: `Password for ${name}`, value: PASSWORD })
  expect([ca.kind, identity.kind]).toEqual(['ca-bundle', 'client-identity'])
  return app.call('profiles.create', {
    spec: mtlsSpec(name, { passwordItemId: password.id, tls: { caItemIds: [ca.id], identityItemId: identity.id, useSystemRoots: false } }),
  })
}

async function connectAndDisconnect(app: App, profileId: string): Promise<void> {
  const state = await app.call('connections.connect', { profileId, secrets: {} })
  expect(state.status).toBe('connected')
  await app.call('connections.disconnect', { connectionId: profileId })
}

/** Every file under `dir` with its bytes. */
async function filesUnder(dir: string): Promise<Array<{ path: string; bytes: Buffer }>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  const files = entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name))
  return Promise.all(files.map(async (path) => ({ path, bytes: await readFile(path) })))
}

beforeAll(async () => {
  await requireSecretService()
  pki = await generateTestPki()
  broker = await startMosquitto({
    users: { [USER]: PASSWORD },
    listeners: [{ name: 'mtls', tls: { cafile: pki.caBundle.path, certfile: pki.server.chain.path, keyfile: pki.server.key.path, requireCertificate: true } }],
  })
}, 60_000)

afterAll(async () => {
  for (const service of services.splice(0)) await service.close()
  for (const dir of dirs) {
    const config = await readConfig(join(dir, 'vault')).catch(() => null)
    if (config) await deleteKeychainEntry(config.installId).catch(() => false)
    await rm(dir, { recursive: true, force: true })
  }
  await broker?.stop()
  await pki?.cleanup()
})

describe('profiles that use vault items', () => {
  it('connects with a vault CA, client identity and password, and again after a restart with no secrets passed', async () => {
    const app = await startApp()
    const profile = await vaultProfile(app, 'Plant via vault')
    await connectAndDisconnect(app, profile.id)

    const snapshot = app.events.filter((e) => e.name === 'vault.changed').at(-1)?.payload as VaultSnapshot
    expect(snapshot.status.state).toBe('ready')
    expect(snapshot.items.find((i) => i.kind === 'client-identity')?.usedBy).toEqual([{ profileId: profile.id, name: 'Plant via vault' }])

    await stopApp(app)
    const again = await startApp(app.dir)
    expect((await again.call('vault.status')).status.state).toBe('ready')
    await connectAndDisconnect(again, profile.id)
    await stopApp(again)
  }, 60_000)

  it('leaves no PEM, key bytes, passwords or passphrases in any file of the data folder after importing and connecting', async () => {
    const app = await startApp()
    const profile = await vaultProfile(app, 'Scan me')
    // A PEM identity too (cert + encrypted key), so both import paths are covered.
    await app.call('vault.import', {
      files: [
        { name: 'client.crt', dataBase64: b64(pki.client.chain.pem) },
        { name: 'client.key', dataBase64: b64(pki.client.encryptedKey.pem) },
      ],
      passphrase: TEST_PASSPHRASES.clientKey,
    })
    await connectAndDisconnect(app, profile.id)
    await stopApp(app)

    const keyDer = createPrivateKey(pki.client.key.pem).export({ type: 'pkcs8', format: 'der' })
    const needles: Array<[string, Buffer]> = [
      ['a PEM marker', Buffer.from('-----BEGIN')],
      ['the private key (DER)', keyDer],
      ['the private key (base64)', Buffer.from(keyDer.toString('base64').slice(0, 60))],
      ['the PEM key body', Buffer.from(pki.client.key.pem.split('\n')[1])],
      ['the broker password', Buffer.from(PASSWORD)],
      ...TEST_PASSPHRASE_LIST.map((p): [string, Buffer] => ['a passphrase', Buffer.from(p)]),
    ]
    const files = await filesUnder(app.dir)
    expect(files.some((f) => f.path.endsWith('profiles.json'))).toBe(true)
    expect(files.filter((f) => f.path.includes(join('vault', 'items'))).length).toBeGreaterThanOrEqual(3)
    for (const file of files) {
      for (const [what, needle] of needles) expect(file.bytes.includes(needle), `${file.path} holds ${what}`).toBe(false)
    }
  }, 60_000)

  it('warns before deleting an item a profile uses, naming the profile', async () => {
    const app = await startApp()
    const profile = await vaultProfile(app, 'Uses the CA')
    const caId = profile.tls.caItemIds[0]
    const err = await rejection(app.call('vault.delete', { id: caId }))
    expect(err.code).toBe('VAULT_ITEM_IN_USE')
    expect(err.message).toContain('"Uses the CA"')
    expect((await app.call('vault.list')).some((i) => i.id === caId)).toBe(true)

    await app.call('vault.delete', { id: caId, force: true })
    const missing = await rejection(app.call('connections.connect', { profileId: profile.id, secrets: {} }))
    expect(missing.code).toBe('SECRET_MISSING')
    await stopApp(app)
  }, 60_000)
})

describe('exporting and importing profiles', () => {
  it('moves profiles with their secrets under a passphrase, and refuses a wrong passphrase without importing anything', async () => {
    const source = await startApp()
    await vaultProfile(source, 'Exported with secrets')
    const exported = await source.call('profiles.export', { includeSecrets: true, passphrase: EXPORT_PASSPHRASE })
    expect(exported.profileCount).toBe(1)
    // Passwords and keys are sealed; only the public CA certificate is readable.
    expect(exported.text).not.toContain(PASSWORD)
    expect(exported.text).not.toContain('PRIVATE KEY')
    await stopApp(source)

    const target = await startApp()
    const wrong = await rejection(target.call('profiles.import', { fileName: 'profiles.json', text: exported.text, passphrase: 'not the passphrase' }))
    expect(wrong.code).toBe('PROFILES_WRONG_PASSPHRASE')
    expect((await target.call('profiles.list')).filter((p) => !p.builtin)).toEqual([])
    expect(await target.call('vault.list')).toEqual([])

    const result = await target.call('profiles.import', { fileName: 'profiles.json', text: exported.text, passphrase: EXPORT_PASSPHRASE })
    expect(result).toMatchObject({ format: 'mqtts-explorer', itemCount: 3, warnings: [] })
    await connectAndDisconnect(target, result.profiles[0].id)
    await stopApp(target)
  }, 90_000)

  it('moves profiles without secrets: the CA comes along, the identity and password are left to pick again', async () => {
    const source = await startApp()
    await vaultProfile(source, 'Exported bare')
    const exported = await source.call('profiles.export', { includeSecrets: false })
    expect(exported.text).not.toContain(PASSWORD)
    expect(JSON.parse(exported.text).secrets).toBeNull()
    await stopApp(source)

    const target = await startApp()
    const result = await target.call('profiles.import', { fileName: 'profiles.json', text: exported.text })
    const [profile] = result.profiles
    expect(profile).toMatchObject({ name: 'Exported bare', username: USER })
    expect(profile.tls.caItemIds).toHaveLength(1)
    expect(profile.tls.identityItemId).toBeUndefined()
    expect(profile.passwordItemId).toBeUndefined()
    const items = await target.call('vault.list')
    expect(items.map((i) => i.kind)).toEqual(['ca-bundle'])
    // Without the client certificate mosquitto refuses the handshake: the import is honest about what it brought.
    await expect(target.call('connections.connect', { profileId: profile.id, secrets: { password: PASSWORD } })).rejects.toBeInstanceOf(ApiError)
    await stopApp(target)
  }, 90_000)

  it("imports MQTTX's JSON export (file paths and inline PEM) into working profiles with vault items", async () => {
    const app = await startApp()
    const common = {
      clientId: 'mqttx_5d0f1a2b', clean: true, protocol: 'mqtts', host: '127.0.0.1', port: broker.ports.mtls, keepalive: 60,
      connectTimeout: 10, reconnect: true, username: USER, password: PASSWORD, path: '/mqtt', certType: 'self', ssl: true,
      mqttVersion: '5.0', rejectUnauthorized: true, subscriptions: [{ topic: 'plant/#', qos: 1, createAt: '2024-05-01 10:00:00' }],
      messages: [], unreadMessageCount: 0, createAt: '2024-05-01 10:00:00', updateAt: '2024-05-01 10:00:00',
      will: { lastWillTopic: '', lastWillPayload: '', lastWillQos: 0, lastWillRetain: false, properties: {} },
      properties: { sessionExpiryInterval: 0 },
    }
    const file = [
      { ...common, id: 'a1b2c3', name: 'MQTTX by path', ca: pki.root.cert.path, cert: pki.client.cert.path, key: pki.client.key.path },
      {
        id: 'col1', name: 'Lab', isCollection: true,
        children: [{ ...common, id: 'd4e5f6', name: 'MQTTX inline', ca: pki.root.cert.pem, cert: pki.client.chain.pem, key: pki.client.key.pem }],
      },
      { ...common, id: 'g7h8', name: 'MQTTX missing file', ca: '/nonexistent/ca.crt', cert: '', key: '', password: '' },
    ]
    const result = await app.call('profiles.import', { fileName: 'mqttx-export.json', text: JSON.stringify(file, null, 2) })
    expect(result.format).toBe('mqttx')
    expect(result.profiles.map((p) => p.name)).toEqual(['MQTTX by path', 'MQTTX inline', 'MQTTX missing file'])
    expect(result.warnings.join(' ')).toContain('/nonexistent/ca.crt')
    const [byPath, inline] = result.profiles
    expect(byPath).toMatchObject({ protocolVersion: 5, connectTimeoutMs: 10_000, subscriptions: [{ filter: 'plant/#', qos: 1 }] })
    // The same CA twice is one vault item.
    expect(inline.tls.caItemIds).toEqual(byPath.tls.caItemIds)
    await connectAndDisconnect(app, byPath.id)
    await connectAndDisconnect(app, inline.id)
    await stopApp(app)
  }, 90_000)

  it("imports MQTT Explorer's settings.json: base64 certificates become vault items and the profile connects", async () => {
    const app = await startApp()
    const settings = {
      ConnectionManager_connections: {
        'test.mosquitto.org': {
          configVersion: 1, certValidation: true, clientId: 'mqtt-explorer-1a2b3c4d', id: 'test.mosquitto.org', name: 'test.mosquitto.org',
          encryption: false, subscriptions: [{ topic: '#', qos: 0 }, { topic: '$SYS/#', qos: 0 }], type: 'mqtt', host: 'test.mosquitto.org', port: 1883, protocol: 'mqtt', order: 1,
        },
        '7c9e6679-7425-40de-944b-e07fc1f90ae7': {
          configVersion: 1, certValidation: true, clientId: 'mqtt-explorer-5e6f7a8b', id: '7c9e6679-7425-40de-944b-e07fc1f90ae7', name: 'Plant (MQTT Explorer)',
          encryption: true, username: USER, password: PASSWORD, subscriptions: [{ topic: 'plant/#', qos: 0 }], type: 'mqtt', host: '127.0.0.1', port: broker.ports.mtls,
          protocol: 'mqtt', order: 2,
          selfSignedCertificate: { name: 'root-ca.crt', data: b64(pki.root.cert.pem) },
          clientCertificate: { name: 'client.crt', data: b64(pki.client.chain.pem) },
          clientKey: { name: 'client.key', data: b64(pki.client.key.pem) },
        },
      },
      Settings_theme: 'dark',
    }
    const result = await app.call('profiles.import', { fileName: 'settings.json', text: JSON.stringify(settings) })
    expect(result.format).toBe('mqtt-explorer')
    const plant = result.profiles.find((p) => p.name === 'Plant (MQTT Explorer)')!
    expect(plant).toMatchObject({ scheme: 'mqtts', protocolVersion: 4, username: USER, subscriptions: [{ filter: 'plant/#', qos: 0 }] })
    expect(plant.tls.caItemIds).toHaveLength(1)
    expect(plant.tls.identityItemId).toBeDefined()
    expect(plant.passwordItemId).toBeDefined()
    expect(JSON.stringify(plant)).not.toContain(PASSWORD)
    expect(result.profiles.find((p) => p.name === 'test.mosquitto.org')).toMatchObject({ scheme: 'mqtt', port: 1883 })
    await connectAndDisconnect(app, plant.id)
    await stopApp(app)
  }, 90_000)

  it('names the file when it is not a profiles file, and imports nothing', async () => {
    const app = await startApp()
    const notJson = await rejection(app.call('profiles.import', { fileName: 'notes.txt', text: 'hello' }))
    expect(notJson).toMatchObject({ code: 'PROFILES_BAD_FILE' })
    expect(notJson.message).toContain('notes.txt')
    const other = await rejection(app.call('profiles.import', { fileName: 'package.json', text: '{"name":"x","version":"1.0.0"}' }))
    expect(other.code).toBe('PROFILES_BAD_FILE')
    expect((await app.call('profiles.list')).filter((p) => !p.builtin)).toEqual([])
    await stopApp(app)
  })
})

/** Watches the vault's item folder; `written()` is every item file that appeared, once all events so far have arrived. */
async function watchItems(app: App): Promise<{ written(): Promise<string[]>; close(): void }> {
  const dir = join(app.dir, 'vault', 'items')
  const seen = new Set<string>()
  let sentinelSeen: (() => void) | null = null
  const watcher = watch(dir, (_event, name) => {
    if (!name) return
    if (name.startsWith('sentinel-')) sentinelSeen?.()
    const id = /^([a-z0-9-]{8,64})\.json$/.exec(name)?.[1]
    if (id) seen.add(id)
  })
  return {
    async written() {
      // inotify delivers in order: once our own sentinel is seen, every earlier write has been too.
      let deadline: NodeJS.Timeout | undefined
      const arrived = new Promise<void>((resolve, reject) => {
        sentinelSeen = resolve
        deadline = setTimeout(() => reject(new Error('the item folder watcher never saw the sentinel file')), 10_000)
      })
      await writeFile(join(dir, `sentinel-${Date.now()}`), '')
      await arrived.finally(() => clearTimeout(deadline))
      return [...seen]
    },
    close: () => watcher.close(),
  }
}

async function userProfiles(app: App): Promise<Profile[]> {
  return (await app.call('profiles.list')).filter((p) => !p.builtin)
}

describe('importing what is already there', () => {
  it('asks before touching a profile that exists: the preview names the conflicts and an import without a choice changes nothing', async () => {
    const app = await startApp()
    const lab = await vaultProfile(app, 'lab-client')
    const exported = await app.call('profiles.export', { includeSecrets: true, passphrase: EXPORT_PASSPHRASE })
    const before = { profiles: await userProfiles(app), items: await app.call('vault.list') }

    const preview = await app.call('profiles.importPreview', { fileName: 'profiles.json', text: exported.text })
    expect(preview).toMatchObject({ format: 'mqtts-explorer', needsPassphrase: true, profiles: [{ index: 0, name: 'lab-client' }] })
    expect(preview.conflicts).toEqual([{ index: 0, name: 'lab-client', existingId: lab.id, existingName: 'lab-client', match: 'id', builtin: false }])

    const refused = await rejection(app.call('profiles.import', { fileName: 'profiles.json', text: exported.text, passphrase: EXPORT_PASSPHRASE }))
    expect(refused.code).toBe('PROFILES_IMPORT_CONFLICT')
    expect(refused.message).toContain('"lab-client"')
    expect(await userProfiles(app)).toEqual(before.profiles)
    expect(await app.call('vault.list')).toEqual(before.items)
    await stopApp(app)
  }, 60_000)

  it('skip: importing its own export again leaves every profile and vault item as it was, and writes nothing', async () => {
    const app = await startApp()
    await vaultProfile(app, 'lab-client')
    await app.call('profiles.create', { spec: { name: 'plain', scheme: 'mqtt', host: '127.0.0.1', port: 1883 } })
    const exported = await app.call('profiles.export', { includeSecrets: true, passphrase: EXPORT_PASSPHRASE })
    const before = { profiles: await userProfiles(app), items: await app.call('vault.list') }

    const watcher = await watchItems(app)
    const result = await app.call('profiles.import', { fileName: 'profiles.json', text: exported.text, passphrase: EXPORT_PASSPHRASE, onConflict: { all: 'skip' } })
    const written = await watcher.written()
    watcher.close()
    expect(result).toMatchObject({ profiles: [], replaced: [], skipped: ['lab-client', 'plain'], itemCount: 0 })
    expect(await userProfiles(app)).toEqual(before.profiles)
    expect(await app.call('vault.list')).toEqual(before.items)
    expect(written).toEqual([])
    await stopApp(app)
  }, 60_000)

  it("replace: the same profiles (same ids, same names) take the file's settings, reusing the vault items", async () => {
    const app = await startApp()
    const lab = await vaultProfile(app, 'lab-client')
    const exported = await app.call('profiles.export', { includeSecrets: true, passphrase: EXPORT_PASSPHRASE })
    const doc = JSON.parse(exported.text)
    doc.profiles[0].keepalive = 17
    const itemsBefore = await app.call('vault.list')

    const watcher = await watchItems(app)
    const result = await app.call('profiles.import', { fileName: 'profiles.json', text: JSON.stringify(doc), passphrase: EXPORT_PASSPHRASE, onConflict: { each: [{ index: 0, choice: 'replace' }] } })
    const written = await watcher.written()
    watcher.close()
    expect(result.profiles).toEqual([])
    expect(result.replaced.map((p) => [p.id, p.name, p.keepalive])).toEqual([[lab.id, 'lab-client', 17]])
    const [after] = await userProfiles(app)
    expect(after).toMatchObject({ id: lab.id, name: 'lab-client', keepalive: 17, createdAt: lab.createdAt })
    // The CA and the identity are the ones already there; the password is updated in place.
    expect(after.tls).toMatchObject({ caItemIds: lab.tls.caItemIds, identityItemId: lab.tls.identityItemId })
    expect(after.passwordItemId).toBe(lab.passwordItemId)
    expect((await app.call('vault.list')).map((i) => i.id).sort()).toEqual(itemsBefore.map((i) => i.id).sort())
    expect(written.filter((id) => !itemsBefore.some((i) => i.id === id))).toEqual([])
    await connectAndDisconnect(app, lab.id)
    await stopApp(app)
  }, 60_000)

  it('replace: a password item another profile shares is left alone; the replaced profile gets its own', async () => {
    const app = await startApp()
    const lab = await vaultProfile(app, 'lab-client')
    const exported = await app.call('profiles.export', { includeSecrets: true, passphrase: EXPORT_PASSPHRASE })
    const sibling = await app.call('profiles.create', { spec: mtlsSpec('sibling', { passwordItemId: lab.passwordItemId, tls: lab.tls }) })
    const sharedBefore = (await app.call('vault.list')).find((i) => i.id === lab.passwordItemId)

    await app.call('profiles.import', { fileName: 'profiles.json', text: exported.text, passphrase: EXPORT_PASSPHRASE, onConflict: { all: 'replace' } })
    const after = (await userProfiles(app)).find((p) => p.id === lab.id)!
    // Rewriting the shared item in place would hand the file's password (and name) to "sibling" too.
    expect(after.passwordItemId).toBeDefined()
    expect(after.passwordItemId).not.toBe(lab.passwordItemId)
    expect((await userProfiles(app)).find((p) => p.id === sibling.id)?.passwordItemId).toBe(lab.passwordItemId)
    // The shared item itself is untouched (same name, same write time); only lab-client stopped using it.
    expect((await app.call('vault.list')).find((i) => i.id === lab.passwordItemId)).toEqual({ ...sharedBefore, usedBy: [{ profileId: sibling.id, name: 'sibling' }] })
    await connectAndDisconnect(app, lab.id)
    await connectAndDisconnect(app, sibling.id)
    await stopApp(app)
  }, 60_000)

  it('keep both: each copy is named "… (2)", then "… (3)", and shares the certificates already in the vault', async () => {
    const app = await startApp()
    const lab = await vaultProfile(app, 'lab-client')
    const exported = await app.call('profiles.export', { includeSecrets: true, passphrase: EXPORT_PASSPHRASE })
    const certItems = (await app.call('vault.list')).filter((i) => i.kind !== 'password')

    const second = await app.call('profiles.import', { fileName: 'profiles.json', text: exported.text, passphrase: EXPORT_PASSPHRASE, onConflict: { all: 'keep-both' } })
    const third = await app.call('profiles.import', { fileName: 'profiles.json', text: exported.text, passphrase: EXPORT_PASSPHRASE, onConflict: { all: 'keep-both' } })
    expect([...second.profiles, ...third.profiles].map((p) => p.name)).toEqual(['lab-client (2)', 'lab-client (3)'])
    const all = await userProfiles(app)
    expect(all.map((p) => p.name)).toEqual(['lab-client', 'lab-client (2)', 'lab-client (3)'])
    expect(new Set(all.map((p) => p.id)).size).toBe(3)
    expect(all.find((p) => p.id === lab.id)?.name).toBe('lab-client')
    for (const copy of all) expect(copy.tls).toMatchObject({ caItemIds: lab.tls.caItemIds, identityItemId: lab.tls.identityItemId })
    expect((await app.call('vault.list')).filter((i) => i.kind !== 'password').map((i) => i.id).sort()).toEqual(certItems.map((i) => i.id).sort())
    await connectAndDisconnect(app, third.profiles[0].id)
    await stopApp(app)
  }, 60_000)

  it('recognises one client identity and its CA imported four ways (a file, its own export, MQTTX, MQTT Explorer) and keeps one item of each', async () => {
    // The export comes from another install, so only the certificates tie it to what is here.
    const source = await startApp()
    await vaultProfile(source, 'lab-client from export')
    const exported = await source.call('profiles.export', { includeSecrets: true, passphrase: EXPORT_PASSPHRASE })
    await stopApp(source)

    const app = await startApp()
    // A plain file import of the leaf alone first: later imports carry the intermediate as well.
    const [leafOnly] = await app.call('vault.import', { files: [{ name: 'client.crt', dataBase64: b64(pki.client.cert.pem) }, { name: 'client.key', dataBase64: b64(pki.client.key.pem) }] })
    const [ca] = await app.call('vault.import', { files: [{ name: 'root-ca.crt', dataBase64: b64(pki.root.cert.pem) }] })
    expect(leafOnly.certificates).toHaveLength(1)

    const watcher = await watchItems(app)
    const ours = await app.call('profiles.import', { fileName: 'profiles.json', text: exported.text, passphrase: EXPORT_PASSPHRASE })
    const mqttx = await app.call('profiles.import', {
      fileName: 'mqttx.json',
      text: JSON.stringify([{ id: 'x1', name: 'lab-client from MQTTX', clientId: 'mqttx_1', host: '127.0.0.1', port: broker.ports.mtls, protocol: 'mqtts', ssl: true, certType: 'self', mqttVersion: '5.0', username: USER, password: PASSWORD, ca: pki.root.cert.path, cert: pki.client.chain.path, key: pki.client.key.path }]),
    })
    const explorer = await app.call('profiles.import', {
      fileName: 'settings.json',
      text: JSON.stringify({
        ConnectionManager_connections: {
          lab: {
            configVersion: 1, type: 'mqtt', id: 'lab', name: 'lab-client from MQTT Explorer', host: '127.0.0.1', port: broker.ports.mtls, protocol: 'mqtt', encryption: true, certValidation: true,
            clientId: 'mqtt-explorer-1', username: USER, password: PASSWORD, subscriptions: [],
            selfSignedCertificate: { name: 'root-ca.crt', data: b64(pki.root.cert.pem) },
            clientCertificate: { name: 'client.crt', data: b64(pki.client.chain.pem) },
            clientKey: { name: 'client.key', data: b64(pki.client.key.pem) },
          },
        },
      }),
    })
    const written = await watcher.written()
    watcher.close()

    const items = await app.call('vault.list')
    const identities = items.filter((i) => i.kind === 'client-identity')
    const cas = items.filter((i) => i.kind === 'ca-bundle')
    expect(identities.map((i) => i.id)).toEqual([leafOnly.id])
    expect(cas.map((i) => i.id)).toEqual([ca.id])
    // The longer chain that came later completed the item in place.
    expect(identities[0].certificates.map((c) => c.subject)).toEqual([expect.stringContaining('test-client'), expect.stringContaining('Intermediate')])
    const profiles = [...ours.profiles, ...mqttx.profiles, ...explorer.profiles]
    expect(profiles).toHaveLength(3)
    for (const p of profiles) expect(p.tls).toMatchObject({ caItemIds: [ca.id], identityItemId: leafOnly.id })
    expect([ours, mqttx, explorer].map((r) => r.itemCount)).toEqual([1, 1, 1]) // a password each, nothing else new
    // Nothing was written and then taken back: every file that appeared is still an item.
    for (const id of written) expect(items.some((i) => i.id === id), `item ${id} was written and then deleted`).toBe(true)
    for (const p of profiles) await connectAndDisconnect(app, p.id)
    await stopApp(app)
  }, 120_000)
})
