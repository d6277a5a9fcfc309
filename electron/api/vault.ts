/**
 * The certificate and secret vault as the renderer sees it: metadata only. Key material,
 * passwords and certificate bytes stay on the main side; everything here is safe to show,
 * log and send over either transport.
 */
import { z } from 'zod'
import { MAX_FILE_BASE64_CHARS, MAX_FILE_NAME_CHARS, MAX_IMPORT_FILES, MAX_MQTT_STRING_CHARS, MAX_NAME_CHARS, MAX_PASSPHRASE_CHARS } from './limits'
import { MIN_MASTER_PASSPHRASE } from './passphrase-strength'
import type { Notice } from './notices'

/** What an item holds. A PKCS#12 import becomes a `client-identity` (see electron/core/vault/README.md). */
export const VaultItemKind = z.enum(['ca-bundle', 'client-identity', 'password', 'passphrase'])
export type VaultItemKind = z.infer<typeof VaultItemKind>

/** Kinds a user types in rather than imports from a file. */
export const SecretKind = z.enum(['password', 'passphrase'])
export type SecretKind = z.infer<typeof SecretKind>

/**
 * Where the vault stands:
 * - `ready`: the data key is loaded; everything works.
 * - `needs-passphrase`: no OS keychain is usable (or the user chose a master passphrase);
 *   `passphraseSet` says whether to ask for a new one or the existing one.
 * - `key-lost`: item files exist but the keychain no longer has their key; the items are
 *   listed as damaged and a reset (then re-import) is the way out.
 * - `keychain-unavailable`: the vault uses the OS keychain, which cannot be reached right now.
 */
export type VaultState = 'ready' | 'needs-passphrase' | 'key-lost' | 'keychain-unavailable'

export interface VaultStatus {
  state: VaultState
  /** Which protects the data key. */
  keySource: 'keychain' | 'passphrase'
  /** For `needs-passphrase`: whether a master passphrase already exists (unlock) or must be chosen. */
  passphraseSet: boolean
  /** One sentence for every state but `ready`: why, and what the user can do. */
  reason?: string
  /** The reason's sentences with their codes, for translation; `reason` is their English joined. */
  reasonNotices?: Notice[]
  itemCount: number
}

/** Expiry verdict for a certificate, and for an item (its worst certificate). */
export type ExpiryFlag = 'ok' | 'expiring' | 'expired' | 'not-yet-valid'

/** Certificates expiring within this many days are flagged. */
export const EXPIRING_WITHIN_DAYS = 30

export interface KeyInfo {
  /** node:crypto's asymmetricKeyType: 'rsa', 'rsa-pss', 'ec', 'ed25519', 'ed448', 'dsa'. */
  type: string
  /** Modulus length in bits for RSA/DSA. */
  bits?: number
  /** Named curve for EC, e.g. 'prime256v1'. */
  curve?: string
}

export interface CertificateMeta {
  subject: string
  issuer: string
  /** Subject alternative names as `DNS:host`, `IP:1.2.3.4`, `email:a@b`, `URI:...`. */
  sans: string[]
  serial: string
  notBefore: string
  notAfter: string
  /** Whole days until notAfter (negative once expired). */
  daysLeft: number
  expiry: ExpiryFlag
  /** Colon-separated upper-case hex, as browsers show it. */
  fingerprint256: string
  publicKey: KeyInfo
  /** e.g. ['digitalSignature', 'keyCertSign']. */
  keyUsage: string[]
  /** e.g. ['serverAuth', 'clientAuth'] (unknown OIDs as dotted numbers). */
  extKeyUsage: string[]
  isCA: boolean
  selfSigned: boolean
}

