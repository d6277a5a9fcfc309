/**
 * Issues X.509 certificates: the root CA and server certificate the Sandbox broker uses at
 * runtime for its demo CA, and the building blocks (`issueCertificate`, `selfSignCertificate`,
 * the extension sets) from which test/fixtures/cert-factory.ts makes intermediates, client and
 * self-signed leaves, i.e. every kind of good and broken PKI a real broker might present.
 *
 * Keys come from Node's WebCrypto (ECDSA P-256 by default, RSA 2048 on request), so nothing
 * here shells out to openssl. Validity dates are taken as given, which is how the tests make
 * expired and not-yet-valid certificates.
 */
// tsyringe (inside @peculiar/x509) needs the Reflect metadata API before it loads.
import 'reflect-metadata'
import * as x509 from '@peculiar/x509'
import { createPrivateKey, randomBytes, webcrypto, X509Certificate } from 'node:crypto'

type CryptoKey = webcrypto.CryptoKey
type CryptoKeyPair = webcrypto.CryptoKeyPair
import { isIP } from 'node:net'

// Node's WebCrypto is a complete implementation; tell the library to use it explicitly
// instead of relying on whatever global `crypto` the host (Electron, Vitest) happens to expose.
// The cast bridges Node's WebCrypto typings and the DOM typings the library is declared with.
type LibCrypto = NonNullable<Parameters<typeof x509.X509CertificateGenerator.create>[1]>
const libCrypto = webcrypto as unknown as LibCrypto
x509.cryptoProvider.set(libCrypto)

/** Key types we issue. P-256 is fast to generate; RSA exists because many brokers still use it. */
export type KeyAlgorithm = 'ecdsa-p256' | 'rsa-2048'

/** A certificate with its private key, as files would hold them. */
export interface IssuedCertificate {
  /** The certificate alone, PEM. */
  certPem: string
  /** The unencrypted private key, PKCS#8 PEM ("BEGIN PRIVATE KEY"). */
  keyPem: string
  /** Parsed by node:crypto, for checks like `verify`, `checkIssued`, `checkHost`. */
  cert: X509Certificate
}

/** What signs a certificate: any CA issued here, or a CA certificate + key loaded from disk. */
export interface Issuer {
  certPem: string
  keyPem: string
}

/** Options every certificate takes. */
export interface CertificateOptions {
  commonName: string
  organization?: string
  /** Defaults to one hour ago, so small clock skew between processes never matters. */
  notBefore?: Date
  /** Defaults depend on the kind: 10 years for CAs, 1 year for leaves. */
  notAfter?: Date
  keyAlgorithm?: KeyAlgorithm
  /** Hex serial number; random (positive, 128 bits) when omitted. */
  serialNumber?: string
}

/** Options for root and intermediate CAs. */
export interface CaOptions extends CertificateOptions {
  /** Maximum number of intermediates below this CA; unlimited when omitted. */
  pathLength?: number
}

/** Options for server and client leaves. */
export interface LeafOptions extends CertificateOptions {
  dnsNames?: string[]
  /** IPv4 or IPv6 literals. */
  ipAddresses?: string[]
  emails?: string[]
}

const HOUR_MS = 3_600_000
/** A day in milliseconds, for default lifetimes. */
export const DAY_MS = 24 * HOUR_MS

/** Creates a self-signed root CA. */
export async function createRootCa(opts: CaOptions): Promise<IssuedCertificate> {
  return selfSignCertificate(opts, 10 * 365 * DAY_MS, caExtensions(opts))
}

/** Creates a TLS server certificate (serverAuth) signed by `issuer`. */
export async function issueServerCert(issuer: Issuer, opts: LeafOptions): Promise<IssuedCertificate> {
  return issueCertificate(issuer, opts, 365 * DAY_MS, leafExtensions(opts, [x509.ExtendedKeyUsage.serverAuth]))
}

/** The constraints and key usages of a CA that may sign certificates (and CRLs). */
export function caExtensions(opts: CaOptions): x509.Extension[] {
  return [
    new x509.BasicConstraintsExtension(true, opts.pathLength, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
  ]
}

/** A self-signed certificate with a fresh key, `extensions` plus its subject key identifier. */
export async function selfSignCertificate(opts: CertificateOptions, defaultLifetimeMs: number, extensions: x509.Extension[]): Promise<IssuedCertificate> {
  const keys = await generateKeys(opts.keyAlgorithm)
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      ...validity(opts, defaultLifetimeMs),
      serialNumber: opts.serialNumber ?? randomSerial(),
      name: subjectName(opts),
      keys,
      signingAlgorithm: signingAlgorithm(keys.privateKey),
      extensions: [...extensions, await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, libCrypto)],
    },
    libCrypto,
  )
  return finish(cert, keys.privateKey)
}

/** A certificate with a fresh key signed by `issuer`, `extensions` plus its key identifiers. */
export async function issueCertificate(issuer: Issuer, opts: CertificateOptions, defaultLifetimeMs: number, extensions: x509.Extension[]): Promise<IssuedCertificate> {
  const keys = await generateKeys(opts.keyAlgorithm)
  const issuerCert = new x509.X509Certificate(issuer.certPem)
  const signingKey = await importSigningKey(issuer.keyPem)
  const cert = await x509.X509CertificateGenerator.create(
    {
      ...validity(opts, defaultLifetimeMs),
      serialNumber: opts.serialNumber ?? randomSerial(),
      subject: subjectName(opts),
      // Reuse the issuer's encoded name so that name chaining matches byte for byte.
      issuer: issuerCert.subjectName,
      publicKey: keys.publicKey,
      signingKey,
      signingAlgorithm: signingAlgorithm(signingKey),
      extensions: [
        ...extensions,
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, libCrypto),
        await authorityKeyId(issuerCert),
      ],
    },
    libCrypto,
  )
  return finish(cert, keys.privateKey)
}

