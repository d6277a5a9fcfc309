/**
 * The Sandbox broker's TLS identity: a private CA and a server certificate for 127.0.0.1 and
 * localhost, generated once per data folder and reused, so the Sandbox profile's trust anchor
 * stays stable between runs. These are demo credentials that only the Sandbox profile trusts
 * (it pins this CA and ignores the system roots), but the key is still written owner-only.
 *
 * The CA's private key is never stored: nothing ever needs to sign with it again. When the
 * saved identity is missing, damaged or close to expiry, a fresh CA and certificate replace it.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { createRootCa, issueServerCert } from '../tls/cert-factory'
import { ensurePrivateDir, writeJsonAtomic } from '../storage/atomic-json'
import { readStoredFile } from '../storage/stored-file'

/** The name clients verify the Sandbox certificate against. */
export const SANDBOX_SERVERNAME = 'localhost'
export const SANDBOX_HOST = '127.0.0.1'

const IDENTITY_FILE = 'identity.json'
/** Public copy of the CA, so users can point mosquitto_sub or other tools at the Sandbox. */
const CA_FILE = 'sandbox-ca.crt'
const RENEW_BEFORE_MS = 30 * 24 * 3_600_000
const LIFETIME_MS = 5 * 365 * 24 * 3_600_000

const Identity = z.object({
  version: z.literal(1),
  caPem: z.string(),
  certPem: z.string(),
  keyPem: z.string(),
})
export type SandboxIdentity = z.infer<typeof Identity>

/** Loads the identity kept in `dir`, or creates (and saves) a new one if it is unusable. */
export async function loadOrCreateSandboxIdentity(dir: string): Promise<SandboxIdentity> {
  await ensurePrivateDir(dir)
  const file = join(dir, IDENTITY_FILE)
  // A damaged identity is not worth keeping (it holds a private key): it is simply replaced.
  const saved = await readStoredFile(file, Identity, { fallback: () => null, what: 'Sandbox identity', shape: 'a Sandbox identity', onInvalid: 'keep' })
  if (saved.value && isUsable(saved.value)) return saved.value

  const identity = await createIdentity()
  // writeJsonAtomic makes the file exactly 0600 (whatever the umask): it holds the server's private key.
  await writeJsonAtomic(file, identity)
  await writeFile(join(dir, CA_FILE), identity.caPem, { mode: 0o644 })
  return identity
}

async function createIdentity(): Promise<SandboxIdentity> {
  const now = Date.now()
  const validity = { notBefore: new Date(now - 3_600_000), notAfter: new Date(now + LIFETIME_MS) }
  const ca = await createRootCa({ commonName: 'MQTTS Explorer Sandbox CA', organization: 'MQTTS Explorer (local demo)', pathLength: 0, ...validity })
  const server = await issueServerCert(ca, {
    commonName: SANDBOX_SERVERNAME,
    organization: 'MQTTS Explorer (local demo)',
    dnsNames: [SANDBOX_SERVERNAME],
    ipAddresses: [SANDBOX_HOST],
    ...validity,
  })
  return { version: 1, caPem: ca.certPem, certPem: server.certPem, keyPem: server.keyPem }
}

/** The saved identity still chains, matches its key, names our host and has life left. */
function isUsable(identity: SandboxIdentity): boolean {
  try {
    const ca = new X509Certificate(identity.caPem)
    const cert = new X509Certificate(identity.certPem)
    const soon = Date.now() + RENEW_BEFORE_MS
    return (
      cert.checkIssued(ca) &&
      cert.verify(ca.publicKey) &&
      cert.checkPrivateKey(createPrivateKey(identity.keyPem)) &&
      cert.checkHost(SANDBOX_SERVERNAME) !== undefined &&
      cert.checkIP(SANDBOX_HOST) !== undefined &&
      Date.parse(cert.validTo) > soon &&
      Date.parse(ca.validTo) > soon &&
      Date.parse(cert.validFrom) <= Date.now()
    )
  } catch {
    return false
  }
}
