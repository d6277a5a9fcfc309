/**
 * Encryption of the secrets section of a profiles export: a key derived from the user's
 * passphrase with scrypt, AES-256-GCM over the JSON, the format name as associated data. A
 * wrong passphrase fails the GCM tag, so it is told apart from a damaged file only by the
 * file's shape being right: both give one clear sentence.
 */
import { randomBytes } from 'node:crypto'
import { z } from 'zod'
import { ApiError } from '../../api'
import { open, passphraseKey, seal } from '../vault/envelope'

const AAD = Buffer.from('mqtts-explorer-profiles-secrets/1')
/** N = 2^16, r = 8: 64 MiB and well under a second; an export is opened rarely. */
export const EXPORT_SCRYPT = { N: 2 ** 16, r: 8, p: 1 }

const b64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/)
export const SealedSecrets = z.object({
  kdf: z.object({ name: z.literal('scrypt'), N: z.number().int().min(2 ** 10).max(2 ** 20), r: z.number().int().min(1).max(32), p: z.number().int().min(1).max(16), salt: b64 }),
  cipher: z.literal('aes-256-gcm'),
  iv: b64,
  tag: b64,
  data: b64,
})
export type SealedSecrets = z.infer<typeof SealedSecrets>

/** Encrypts `plaintext` under `passphrase`. */
export async function sealSecrets(plaintext: string, passphrase: string, cost = EXPORT_SCRYPT): Promise<SealedSecrets> {
  const salt = randomBytes(16)
  const key = await passphraseKey(passphrase, salt, cost)
  const bytes = Buffer.from(plaintext, 'utf8')
  const { nonce, data, tag } = seal(key, bytes, AAD)
  key.fill(0)
  bytes.fill(0)
  return { kdf: { name: 'scrypt', ...cost, salt: salt.toString('base64') }, cipher: 'aes-256-gcm', iv: nonce, tag, data }
}

/** Decrypts; a wrong passphrase (or altered bytes) is PROFILES_WRONG_PASSPHRASE. */
export async function openSecrets(sealed: SealedSecrets, passphrase: string): Promise<string> {
  const { N, r, p, salt } = sealed.kdf
  const key = await passphraseKey(passphrase, Buffer.from(salt, 'base64'), { N, r, p })
  const plaintext = open(key, { nonce: sealed.iv, data: sealed.data, tag: sealed.tag }, AAD)
  key.fill(0)
  if (!plaintext) {
    throw new ApiError('PROFILES_WRONG_PASSPHRASE', 'That passphrase does not open the secrets in this file — type the passphrase chosen when it was exported, or import without secrets.')
  }
  return plaintext.toString('utf8')
}
