/**
 * Builds the renderer-facing VaultItemMeta field by field. This is the whitelist that keeps
 * key material out of the contract: nothing from a stored file is spread into the result.
 */
import type { Notice } from '../../api/notices'
import type { CertificateMeta, KeyInfo, VaultItemMeta } from '../../api/vault'
import { VaultItemKind } from '../../api/vault'
import { expiryOf, worstExpiry } from './cert-meta'
import type { ItemFile } from './item-store'

function keyInfoOf(key: KeyInfo): KeyInfo {
  const out: KeyInfo = { type: String(key.type) }
  if (typeof key.bits === 'number') out.bits = key.bits
  if (typeof key.curve === 'string') out.curve = key.curve
  return out
}

function certificateOf(c: CertificateMeta, now: Date): CertificateMeta {
  // Days left move with the clock, so they are recomputed rather than read from the file.
  const { daysLeft, expiry } = expiryOf(new Date(c.notBefore), new Date(c.notAfter), now)
  return {
    subject: String(c.subject),
    issuer: String(c.issuer),
    sans: c.sans.map(String),
    serial: String(c.serial),
    notBefore: String(c.notBefore),
    notAfter: String(c.notAfter),
    daysLeft,
    expiry,
    fingerprint256: String(c.fingerprint256),
    publicKey: keyInfoOf(c.publicKey),
    keyUsage: c.keyUsage.map(String),
    extKeyUsage: c.extKeyUsage.map(String),
    isCA: c.isCA === true,
    selfSigned: c.selfSigned === true,
  }
}

/** Metadata of an item whose file verified. */
export function itemMeta(file: ItemFile, now: Date): VaultItemMeta {
  const certificates = (file.meta.certificates ?? []).map((c) => certificateOf(c, now))
  const meta: VaultItemMeta = {
    id: file.id,
    name: file.meta.name,
    kind: file.kind,
    createdAt: file.meta.createdAt,
    updatedAt: file.meta.updatedAt,
    status: 'ok',
    certificates,
    source: file.meta.source,
    expiry: worstExpiry(certificates.map((c) => c.expiry)),
  }
  if (file.meta.key) meta.key = keyInfoOf(file.meta.key)
  return meta
}

/** A damaged item: only its id, a name and a kind (if they look sane) are shown. */
export function unverifiedMeta(id: string, file: Partial<ItemFile> | undefined, problem: Notice): VaultItemMeta {
  const rawName = file?.meta?.name
  const kind = VaultItemKind.safeParse(file?.kind)
  const time = typeof file?.meta?.createdAt === 'string' ? file.meta.createdAt.slice(0, 40) : ''
  return {
    id,
    name: typeof rawName === 'string' && rawName.length <= 200 ? rawName : `Damaged item ${id.slice(0, 8)}`,
    kind: kind.success ? kind.data : 'ca-bundle',
    createdAt: time,
    updatedAt: time,
    status: 'damaged',
    problem: problem.message,
    problemNotice: problem,
    certificates: [],
    source: 'typed',
    expiry: 'ok',
  }
}
