/**
 * The broker's certificate chain from leaf to root, with where each certificate came from and
 * where the chain breaks.
 *
 * Where a certificate came from: Node's getPeerCertificate(true) mixes what the broker sent
 * with issuers OpenSSL found in the local trust store. A certificate that is NOT in the store
 * the connection used can only have come from the broker; one that IS in the store most likely
 * came from there (brokers rarely send their root), but a live session cannot be sure, so the
 * entry says `sourceCertain: false`. A probe sees the Certificate message itself and passes
 * `sentDer`, which makes every source certain.
 */
import { X509Certificate } from 'node:crypto'
import { isIP } from 'node:net'
import { rootCertificates, type DetailedPeerCertificate } from 'node:tls'
import type { ChainBreak, ChainEntry, ChainReport } from '../../api/tls'
import { certInfo, commonName, isSelfSigned, issuedBy, parsePemBundle } from './cert-info'

export interface ChainContext {
  /** PEM bundles the connection trusted; null means Node's bundled roots (tls.rootCertificates). */
  trustAnchors: string[] | null
  /** Exactly the certificates the broker sent, leaf first, when known (probe). */
  sentDer?: Buffer[]
  /** The name the leaf must be valid for (SNI override or host); omitted = no name check. */
  checkedName?: string
  now?: number
}

/** Chain from a live session's getPeerCertificate(true). */
export function chainFromPeer(peer: DetailedPeerCertificate | null | undefined, ctx: ChainContext): ChainReport | null {
  if (!peer || !peer.raw) return null
  const certs: X509Certificate[] = []
  const seen = new Set<string>()
  let current: DetailedPeerCertificate | undefined = peer
  // Node links a self-signed root to itself; the `seen` set ends the walk there.
  while (current?.raw && !seen.has(current.fingerprint256) && certs.length < 16) {
    seen.add(current.fingerprint256)
    certs.push(new X509Certificate(current.raw))
    current = current.issuerCertificate
  }
  return assemble(certs, ctx)
}

/** Chain from the certificates a broker sent (probe), completed from the local trust store. */
export function chainFromSent(sentDer: Buffer[], ctx: ChainContext): ChainReport | null {
  if (sentDer.length === 0) return null
  const remaining = sentDer.map((der) => new X509Certificate(der))
  const certs = [remaining.shift()!]
  // Follow issuers rather than the sent order: some brokers send their bundle in any order.
  for (;;) {
    const last = certs[certs.length - 1]
    if (isSelfSigned(last)) break
    const i = remaining.findIndex((c) => issuedBy(last, c))
    if (i < 0) break
    certs.push(remaining.splice(i, 1)[0])
  }
  return assemble(certs, { ...ctx, sentDer })
}

/** The chain as one PEM bundle, leaf first. */
export function chainToPem(report: ChainReport): string {
  return report.entries.map((e) => e.pem.trim() + '\n').join('')
}

function assemble(certs: X509Certificate[], ctx: ChainContext): ChainReport {
  const store = trustStore(ctx.trustAnchors)
  const now = ctx.now ?? Date.now()
  const last = certs[certs.length - 1]
  if (!isSelfSigned(last)) {
    const anchor = store.certs.find((c) => issuedBy(last, c))
    if (anchor) certs.push(anchor)
  }
  const sent = ctx.sentDer ? new Set(ctx.sentDer.map((d) => new X509Certificate(d).fingerprint256)) : null
  const entries: ChainEntry[] = certs.map((cert, position) => {
    const info = certInfo(cert, now)
    const inStore = store.fingerprints.has(cert.fingerprint256)
    const source = position === 0 ? 'broker' : sent ? (sent.has(cert.fingerprint256) ? 'broker' : 'trust-store') : inStore ? 'trust-store' : 'broker'
    return { position, ...info, source, sourceCertain: position === 0 || sent !== null || !inStore }
  })
  const breaks = findBreaks(certs, entries, store.fingerprints, ctx.checkedName)
  return { entries, breaks, complete: entries[entries.length - 1].selfSigned }
}

function findBreaks(certs: X509Certificate[], entries: ChainEntry[], trusted: Set<string>, checkedName: string | undefined): ChainBreak[] {
  const breaks: ChainBreak[] = []
  const leaf = certs[0]
  if (checkedName) {
    const mismatch = isIP(checkedName) ? leaf.checkIP(checkedName) === undefined : leaf.checkHost(checkedName) === undefined
    if (mismatch) {
      const names = entries[0].sans.length ? entries[0].sans.join(', ') : commonName(leaf.subject)
      breaks.push({ kind: 'name-mismatch', position: 0, message: `The certificate is for ${names}, not ${checkedName}.` })
    }
  }
  for (const e of entries) {
    if (e.validity === 'expired') breaks.push({ kind: 'expired', position: e.position, message: `"${e.subject}" expired on ${e.validTo.slice(0, 10)}.` })
    if (e.validity === 'not-yet-valid') breaks.push({ kind: 'not-yet-valid', position: e.position, message: `"${e.subject}" is not valid before ${e.validFrom.slice(0, 10)}.` })
  }
  const end = entries[entries.length - 1]
  const endCert = certs[certs.length - 1]
  if (end.selfSigned) {
    if (!trusted.has(endCert.fingerprint256)) {
      breaks.push(
        entries.length === 1
          ? { kind: 'self-signed-leaf', position: 0, message: `The broker's certificate "${end.subject}" is self-signed and not among the trusted CAs.` }
          : { kind: 'untrusted-root', position: end.position, message: `The root "${end.subject}" is not among the trusted CAs.` },
      )
    }
  } else if (!end.isCa) {
    breaks.push({ kind: 'missing-intermediate', position: end.position, message: `Nobody supplied the issuer "${end.issuer}" of "${end.subject}": the broker did not send it and it is not among the trusted CAs.` })
  } else {
    breaks.push({ kind: 'unknown-issuer', position: end.position, message: `The CA "${end.issuer}" that issued "${end.subject}" is not among the trusted CAs.` })
  }
  return breaks
}

interface TrustStore {
  certs: X509Certificate[]
  fingerprints: Set<string>
}

let bundledRoots: TrustStore | null = null
const customStores = new Map<string, TrustStore>()

/** Parsed trust anchors, cached: the bundled roots are ~140 certificates and never change. */
function trustStore(anchors: string[] | null): TrustStore {
  if (anchors === null) return (bundledRoots ??= makeStore(rootCertificates.map((pem) => parsePemBundle(pem)).flat()))
  const key = anchors.join('\n')
  let store = customStores.get(key)
  if (!store) {
    store = makeStore(anchors.flatMap((pem) => parsePemBundle(pem)))
    // A handful of profiles at most; bound it anyway so a long session cannot grow it.
    if (customStores.size > 32) customStores.clear()
    customStores.set(key, store)
  }
  return store
}

function makeStore(certs: X509Certificate[]): TrustStore {
  return { certs, fingerprints: new Set(certs.map((c) => c.fingerprint256)) }
}
