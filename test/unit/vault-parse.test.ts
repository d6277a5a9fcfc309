import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ApiError } from '../../electron/api/errors'
import { draftItems } from '../../electron/core/vault/import-items'
import { readPkcs12, writePkcs12 } from '../../electron/core/vault/pkcs12'
import { decodeFile } from '../../electron/core/vault/parse-input'
import { TEST_PASSPHRASES } from '../fixtures/pki'
import { buildVaultInputs, type DropFile, type VaultInputs } from '../fixtures/vault-inputs'

let inputs: VaultInputs
beforeAll(async () => {
  inputs = await buildVaultInputs()
})
afterAll(async () => {
  await inputs?.cleanup()
})

function apiErrorOf(fn: () => unknown): ApiError {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(ApiError)
    return err as ApiError
  }
  throw new Error('expected an ApiError')
}

const drafts = (files: DropFile[], passphrase?: string) => draftItems(files, { passphrase })

describe('reading certificate files', () => {
  it('reads a CA bundle with several PEM certificates and orders it issuer after issued', () => {
    const [item] = drafts([inputs.caBundle])
    expect(item.kind).toBe('ca-bundle')
    expect(item.meta.certificates.map((c) => c.subject)).toEqual([
      'O=MQTTS Explorer Tests, CN=MQTTS Explorer Test Intermediate CA',
      'O=MQTTS Explorer Tests, CN=MQTTS Explorer Test Root CA',
    ])
    expect(item.meta.certificates.every((c) => c.isCA)).toBe(true)
    expect(item.meta.certificates[1].selfSigned).toBe(true)
    expect(item.meta.certificates[0].keyUsage).toContain('keyCertSign')
  })

  it('detects a DER certificate by its content even when the file is named .pem', () => {
    const decoded = decodeFile(inputs.derRootNamedPem.name, inputs.derRootNamedPem.bytes)
    expect(decoded.format).toBe('der')
    const [item] = drafts([inputs.derRootNamedPem])
    expect(item.kind).toBe('ca-bundle')
    expect(item.meta.source).toBe('der')
    expect(item.meta.name).toBe('MQTTS Explorer Test Root CA')
  })

  it('gives subject, SANs, serial, validity, fingerprint, key type and usages of a server certificate', () => {
    const [item] = drafts([{ name: 'server.crt', bytes: Buffer.from(inputs.pki.server.cert.pem + inputs.pki.root.cert.pem) }])
    const leaf = item.meta.certificates[0]
    const x = new X509Certificate(inputs.pki.server.cert.pem)
    expect(leaf.sans).toEqual(['DNS:localhost', 'IP:127.0.0.1'])
    expect(leaf.serial).toBe(x.serialNumber.toUpperCase())
    expect(leaf.fingerprint256).toBe(x.fingerprint256)
    expect(leaf.publicKey).toEqual({ type: 'ec', curve: 'prime256v1' })
    expect(leaf.extKeyUsage).toContain('serverAuth')
    expect(leaf.isCA).toBe(false)
    expect(leaf.daysLeft).toBeGreaterThan(300)
    expect(leaf.expiry).toBe('ok')
  })

  it('flags a certificate expiring within 30 days and one already expired', () => {
    const [expiring] = drafts([inputs.expiringServer, inputs.pki && { name: 'root.crt', bytes: Buffer.from(inputs.pki.root.cert.pem) }])
    expect(expiring.meta.certificates.find((c) => c.subject.includes('expiring'))?.expiry).toBe('expiring')
    const [expired] = drafts([{ name: 'expired.crt', bytes: Buffer.from(inputs.pki.expired.chain.pem + inputs.pki.root.cert.pem) }])
    const leaf = expired.meta.certificates[0]
    expect(leaf.expiry).toBe('expired')
    expect(leaf.daysLeft).toBeLessThan(0)
  })
})

