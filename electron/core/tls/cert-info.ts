/**
 * Facts about one X.509 certificate, read with node:crypto (plus a DER peek for the signature
 * algorithm), in the shape the inspector shows and the history and pins compare.
 */
import { createHash, X509Certificate } from 'node:crypto'
import type { ChainEntry } from '../../api/tls'
import { certificateSignatureAlgorithm } from './der'
import { altNames } from './peer-summary'

const DAY_MS = 86_400_000

/** A ChainEntry without its place in a chain. */
export type CertInfo = Omit<ChainEntry, 'position' | 'source' | 'sourceCertain'>

/** "AB:CD:…" — the form openssl and browsers print, so users can compare by eye. */
export function colonHex(digest: Buffer): string {
  return digest.toString('hex').toUpperCase().match(/../g)!.join(':')
}

/** SHA-256 of the DER SubjectPublicKeyInfo: stays the same when a broker renews with the same key. */
export function spkiDigest(cert: X509Certificate): Buffer {
  return createHash('sha256').update(cert.publicKey.export({ type: 'spki', format: 'der' })).digest()
}

/** "C=DE\nO=Acme\nCN=broker" → "CN=broker, O=Acme, C=DE" (most specific first, like browsers). */
export function formatName(name: string): string {
  return name.split('\n').filter(Boolean).reverse().join(', ')
}

/** The CN of a node:crypto distinguished name, or the whole name when it has none. */
export function commonName(name: string): string {
  const cn = name.split('\n').find((part) => part.startsWith('CN='))
  return cn ? cn.slice(3) : formatName(name)
}

/** "DNS:a, IP Address:1.2.3.4" → ["a", "1.2.3.4"] */
export function subjectAltNames(cert: X509Certificate): string[] {
  return altNames(cert.subjectAltName)
}

/** True when the certificate names itself as issuer and its own key verifies its signature. */
export function isSelfSigned(cert: X509Certificate): boolean {
  try {
    return cert.checkIssued(cert) && cert.verify(cert.publicKey)
  } catch {
    return false
  }
}

/** True when `issuer` issued `cert` (names match and the signature verifies). */
export function issuedBy(cert: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return cert.checkIssued(issuer) && cert.verify(issuer.publicKey)
  } catch {
    return false
  }
}

/** Reads everything the chain view shows about one certificate. */
export function certInfo(cert: X509Certificate, now = Date.now()): CertInfo {
  const from = new Date(cert.validFrom).getTime()
  const to = new Date(cert.validTo).getTime()
  const details = cert.publicKey.asymmetricKeyDetails ?? {}
  const keyType = cert.publicKey.asymmetricKeyType ?? 'unknown'
  const spki = spkiDigest(cert)
  return {
    subject: formatName(cert.subject),
    issuer: formatName(cert.issuer),
    sans: subjectAltNames(cert),
    validFrom: new Date(from).toISOString(),
    validTo: new Date(to).toISOString(),
    daysLeft: Math.floor((to - now) / DAY_MS),
    validity: now < from ? 'not-yet-valid' : now > to ? 'expired' : 'valid',
    keyType: keyType.toUpperCase(),
    keySize: details.modulusLength ?? curveBits(details.namedCurve) ?? null,
    ...(details.namedCurve ? { curve: details.namedCurve } : {}),
    signatureAlgorithm: certificateSignatureAlgorithm(cert.raw),
    isCa: cert.ca,
    selfSigned: isSelfSigned(cert),
    serialNumber: cert.serialNumber,
    sha256: cert.fingerprint256,
    spkiSha256: colonHex(spki),
    spkiPin: spki.toString('base64'),
    pem: cert.toString(),
  }
}

function curveBits(curve: string | undefined): number | undefined {
  if (!curve) return undefined
  const known: Record<string, number> = { prime256v1: 256, secp384r1: 384, secp521r1: 521, secp256k1: 256 }
  return known[curve] ?? (Number(/(\d{3})/.exec(curve)?.[1]) || undefined)
}

/** Every PEM certificate block in a text (global: use with String.prototype.match). */
export const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g

/** Splits a PEM bundle into certificates, skipping anything that does not parse. */
export function parsePemBundle(pem: string): X509Certificate[] {
  const out: X509Certificate[] = []
  for (const block of pem.match(PEM_CERTIFICATE) ?? []) {
    try {
      out.push(new X509Certificate(block))
    } catch {
      // A damaged block in a user's bundle must not hide the good ones.
    }
  }
  return out
}
