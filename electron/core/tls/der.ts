/**
 * Just enough DER reading for the few fields node:crypto does not expose (a certificate's
 * signature algorithm, an OCSP response's status). Reads, never allocates copies: every value
 * is a view into the input buffer.
 */

/** One tag-length-value element. */
export interface Tlv {
  tag: number
  /** Offset of the value inside the buffer the element was read from. */
  valueStart: number
  /** Offset just past the element. */
  end: number
  value: Buffer
}

/** Reads the element starting at `offset`; throws on truncated or indefinite-length input. */
export function readTlv(buf: Buffer, offset = 0): Tlv {
  if (offset + 2 > buf.length) throw new Error('DER: truncated header')
  const tag = buf[offset]
  let length = buf[offset + 1]
  let pos = offset + 2
  if (length & 0x80) {
    const bytes = length & 0x7f
    // Indefinite lengths are BER, not DER; more than 4 length bytes is never a real certificate.
    if (bytes === 0 || bytes > 4) throw new Error('DER: unsupported length')
    if (pos + bytes > buf.length) throw new Error('DER: truncated length')
    length = 0
    for (let i = 0; i < bytes; i++) length = length * 256 + buf[pos + i]
    pos += bytes
  }
  if (pos + length > buf.length) throw new Error('DER: truncated value')
  return { tag, valueStart: pos, end: pos + length, value: buf.subarray(pos, pos + length) }
}

/** The elements inside a constructed element (SEQUENCE, SET, explicit tags). */
export function children(tlv: Tlv): Tlv[] {
  const out: Tlv[] = []
  let pos = 0
  while (pos < tlv.value.length) {
    const child = readTlv(tlv.value, pos)
    out.push(child)
    pos = child.end
  }
  return out
}

/** Dotted form of an OBJECT IDENTIFIER value. */
export function decodeOid(value: Buffer): string {
  if (value.length === 0) return ''
  const parts = [Math.floor(value[0] / 40), value[0] % 40]
  let n = 0
  for (let i = 1; i < value.length; i++) {
    n = n * 128 + (value[i] & 0x7f)
    if (!(value[i] & 0x80)) {
      parts.push(n)
      n = 0
    }
  }
  return parts.join('.')
}

/** GeneralizedTime / UTCTime value → ISO-8601, or '' when unreadable. */
export function decodeTime(tlv: Tlv): string {
  const text = tlv.value.toString('latin1')
  const m = tlv.tag === 0x17 ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?Z$/.exec(text) : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(?:\.\d+)?Z$/.exec(text)
  if (!m) return ''
  let year = Number(m[1])
  if (tlv.tag === 0x17) year += year < 50 ? 2000 : 1900
  return new Date(Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0))).toISOString()
}

const SIGNATURE_ALGORITHMS: Record<string, string> = {
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.113549.1.1.10': 'rsassaPss',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '1.3.101.112': 'ED25519',
  '1.3.101.113': 'ED448',
}

/** The outer signatureAlgorithm of a DER certificate, by the name openssl prints. */
export function certificateSignatureAlgorithm(der: Buffer): string {
  try {
    const [, algorithm] = children(readTlv(der))
    const oid = decodeOid(children(algorithm)[0].value)
    return SIGNATURE_ALGORITHMS[oid] ?? oid
  } catch {
    return 'unknown'
  }
}
