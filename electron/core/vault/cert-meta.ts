/**
 * What the UI shows about a certificate, computed from its DER. node:crypto covers most of it;
 * @peculiar/x509 reads the two extensions node:crypto does not expose as data (key usage bits
 * and the structured subject alternative names).
 */
// tsyringe (inside @peculiar/x509) needs the Reflect metadata API before it loads.
import 'reflect-metadata'
import * as x509 from '@peculiar/x509'
import { X509Certificate, type KeyObject } from 'node:crypto'
import { EXPIRING_WITHIN_DAYS, type CertificateMeta, type ExpiryFlag, type KeyInfo } from '../../api/vault'
import { isSelfSigned, issuedBy } from '../tls/cert-info'

const DAY_MS = 86_400_000

const KEY_USAGE_BITS: Array<[number, string]> = [
  [x509.KeyUsageFlags.digitalSignature, 'digitalSignature'],
  [x509.KeyUsageFlags.nonRepudiation, 'nonRepudiation'],
  [x509.KeyUsageFlags.keyEncipherment, 'keyEncipherment'],
  [x509.KeyUsageFlags.dataEncipherment, 'dataEncipherment'],
  [x509.KeyUsageFlags.keyAgreement, 'keyAgreement'],
  [x509.KeyUsageFlags.keyCertSign, 'keyCertSign'],
  [x509.KeyUsageFlags.cRLSign, 'cRLSign'],
  [x509.KeyUsageFlags.encipherOnly, 'encipherOnly'],
  [x509.KeyUsageFlags.decipherOnly, 'decipherOnly'],
]

const EKU_NAMES: Record<string, string> = {
  '1.3.6.1.5.5.7.3.1': 'serverAuth',
  '1.3.6.1.5.5.7.3.2': 'clientAuth',
  '1.3.6.1.5.5.7.3.3': 'codeSigning',
  '1.3.6.1.5.5.7.3.4': 'emailProtection',
  '1.3.6.1.5.5.7.3.8': 'timeStamping',
  '1.3.6.1.5.5.7.3.9': 'OCSPSigning',
  '2.5.29.37.0': 'anyExtendedKeyUsage',
}

/** Type and size of a public or private key. */
export function keyInfo(key: KeyObject): KeyInfo {
  const details = key.asymmetricKeyDetails ?? {}
  const info: KeyInfo = { type: key.asymmetricKeyType ?? 'unknown' }
  if (details.modulusLength) info.bits = details.modulusLength
  if (details.namedCurve) info.curve = details.namedCurve
  return info
}

/** Expiry verdict at `now`. */
export function expiryOf(notBefore: Date, notAfter: Date, now: Date): { daysLeft: number; expiry: ExpiryFlag } {
  const daysLeft = Math.floor((notAfter.getTime() - now.getTime()) / DAY_MS)
  if (now < notBefore) return { daysLeft, expiry: 'not-yet-valid' }
  if (now > notAfter) return { daysLeft, expiry: 'expired' }
  return { daysLeft, expiry: daysLeft <= EXPIRING_WITHIN_DAYS ? 'expiring' : 'ok' }
}

/** The worst of several flags (expired beats not-yet-valid beats expiring beats ok). */
export function worstExpiry(flags: ExpiryFlag[]): ExpiryFlag {
  const order: ExpiryFlag[] = ['expired', 'not-yet-valid', 'expiring', 'ok']
  return order.find((flag) => flags.includes(flag)) ?? 'ok'
}

/** Node prints DNs one attribute per line; the UI wants the familiar comma form. */
function oneLine(dn: string): string {
  return dn.split('\n').filter(Boolean).join(', ')
}

function sansOf(cert: x509.X509Certificate): string[] {
  const ext = cert.getExtension(x509.SubjectAlternativeNameExtension)
  if (!ext) return []
  const label: Record<string, string> = { dns: 'DNS', ip: 'IP', email: 'email', url: 'URI', upn: 'UPN', guid: 'GUID', dn: 'DirName' }
  return ext.names.items.map((name) => `${label[name.type] ?? name.type}:${name.value}`)
}

/** Metadata of one certificate at `now`. */
export function certificateMeta(cert: X509Certificate, now = new Date()): CertificateMeta {
  const parsed = new x509.X509Certificate(cert.raw)
  const keyUsageExt = parsed.getExtension(x509.KeyUsagesExtension)
  const ekuExt = parsed.getExtension(x509.ExtendedKeyUsageExtension)
  const notBefore = new Date(cert.validFrom)
  const notAfter = new Date(cert.validTo)
  return {
    subject: oneLine(cert.subject),
    issuer: oneLine(cert.issuer),
    sans: sansOf(parsed),
    serial: cert.serialNumber.toUpperCase(),
    notBefore: notBefore.toISOString(),
    notAfter: notAfter.toISOString(),
    ...expiryOf(notBefore, notAfter, now),
    fingerprint256: cert.fingerprint256,
    publicKey: keyInfo(cert.publicKey),
    keyUsage: keyUsageExt ? KEY_USAGE_BITS.filter(([bit]) => (keyUsageExt.usages & bit) !== 0).map(([, name]) => name) : [],
    extKeyUsage: ekuExt ? ekuExt.usages.map((oid) => EKU_NAMES[String(oid)] ?? String(oid)) : [],
    isCA: cert.ca,
    selfSigned: isSelfSigned(cert),
  }
}

/**
 * Orders certificates leaf first, then each issuer up to the root. With several chains in one
 * bundle (a CA bundle with unrelated roots) each chain stays together, longest first.
 * `leaf` forces the start (the certificate that matches a private key).
 */
export function orderChain(certs: X509Certificate[], leaf?: X509Certificate): X509Certificate[] {
  const unique = dedupe(certs)
  const isIssuerOfAnother = (c: X509Certificate): boolean => unique.some((o) => o !== c && !o.checkIssued(o) && issuedBy(o, c))
  const starts = leaf ? [unique.find((c) => c.fingerprint256 === leaf.fingerprint256) ?? leaf] : unique.filter((c) => !isIssuerOfAnother(c))
  const placed = new Set<string>()
  const chains: X509Certificate[][] = []
  for (const start of starts) {
    const chain: X509Certificate[] = []
    let current: X509Certificate | undefined = start
    while (current && !placed.has(current.fingerprint256)) {
      chain.push(current)
      placed.add(current.fingerprint256)
      if (current.checkIssued(current)) break
      const cur: X509Certificate = current
      current = unique.find((c) => !placed.has(c.fingerprint256) && issuedBy(cur, c))
    }
    chains.push(chain)
  }
  chains.sort((a, b) => b.length - a.length)
  const ordered = chains.flat()
  // Whatever sits in a cycle or was never reached keeps its file order at the end.
  return ordered.concat(unique.filter((c) => !placed.has(c.fingerprint256)))
}

/** Drops repeated certificates (same SHA-256 fingerprint), keeping the first. */
export function dedupe(certs: X509Certificate[]): X509Certificate[] {
  const seen = new Set<string>()
  return certs.filter((c) => (seen.has(c.fingerprint256) ? false : (seen.add(c.fingerprint256), true)))
}
