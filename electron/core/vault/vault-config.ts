/**
 * `<vault>/vault.json`: which install this is, what protects its data key, and a check value
 * that tells "this is the key the items were sealed with" from "a different or fresh key".
 * Nothing in it is secret.
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto'
import { join } from 'node:path'
import { readJson, writeFileAtomic } from '../storage/atomic-json'

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

/** Reads vault.json; null when there is none yet, or when it is unreadable (then it is rebuilt). */
export async function readConfig(vaultDir: string): Promise<VaultConfig | null> {
  const json = (await readJson(configPath(vaultDir)).catch(() => undefined)) as Partial<VaultConfig> | null | undefined
  if (json?.format !== 'mqtts-explorer-vault' || typeof json.installId !== 'string' || !/^[a-z0-9-]{8,64}$/.test(json.installId)) return null
  if (json.keySource !== 'keychain' && json.keySource !== 'passphrase') return null
  return json as VaultConfig
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
