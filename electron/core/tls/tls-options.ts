/**
 * Profile TLS settings + session secrets → Node TLS options, plus our own verification of the
 * broker. Node is always told `rejectUnauthorized: false` and we judge the certificate
 * ourselves in `secureConnect`: that way the app can show a verdict (and the chain) even when
 * the user switched verification off, and every rejection carries our classified sentence.
 *
 * Inputs are validated up front with node:crypto so that a wrong passphrase or a key that does
 * not belong to the certificate is reported as such, not as an opaque handshake failure.
 */
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto'
import { isIP } from 'node:net'
import tls from 'node:tls'
import { ApiError, type SessionSecrets, type TlsSettings } from '../../api'
import { PEM_CERTIFICATE } from './cert-info'

/** TLS options ready for tls.connect, and what the caller needs to verify the broker. */
export interface PreparedTls {
  /** Everything but host/port/socket. `rejectUnauthorized` is always false (see above). */
  options: tls.ConnectionOptions
  /** Check the broker's certificate after the handshake. */
  verify: boolean
  /** The name the certificate must be valid for: the SNI override, else the host. */
  verifyName: string
  /** A client certificate is offered. */
  clientCertSent: boolean
}

/** Builds and validates the TLS options; throws a classified ApiError on bad input. */
export function prepareTls(host: string, settings: TlsSettings, secrets: SessionSecrets): PreparedTls {
  // requestOCSP asks for a stapled OCSP response the inspector shows; @types/node lacks the option.
  const options: tls.ConnectionOptions = { rejectUnauthorized: false, requestOCSP: true } as tls.ConnectionOptions

  if (settings.ca.length > 0) {
    const custom = settings.ca.flatMap((file) => certificatesOf(file.pem, file.name, 'CA certificate'))
    options.ca = settings.useSystemRoots ? [...custom, ...tls.rootCertificates] : custom
  }

  const servername = settings.servername.trim()
  const sniName = servername || host
  // RFC 6066 forbids IP addresses in SNI (and Node warns); they are still verified against.
  if (sniName && isIP(sniName) === 0) options.servername = sniName
  if (settings.alpn.length > 0) options.ALPNProtocols = [...settings.alpn]
  if (settings.minVersion) options.minVersion = settings.minVersion
  if (settings.maxVersion) options.maxVersion = settings.maxVersion
  if (settings.minVersion && settings.maxVersion && settings.minVersion > settings.maxVersion) {
    throw new ApiError('BAD_REQUEST', `The minimum TLS version (${settings.minVersion}) is above the maximum (${settings.maxVersion}): fix the profile's TLS versions.`)
  }

  let clientCertSent = false
  if (secrets.pkcs12Base64) {
    Object.assign(options, pkcs12Options(secrets.pkcs12Base64, secrets.pkcs12Passphrase, settings.pkcs12Name))
    clientCertSent = true
  } else if (settings.clientCert) {
    Object.assign(options, pemIdentity(settings.clientCert.pem, settings.clientCert.name, secrets, settings.clientKeyName))
    clientCertSent = true
  } else if (secrets.keyPem) {
    throw new ApiError('TLS_BAD_PEM', 'A client private key was given without its certificate: add the client certificate too, or remove the key.')
  }

  return { options, verify: settings.verify, verifyName: sniName, clientCertSent }
}

/**
 * Our verdict on the broker's certificate once the handshake is done: null when it is trusted
 * for `name`, else the Node error (authorizationError or checkServerIdentity's) to classify.
 */
export function verifyPeer(socket: tls.TLSSocket, name: string): Error | null {
  if (!socket.authorized) {
    const err = socket.authorizationError
    return err instanceof Error ? err : Object.assign(new Error(String(err ?? 'certificate not trusted')), { code: String(err ?? 'CERT_UNTRUSTED') })
  }
  const cert = socket.getPeerCertificate(true)
  if (!cert || !cert.raw) return Object.assign(new Error('The broker sent no certificate'), { code: 'CERT_REJECTED' })
  return tls.checkServerIdentity(name, cert) ?? null
}

