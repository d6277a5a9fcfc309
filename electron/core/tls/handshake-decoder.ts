/**
 * Reads the broker's side of a handshake from the raw bytes it sent: which certificates it
 * sent (exactly, unlike getPeerCertificate which mixes in the local trust store) and whether
 * it asked for a client certificate — something Node has no API for.
 *
 * TLS 1.2 sends both in the clear. TLS 1.3 encrypts them with the server handshake traffic
 * secret, which OpenSSL hands us through the 'keylog' event; with it the records decrypt as
 * RFC 8446 §5.2/§7.3 describe (HKDF-Expand-Label → key/iv, per-record nonce, AEAD).
 * Used by the probe only: a live session never pays for a tap.
 */
import { createDecipheriv, createHmac } from 'node:crypto'

export interface ServerFlight {
  version: 'TLSv1.2' | 'TLSv1.3' | null
  /** Certificates in the order the broker sent them, leaf first (DER). */
  certificates: Buffer[]
  /** True when a CertificateRequest was seen; null when the flight could not be read that far. */
  certificateRequested: boolean | null
}

const HANDSHAKE = 22
const APPLICATION_DATA = 23
const HRR_RANDOM = Buffer.from('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c', 'hex')

const TLS13_SUITES: Record<number, { cipher: 'aes-128-gcm' | 'aes-256-gcm' | 'chacha20-poly1305'; hash: 'sha256' | 'sha384'; keyLength: number }> = {
  0x1301: { cipher: 'aes-128-gcm', hash: 'sha256', keyLength: 16 },
  0x1302: { cipher: 'aes-256-gcm', hash: 'sha384', keyLength: 32 },
  0x1303: { cipher: 'chacha20-poly1305', hash: 'sha256', keyLength: 32 },
}

/**
 * Decodes the bytes the server sent. `keyLog` are the NSS lines of this session (needed for
 * TLS 1.3 only). Stops quietly where the data ends or cannot be read.
 */
export function decodeServerFlight(inbound: Buffer, keyLog: string[]): ServerFlight {
  const flight: ServerFlight = { version: null, certificates: [], certificateRequested: null }
  let plain = Buffer.alloc(0)
  let encrypted: Buffer[] = []
  const headers: Buffer[] = []
  for (let pos = 0; pos + 5 <= inbound.length; ) {
    const type = inbound[pos]
    const length = inbound.readUInt16BE(pos + 3)
    if (pos + 5 + length > inbound.length) break
    const body = inbound.subarray(pos + 5, pos + 5 + length)
    if (type === HANDSHAKE) plain = Buffer.concat([plain, body])
    else if (type === APPLICATION_DATA) {
      encrypted.push(body)
      headers.push(inbound.subarray(pos, pos + 5))
    }
    pos += 5 + length
  }
  let messages = handshakeMessages(plain)
  const hello = [...messages].reverse().find((m) => m.type === 2 && !m.body.subarray(2, 34).equals(HRR_RANDOM))
  if (!hello) return flight
  const { version, suite } = parseServerHello(hello.body)
  flight.version = version
  if (version === 'TLSv1.3') {
    const secret = serverHandshakeSecret(keyLog)
    const params = TLS13_SUITES[suite]
    if (!secret || !params) return flight
    messages = handshakeMessages(decryptRecords(encrypted, headers, secret, params))
    encrypted = []
  }
  flight.certificateRequested = false
  for (const m of messages) {
    if (m.type === 13) flight.certificateRequested = true
    if (m.type === 11) flight.certificates = parseCertificateList(m.body, version === 'TLSv1.3')
    if (m.type === 14 || m.type === 20) break
  }
  // A TLS 1.2 flight is complete at ServerHelloDone (14); without it we did not see it all.
  if (version === 'TLSv1.2' && !messages.some((m) => m.type === 14) && !flight.certificateRequested) flight.certificateRequested = null
  return flight
}

interface HandshakeMessage {
  type: number
  body: Buffer
}

