/**
 * A received (stored) message → an editor draft: topic, payload, QoS, retain and the MQTT 5
 * properties it carried. The payload becomes JSON when it is valid UTF-8 JSON, text when it is
 * other valid UTF-8, else hex, which republishes the exact bytes. (The encoders' richer
 * `draftFromDecoded` — CBOR, Protobuf, Sparkplug as their JSON forms — replaces the payload part
 * once it exists.) Pure.
 */
import { notice, noticesMessage, type CorrelationData, type MessageDraft, type Notice, type OutgoingMessage, type OutgoingProperties, type UserProperty } from '../../api'
import type { StoredMessage } from '../tree/topic-node'
import { payloadOf } from '../tree/topic-node'

export function draftFromStored(topic: string, message: StoredMessage): MessageDraft {
  const bytes = payloadOf(message)
  const notes: Notice[] = []
  let payload: OutgoingMessage['payload']
  const text = strictUtf8(bytes)
  if (text !== null && isJson(text)) payload = { format: 'json', body: text, gzip: false, placeholders: false }
  else if (text !== null) payload = { format: 'text', body: text, gzip: false, placeholders: false }
  else {
    payload = { format: 'hex', body: hexLines(bytes), gzip: false, placeholders: false }
    notes.push(notice('DRAFT_BINARY_AS_HEX', 'The payload is binary, so it is shown as hex; it is published as these exact bytes.'))
  }
  if (message.truncated) notes.push(notice('DRAFT_TRUNCATED', `Only the first ${message.length.toLocaleString('en-US')} of ${message.size.toLocaleString('en-US')} bytes were stored, so only those are in the editor.`, { stored: message.length, size: message.size }))
  const draft: MessageDraft = { message: { topic, payload, qos: message.qos, retain: message.retain, properties: propertiesOf(message.properties) } }
  if (notes.length > 0) {
    draft.note = noticesMessage(notes)
    draft.noteNotices = notes
  }
  return draft
}

function strictUtf8(bytes: Buffer): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return null
  }
}

function isJson(text: string): boolean {
  const first = text.trimStart()[0]
  if (first !== '{' && first !== '[') return false
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

/** Hex in lines of 32 bytes, so a large payload stays readable in the editor. */
function hexLines(bytes: Buffer): string {
  const hex = bytes.toString('hex')
  const lines: string[] = []
  for (let i = 0; i < hex.length; i += 64) lines.push(hex.slice(i, i + 64))
  return lines.join('\n')
}

function propertiesOf(raw: Record<string, unknown> | undefined): OutgoingProperties {
  const out: OutgoingProperties = { userProperties: [] }
  if (!raw) return out
  if (typeof raw.payloadFormatIndicator === 'boolean') out.payloadFormatIndicator = raw.payloadFormatIndicator
  if (typeof raw.contentType === 'string') out.contentType = raw.contentType
  if (typeof raw.messageExpiryInterval === 'number') out.messageExpiryInterval = raw.messageExpiryInterval
  if (typeof raw.responseTopic === 'string') out.responseTopic = raw.responseTopic
  if (raw.correlationData instanceof Uint8Array) out.correlationData = correlationOf(Buffer.from(raw.correlationData))
  const user = raw.userProperties
  if (user && typeof user === 'object') {
    const list: UserProperty[] = []
    for (const [name, value] of Object.entries(user as Record<string, unknown>)) {
      for (const v of Array.isArray(value) ? value : [value]) list.push({ name, value: String(v) })
    }
    out.userProperties = list
  }
  return out
}

function correlationOf(bytes: Buffer): CorrelationData {
  const text = strictUtf8(bytes)
  return text !== null && !/[\u0000-\u001f\u007f]/.test(text) ? { encoding: 'utf8', value: text } : { encoding: 'hex', value: bytes.toString('hex') }
}
