/**
 * Envelope encryption for vault items. One random 256-bit data key per install; from it two
 * sub-keys are derived (HKDF) so that no key is used for two purposes:
 * - the encryption key seals each item's secret with AES-256-GCM, random 96-bit nonce, and the
 *   item's {id, kind, version} as associated data (a ciphertext moved to another item, or
 *   relabelled as another kind, fails to open);
 * - the MAC key signs the whole item file (metadata included), so listing can detect an
 *   altered file without decrypting any secret.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, scrypt, timingSafeEqual } from 'node:crypto'

/** Bytes in a data key. */
export const DATA_KEY_BYTES = 32
const NONCE_BYTES = 12
const TAG_BYTES = 16

/** A sealed secret as stored in JSON: all base64. */
export interface SealedBox {
  nonce: string
  data: string
  tag: string
}

/** The two purpose-bound keys derived from one data key. */
export interface ItemKeys {
  encryption: Buffer
  mac: Buffer
}

/** Makes a fresh random data key. */
export function newDataKey(): Buffer {
  return randomBytes(DATA_KEY_BYTES)
}

/** Derives the per-purpose keys; `info` strings are versioned so a future scheme cannot collide. */
export function deriveItemKeys(dataKey: Buffer): ItemKeys {
  if (dataKey.length !== DATA_KEY_BYTES) throw new Error('A vault data key must be 32 bytes')
  const derive = (info: string): Buffer => Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), info, DATA_KEY_BYTES))
  return { encryption: derive('mqtts-explorer vault item-encryption v1'), mac: derive('mqtts-explorer vault item-mac v1') }
}

/** scrypt cost parameters, as stored next to what they protect. */
export interface ScryptCost {
  N: number
  r: number
  p: number
}

/**
 * A 256-bit key from a passphrase (the master passphrase, a profiles export's passphrase).
 * NFC first, so the same passphrase typed on another OS or keyboard layout gives the same key.
 */
export function passphraseKey(passphrase: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(passphrase.normalize('NFC'), salt, 32, { ...cost, maxmem: 256 * cost.N * cost.r + 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key)))
  })
}

/** AES-256-GCM with a fresh random nonce. */
export function seal(key: Buffer, plaintext: Buffer, aad: Buffer): SealedBox {
  const nonce = randomBytes(NONCE_BYTES)
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES })
  cipher.setAAD(aad)
  const data = Buffer.concat([cipher.update(plaintext), cipher.final()])
  return { nonce: nonce.toString('base64'), data: data.toString('base64'), tag: cipher.getAuthTag().toString('base64') }
}

/** Opens a box; returns null when authentication fails (wrong key, altered bytes or AAD). */
export function open(key: Buffer, box: SealedBox, aad: Buffer): Buffer | null {
  const nonce = Buffer.from(box.nonce, 'base64')
  const tag = Buffer.from(box.tag, 'base64')
  if (nonce.length !== NONCE_BYTES || tag.length !== TAG_BYTES) return null
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES })
    decipher.setAAD(aad)
    decipher.setAuthTag(tag)
    return Buffer.concat([decipher.update(Buffer.from(box.data, 'base64')), decipher.final()])
  } catch {
    return null
  }
}

/** JSON with object keys sorted at every level, so a MAC never depends on key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    }
    return v
  })
}

/** HMAC-SHA256 of the canonical JSON of `value`, hex. */
export function macOf(key: Buffer, value: unknown): string {
  return createHmac('sha256', key).update(canonicalJson(value)).digest('hex')
}

/** Constant-time check of a hex MAC. */
export function macMatches(key: Buffer, value: unknown, mac: unknown): boolean {
  if (typeof mac !== 'string' || !/^[0-9a-f]{64}$/.test(mac)) return false
  return timingSafeEqual(Buffer.from(macOf(key, value), 'hex'), Buffer.from(mac, 'hex'))
}
