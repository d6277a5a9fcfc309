/**
 * Turns a failed (or untrusted) handshake into a diagnosis a person can act on: what happened
 * in plain words and how to fix it. Pure: fed with the error Node/OpenSSL raised, our own
 * verdict and the chain report, so every branch is testable without a broker.
 */
import type { ErrorCode } from '../../api/errors'
import type { ChainReport, Diagnosis, DiagnosisKind, VerificationVerdict } from '../../api/tls'

export interface DiagnosisInput {
  /** What the handshake failed with: a Node/OpenSSL error or an ApiError (anything with a code). */
  error?: { code?: string; message?: string } | null
  verdict?: VerificationVerdict | null
  chain?: ChainReport | null
  host: string
  port: number
  /** The name checked against the certificate (SNI override or host). */
  checkedName: string
  alpnOffered: string[]
  clientCertPresented: boolean
  /** The broker's first flight (certificate…) fully arrived before the failure. */
  serverFlightSeen?: boolean
  /** Versions the client allowed, when restricted. */
  minVersion?: string
  maxVersion?: string
}

const CHAIN_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
])
const CLIENT_CERT_ALERTS = new Set([
  'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA',
  'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE',
  'ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED',
  'ERR_SSL_SSLV3_ALERT_CERTIFICATE_REVOKED',
  'ERR_SSL_SSLV3_ALERT_UNSUPPORTED_CERTIFICATE',
  'ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN',
  'ERR_SSL_TLSV1_ALERT_DECRYPT_ERROR',
  'ERR_SSL_TLSV1_ALERT_ACCESS_DENIED',
])
const VERSION_CODES = new Set(['ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION', 'ERR_SSL_UNSUPPORTED_PROTOCOL', 'ERR_SSL_NO_PROTOCOLS_AVAILABLE', 'ERR_SSL_TLSV1_ALERT_INAPPROPRIATE_FALLBACK'])
const CIPHER_CODES = new Set(['ERR_SSL_NO_SHARED_CIPHER', 'ERR_SSL_SSLV3_ALERT_INSUFFICIENT_SECURITY', 'ERR_SSL_TLSV1_ALERT_INSUFFICIENT_SECURITY', 'ERR_SSL_NO_CIPHERS_AVAILABLE'])
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ERR_SSL_UNEXPECTED_EOF_WHILE_READING'])

