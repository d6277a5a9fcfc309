/**
 * Turns dropped files into vault items. All files of one drop are pooled, because users keep
 * a client certificate and its key in separate files (client.crt + client.key): each private
 * key is paired with the certificate whose public key it matches, and that certificate's
 * issuers found in the pool complete its chain. Certificates left over become a CA bundle.
 */
import { createPrivateKey, createPublicKey, type KeyObject, type X509Certificate } from 'node:crypto'
import { ApiError } from '../../api/errors'
import type { VaultItemKind } from '../../api/vault'
import { certificateMeta, dedupe, keyInfo, orderChain } from './cert-meta'
import type { SecretPayload, StoredMeta } from './item-store'
import { decodeFile, type DecodedFile } from './parse-input'

/** One file as handed over by the UI. */
export interface InputFile {
  name: string
  bytes: Uint8Array
}

/** An item ready to be sealed. */
export interface ItemDraft {
  kind: VaultItemKind
  meta: Omit<StoredMeta, 'createdAt' | 'updatedAt'>
  payload: SecretPayload
}

function spki(key: KeyObject): Buffer {
  return createPublicKey(key).export({ type: 'spki', format: 'der' })
}

function commonName(cert: X509Certificate): string | undefined {
  return /^CN=(.+)$/m.exec(cert.subject)?.[1]?.trim()
}

function certLabel(cert: X509Certificate): string {
  return commonName(cert) ?? cert.subject.split('\n')[0] ?? 'certificate'
}

/** Decodes, pairs and checks the files; throws before anything is stored when one is wrong. */
export function draftItems(files: InputFile[], opts: { name?: string; passphrase?: string; now?: Date } = {}): ItemDraft[] {
  const decoded: DecodedFile[] = files.map((f) => decodeFile(f.name, f.bytes, opts.passphrase))
  const fileNames = files.map((f) => f.name).join(', ')
  const certs = dedupe(decoded.flatMap((d) => d.certs))
  const keys: Array<{ key: KeyObject; file: string }> = []
  for (const d of decoded) {
    for (const key of d.keys) if (!keys.some((k) => spki(k.key).equals(spki(key)))) keys.push({ key, file: d.name })
  }
  const p12WithoutKey = decoded.find((d) => d.format === 'pkcs12' && d.keys.length === 0)
  if (p12WithoutKey) {
    throw new ApiError('TLS_BAD_PKCS12', `${p12WithoutKey.name} holds certificates but no private key — export it again with the key included, or import the CA certificate as PEM.`)
  }
  const source = decoded.some((d) => d.format === 'pkcs12') ? 'pkcs12' : decoded.some((d) => d.format === 'der') ? 'der' : 'pem'
  const now = opts.now ?? new Date()
  const used = new Set<string>()
  const drafts: ItemDraft[] = []

  for (const { key, file } of keys) {
    const publicKey = spki(key)
    const leaf = certs.find((c) => c.publicKey.export({ type: 'spki', format: 'der' }).equals(publicKey))
    if (!leaf) {
      if (certs.length === 0) {
        throw new ApiError('VAULT_BAD_INPUT', `${file} holds a private key but no certificate — select the key together with its certificate file (for example client.crt and client.key).`)
      }
      throw new ApiError('TLS_KEY_MISMATCH', `The private key in ${file} does not belong to the certificate "${certLabel(certs[0])}" — pick the key that was created with this certificate.`)
    }
    const chain = chainFrom(leaf, certs)
    chain.forEach((c) => used.add(c.fingerprint256))
    drafts.push({
      kind: 'client-identity',
      meta: { name: opts.name ?? certLabel(leaf), source, certificates: chain.map((c) => certificateMeta(c, now)), key: keyInfo(key) },
      payload: { kind: 'client-identity', chain: chain.map((c) => c.raw.toString('base64')), key: key.export({ type: 'pkcs8', format: 'der' }).toString('base64') },
    })
  }

  const rest = certs.filter((c) => !used.has(c.fingerprint256))
  if (rest.length > 0) {
    const anchors = rest.filter((c) => c.ca || c.checkIssued(c))
    if (anchors.length === 0) {
      const leaf = rest[0]
      throw new ApiError(
        'VAULT_BAD_INPUT',
        `"${certLabel(leaf)}" in ${fileNames} is a certificate without its private key and not a CA — select it together with its key file, or pick the CA certificate that issued it.`,
      )
    }
    const ordered = orderChain(rest)
    const single = ordered.length === 1 ? certLabel(ordered[0]) : undefined
    const name = opts.name ? (drafts.length > 0 ? `${opts.name} (CA)` : opts.name) : (single ?? files[0].name)
    drafts.push({
      kind: 'ca-bundle',
      meta: { name, source, certificates: ordered.map((c) => certificateMeta(c, now)) },
      payload: { kind: 'ca-bundle', certs: ordered.map((c) => c.raw.toString('base64')) },
    })
  }
  return drafts
}

/** The leaf followed by the issuers of each link that the pool holds. */
function chainFrom(leaf: X509Certificate, pool: X509Certificate[]): X509Certificate[] {
  const ordered = orderChain(pool, leaf)
  const chain = [ordered[0]]
  for (const next of ordered.slice(1)) {
    const last = chain[chain.length - 1]
    if (last.checkIssued(last) || !last.checkIssued(next)) break
    chain.push(next)
  }
  return chain
}

/** An item already in the vault, as `twinOf` compares it. */
export interface StoredItem {
  kind: VaultItemKind
  meta: Pick<StoredMeta, 'certificates'>
  /** Decrypts the item; called only for an identity whose leaf matches. */
  payload: () => SecretPayload
}

const fingerprintsOf = (meta: Pick<StoredMeta, 'certificates'>): string[] => (meta.certificates ?? []).map((c) => c.fingerprint256)

function publicKeyOfDer(pkcs8Base64: string): Buffer {
  return spki(createPrivateKey({ key: Buffer.from(pkcs8Base64, 'base64'), format: 'der', type: 'pkcs8' }))
}

/**
 * Whether `stored` already holds what `draft` would store, recognised by SHA-256 fingerprint:
 * a CA bundle with the same set of certificates (in any order), or a client identity with the
 * same leaf certificate and the same private key (compared by its public half, so PKCS#1,
 * PKCS#8, SEC1 and PKCS#12 copies of one key are one key). Chains may differ: see `longerChain`.
 */
export function holdsSame(draft: ItemDraft, stored: StoredItem): boolean {
  if (draft.kind !== stored.kind) return false
  const mine = fingerprintsOf(draft.meta)
  const theirs = fingerprintsOf(stored.meta)
  if (draft.kind === 'ca-bundle') return mine.length === theirs.length && mine.every((f) => theirs.includes(f))
  if (draft.kind !== 'client-identity' || draft.payload.kind !== 'client-identity' || mine[0] === undefined || mine[0] !== theirs[0]) return false
  const payload = stored.payload()
  return payload.kind === 'client-identity' && publicKeyOfDer(payload.key).equals(publicKeyOfDer(draft.payload.key))
}

/**
 * For an identity the vault already holds: true when the new draft carries the stored chain and
 * more issuers after it (a leaf imported alone, then a file with its intermediate), so the
 * stored item is completed in place rather than kept short or duplicated.
 */
export function extendsChain(draft: ItemDraft, stored: StoredItem): boolean {
  if (draft.kind !== 'client-identity') return false
  const mine = fingerprintsOf(draft.meta)
  const theirs = fingerprintsOf(stored.meta)
  return mine.length > theirs.length && theirs.every((f, i) => mine[i] === f)
}
