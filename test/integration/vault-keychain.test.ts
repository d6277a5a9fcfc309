/**
 * The vault against the real gnome-keyring Secret Service (see test/fixtures/keyring.ts for
 * how the suite gets one). A new Vault instance on the same folder is a restart of the main side.
 */
import { execFile } from 'node:child_process'
import { createSecureContext } from 'node:tls'
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ApiError } from '../../electron/api/errors'
import { Vault } from '../../electron/core/vault/vault'
import { readConfig } from '../../electron/core/vault/vault-config'
import { deleteKeychainEntry, readKeychainEntry, requireSecretService } from '../fixtures/keyring'
import { TEST_PASSPHRASES } from '../fixtures/pki'
import { buildVaultInputs, type VaultInputs } from '../fixtures/vault-inputs'

const run = promisify(execFile)
let inputs: VaultInputs
const dirs: string[] = []
const installIds: string[] = []

beforeAll(async () => {
  await requireSecretService()
  inputs = await buildVaultInputs()
})
afterEach(async () => {
  for (const id of installIds.splice(0)) await deleteKeychainEntry(id).catch(() => false)
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true })
})
afterAll(async () => {
  await inputs?.cleanup()
})

async function freshVault(): Promise<{ dir: string; vault: Vault; installId: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'mqtts-vault-'))
  dirs.push(dir)
  const vault = await Vault.open(dir)
  const installId = (await readConfig(join(dir, 'vault')))!.installId
  installIds.push(installId)
  return { dir, vault, installId }
}

async function rejection(promise: Promise<unknown>): Promise<ApiError> {
  const err = await promise.then(() => null, (e: unknown) => e)
  expect(err).toBeInstanceOf(ApiError)
  return err as ApiError
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name))
}

