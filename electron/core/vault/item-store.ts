/**
 * One file per vault item: `<vault>/items/<id>.json`. A file holds non-secret metadata in the
 * clear (so the list can be shown without decrypting anything), the secret sealed with
 * AES-256-GCM, and an HMAC over all of it (so an edited name or swapped metadata is caught as
 * well as an edited ciphertext).
 */
import { randomUUID } from 'node:crypto'
import { readdir, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { ApiError } from '../../api/errors'
import { notice, type Notice } from '../../api/notices'
import { VaultItemKind, type CertificateMeta, type KeyInfo } from '../../api/vault'
import { writeFileAtomic } from '../storage/atomic-json'
import { canonicalJson, macMatches, macOf, open, seal, type ItemKeys, type SealedBox } from './envelope'

export const ITEM_FORMAT = 'mqtts-explorer-vault-item'
export const ITEM_VERSION = 1

/** Metadata kept in the clear. Validated on read: the file is untrusted input until its MAC checks. */
export interface StoredMeta {
  name: string
  createdAt: string
  updatedAt: string
  source: 'pem' | 'der' | 'pkcs12' | 'typed'
  certificates: CertificateMeta[]
  key?: KeyInfo
}

/** What sits inside the envelope, per kind. Byte fields are base64 DER. */
export type SecretPayload =
  | { kind: 'ca-bundle'; certs: string[] }
  | { kind: 'client-identity'; chain: string[]; key: string }
  | { kind: 'password' | 'passphrase'; value: string }

export interface ItemFile {
  format: typeof ITEM_FORMAT
  version: typeof ITEM_VERSION
  id: string
  kind: VaultItemKind
  meta: StoredMeta
  secret: SealedBox
  mac: string
}

const Box = z.object({ nonce: z.string(), data: z.string(), tag: z.string() })
const FileShape = z.object({
  format: z.literal(ITEM_FORMAT),
  version: z.literal(ITEM_VERSION),
  id: z.string(),
  kind: VaultItemKind,
  meta: z.object({ name: z.string(), createdAt: z.string(), updatedAt: z.string() }).passthrough(),
  secret: Box,
  mac: z.string(),
})

/** A new, unguessable item id (also its file name, so it must stay path-safe). */
export function newItemId(): string {
  return randomUUID()
}

const ID_PATTERN = /^[a-z0-9-]{8,64}$/

export function itemPath(itemsDir: string, id: string): string {
  if (!ID_PATTERN.test(id)) throw new ApiError('NOT_FOUND', 'There is no vault item with that id.')
  return join(itemsDir, `${id}.json`)
}

function aad(id: string, kind: VaultItemKind): Buffer {
  return Buffer.from(canonicalJson({ id, kind, version: ITEM_VERSION }))
}

function unsigned(file: Omit<ItemFile, 'mac'> | ItemFile): Omit<ItemFile, 'mac'> {
  const { format, version, id, kind, meta, secret } = file
  return { format, version, id, kind, meta, secret }
}

/** Seals `payload` and writes the item file atomically (0600). */
export async function writeItem(itemsDir: string, keys: ItemKeys, id: string, meta: StoredMeta, payload: SecretPayload): Promise<ItemFile> {
  const plaintext = Buffer.from(JSON.stringify(payload), 'utf8')
  const body = { format: ITEM_FORMAT, version: ITEM_VERSION, id, kind: payload.kind, meta, secret: seal(keys.encryption, plaintext, aad(id, payload.kind)) } as const
  plaintext.fill(0)
  const file: ItemFile = { ...body, mac: macOf(keys.mac, body) }
  await writeFileAtomic(itemPath(itemsDir, id), JSON.stringify(file, null, 2))
  return file
}

/** Rewrites the metadata of an item (e.g. a rename); the sealed secret is kept as it is. */
export async function rewriteMeta(itemsDir: string, keys: ItemKeys, file: ItemFile, meta: StoredMeta): Promise<ItemFile> {
  const body = unsigned({ ...file, meta })
  const next: ItemFile = { ...body, mac: macOf(keys.mac, body) }
  await writeFileAtomic(itemPath(itemsDir, file.id), JSON.stringify(next, null, 2))
  return next
}

/** A file read from disk: parsed when its shape is right, with a sentence when it is not. */
export type LoadedItem = { id: string; file: ItemFile; problem?: undefined } | { id: string; file?: Partial<ItemFile>; problem: Notice }

/** Reads an item file without trusting it. */
export async function loadItem(itemsDir: string, id: string): Promise<LoadedItem> {
  let text: string
  try {
    text = await readFile(itemPath(itemsDir, id), 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new ApiError('NOT_FOUND', 'There is no vault item with that id — it may have been deleted.')
    throw err
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return { id, problem: notice('VAULT_ITEM_NOT_JSON', 'The item file is not valid JSON any more — delete it and import the item again.') }
  }
  const parsed = FileShape.safeParse(json)
  if (!parsed.success || parsed.data.id !== id) {
    return { id, file: (json && typeof json === 'object' ? json : {}) as Partial<ItemFile>, problem: notice('VAULT_ITEM_ALTERED', 'The item file has been altered — delete it and import the item again.') }
  }
  return { id, file: parsed.data as unknown as ItemFile }
}

/** Whether the whole file is as we wrote it, checked without decrypting the secret. */
export function verifyItem(keys: ItemKeys, file: ItemFile): boolean {
  return macMatches(keys.mac, unsigned(file), file.mac)
}

/** Decrypts the secret. An altered file, or one sealed under another key, is VAULT_ITEM_DAMAGED. */
export function openSecret(keys: ItemKeys, file: ItemFile): SecretPayload {
  const damaged = (): ApiError =>
    new ApiError('VAULT_ITEM_DAMAGED', `The vault item "${file.meta.name}" is damaged and cannot be decrypted — delete it and import it again.`, { id: file.id })
  if (!verifyItem(keys, file)) throw damaged()
  const plaintext = open(keys.encryption, file.secret, aad(file.id, file.kind))
  if (!plaintext) throw damaged()
  try {
    const payload = JSON.parse(plaintext.toString('utf8')) as SecretPayload
    if (payload.kind !== file.kind) throw damaged()
    return payload
  } finally {
    plaintext.fill(0)
  }
}

/** Ids of every item file present (damaged ones included). */
export async function listItemIds(itemsDir: string): Promise<string[]> {
  let names: string[]
  try {
    names = await readdir(itemsDir)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw err
  }
  return names
    .filter((n) => n.endsWith('.json') && !n.startsWith('.'))
    .map((n) => n.slice(0, -5))
    .filter((id) => ID_PATTERN.test(id))
    .sort()
}

export async function removeItem(itemsDir: string, id: string): Promise<void> {
  await rm(itemPath(itemsDir, id), { force: true })
}
