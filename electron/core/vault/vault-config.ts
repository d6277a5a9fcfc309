/**
 * `<vault>/vault.json`: which install this is, what protects its data key, and a check value
 * that tells "this is the key the items were sealed with" from "a different or fresh key".
 * Nothing in it is secret.
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto'
import { join } from 'node:path'
import { z } from 'zod'
import { writeFileAtomic } from '../storage/atomic-json'
import { readStoredFile } from '../storage/stored-file'

export interface VaultConfig {
  format: 'mqtts-explorer-vault'
  version: 1
  installId: string
  keySource: 'keychain' | 'passphrase'
  /** HMAC-SHA256(dataKey, "key-check"), hex; absent until a key exists. */
  keyCheck?: string
}

export function configPath(vaultDir: string): string {
  return join(vaultDir, 'vault.json')
}

/**
 * What a readable vault.json must hold. Only these fields are checked, and the rest is kept as
 * it was (`keyCheck`, `version`): the vault has always judged a config by exactly these.
 */
const StoredConfig = z.looseObject({
  format: z.literal('mqtts-explorer-vault'),
  installId: z.string().regex(/^[a-z0-9-]{8,64}$/),
  keySource: z.enum(['keychain', 'passphrase']),
})

/**
 * Reads vault.json; null when there is none yet, or when it is unreadable (then it is rebuilt).
 * A damaged one is left in place (`onInvalid: 'keep'`), not moved aside: the vault rebuilds it
 * as it always has, and the items' own key check decides whether the key still opens them.
 */
export async function readConfig(vaultDir: string): Promise<VaultConfig | null> {
  const read = await readStoredFile(configPath(vaultDir), StoredConfig, {
    fallback: () => null,
    what: 'vault settings',
    shape: 'a vault config',
    onInvalid: 'keep',
  })
  return read.value as VaultConfig | null
}

export async function writeConfig(vaultDir: string, config: VaultConfig): Promise<void> {
  await writeFileAtomic(configPath(vaultDir), JSON.stringify(config, null, 2))
}

export function newConfig(): VaultConfig {
  return { format: 'mqtts-explorer-vault', version: 1, installId: randomUUID(), keySource: 'keychain' }
}

export function keyCheckOf(dataKey: Buffer): string {
  return createHmac('sha256', dataKey).update('mqtts-explorer vault key-check v1').digest('hex')
}

export function keyMatches(config: VaultConfig, dataKey: Buffer): boolean {
  if (!config.keyCheck) return true
  const a = Buffer.from(keyCheckOf(dataKey), 'hex')
  const b = Buffer.from(config.keyCheck, 'hex')
  return a.length === b.length && timingSafeEqual(a, b)
}