/** The diagnosis for a failed handshake or an untrusted verdict; null when all is well. */
export function diagnose(input: DiagnosisInput): Diagnosis | null {
  const code = input.error?.code ?? ''
  if (code === 'TLS_PIN_MISMATCH') return make('pin-mismatch', 'The broker no longer matches its pin', 'The broker presented a certificate other than the one pinned for this connection, so the app stopped before sending anything.', 'Compare the two fingerprints; if the broker was re-issued on purpose, choose "Trust the new one", otherwise treat it as an interception.', {})
  if (CHAIN_CODES.has(code) || (!input.error && input.verdict && !input.verdict.trusted)) return chainDiagnosis(input, code)
  if (code === 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED' || (!input.clientCertPresented && code === 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE' && (input.serverFlightSeen ?? !!input.chain)))
    return make('client-cert-required', 'The broker requires a client certificate', 'The broker asks every client to prove who it is with a certificate, and this connection presented none.', 'Add a client certificate and its private key (or a PKCS#12 file) in the connection\'s TLS settings.', {})
  if (input.clientCertPresented && (CLIENT_CERT_ALERTS.has(code) || (code === 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE' && input.serverFlightSeen)))
    return make('client-cert-rejected', 'The broker rejected the client certificate', `The broker refused the client certificate this connection presented (${alertName(code)}): it is not issued by a CA the broker trusts, has expired, or does not match its key.`, 'Check that the client certificate is signed by the CA in the broker\'s cafile, is still valid, and that you selected the matching private key.', {})
  if (code === 'ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL')
    return make('alpn-required', 'The broker rejected the offered ALPN protocol', `The broker supports none of the application protocols offered (${input.alpnOffered.join(', ') || 'none'}).`, 'Set the ALPN protocol the broker documents (e.g. "mqtt", or "x-amzn-mqtt-ca" for AWS IoT on port 443).', { offered: input.alpnOffered })
  if (input.alpnOffered.length === 0 && input.port === 443 && (RESET_CODES.has(code) || code === 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE'))
    return make('alpn-required', 'The broker probably needs ALPN on port 443', 'Brokers that share port 443 with HTTPS decide by ALPN which service a client wants; without it they close the connection.', 'Set the ALPN protocol your broker documents (e.g. "mqtt", or "x-amzn-mqtt-ca" for AWS IoT).', {})
  if (VERSION_CODES.has(code) || code === 'ERR_SSL_WRONG_VERSION_NUMBER') {
    if (code === 'ERR_SSL_WRONG_VERSION_NUMBER')
      return make('version-mismatch', 'The port does not speak TLS', `Whatever listens on ${input.host}:${input.port} answered with something that is not TLS, usually a plain MQTT port.`, 'Use the broker\'s TLS port (often 8883), or switch the scheme to mqtt:// if this port is meant to be unencrypted.', {})
    const allowed = `${input.minVersion ?? 'TLSv1.2'}–${input.maxVersion ?? 'TLSv1.3'}`
    return make('version-mismatch', 'No TLS version in common', `The broker and this connection share no TLS version (this connection allows ${allowed}).`, 'Widen the minimum/maximum TLS version in the connection\'s TLS settings, or run a probe to see which versions the broker accepts.', { allowed })
  }
  if (CIPHER_CODES.has(code) || code === 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE')
    return make('cipher-mismatch', 'No cipher suite in common', 'The broker refused the handshake: it shares no cipher suite (or signature algorithm) with this client.', 'Run a probe to see what the broker accepts; an old broker may only offer ciphers modern clients refuse, which its operator must update.', {})
  if (!input.error) return null
  return make('handshake-failed', 'The TLS handshake failed', `The handshake with ${input.host}:${input.port} failed: ${input.error.message ?? code}.`, 'Run a probe on this broker to see which TLS versions, ALPN protocols and certificates it accepts.', { code })
}

function chainDiagnosis(input: DiagnosisInput, code: string): Diagnosis {
  const chain = input.chain
  const kinds = new Set(chain?.breaks.map((b) => b.kind) ?? [])
  const leaf = chain?.entries[0]
  const chainCode = code || input.verdict?.chainError || ''
  const expired = chain?.entries.find((e) => e.validity === 'expired')
  if (chainCode === 'CERT_HAS_EXPIRED' || (!chainCode && expired)) {
    const which = expired && expired.position > 0 ? `The CA certificate "${expired.subject}"` : "The broker's certificate"
    return make('expired', expired && expired.position > 0 ? 'A CA certificate in the chain has expired' : "The broker's certificate has expired", `${which} expired on ${expired?.validTo.slice(0, 10) ?? 'an earlier date'} (${expired ? -expired.daysLeft : '?'} days ago).`, 'The broker operator must renew the certificate. If your computer\'s clock is wrong, correct it.', { validTo: expired?.validTo ?? '' })
  }
  const early = chain?.entries.find((e) => e.validity === 'not-yet-valid')
  if (chainCode === 'CERT_NOT_YET_VALID' || (!chainCode && early))
    return make('not-yet-valid', "The broker's certificate is not valid yet", `The certificate only becomes valid on ${early?.validFrom.slice(0, 10) ?? 'a later date'}.`, "Check this computer's date and time; if it is right, the broker was given a certificate dated in the future.", { validFrom: early?.validFrom ?? '' })
  const chainFailed = chainCode !== '' && chainCode !== 'ERR_TLS_CERT_ALTNAME_INVALID'
  if (chainFailed || (input.verdict && !input.verdict.chainOk)) {
    if (chainCode === 'DEPTH_ZERO_SELF_SIGNED_CERT' || kinds.has('self-signed-leaf'))
      return make('unknown-ca-self-signed', "The broker's certificate is self-signed", `The broker uses a self-signed certificate ("${leaf?.subject ?? 'unknown'}") that is not among this connection's trusted CAs.`, "Add the broker's certificate as a trusted CA (after checking its fingerprint with the operator), or pin it.", { sha256: leaf?.sha256 ?? '' })
    if (kinds.has('missing-intermediate'))
      return make('unknown-ca-missing-intermediate', "The broker's chain is missing an intermediate", `The broker sent only "${leaf?.subject ?? 'its certificate'}", issued by "${leaf?.issuer ?? 'an unknown CA'}", but not that issuer's certificate, and it is not among the trusted CAs.`, `If "${leaf?.issuer ?? 'the issuer'}" is an intermediate CA, the broker must send it (mosquitto: put it after the server certificate in certfile); if it is your own CA, add it to the trusted CAs.`, { missingIssuer: leaf?.issuer ?? '' })
    const end = chain?.entries[chain.entries.length - 1]
    return make('unknown-ca', "The broker's CA is not trusted", `The chain ends at "${end?.issuer ?? 'an unknown CA'}", which is not among this connection's trusted CAs.`, 'Add that CA certificate to the connection\'s trusted CAs (ask the broker operator for it).', { root: end?.subject ?? '' })
  }
  const names = leaf?.sans.length ? leaf.sans : leaf ? [leaf.subject] : []
  return make('hostname-mismatch', "The certificate is for another name", `The broker's certificate is for ${names.join(', ') || 'other names'}, not ${input.checkedName}.`, `Connect using one of those names, or set the TLS server name (SNI override) to one of them.`, { validNames: names, checkedName: input.checkedName })
}

const CODES: Record<DiagnosisKind, ErrorCode> = {
  'unknown-ca-self-signed': 'TLS_SELF_SIGNED',
  'unknown-ca-missing-intermediate': 'TLS_CHAIN_INCOMPLETE',
  'unknown-ca': 'TLS_UNKNOWN_CA',
  'hostname-mismatch': 'TLS_HOSTNAME_MISMATCH',
  expired: 'TLS_CERT_EXPIRED',
  'not-yet-valid': 'TLS_CERT_NOT_YET_VALID',
  'client-cert-required': 'TLS_CLIENT_CERT_REQUIRED',
  'client-cert-rejected': 'TLS_CLIENT_CERT_REJECTED',
  'version-mismatch': 'TLS_VERSION_MISMATCH',
  'cipher-mismatch': 'TLS_HANDSHAKE_FAILED',
  'alpn-required': 'TLS_ALPN_REQUIRED',
  'pin-mismatch': 'TLS_PIN_MISMATCH',
  'handshake-failed': 'TLS_HANDSHAKE_FAILED',
}

function make(kind: DiagnosisKind, title: string, explanation: string, fix: string, facts: Diagnosis['facts']): Diagnosis {
  return { kind, code: CODES[kind], title, explanation, fix, facts }
}

function alertName(code: string): string {
  return code.replace(/^ERR_SSL_(SSLV3|TLSV1|TLSV13)_ALERT_/, '').toLowerCase().replace(/_/g, ' ')
}
