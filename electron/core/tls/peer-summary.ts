/**
 * The few facts about the broker's certificate chain that error sentences need, lifted out of
 * Node's PeerCertificate so the classifier stays a pure function that tests can feed by hand.
 */
import type { DetailedPeerCertificate, PeerCertificate } from 'node:tls'

export interface CertFacts {
  subject: string
  issuer: string
  /** DNS names and IP addresses from subjectAltName (the names the cert is valid for). */
  names: string[]
  /** ISO-8601 */
  validFrom: string
  validTo: string
  selfSigned: boolean
}

export interface PeerSummary {
  /** The broker's own certificate. */
  leaf: CertFacts
  /**
   * The chain as far as it could be followed, leaf first. When verification failed this is
   * what the broker sent, which is how an incomplete chain is told from an unknown CA.
   */
  chain: CertFacts[]
}

/** Reads a PeerCertificate (ideally the detailed form) into {@link PeerSummary}; null if empty. */
export function summarizePeer(cert: PeerCertificate | DetailedPeerCertificate | null | undefined): PeerSummary | null {
  if (!cert || !cert.raw) return null
  const chain: CertFacts[] = []
  const seen = new Set<string>()
  let current: PeerCertificate | undefined = cert
  while (current && current.raw && !seen.has(current.fingerprint256) && chain.length < 10) {
    seen.add(current.fingerprint256)
    chain.push(certFacts(current))
    const next: DetailedPeerCertificate | undefined = (current as DetailedPeerCertificate).issuerCertificate
    // Node links a self-signed root to itself; the `seen` set stops the walk there.
    current = next
  }
  return { leaf: chain[0], chain }
}

function certFacts(cert: PeerCertificate): CertFacts {
  const subject = distinguishedName(cert.subject)
  const issuer = distinguishedName(cert.issuer)
  return {
    subject,
    issuer,
    names: altNames(cert.subjectaltname),
    validFrom: isoDate(cert.valid_from),
    validTo: isoDate(cert.valid_to),
    // Compare whole names, not just CNs: a root and its leaf may share a common name.
    selfSigned: JSON.stringify(cert.subject) === JSON.stringify(cert.issuer),
  }
}

/** "DNS:a.example, IP Address:10.0.0.1" → ["a.example", "10.0.0.1"] */
export function altNames(subjectaltname: string | undefined): string[] {
  if (!subjectaltname) return []
  const names: string[] = []
  for (const part of subjectaltname.split(/,\s*/)) {
    const m = /^(DNS|IP Address):(.*)$/.exec(part.trim())
    if (m) names.push(m[2].replace(/^"|"$/g, ''))
  }
  return names
}

function distinguishedName(dn: PeerCertificate['subject'] | undefined): string {
  if (!dn) return ''
  const record = dn as unknown as Record<string, string | string[] | undefined>
  const cn = record.CN
  if (cn) return Array.isArray(cn) ? cn.join(', ') : cn
  const o = record.O
  if (o) return Array.isArray(o) ? o.join(', ') : o
  return Object.entries(record)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`)
    .join(', ')
}

function isoDate(text: string | undefined): string {
  if (!text) return ''
  const d = new Date(text)
  return Number.isNaN(d.getTime()) ? text : d.toISOString()
}
