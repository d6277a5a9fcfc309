/**
 * Turns decrypted item payloads into what their consumers take: PEM for export and node:tls,
 * PKCS#12 for export. Pure functions; the callers decide where the result may go.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto'
import { ApiError } from '../../api/errors'
import type { SecretPayload } from './item-store'
import { writePkcs12 } from './pkcs12'

/** What a TLS connect needs from the vault, as node:tls takes it. Main side only. */
export interface TlsMaterial {
  ca: string[]
  /** Client chain, PEM, leaf first. */
  cert?: string
  /** Client private key, unencrypted PKCS#8 PEM. */
  key?: string
}

export function derToPem(b64: string): string {
  return new X509Certificate(Buffer.from(b64, 'base64')).toString()
}

/** The certificates of an item as PEM (public data). */
export function certificatesPem(payload: SecretPayload): string {
  if (payload.kind === 'ca-bundle') return payload.certs.map(derToPem).join('')
  if (payload.kind === 'client-identity') return payload.chain.map(derToPem).join('')
  throw new ApiError('VAULT_BAD_INPUT', 'This item is a password, not a certificate — there is nothing to export as PEM.')
}

/** A client identity as PKCS#12 encrypted under a passphrase the user chose. */
export function identityPkcs12(payload: SecretPayload, passphrase: string, name: string): Buffer {
  if (payload.kind !== 'client-identity') throw new ApiError('VAULT_BAD_INPUT', 'Only a client certificate with its private key can be exported as PKCS#12.')
  const chain = payload.chain.map((b64) => new X509Certificate(Buffer.from(b64, 'base64')))
  const key = createPrivateKey({ key: Buffer.from(payload.key, 'base64'), format: 'der', type: 'pkcs8' })
  return writePkcs12(chain, key, passphrase, name)
}

/** Adds one item's certificates or identity to the material for a connection. */
export function addToTlsMaterial(material: TlsMaterial, payload: SecretPayload): void {
  if (payload.kind === 'ca-bundle') {
    material.ca.push(...payload.certs.map(derToPem))
  } else if (payload.kind === 'client-identity') {
    if (material.key) throw new ApiError('VAULT_BAD_INPUT', 'A connection can use only one client certificate — pick one in the profile.')
    material.cert = payload.chain.map(derToPem).join('')
    material.key = createPrivateKey({ key: Buffer.from(payload.key, 'base64'), format: 'der', type: 'pkcs8' }).export({ type: 'pkcs8', format: 'pem' }).toString()
  } else {
    throw new ApiError('VAULT_BAD_INPUT', 'A password item was picked where a certificate belongs — fix the profile’s TLS settings.')
  }
}