describe('pairing private keys with their certificates', () => {
  const cases: Array<[string, () => DropFile[], string | undefined, Record<string, unknown>]> = [
    ['an EC key in PKCS#8', () => [inputs.ecClient.cert, inputs.ecClient.pkcs8Key], undefined, { type: 'ec', curve: 'prime256v1' }],
    ['an EC key in SEC1', () => [inputs.ecClient.cert, inputs.ecClient.sec1Key], undefined, { type: 'ec', curve: 'prime256v1' }],
    ['an encrypted PKCS#8 EC key', () => [inputs.ecClient.cert, inputs.ecClient.encryptedPkcs8Key], TEST_PASSPHRASES.clientKey, { type: 'ec' }],
    ['an RSA key in PKCS#1', () => [inputs.rsaClient.cert, inputs.rsaClient.pkcs1Key], undefined, { type: 'rsa', bits: 2048 }],
    ['an encrypted PKCS#1 RSA key', () => [inputs.rsaClient.cert, inputs.rsaClient.encryptedPkcs1Key], TEST_PASSPHRASES.clientKey, { type: 'rsa', bits: 2048 }],
    ['an Ed25519 key', () => [inputs.ed25519.cert, inputs.ed25519.key], undefined, { type: 'ed25519' }],
  ]
  for (const [label, files, passphrase, key] of cases) {
    it(`imports ${label} with its certificate as one client identity`, () => {
      const result = drafts(files(), passphrase)
      expect(result).toHaveLength(1)
      expect(result[0].kind).toBe('client-identity')
      expect(result[0].meta.key).toMatchObject(key)
      if (result[0].payload.kind !== 'client-identity') throw new Error('wrong payload')
      // The key is kept decrypted (PKCS#8) inside the envelope; it must match the leaf.
      const keyObject = createPrivateKey({ key: Buffer.from(result[0].payload.key, 'base64'), format: 'der', type: 'pkcs8' })
      const leaf = new X509Certificate(Buffer.from(result[0].payload.chain[0], 'base64'))
      expect(createPublicKey(keyObject).export({ type: 'spki', format: 'der' }).equals(leaf.publicKey.export({ type: 'spki', format: 'der' }))).toBe(true)
    })
  }

  it('keeps the intermediate in the client chain, leaf first', () => {
    const [item] = drafts([inputs.rsaClient.cert, inputs.rsaClient.pkcs1Key])
    expect(item.meta.certificates.map((c) => c.isCA)).toEqual([false, true])
  })

  it('reads a modern and a legacy (3DES/SHA-1) PKCS#12 into a client identity with its chain', () => {
    for (const file of [inputs.p12, inputs.p12Legacy]) {
      const [item] = drafts([file], TEST_PASSPHRASES.pkcs12)
      expect(item.kind).toBe('client-identity')
      expect(item.meta.source).toBe('pkcs12')
      expect(item.meta.certificates[0].subject).toContain('CN=test-client')
      expect(item.meta.certificates).toHaveLength(2)
    }
  })

  it('writes a PKCS#12 that reads back with the same key and chain', () => {
    const [item] = drafts([inputs.rsaClient.cert, inputs.rsaClient.pkcs1Key])
    if (item.payload.kind !== 'client-identity') throw new Error('wrong payload')
    const chain = item.payload.chain.map((b) => new X509Certificate(Buffer.from(b, 'base64')))
    const key = createPrivateKey({ key: Buffer.from(item.payload.key, 'base64'), format: 'der', type: 'pkcs8' })
    const p12 = writePkcs12(chain, key, 'export-pass', 'rsa-client')
    const back = readPkcs12('export.p12', p12, 'export-pass')
    expect(back.certs.map((c) => c.fingerprint256)).toEqual(chain.map((c) => c.fingerprint256))
    expect(back.keys[0].export({ type: 'pkcs8', format: 'der' }).equals(key.export({ type: 'pkcs8', format: 'der' }))).toBe(true)
  })
})

