/**
 * PKCS#12 (.p12/.pfx) in and out, with node-forge for the ASN.1 and PKCS#12 key derivation.
 * Reading hands certificates and keys to node:crypto as DER, so EC and Ed25519 bundles work
 * (forge's own key objects are RSA only). Writing builds the PFX by hand for the same reason:
 * the key bag is Node's own encrypted PKCS#8 (PBES2, AES-256-CBC), the MAC is HMAC-SHA256, a
 * combination OpenSSL 3, macOS and Windows all import.
 */
import forge from 'node-forge'
import { createPrivateKey, randomBytes, X509Certificate, type KeyObject } from 'node:crypto'
import { ApiError } from '../../api/errors'

const { asn1, pki } = forge
const OID = {
  data: '1.2.840.113549.1.7.1',
  certBag: '1.2.840.113549.1.12.10.1.3',
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  keyBag: '1.2.840.113549.1.12.10.1.1',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  localKeyId: '1.2.840.113549.1.9.21',
  friendlyName: '1.2.840.113549.1.9.20',
  sha256: '2.16.840.1.101.3.4.2.1',
}
const MAC_ITERATIONS = 10_000

function fromDer(der: Buffer): forge.asn1.Asn1 {
  return asn1.fromDer(forge.util.createBuffer(der.toString('binary')), { strict: false, decodeBitStrings: false } as never)
}

function toBuffer(node: forge.asn1.Asn1): Buffer {
  return Buffer.from(asn1.toDer(node).getBytes(), 'binary')
}

/** A PFX starts SEQUENCE { INTEGER 3, SEQUENCE { OID pkcs7-data, ... } }. */
export function looksLikePkcs12(der: Buffer): boolean {
  if (der[0] !== 0x30) return false
  try {
    const root = fromDer(der)
    const [version, authSafe] = root.value as forge.asn1.Asn1[]
    const contentType = (authSafe?.value as forge.asn1.Asn1[] | undefined)?.[0]
    return (
      version?.type === asn1.Type.INTEGER && asn1.derToInteger(version.value as string) === 3 &&
      contentType?.type === asn1.Type.OID && asn1.derToOid(contentType.value as string) === OID.data
    )
  } catch {
    return false
  }
}

/** Certificates and keys of a PKCS#12 file; a wrong or missing passphrase is a TLS_KEY_PASSPHRASE. */
export function readPkcs12(name: string, der: Buffer, passphrase?: string): { certs: X509Certificate[]; keys: KeyObject[] } {
  let p12: forge.pkcs12.Pkcs12Pfx
  try {
    p12 = forge.pkcs12.pkcs12FromAsn1(fromDer(der), false, passphrase ?? '')
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err)
    if (/MAC could not be verified|Invalid password|decrypt/i.test(message)) {
      throw passphrase
        ? new ApiError('TLS_KEY_PASSPHRASE', `The passphrase does not open ${name} — check it and try again.`)
        : new ApiError('TLS_KEY_PASSPHRASE', `${name} is a PKCS#12 bundle protected by a passphrase — enter it to import.`)
    }
    throw new ApiError('TLS_BAD_PKCS12', `${name} is a PKCS#12 bundle we cannot read (${message}) — export it again with AES-256 encryption.`)
  }
  const certs: X509Certificate[] = []
  const keys: KeyObject[] = []
  try {
    for (const bag of p12.getBags({ bagType: pki.oids.certBag })[pki.oids.certBag] ?? []) {
      const node = bag.cert ? pki.certificateToAsn1(bag.cert) : (bag as { asn1?: forge.asn1.Asn1 }).asn1
      if (node) certs.push(new X509Certificate(toBuffer(node)))
    }
    for (const type of [pki.oids.pkcs8ShroudedKeyBag, pki.oids.keyBag]) {
      for (const bag of p12.getBags({ bagType: type })[type] ?? []) {
        const node = bag.key ? pki.wrapRsaPrivateKey(pki.privateKeyToAsn1(bag.key)) : (bag as { asn1?: forge.asn1.Asn1 }).asn1
        if (node) keys.push(createPrivateKey({ key: toBuffer(node), format: 'der', type: 'pkcs8' }))
      }
    }
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err)
    throw new ApiError('TLS_BAD_PKCS12', `${name} contains a certificate or key we cannot read (${message}) — export it again.`)
  }
  if (certs.length === 0 && keys.length === 0) {
    throw new ApiError('TLS_BAD_PKCS12', `${name} is an empty PKCS#12 bundle — export it again with the certificate and its private key.`)
  }
  return { certs, keys }
}

function seq(items: forge.asn1.Asn1[]): forge.asn1.Asn1 {
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, items)
}
function oid(value: string): forge.asn1.Asn1 {
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(value).getBytes())
}
function octets(bytes: Buffer | string): forge.asn1.Asn1 {
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, typeof bytes === 'string' ? bytes : bytes.toString('binary'))
}
function explicit0(node: forge.asn1.Asn1): forge.asn1.Asn1 {
  return asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [node])
}
function attributes(localKeyId: Buffer, friendlyName: string | undefined): forge.asn1.Asn1 {
  const attrs = [seq([oid(OID.localKeyId), asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, [octets(localKeyId)])])]
  if (friendlyName) {
    const bmp = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BMPSTRING, false, Buffer.from(friendlyName, 'utf16le').swap16().toString('binary'))
    attrs.push(seq([oid(OID.friendlyName), asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, [bmp])]))
  }
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, attrs)
}

/**
 * Builds an encrypted PKCS#12: the chain (leaf first, leaf tagged with the key's localKeyId)
 * and the private key encrypted under `passphrase`.
 */
export function writePkcs12(chain: X509Certificate[], key: KeyObject, passphrase: string, friendlyName?: string): Buffer {
  const localKeyId = randomBytes(20)
  const certBags = chain.map((cert, i) =>
    seq([
      oid(OID.certBag),
      explicit0(seq([oid(OID.x509Certificate), explicit0(octets(cert.raw))])),
      ...(i === 0 ? [attributes(localKeyId, friendlyName)] : []),
    ]),
  )
  const encryptedKey = key.export({ type: 'pkcs8', format: 'der', cipher: 'aes-256-cbc', passphrase })
  const keyBag = seq([oid(OID.shroudedKeyBag), explicit0(fromDer(encryptedKey)), attributes(localKeyId, friendlyName)])
  const dataContent = (safeContents: forge.asn1.Asn1[]): forge.asn1.Asn1 =>
    seq([oid(OID.data), explicit0(octets(toBuffer(seq(safeContents))))])
  const authSafe = toBuffer(seq([dataContent(certBags), dataContent([keyBag])]))

  const salt = randomBytes(16)
  const macKey = forge.pkcs12.generateKey(passphrase, forge.util.createBuffer(salt.toString('binary')), 3, MAC_ITERATIONS, 32, forge.md.sha256.create())
  const hmac = forge.hmac.create()
  hmac.start('sha256', macKey)
  hmac.update(authSafe.toString('binary'))
  const macData = seq([
    seq([seq([oid(OID.sha256), asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, '')]), octets(hmac.digest().getBytes())]),
    octets(salt),
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, asn1.integerToDer(MAC_ITERATIONS).getBytes()),
  ])
  const pfx = seq([
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, asn1.integerToDer(3).getBytes()),
    seq([oid(OID.data), explicit0(octets(authSafe))]),
    macData,
  ])
  return toBuffer(pfx)
}
