/**
 * The failure model's TLS rules: what the broker's certificate chain failed on (our verdict or
 * OpenSSL's), and the TLS alerts a broker sends (or local protocol failures), recognized by
 * code and by text (BoringSSL in Electron spells some of them differently). Pure.
 */
import { altNames } from './peer-summary'
import { chainView, failure, human, plainScheme, where, type CertView, type ChainView, type Failure, type FailureContext } from './failure-facts'

const ISSUER_CODES = new Set(['UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'CERT_UNTRUSTED'])
const INVALID_CODES = new Set(['CERT_SIGNATURE_FAILURE', 'INVALID_CA', 'INVALID_PURPOSE', 'CERT_CHAIN_TOO_LONG', 'PATH_LENGTH_EXCEEDED', 'UNABLE_TO_DECRYPT_CERT_SIGNATURE', 'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY', 'CERT_REJECTED'])
const DAY = 86_400_000

/** A failed verification of the broker's certificate, from OpenSSL's or our own verdict code. */
export function certificateFailure(code: string, ctx: FailureContext, err: unknown): Failure | null {
  const view = chainView(ctx)
  const leaf = view?.leaf
  const leafName = leaf ? ` ("${leaf.subject}")` : ''
  if (ISSUER_CODES.has(code)) return issuerFailure(code, view)
  switch (code) {
    case 'CERT_HAS_EXPIRED':
    case 'ERR_TLS_CERT_EXPIRED': {
      const cert = pick(view, 'expired')
      const ca = cert && cert.position > 0
      const now = ctx.now ?? Date.now()
      const days = cert ? Math.max(0, Math.floor((now - Date.parse(cert.validTo)) / DAY)) : null
      return failure('tls', {
        kind: 'expired',
        code: 'TLS_CERT_EXPIRED',
        title: ca ? 'A CA certificate in the chain has expired' : "The broker's certificate has expired",
        explanation: `${ca ? `The CA certificate "${cert.subject}" in the broker's chain` : `The broker's certificate${leafName}`} expired on ${human(cert?.validTo)}${days === null ? '' : ` (${days} days ago; it is now ${human(new Date(now).toISOString())})`}.`,
        fix: "The broker's administrator must renew it (or fix this computer's clock if it is wrong).",
        facts: { validTo: cert?.validTo ?? '' },
        cause: code,
      })
    }
    case 'CERT_NOT_YET_VALID': {
      const cert = pick(view, 'not-yet-valid')
      const ca = cert && cert.position > 0
      const now = ctx.now ?? Date.now()
      return failure('tls', {
        kind: 'not-yet-valid',
        code: 'TLS_CERT_NOT_YET_VALID',
        title: ca ? 'A CA certificate in the chain is not valid yet' : "The broker's certificate is not valid yet",
        explanation: `${ca ? `The CA certificate "${cert.subject}" in the broker's chain` : `The broker's certificate${leafName}`} only becomes valid on ${human(cert?.validFrom)} (it is now ${human(new Date(now).toISOString())}).`,
        fix: "Check this computer's date and time; if it is right, ask the broker's administrator to fix the certificate dates.",
        facts: { validFrom: cert?.validFrom ?? '' },
        cause: code,
      })
    }
    case 'ERR_TLS_CERT_ALTNAME_INVALID': {
      const names = leaf?.names.length ? leaf.names : leaf?.subject ? [leaf.subject] : altNames((err as { cert?: { subjectaltname?: string } } | null)?.cert?.subjectaltname)
      const target = ctx.serverName || ctx.host
      const one = names.length === 1
      const fix =
        ctx.serverName && ctx.serverName !== ctx.host
          ? `Change the TLS server name (now ${ctx.serverName})${one ? ` to ${names[0]}` : ''}.`
          : one
            ? 'Connect by that name or set the TLS server name (SNI) to it.'
            : 'Connect by one of those names or set the TLS server name (SNI) to one of them.'
      return failure('tls', {
        kind: 'hostname-mismatch',
        code: 'TLS_HOSTNAME_MISMATCH',
        title: 'The certificate is for another name',
        explanation: `The broker's certificate is for ${names.length ? names.join(', ') : 'other names'}, not ${target}.`,
        fix,
        facts: { validNames: names, checkedName: target },
        cause: code,
        detail: { validNames: names },
      })
    }
    case 'CERT_REVOKED':
      return failure('tls', {
        kind: 'certificate-invalid',
        code: 'TLS_HANDSHAKE_FAILED',
        title: "The broker's certificate has been revoked",
        explanation: `The broker's certificate${leafName} has been revoked.`,
        fix: "Do not connect until the broker's administrator replaces it.",
        cause: code,
      })
  }
  if (INVALID_CODES.has(code)) {
    const why = err instanceof Error && err.message ? err.message : code
    return failure('tls', {
      kind: 'certificate-invalid',
      code: 'TLS_HANDSHAKE_FAILED',
      title: "The broker's certificate chain did not verify",
      explanation: `The broker's certificate chain did not verify (${why}).`,
      fix: "Ask the broker's administrator to check its certificates.",
      facts: { code },
      cause: code,
    })
  }
  return null
}

/** Self-signed, missing intermediate, or a CA nobody trusts: told apart by the chain itself. */
function issuerFailure(code: string, view: ChainView | null): Failure {
  const leaf = view?.leaf
  if (code === 'DEPTH_ZERO_SELF_SIGNED_CERT' || view?.breaks.has('self-signed-leaf')) {
    return failure('tls', {
      kind: 'unknown-ca-self-signed',
      code: 'TLS_SELF_SIGNED',
      title: "The broker's certificate is self-signed",
      explanation: `The broker presents a self-signed certificate${leaf ? ` ("${leaf.subject}")` : ''} that this profile does not trust.`,
      fix: "Add that certificate as a trusted CA after checking its fingerprint with the broker's operator, or pin it; switch verification off only if you accept the risk.",
      facts: leaf?.sha256 ? { sha256: leaf.sha256 } : {},
      cause: code,
    })
  }
  // Only the leaf arrived, and it is not a root: the broker left out the intermediate(s). If the
  // broker did send intermediates, the chain is complete up to a CA we simply do not trust.
  const missing = view ? view.breaks.has('missing-intermediate') : code !== 'SELF_SIGNED_CERT_IN_CHAIN'
  if (missing) {
    const issuer = leaf?.issuer ? `"${leaf.issuer}"` : null
    return failure('tls', {
      kind: 'unknown-ca-missing-intermediate',
      code: 'TLS_CHAIN_INCOMPLETE',
      title: "The broker's chain is missing an intermediate",
      explanation: `The broker sent only its own certificate${leaf ? ` ("${leaf.subject}")` : ''}, without the intermediate CA${issuer ? ` ${issuer}` : ''} that links it to a trusted root.`,
      fix: `Configure the broker to send its full chain (mosquitto: put the intermediate after the server certificate in certfile), or, if ${issuer ?? 'that CA'} is your own CA, add it to this profile's CA certificates.`,
      facts: { missingIssuer: leaf?.issuerDn ?? '' },
      cause: code,
    })
  }
  const end = view?.certs[view.certs.length - 1]
  const rootSent = !!end?.selfSigned
  const ca = end ? `"${rootSent ? end.subject : end.issuer}"` : 'a CA'
  return failure('tls', {
    kind: 'unknown-ca',
    code: 'TLS_UNKNOWN_CA',
    title: "The broker's CA is not trusted",
    explanation: rootSent ? `The broker's certificate chain ends in the self-signed root ${ca}, which this profile does not trust.` : `The broker's certificate chain leads to ${ca}, a CA this profile does not trust.`,
    fix: "Add that CA's certificate to the profile's CA certificates (ask the broker's operator for it, or use the system roots if it is a public CA).",
    facts: { root: end ? (rootSent ? end.subjectDn : end.issuerDn) : '' },
    cause: code,
  })
}

function pick(view: ChainView | null, validity: CertView['validity']): CertView | undefined {
  return view?.certs.find((c) => c.validity === validity) ?? view?.leaf
}

/** A TLS alert from the broker, or a local protocol failure; null when the text is not about TLS. */
export function tlsAlertFailure(code: string | undefined, message: string, ctx: FailureContext): Failure | null {
  const text = `${code ?? ''} ${message}`.toLowerCase().replace(/_/g, ' ')
  if (!/ssl|tls|alert|handshake|certificate|protocol|wrong version/.test(text)) return null
  const flight = ctx.serverFlightSeen ?? (chainView(ctx) ? true : undefined)
  const cause = code
  if (/no application protocol/.test(text)) return alpnRequired(ctx, cause, false)
  const handshakeFailure = /handshake failure/.test(text)
  if (/certificate required/.test(text) || (handshakeFailure && !ctx.clientCertSent && flight !== false)) {
    return ctx.clientCertSent ? clientCertRejected(text, cause) : clientCertRequired(ctx, cause, false)
  }
  if (handshakeFailure && ctx.clientCertSent && flight === true) return clientCertRejected(text, cause)
  if (/unknown ca|bad certificate|certificate unknown|unsupported certificate|access denied|certificate revoked|certificate expired/.test(text) || (ctx.clientCertSent && /decrypt error/.test(text))) {
    return ctx.clientCertSent ? clientCertRejected(text, cause) : clientCertRequired(ctx, cause, true)
  }
  if (handshakeFailure && probablyNeedsAlpn(ctx)) return alpnRequired(ctx, cause, true)
  if (/protocol version|unsupported protocol|no protocols available|version too low|version too high|inappropriate fallback/.test(text)) {
    const allowed = `${ctx.minVersion ?? 'TLSv1.2'}–${ctx.maxVersion ?? 'TLSv1.3'}`
    return failure('tls', {
      kind: 'version-mismatch',
      code: 'TLS_VERSION_MISMATCH',
      title: 'No TLS version in common',
      explanation: `The broker at ${where(ctx)} and this profile share no TLS version (this profile allows ${allowed}).`,
      fix: 'Widen the minimum/maximum TLS version in the profile, run a probe to see which versions the broker accepts, or update the broker.',
      facts: { allowed },
      cause,
    })
  }
  if (/wrong version number|packet length too long|http request|record layer failure/.test(text)) {
    return failure('tls', {
      kind: 'not-tls',
      code: 'TLS_HANDSHAKE_FAILED',
      title: 'The port does not speak TLS',
      explanation: `Whatever listens on ${where(ctx)} answered with something that is not TLS, so it is probably a plain port.`,
      fix: `Use ${plainScheme(ctx)} there, or the broker's TLS port (often ${ctx.websocket ? '443 or 8884' : '8883'}).`,
      cause,
    })
  }
  if (handshakeFailure || /no shared cipher|insufficient security|no ciphers available/.test(text)) {
    const orCert = ctx.clientCertSent && flight === undefined
    return failure('tls', {
      kind: 'cipher-mismatch',
      code: 'TLS_HANDSHAKE_FAILED',
      title: orCert ? 'The broker refused the handshake' : 'No cipher suite in common',
      explanation: `The broker at ${where(ctx)} refused the TLS handshake, because ${orCert ? 'it accepts none of the offered ciphers, or not the client certificate' : 'it shares no cipher suite (or signature algorithm) with this client'}.`,
      fix: "Run a probe to see what the broker accepts, and check the broker's TLS settings and log; an old broker may only offer ciphers modern clients refuse.",
      cause,
    })
  }
  if (/^err ssl|^err tls|alert/.test(text.trim())) return handshakeFailed(ctx, code ?? 'TLS error', cause)
  return null
}

/** Nothing more specific is known: the handshake failed with `what`. */
export function handshakeFailed(ctx: FailureContext, what: string, cause?: string): Failure {
  return failure('tls', {
    kind: 'handshake-failed',
    code: 'TLS_HANDSHAKE_FAILED',
    title: 'The TLS handshake failed',
    explanation: `The TLS handshake with ${where(ctx)} failed (${what}).`,
    fix: "Run a probe on this broker to see which TLS versions, ALPN protocols and certificates it accepts, and check the broker's log.",
    facts: { code: cause ?? what },
    cause,
  })
}

/** Port 443 without ALPN: brokers sharing it with HTTPS pick the service by ALPN and hang up otherwise. */
export function probablyNeedsAlpn(ctx: FailureContext): boolean {
  return ctx.port === 443 && ctx.alpnOffered !== undefined && ctx.alpnOffered.length === 0
}

export function alpnRequired(ctx: FailureContext, cause: string | undefined, guess: boolean): Failure {
  const offered = ctx.alpnOffered ?? []
  return failure('tls', {
    kind: 'alpn-required',
    code: 'TLS_ALPN_REQUIRED',
    title: guess ? 'The broker probably needs ALPN on port 443' : 'The broker rejected the offered ALPN protocol',
    explanation: guess
      ? `The broker at ${where(ctx)} closed the handshake, and this profile offers no ALPN protocol (brokers that share port 443 with HTTPS pick the service by ALPN).`
      : `The broker at ${where(ctx)} requires an ALPN protocol this profile does not offer (offered: ${offered.join(', ') || 'none'}).`,
    fix: 'Set ALPN in the TLS settings to the protocol your broker documents (often "mqtt", or "x-amzn-mqtt-ca" for AWS IoT).',
    facts: guess ? {} : { offered },
    cause,
  })
}

function clientCertRequired(ctx: FailureContext, cause: string | undefined, refused: boolean): Failure {
  return failure('tls', {
    kind: 'client-cert-required',
    code: 'TLS_CLIENT_CERT_REQUIRED',
    title: 'The broker requires a client certificate',
    explanation: refused
      ? `The broker at ${where(ctx)} refused the TLS session and wants a client certificate, and this profile presented none.`
      : `The broker at ${where(ctx)} requires a client certificate, and this profile presented none.`,
    fix: "Add your certificate and private key (or a PKCS#12 file) to the profile's TLS settings.",
    cause,
  })
}

function clientCertRejected(text: string, cause: string | undefined): Failure {
  const alert = cause ? cause.replace(/^ERR_SSL_(SSLV3_|TLSV1_|TLSV13_)?(ALERT_)?/, '').toLowerCase().replace(/_/g, ' ') : 'refused'
  const expired = /certificate expired/.test(text) ? ', and says it has expired' : ''
  return failure('tls', {
    kind: 'client-cert-rejected',
    code: 'TLS_CLIENT_CERT_REJECTED',
    title: 'The broker rejected the client certificate',
    explanation: `The broker rejected the client certificate this profile presented (${alert})${expired}.`,
    fix: "Use a certificate issued by a CA the broker trusts (the CA in its cafile), check it is still valid, and that you selected its matching private key.",
    cause,
  })
}