/** A leaf's constraints, key usages for its key type, extended usages and subject alternative names. */
export function leafExtensions(opts: LeafOptions, usages: x509.ExtendedKeyUsage[]): x509.Extension[] {
  // RSA key exchange (TLS 1.2 RSA kx) needs keyEncipherment; ECDSA keys only sign.
  const rsa = opts.keyAlgorithm === 'rsa-2048'
  const flags = x509.KeyUsageFlags.digitalSignature | (rsa ? x509.KeyUsageFlags.keyEncipherment : 0)
  return [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(flags, true),
    new x509.ExtendedKeyUsageExtension(usages, false),
    ...sanExtension(opts),
  ]
}

/** The subject alternative names of `opts` (DNS names, IP addresses, e-mail addresses), if any. */
export function sanExtension(opts: LeafOptions): x509.Extension[] {
  const names: x509.JsonGeneralNames = [
    ...(opts.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(opts.ipAddresses ?? []).map((value) => {
      if (!isIP(value)) throw new Error(`Not an IP address: ${value}`)
      return { type: 'ip' as const, value }
    }),
    ...(opts.emails ?? []).map((value) => ({ type: 'email' as const, value })),
  ]
  return names.length ? [new x509.SubjectAlternativeNameExtension(names, false)] : []
}

/** Points at the issuer's own SKI when it has one, so certificates from other tools chain too. */
async function authorityKeyId(issuerCert: x509.X509Certificate): Promise<x509.AuthorityKeyIdentifierExtension> {
  const ski = issuerCert.getExtension(x509.SubjectKeyIdentifierExtension)
  if (ski) return new x509.AuthorityKeyIdentifierExtension(ski.keyId, false)
  return x509.AuthorityKeyIdentifierExtension.create(issuerCert.publicKey, false, libCrypto)
}

function subjectName(opts: CertificateOptions): x509.JsonName {
  // JSON names, not "CN=..." strings, so commas or equals signs in a name need no escaping.
  const name: x509.JsonName = []
  if (opts.organization) name.push({ O: [opts.organization] })
  name.push({ CN: [opts.commonName] })
  return name
}

function validity(opts: CertificateOptions, defaultLifetimeMs: number): { notBefore: Date; notAfter: Date } {
  const notBefore = opts.notBefore ?? new Date(Date.now() - HOUR_MS)
  const notAfter = opts.notAfter ?? new Date(notBefore.getTime() + defaultLifetimeMs)
  return { notBefore, notAfter }
}

/** 128 random bits, first byte forced into 0x40..0x7f: positive and always 16 bytes long. */
function randomSerial(): string {
  const bytes = randomBytes(16)
  bytes[0] = (bytes[0] & 0x3f) | 0x40
  return bytes.toString('hex')
}

async function generateKeys(algorithm: KeyAlgorithm = 'ecdsa-p256'): Promise<CryptoKeyPair> {
  const params =
    algorithm === 'rsa-2048'
      ? { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) }
      : { name: 'ECDSA', namedCurve: 'P-256' }
  return (await webcrypto.subtle.generateKey(params, true, ['sign', 'verify'])) as CryptoKeyPair
}

/** Loads an issuer's PEM key (PKCS#8, PKCS#1 or SEC1) as a WebCrypto signing key. */
async function importSigningKey(keyPem: string): Promise<CryptoKey> {
  const key = createPrivateKey(keyPem)
  const der = key.export({ type: 'pkcs8', format: 'der' })
  if (key.asymmetricKeyType === 'rsa') {
    return webcrypto.subtle.importKey('pkcs8', der, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign'])
  }
  if (key.asymmetricKeyType === 'ec') {
    const curve = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' }[key.asymmetricKeyDetails?.namedCurve ?? '']
    if (curve) return webcrypto.subtle.importKey('pkcs8', der, { name: 'ECDSA', namedCurve: curve }, false, ['sign'])
  }
  throw new Error(`Cannot sign with a ${key.asymmetricKeyType ?? 'unknown'} key; use an RSA or ECDSA (P-256/384/521) CA key.`)
}

function signingAlgorithm(key: CryptoKey): webcrypto.Algorithm | webcrypto.EcdsaParams {
  if (key.algorithm.name === 'ECDSA') {
    const curve = (key.algorithm as webcrypto.EcKeyAlgorithm).namedCurve
    return { name: 'ECDSA', hash: curve === 'P-521' ? 'SHA-512' : curve === 'P-384' ? 'SHA-384' : 'SHA-256' }
  }
  return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }
}

async function finish(cert: x509.X509Certificate, privateKey: CryptoKey): Promise<IssuedCertificate> {
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', privateKey)
  const keyPem = x509.PemConverter.encode(pkcs8, 'PRIVATE KEY') + '\n'
  const certPem = cert.toString('pem') + '\n'
  return { certPem, keyPem, cert: new X509Certificate(certPem) }
}
