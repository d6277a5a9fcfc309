/**
 * Request/response on MQTT 3.1.1, where PUBLISH has no properties to carry a response topic or
 * correlation data (the Sandbox's aedes speaks only 3.1.1). The convention, ours and documented
 * as such: the request's payload is a JSON envelope
 *
 *   {"responseTopic": "…", "correlationData": "<hex>", "body": "<the payload as UTF-8 text>"}
 *
 * (`"bodyBase64"` instead of `"body"` when the payload is not UTF-8), and a reply is a JSON
 * object on the response topic whose `"correlationData"` is the same hex. MQTT 5 connections
 * never use it: there the properties say it. Pure.
 */

/** Replies larger than this are not parsed for a correlation (a reply is small by nature). */
const MAX_ENVELOPE_BYTES = 1024 * 1024

export interface RequestEnvelope {
  responseTopic: string
  correlationData: string
  body?: string
  bodyBase64?: string
}

/** The request's payload wrapped in the envelope. */
export function wrapRequest(payload: Buffer, responseTopic: string, correlationHex: string): Buffer {
  const text = utf8(payload)
  const envelope: RequestEnvelope = text === null ? { responseTopic, correlationData: correlationHex, bodyBase64: payload.toString('base64') } : { responseTopic, correlationData: correlationHex, body: text }
  return Buffer.from(JSON.stringify(envelope), 'utf8')
}

/** The envelope of a request, or null when the payload is not one. */
export function readRequest(payload: Buffer): RequestEnvelope | null {
  const value = smallJsonObject(payload)
  if (!value || typeof value.responseTopic !== 'string' || typeof value.correlationData !== 'string') return null
  if (!/^[0-9a-f]{0,512}$/i.test(value.correlationData) || value.responseTopic.length === 0 || /[+#]/.test(value.responseTopic)) return null
  const out: RequestEnvelope = { responseTopic: value.responseTopic, correlationData: value.correlationData.toLowerCase() }
  if (typeof value.body === 'string') out.body = value.body
  if (typeof value.bodyBase64 === 'string') out.bodyBase64 = value.bodyBase64
  return out
}

/** The correlation data (hex) a reply names, or null. */
export function replyCorrelation(payload: Buffer): string | null {
  const value = smallJsonObject(payload)
  return value && typeof value.correlationData === 'string' ? value.correlationData.toLowerCase() : null
}

function smallJsonObject(payload: Buffer): Record<string, unknown> | null {
  if (payload.length === 0 || payload.length > MAX_ENVELOPE_BYTES || payload[0] !== 0x7b /* { */) return null
  try {
    const value: unknown = JSON.parse(payload.toString('utf8'))
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null
  } catch {
    return null
  }
}

function utf8(bytes: Buffer): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return null
  }
}