describe('vault in the OS keychain', () => {
  it('creates a fresh data key in the keychain when there is none', async () => {
    const { vault, installId } = await freshVault()
    expect(vault.status()).toMatchObject({ state: 'ready', keySource: 'keychain', itemCount: 0 })
    const stored = await readKeychainEntry(installId)
    expect(Buffer.from(stored!, 'base64')).toHaveLength(32)
  })

  it('keeps items across a restart of the main side and deletes them', async () => {
    const { dir, vault } = await freshVault()
    const [ca] = await vault.importFiles([inputs.caBundle])
    const [identity] = await vault.importFiles([inputs.p12], { passphrase: TEST_PASSPHRASES.pkcs12 })
    const password = await vault.storeSecret('password', 'broker-pa55word', 'Broker login')
    vault.close()

    const restarted = await Vault.open(dir)
    expect(restarted.status().state).toBe('ready')
    const listed = await restarted.list()
    expect(listed.map((i) => [i.name, i.kind, i.status]).sort()).toEqual(
      [
        ['Broker login', 'password', 'ok'],
        ['ca-bundle.crt', 'ca-bundle', 'ok'],
        ['test-client', 'client-identity', 'ok'],
      ].sort(),
    )
    expect(await restarted.resolveSecret(password.id)).toBe('broker-pa55word')
    const tls = await restarted.resolveTlsMaterial([ca.id, identity.id])
    expect(tls.ca).toHaveLength(2)
    expect(tls.key).toMatch(/^-----BEGIN PRIVATE KEY-----/)
    // node:tls accepts what we hand it.
    expect(() => createSecureContext({ ca: tls.ca, cert: tls.cert, key: tls.key })).not.toThrow()

    await restarted.delete(identity.id)
    expect((await restarted.list()).map((i) => i.id)).not.toContain(identity.id)
    expect((await rejection(restarted.resolveTlsMaterial([identity.id]))).code).toBe('SECRET_MISSING')
  })

  it('stores a 10 KB secret and reads it back unchanged', async () => {
    const { dir, vault } = await freshVault()
    const big = 'x9Ä'.repeat(3500).slice(0, 10_240)
    const item = await vault.storeSecret('passphrase', big, 'Long one')
    vault.close()
    expect(await (await Vault.open(dir)).resolveSecret(item.id)).toBe(big)
  })

  it('writes item files 0600 in a 0700 folder', async () => {
    const { dir, vault } = await freshVault()
    const [item] = await vault.importFiles([inputs.caBundle])
    expect((await stat(join(dir, 'vault', 'items', `${item.id}.json`))).mode & 0o777).toBe(0o600)
    expect((await stat(join(dir, 'vault', 'items'))).mode & 0o777).toBe(0o700)
    expect((await stat(join(dir, 'vault'))).mode & 0o777).toBe(0o700)
  })

  it('reports an altered item file as damaged while the other items keep working', async () => {
    const { dir, vault } = await freshVault()
    const [ca] = await vault.importFiles([inputs.caBundle])
    const [identity] = await vault.importFiles([inputs.ecClient.cert, inputs.ecClient.pkcs8Key])
    const path = join(dir, 'vault', 'items', `${identity.id}.json`)
    const file = JSON.parse(await readFile(path, 'utf8'))
    const data = Buffer.from(file.secret.data, 'base64')
    data[5] ^= 0x01
    file.secret.data = data.toString('base64')
    await writeFile(path, JSON.stringify(file))

    const listed = await vault.list()
    expect(listed.find((i) => i.id === identity.id)).toMatchObject({ status: 'damaged', problem: expect.stringMatching(/altered/) })
    expect(listed.find((i) => i.id === ca.id)?.status).toBe('ok')
    expect((await rejection(vault.resolveTlsMaterial([identity.id]))).code).toBe('VAULT_ITEM_DAMAGED')
    expect((await vault.resolveTlsMaterial([ca.id])).ca).toHaveLength(2)

    // A renamed item in the metadata only is caught too, and a non-JSON file does not break the list.
    const caPath = join(dir, 'vault', 'items', `${ca.id}.json`)
    const caFile = JSON.parse(await readFile(caPath, 'utf8'))
    caFile.meta.name = 'Evil'
    await writeFile(caPath, JSON.stringify(caFile))
    await writeFile(join(dir, 'vault', 'items', '00000000-broken.json'), '{not json')
    const again = await vault.list()
    expect(again.find((i) => i.id === ca.id)?.status).toBe('damaged')
    expect(again.find((i) => i.id === '00000000-broken')?.status).toBe('damaged')
    await vault.delete('00000000-broken')
  })

  it('reports key-lost when the keychain entry is deleted behind its back, and recovers by reset and re-import', async () => {
    const { dir, vault, installId } = await freshVault()
    const [identity] = await vault.importFiles([inputs.p12], { passphrase: TEST_PASSPHRASES.pkcs12 })
    vault.close()
    expect(await deleteKeychainEntry(installId)).toBe(true)

    const reopened = await Vault.open(dir)
    expect(reopened.status()).toMatchObject({ state: 'key-lost', reason: expect.stringMatching(/reset the vault and import them again/) })
    // No new key was made on its own.
    expect(await readKeychainEntry(installId)).toBeNull()
    const listed = await reopened.list()
    expect(listed).toEqual([expect.objectContaining({ id: identity.id, name: 'test-client', status: 'damaged' })])
    expect((await rejection(reopened.resolveTlsMaterial([identity.id]))).code).toBe('VAULT_KEY_MISSING')
    expect((await rejection(reopened.importFiles([inputs.caBundle]))).code).toBe('VAULT_KEY_MISSING')

    expect((await reopened.reset()).state).toBe('ready')
    expect(await readKeychainEntry(installId)).not.toBeNull()
    expect((await reopened.list())[0].status).toBe('damaged')
    await reopened.delete(identity.id)
    const [again] = await reopened.importFiles([inputs.p12], { passphrase: TEST_PASSPHRASES.pkcs12 })
    expect((await reopened.resolveTlsMaterial([again.id])).key).toBeDefined()
  })

  it('renames an item and exports its certificate PEM and an encrypted PKCS#12 that openssl reads', async () => {
    const { vault } = await freshVault()
    const [identity] = await vault.importFiles([inputs.rsaClient.cert, inputs.rsaClient.encryptedPkcs1Key], { passphrase: inputs.keyPassphrase })
    expect((await vault.rename(identity.id, 'Production client')).name).toBe('Production client')
    expect((await vault.list())[0].name).toBe('Production client')
    const pem = await vault.exportCertificatePem(identity.id)
    expect(pem.match(/BEGIN CERTIFICATE/g)).toHaveLength(2)
    expect(pem).not.toMatch(/PRIVATE KEY/)

    const p12 = await vault.exportPkcs12(identity.id, 'chosen-export-pass')
    const out = await mkdtemp(join(tmpdir(), 'mqtts-p12-'))
    dirs.push(out)
    await writeFile(join(out, 'x.p12'), p12)
    const { stdout } = await run('openssl', ['pkcs12', '-in', join(out, 'x.p12'), '-passin', 'pass:chosen-export-pass', '-nodes'])
    expect(stdout).toMatch(/BEGIN PRIVATE KEY/)
    expect(stdout).toMatch(/CN ?= ?rsa-client/)
    expect(() => createSecureContext({ pfx: p12, passphrase: 'chosen-export-pass' })).not.toThrow()
  })

  it('stores nothing when an import is bad', async () => {
    const { dir, vault } = await freshVault()
    const bad = [
      [inputs.garbage],
      [inputs.truncatedPem],
      [inputs.badPem],
      [inputs.ecClient.pkcs8Key],
      [inputs.ecClient.cert, inputs.rsaClient.pkcs1Key],
      [inputs.p12WithoutKey],
      [inputs.caBundle, inputs.ecClient.cert, inputs.ecClient.encryptedPkcs8Key],
    ]
    for (const files of bad) {
      const err = await rejection(vault.importFiles(files, { passphrase: files.includes(inputs.p12WithoutKey) ? TEST_PASSPHRASES.pkcs12 : undefined }))
      expect(err.message.length).toBeGreaterThan(20)
    }
    expect(await readdir(join(dir, 'vault', 'items'))).toEqual([])
    expect(await vault.list()).toEqual([])
  })

  it('leaves no PEM, key bytes or password in any file under the data folder', async () => {
    const { dir, vault } = await freshVault()
    await vault.importFiles([inputs.caBundle])
    await vault.importFiles([inputs.p12], { passphrase: TEST_PASSPHRASES.pkcs12 })
    await vault.importFiles([inputs.rsaClient.cert, inputs.rsaClient.encryptedPkcs1Key], { passphrase: inputs.keyPassphrase })
    await vault.importFiles([inputs.ed25519.cert, inputs.ed25519.key])
    await vault.importFiles([inputs.derRootNamedPem])
    await vault.storeSecret('password', 'broker-pa55word-ZQ', 'Broker login')
    await vault.storeSecret('passphrase', TEST_PASSPHRASES.clientKey, 'Key passphrase')

    const needles: Array<[string, Buffer]> = [
      ['PEM marker', Buffer.from('-----BEGIN')],
      ['EC key DER', inputs.ecClient.keyDer],
      ['RSA key DER', inputs.rsaClient.keyDer],
      ['Ed25519 key DER', inputs.ed25519.keyDer],
      ['EC key base64', Buffer.from(inputs.ecClient.keyDer.toString('base64').slice(0, 40))],
      ['RSA key base64', Buffer.from(inputs.rsaClient.keyDer.toString('base64').slice(0, 40))],
      ['password', Buffer.from('broker-pa55word-ZQ')],
      ['key passphrase', Buffer.from(TEST_PASSPHRASES.clientKey)],
      ['PKCS#12 passphrase', Buffer.from(TEST_PASSPHRASES.pkcs12)],
    ]
    const files = await filesUnder(dir)
    expect(files.length).toBeGreaterThanOrEqual(8)
    for (const path of files) {
      const bytes = await readFile(path)
      for (const [what, needle] of needles) expect(bytes.includes(needle), `${what} in ${path}`).toBe(false)
    }
    // The listing is just as clean: no key material in what the renderer would receive.
    const listing = Buffer.from(JSON.stringify(await vault.list()))
    for (const [what, needle] of needles) expect(listing.includes(needle), `${what} in list()`).toBe(false)
  })
})