function handshakeMessages(stream: Buffer): HandshakeMessage[] {
  const out: HandshakeMessage[] = []
  for (let pos = 0; pos + 4 <= stream.length; ) {
    const length = stream.readUIntBE(pos + 1, 3)
    if (pos + 4 + length > stream.length) break
    out.push({ type: stream[pos], body: stream.subarray(pos + 4, pos + 4 + length) })
    pos += 4 + length
  }
  return out
}

function parseServerHello(body: Buffer): { version: 'TLSv1.2' | 'TLSv1.3' | null; suite: number } {
  let pos = 2 + 32
  pos += 1 + body[pos]
  const suite = body.readUInt16BE(pos)
  pos += 3
  let version: 'TLSv1.2' | 'TLSv1.3' | null = body.readUInt16BE(0) === 0x0303 ? 'TLSv1.2' : null
  if (pos + 2 <= body.length) {
    const end = pos + 2 + body.readUInt16BE(pos)
    for (pos += 2; pos + 4 <= end; ) {
      const type = body.readUInt16BE(pos)
      const len = body.readUInt16BE(pos + 2)
      // supported_versions carries the real version; legacy_version always says 1.2.
      if (type === 43 && len === 2 && body.readUInt16BE(pos + 4) === 0x0304) version = 'TLSv1.3'
      pos += 4 + len
    }
  }
  return { version, suite }
}

function serverHandshakeSecret(keyLog: string[]): Buffer | null {
  for (const line of keyLog) {
    const [label, , secret] = line.trim().split(' ')
    if (label === 'SERVER_HANDSHAKE_TRAFFIC_SECRET' && secret) return Buffer.from(secret, 'hex')
  }
  return null
}

/** HKDF-Expand-Label (RFC 8446 §7.1) for outputs no longer than one hash block. */
export function hkdfExpandLabel(hash: 'sha256' | 'sha384', secret: Buffer, label: string, length: number): Buffer {
  const full = Buffer.from(`tls13 ${label}`, 'latin1')
  const info = Buffer.concat([Buffer.from([length >> 8, length & 0xff, full.length]), full, Buffer.from([0])])
  return createHmac(hash, secret).update(Buffer.concat([info, Buffer.from([1])])).digest().subarray(0, length)
}

function decryptRecords(records: Buffer[], headers: Buffer[], secret: Buffer, params: (typeof TLS13_SUITES)[number]): Buffer {
  const key = hkdfExpandLabel(params.hash, secret, 'key', params.keyLength)
  const iv = hkdfExpandLabel(params.hash, secret, 'iv', 12)
  const parts: Buffer[] = []
  for (let seq = 0; seq < records.length; seq++) {
    const record = records[seq]
    const nonce = Buffer.from(iv)
    for (let i = 0; i < 8; i++) nonce[11 - i] ^= Number((BigInt(seq) >> BigInt(8 * i)) & 0xffn)
    try {
      const decipher = createDecipheriv(params.cipher, key, nonce, { authTagLength: 16 } as never) as ReturnType<typeof createDecipheriv> & { setAAD(b: Buffer): void; setAuthTag(b: Buffer): void }
      decipher.setAAD(headers[seq])
      decipher.setAuthTag(record.subarray(record.length - 16))
      const inner = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()])
      let end = inner.length - 1
      while (end >= 0 && inner[end] === 0) end--
      if (inner[end] !== HANDSHAKE) break
      parts.push(inner.subarray(0, end))
    } catch {
      // Past the handshake the keys change (application traffic): stop there.
      break
    }
  }
  return Buffer.concat(parts)
}

function parseCertificateList(body: Buffer, tls13: boolean): Buffer[] {
  let pos = tls13 ? 1 + body[0] : 0
  const end = pos + 3 + body.readUIntBE(pos, 3)
  const certs: Buffer[] = []
  for (pos += 3; pos + 3 <= end; ) {
    const len = body.readUIntBE(pos, 3)
    certs.push(Buffer.from(body.subarray(pos + 3, pos + 3 + len)))
    pos += 3 + len
    if (tls13) pos += 2 + body.readUInt16BE(pos)
  }
  return certs
}
