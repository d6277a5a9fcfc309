/**
 * Reads a stapled OCSP response (RFC 6960) far enough to say "good / revoked / unknown" and
 * until when. It does not verify the responder's signature: OpenSSL's stapling support does not
 * either unless asked to, and the inspector only reports what the broker stapled.
 */
import type { OcspResult } from '../../api/tls'
import { children, decodeTime, readTlv } from './der'

const RESPONSE_STATUS: Array<OcspResult['responseStatus']> = ['successful', 'malformedRequest', 'internalError', 'tryLater', undefined, 'sigRequired', 'unauthorized']

/** Parses a stapled response; a response we cannot read still counts as stapled. */
export function parseOcspResponse(der: Buffer): OcspResult {
  const result: OcspResult = { requested: true, stapled: true, size: der.length }
  try {
    const [status, bytes] = children(readTlv(der))
    result.responseStatus = RESPONSE_STATUS[status.value[0]] ?? 'unknown'
    if (!bytes) return result
    // responseBytes [0] EXPLICIT SEQUENCE { responseType OID, response OCTET STRING }
    const [, octets] = children(children(bytes)[0])
    const [tbs] = children(readTlv(octets.value))
    const fields = children(tbs)
    // version [0] is optional; responderID is [1] or [2]; then producedAt, responses.
    let i = fields[0].tag === 0xa0 ? 1 : 0
    i += 2
    const single = children(children(fields[i])[0])
    const certStatus = single[1].tag & 0x1f
    result.certStatus = certStatus === 0 ? 'good' : certStatus === 1 ? 'revoked' : 'unknown'
    result.thisUpdate = decodeTime(single[2])
    const next = single.find((t) => t.tag === 0xa0)
    if (next) result.nextUpdate = decodeTime(children(next)[0])
  } catch {
    // Leave what we have: the UI says "stapled, unreadable" rather than hiding the staple.
  }
  return result
}