describe('bad input', () => {
  it('says a truncated PEM is cut off', () => {
    const err = apiErrorOf(() => drafts([inputs.truncatedPem]))
    expect(err.code).toBe('TLS_BAD_PEM')
    expect(err.message).toMatch(/truncated\.crt is cut off/)
  })

  it('says a PEM with a damaged body is damaged', () => {
    const err = apiErrorOf(() => drafts([inputs.badPem]))
    expect(err.code).toBe('TLS_BAD_PEM')
    expect(err.message).toMatch(/not base64/)
  })

  it('rejects 1 MB of random bytes with one sentence', () => {
    const err = apiErrorOf(() => drafts([inputs.garbage]))
    expect(err.code).toBe('VAULT_BAD_INPUT')
    expect(err.message).toBe('garbage.crt is not a certificate, private key or PKCS#12 file we can read (expected PEM, DER, .p12 or .pfx).')
  })

  it('asks for the certificate when only a key is dropped', () => {
    const err = apiErrorOf(() => drafts([inputs.ecClient.pkcs8Key]))
    expect(err.code).toBe('VAULT_BAD_INPUT')
    expect(err.message).toMatch(/private key but no certificate/)
  })

  it('says which key does not belong to the certificate', () => {
    const err = apiErrorOf(() => drafts([inputs.ecClient.cert, inputs.rsaClient.pkcs1Key]))
    expect(err.code).toBe('TLS_KEY_MISMATCH')
    expect(err.message).toMatch(/rsa-client\.key does not belong to the certificate "test-client"/)
  })

  it('asks for the passphrase of an encrypted key, and says when it is wrong', () => {
    const missing = apiErrorOf(() => drafts([inputs.ecClient.cert, inputs.ecClient.encryptedPkcs8Key]))
    expect(missing.code).toBe('TLS_KEY_PASSPHRASE')
    expect(missing.message).toMatch(/is encrypted — enter its passphrase/)
    const wrong = apiErrorOf(() => drafts([inputs.rsaClient.cert, inputs.rsaClient.encryptedPkcs1Key], 'not it'))
    expect(wrong.code).toBe('TLS_KEY_PASSPHRASE')
    expect(wrong.message).toMatch(/passphrase does not decrypt/)
  })

  it('says when a PKCS#12 passphrase is missing or wrong', () => {
    expect(apiErrorOf(() => drafts([inputs.p12])).message).toMatch(/protected by a passphrase/)
    const wrong = apiErrorOf(() => drafts([inputs.p12], 'wrong'))
    expect(wrong.code).toBe('TLS_KEY_PASSPHRASE')
    expect(wrong.message).toMatch(/passphrase does not open client\.p12/)
  })

  it('explains a PKCS#12 that holds no private key', () => {
    const err = apiErrorOf(() => drafts([inputs.p12WithoutKey], TEST_PASSPHRASES.pkcs12))
    expect(err.code).toBe('TLS_BAD_PKCS12')
    expect(err.message).toMatch(/no private key/)
  })

  it('refuses a lone leaf certificate that is neither a CA nor paired with a key', () => {
    const err = apiErrorOf(() => drafts([{ name: 'server.crt', bytes: Buffer.from(inputs.pki.server.cert.pem) }]))
    expect(err.code).toBe('VAULT_BAD_INPUT')
    expect(err.message).toMatch(/without its private key and not a CA/)
  })

  it('rejects an empty file and a certificate signing request', () => {
    expect(apiErrorOf(() => drafts([{ name: 'empty.pem', bytes: new Uint8Array() }])).message).toMatch(/is empty/)
    const csr = '-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n'
    expect(apiErrorOf(() => drafts([{ name: 'req.csr', bytes: Buffer.from(csr) }])).message).toMatch(/certificate signing request/)
  })
})

describe('encrypted keys and unlucky wrong passphrases', () => {
  it('calls a wrong passphrase a passphrase problem even when decryption yields well-padded garbage', async () => {
    const { generateKeyPairSync } = await import('node:crypto')
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const pem = privateKey.export({ type: 'sec1', format: 'pem', cipher: 'aes-128-cbc', passphrase: 'the right one' }).toString()
    // About one wrong passphrase in 256 decrypts to bytes with valid CBC padding; OpenSSL then
    // reports a parse error, not "bad decrypt". Find such a passphrase for this key.
    let unlucky: string | undefined
    for (let i = 0; i < 20_000 && !unlucky; i++) {
      try {
        createPrivateKey({ key: pem, format: 'pem', passphrase: `wrong-${i}` })
      } catch (err) {
        if (!/bad decrypt/i.test((err as Error).message)) unlucky = `wrong-${i}`
      }
    }
    expect(unlucky).toBeDefined()
    const err = (() => {
      try {
        decodeFile('client.key', Buffer.from(pem), unlucky)
      } catch (e) {
        return e as ApiError
      }
      throw new Error('decodeFile accepted a wrong passphrase')
    })()
    expect(err.code).toBe('TLS_KEY_PASSPHRASE')
  })
})