/** Splits a PEM bundle into certificates, rejecting anything that does not parse. */
export function certificatesOf(pem: string, name: string, what: string): string[] {
  const blocks = pem.match(PEM_CERTIFICATE) ?? []
  if (blocks.length === 0) {
    throw new ApiError('TLS_BAD_PEM', `${label(what, name)} is not a PEM certificate: choose a file that starts with "-----BEGIN CERTIFICATE-----".`)
  }
  for (const block of blocks) {
    try {
      new X509Certificate(block)
    } catch {
      throw new ApiError('TLS_BAD_PEM', `${label(what, name)} contains a damaged certificate: export it again in PEM format.`)
    }
  }
  return blocks
}

function pemIdentity(certPem: string, certName: string, secrets: SessionSecrets, keyName?: string): tls.ConnectionOptions {
  const chain = certificatesOf(certPem, certName, 'client certificate')
  if (!secrets.keyPem) {
    throw new ApiError('SECRET_MISSING', `The client certificate needs its private key${keyName ? ` (${keyName})` : ''}: select the key file again before connecting.`)
  }
  const key = parsePrivateKey(secrets.keyPem, secrets.keyPassphrase, keyName)
  const leaf = new X509Certificate(chain[0])
  if (!leaf.checkPrivateKey(key)) {
    throw new ApiError('TLS_KEY_MISMATCH', `The private key${keyName ? ` ${keyName}` : ''} does not belong to the client certificate ${certName}: select the key that was created with this certificate.`)
  }
  const options: tls.ConnectionOptions = { cert: chain.join('\n'), key: secrets.keyPem }
  if (secrets.keyPassphrase) options.passphrase = secrets.keyPassphrase
  return options
}

function parsePrivateKey(pem: string, passphrase: string | undefined, name?: string): KeyObject {
  if (!/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(pem)) {
    throw new ApiError('TLS_BAD_PEM', `${label('client key', name)} is not a PEM private key: choose a file that starts with "-----BEGIN … PRIVATE KEY-----".`)
  }
  const encrypted = /ENCRYPTED/.test(pem)
  try {
    return createPrivateKey({ key: pem, format: 'pem', passphrase: passphrase ?? '' })
  } catch (err) {
    const code = (err as { code?: string }).code ?? ''
    const text = `${code} ${(err as Error).message}`.toLowerCase()
    if (encrypted || /passphrase|bad decrypt|decrypt/.test(text)) {
      throw new ApiError(
        'TLS_KEY_PASSPHRASE',
        passphrase ? `The passphrase for ${label('the client key', name, true)} is wrong: type it again.` : `${label('The client key', name)} is encrypted: enter its passphrase.`,
      )
    }
    throw new ApiError('TLS_BAD_PEM', `${label('The client key', name)} could not be read (${code || 'damaged PEM'}): export the key again in PEM format.`)
  }
}

function pkcs12Options(base64: string, passphrase: string | undefined, name?: string): tls.ConnectionOptions {
  const pfx = Buffer.from(base64, 'base64')
  if (pfx.length === 0) throw new ApiError('TLS_BAD_PKCS12', `${label('The PKCS#12 file', name)} is empty: choose the .p12/.pfx file again.`)
  try {
    // createSecureContext parses the bundle exactly as the handshake will, so what passes here works.
    tls.createSecureContext({ pfx, passphrase: passphrase ?? '' })
  } catch (err) {
    const text = `${(err as { code?: string }).code ?? ''} ${(err as Error).message}`.toLowerCase()
    if (/mac verify|invalid password|bad decrypt/.test(text)) {
      throw new ApiError('TLS_KEY_PASSPHRASE', passphrase ? `The passphrase for ${label('the PKCS#12 file', name, true)} is wrong: type it again.` : `${label('The PKCS#12 file', name)} is protected: enter its passphrase.`)
    }
    if (/unsupported|rc2|algorithm/.test(text)) {
      throw new ApiError('TLS_BAD_PKCS12', `${label('The PKCS#12 file', name)} uses legacy encryption (e.g. RC2/3DES) this app cannot read: export it again with AES (openssl pkcs12 -export … without -legacy).`)
    }
    throw new ApiError('TLS_BAD_PKCS12', `${label('The PKCS#12 file', name)} is not a valid PKCS#12 bundle: export the certificate and key again as .p12/.pfx.`)
  }
  const options: tls.ConnectionOptions = { pfx }
  if (passphrase) options.passphrase = passphrase
  return options
}

function label(what: string, name: string | undefined, lower = false): string {
  const base = lower ? what : what.charAt(0).toUpperCase() + what.slice(1)
  return name ? `${base} "${name}"` : base
}