/** One vault item as listed. A whitelisted shape: built field by field, never spread from storage. */
export interface VaultItemMeta {
  id: string
  name: string
  kind: VaultItemKind
  createdAt: string
  updatedAt: string
  /** `damaged`: the file failed authentication or its key is gone; re-import it. */
  status: 'ok' | 'damaged'
  /** Why it is damaged, one sentence. */
  problem?: string
  /** The same sentence with its code, for translation. */
  problemNotice?: Notice
  /** For certificate items: leaf first, then each issuer up to the root. */
  certificates: CertificateMeta[]
  /** For client identities: the private key's type (never the key). */
  key?: KeyInfo
  /** What the user imported: 'pem', 'der' or 'pkcs12' file(s), or 'typed'. */
  source: 'pem' | 'der' | 'pkcs12' | 'typed'
  /** The worst expiry flag of its certificates. */
  expiry: ExpiryFlag
}

/** A file as the renderer hands it over (drag and drop or picker). */
export const VaultFileInput = z.object({
  name: z.string().min(1).max(MAX_FILE_NAME_CHARS),
  /** File contents, base64. 10 MB decoded is far beyond any real certificate file. */
  dataBase64: z.string().max(MAX_FILE_BASE64_CHARS),
})
export type VaultFileInput = z.infer<typeof VaultFileInput>

/** A vault item id as profiles and requests carry it. */
export const VaultItemId = z.string().max(64).regex(/^[a-z0-9-]{8,64}$/)
const itemId = VaultItemId
const itemName = z.string().max(MAX_NAME_CHARS * 4).trim().min(1).max(MAX_NAME_CHARS)

/** Params for the `vault.*` methods, to be added to `methods` in contract.ts. */
export const VaultParams = {
  unlock: z.object({ passphrase: z.string().min(1).max(MAX_PASSPHRASE_CHARS) }),
  /** Discards the key (and with it every item); only on an explicit user choice. */
  reset: z.object({ confirm: z.literal(true), passphrase: z.string().min(MIN_MASTER_PASSPHRASE).max(MAX_PASSPHRASE_CHARS).optional() }),
  import: z.object({
    files: z.array(VaultFileInput).min(1).max(MAX_IMPORT_FILES),
    /** Name for the resulting item(s); defaults to the certificate's subject or the file name. */
    name: itemName.optional(),
    /** Passphrase of an encrypted key or PKCS#12; used once, never stored. */
    passphrase: z.string().max(MAX_PASSPHRASE_CHARS).optional(),
  }),
  /** `replaceId` updates an existing password/passphrase item in place (same id in every profile). */
  storeSecret: z.object({ kind: SecretKind, name: itemName, value: z.string().min(1).max(MAX_MQTT_STRING_CHARS), replaceId: itemId.optional() }),
  rename: z.object({ id: itemId, name: itemName }),
  /** Refused with VAULT_ITEM_IN_USE while profiles use the item, unless `force` (the user confirmed). */
  delete: z.object({ id: itemId, force: z.boolean().optional() }),
  exportCertificatePem: z.object({ id: itemId }),
  exportPkcs12: z.object({ id: itemId, passphrase: z.string().min(4).max(MAX_PASSPHRASE_CHARS) }),
} as const

/** A profile that uses a vault item, so the UI can name it (delete warnings, expiry flags). */
export interface VaultItemUser {
  profileId: string
  name: string
}

/** An item as the renderer lists it: metadata plus which profiles use it. */
export interface VaultItemView extends VaultItemMeta {
  usedBy: VaultItemUser[]
}

/** An item as `vault.import` answers it. */
export interface VaultImportedItem extends VaultItemView {
  /**
   * The vault already held these certificates (same SHA-256 fingerprints; for an identity, the
   * same key too), so that item was reused instead of a new one; a longer chain completes it.
   */
  reused: boolean
}

/** Status and items together: the answer of vault.status and the payload of `vault.changed`. */
export interface VaultSnapshot {
  status: VaultStatus
  /** Empty while the vault is locked. */
  items: VaultItemView[]
}

/** A file for the user to save (a download in browser mode). */
export interface VaultExportFile {
  fileName: string
  /** File contents, base64 (PEM text or PKCS#12 bytes). */
  dataBase64: string
}
