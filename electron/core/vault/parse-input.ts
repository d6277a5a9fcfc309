/**
 * Reads what users drop on the Certificates view: PEM (any number of blocks), DER
 * certificates and keys (whatever the file extension says), bare base64, and PKCS#12.
 * The format is detected from the bytes, never from the name. Every failure becomes an
 * ApiError with one sentence that names the file and says what to do.
 */
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto'
import { ApiError } from '../../api/errors'
import { looksLikePkcs12, readPkcs12 } from './pkcs12'

/** Larger than any real certificate, key or PKCS#12 file; stops a wrong drop early. */
export const MAX_INPUT_BYTES = 10 * 1024 * 1024

/** Certificates and private keys found in one file. */
export interface DecodedFile {
  name: string
  format: 'pem' | 'der' | 'pkcs12'
  certs: X509Certificate[]
  keys: KeyObject[]
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n?([\s\S]*?)-----END ([A-Z0-9 ]+)-----/g
const CERT_LABELS = new Set(['CERTIFICATE', 'X509 CERTIFICATE', 'TRUSTED CERTIFICATE'])
const KEY_LABELS = new Set(['PRIVATE KEY', 'ENCRYPTED PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY'])
const SKIPPED_LABELS = new Set(['EC PARAMETERS', 'DH PARAMETERS'])

/** Decodes one file. `passphrase` opens encrypted keys and PKCS#12 bundles. */
export function decodeFile(name: string, bytes: Uint8Array, passphrase?: string): DecodedFile {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (buf.length === 0) throw bad(`${name} is empty — pick the certificate or key file itself.`)
  if (buf.length > MAX_INPUT_BYTES) throw bad(`${name} is ${Math.round(buf.length / 1048576)} MB, far too large for a certificate or key — pick the right file.`)
  const text = asText(buf)
  if (text !== null && text.includes('-----BEGIN ')) return decodePem(name, text, passphrase)
  if (text !== null && /^[A-Za-z0-9+/=\s]+$/.test(text) && text.trim().length >= 64) {
    // Bare base64 of a DER file, as some tools and settings files keep it.
    const der = Buffer.from(text.replace(/\s+/g, ''), 'base64')
    if (der.length > 0 && der[0] === 0x30) return decodeBinary(name, der, passphrase)
  }
  return decodeBinary(name, buf, passphrase)
}

function asText(buf: Buffer): string | null {
  // PEM is ASCII; a NUL or invalid UTF-8 means binary (DER, PKCS#12 or garbage).
  if (buf.includes(0)) return null
  const text = buf.toString('utf8')
  return text.includes('\uFFFD') ? null : text
}

function decodePem(name: string, text: string, passphrase?: string): DecodedFile {
  const out: DecodedFile = { name, format: 'pem', certs: [], keys: [] }
  const ignored: string[] = []
  let blocks = 0
  for (const match of text.matchAll(PEM_BLOCK)) {
    const [block, label, body, endLabel] = match
    blocks++
    const n = blocks
    if (label !== endLabel) throw pemError(`${name}: block ${n} starts as "${label}" but ends as "${endLabel}" — the file was cut or pasted together wrongly; export it again.`)
    if (!/^[A-Za-z0-9+/=\s:,\-.()]*$/.test(body)) throw pemError(`${name}: block ${n} ("${label}") contains characters that are not base64 — the file is damaged; export it again.`)
    if (CERT_LABELS.has(label)) out.certs.push(certFromDer(name, n, pemBody(body)))
    else if (KEY_LABELS.has(label)) out.keys.push(keyFromPem(name, block, passphrase))
    else if (label === 'CERTIFICATE REQUEST' || label === 'NEW CERTIFICATE REQUEST') ignored.push('a certificate signing request')
    else if (label === 'PUBLIC KEY' || label === 'RSA PUBLIC KEY') ignored.push('a public key')
    else if (!SKIPPED_LABELS.has(label)) ignored.push(`a "${label}" block`)
  }
  const begins = text.match(/-----BEGIN [A-Z0-9 ]+-----/g)?.length ?? 0
  if (begins > blocks) {
    throw pemError(`${name} is cut off: a BEGIN line has no matching END line — copy or download the whole file again.`)
  }
  if (out.certs.length === 0 && out.keys.length === 0) {
    const what = ignored.length ? ignored[0] : 'no certificate or private key'
    throw bad(`${name} holds ${what}, not a certificate or private key — pick the certificate (.crt/.pem) or key file.`)
  }
  return out
}

/** Certificates inside PEM may have headers (Proc-Type etc. only on keys); strip to base64. */
function pemBody(body: string): Buffer {
  return Buffer.from(body.split(/\r?\n/).filter((line) => !line.includes(':')).join(''), 'base64')
}

function certFromDer(name: string, n: number, der: Buffer): X509Certificate {
  try {
    return new X509Certificate(der)
  } catch {
    throw pemError(`${name}: certificate ${n} is damaged or truncated and cannot be read — export it again.`)
  }
}

function keyFromPem(name: string, pem: string, passphrase?: string): KeyObject {
  // Decide "encrypted" from the PEM itself: decrypting with a wrong (or empty) passphrase passes
  // the CBC padding check about once in 256 tries and then fails as a parse error, which must
  // still read as a passphrase problem, not as a damaged file.
  const encrypted = /-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type:\s*4,ENCRYPTED/.test(pem)
  if (encrypted && !passphrase) throw passphraseError(name, passphrase)
  try {
    return createPrivateKey({ key: pem, format: 'pem', passphrase: passphrase ?? '' })
  } catch (err) {
    throw encrypted ? passphraseError(name, passphrase) : keyError(name, err, passphrase)
  }
}

function decodeBinary(name: string, der: Buffer, passphrase?: string): DecodedFile {
  try {
    return { name, format: 'der', certs: [new X509Certificate(der)], keys: [] }
  } catch {
    /* not a DER certificate; try a key */
  }
  for (const type of ['pkcs8', 'pkcs1', 'sec1'] as const) {
    try {
      return { name, format: 'der', certs: [], keys: [createPrivateKey({ key: der, format: 'der', type, passphrase: passphrase ?? '' })] }
    } catch (err) {
      if (type === 'pkcs8' && isPassphraseProblem(err)) throw keyError(name, err, passphrase)
    }
  }
  if (looksLikePkcs12(der)) {
    const { certs, keys } = readPkcs12(name, der, passphrase)
    return { name, format: 'pkcs12', certs, keys }
  }
  throw bad(`${name} is not a certificate, private key or PKCS#12 file we can read (expected PEM, DER, .p12 or .pfx).`)
}

function isPassphraseProblem(err: unknown): boolean {
  const code = (err as { code?: string }).code ?? ''
  const message = err instanceof Error ? err.message : ''
  return code === 'ERR_MISSING_PASSPHRASE' || /bad decrypt|passphrase|interrupted or cancelled/i.test(message)
}

function passphraseError(name: string, passphrase?: string): ApiError {
  return passphrase
    ? new ApiError('TLS_KEY_PASSPHRASE', `The passphrase does not decrypt the private key in ${name} — check it and try again.`)
    : new ApiError('TLS_KEY_PASSPHRASE', `The private key in ${name} is encrypted — enter its passphrase to import it.`)
}

function keyError(name: string, err: unknown, passphrase?: string): ApiError {
  if (isPassphraseProblem(err)) return passphraseError(name, passphrase)
  return pemError(`${name}: the private key is damaged or in a format we cannot read — export it again as PKCS#8 or PEM.`)
}

function bad(message: string): ApiError {
  return new ApiError('VAULT_BAD_INPUT', message)
}

function pemError(message: string): ApiError {
  return new ApiError('TLS_BAD_PEM', message)
}
