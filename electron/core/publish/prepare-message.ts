/**
 * One authored message → what goes on the wire: placeholders rendered (topic and body), the
 * topic checked, the payload encoded by `core/encode`, the MQTT 5 properties mapped (or dropped
 * with a warning on MQTT 3.1.1). Throws PUBLISH_BAD_TOPIC / PUBLISH_BAD_PAYLOAD with a sentence;
 * never sends anything itself.
 */
import { randomInt, randomUUID } from 'node:crypto'
import type { IClientPublishOptions } from 'mqtt'
import { ApiError, notice, type Notice, type OutgoingMessage } from '../../api'
import { encodeDraft, renderPlaceholders, type EncodeContext, type PlaceholderValues } from '../encode'
import { hasMqtt5Properties, mqttPublishProperties } from './outgoing-properties'
import { requirePublishTopic } from './topic-rules'

export const MQTT5_DROPPED_WARNING = 'MQTT 5 properties were not sent: this connection uses MQTT 3.1.1.'

export interface PreparedMessage {
  topic: string
  payload: Buffer
  options: IClientPublishOptions
  warnings: Notice[]
}

/** Placeholder values for one message: the real clock and randomness, the given counter. */
export function liveValues(counter: number): PlaceholderValues {
  return {
    now: Date.now,
    uuid: randomUUID,
    counter,
    random: (min, max) => (Number.isInteger(min) && Number.isInteger(max) && max >= min ? randomInt(min, max + 1) : min + Math.random() * (max - min)),
  }
}

/** True when rendering may change the topic or the body (so a repeat job must prepare each message anew). */
export function usesPlaceholders(message: OutgoingMessage): boolean {
  const probe = liveValues(0)
  if (renderPlaceholders(message.topic, probe).used) return true
  return message.payload.placeholders && message.payload.format !== 'file' && renderPlaceholders(message.payload.body, probe).used
}

/** Renders, checks and encodes `message` for a connection that speaks MQTT 5 (`v5`) or not. */
export function prepareMessage(message: OutgoingMessage, values: PlaceholderValues, context: EncodeContext, v5: boolean): PreparedMessage {
  const topic = renderPlaceholders(message.topic, values).text
  requirePublishTopic(topic)
  const draft = message.payload
  const body = draft.placeholders && draft.format !== 'file' ? renderPlaceholders(draft.body, values).text : draft.body
  const encoded = encodeDraft(body === draft.body ? draft : { ...draft, body }, context)
  if (!encoded.ok) {
    const { problem } = encoded
    throw new ApiError('PUBLISH_BAD_PAYLOAD', `The payload cannot be published as ${draft.format}: ${problem.message}`, { ...problem })
  }
  const options: IClientPublishOptions = { qos: message.qos, retain: message.retain }
  const warnings: Notice[] = []
  if (hasMqtt5Properties(message.properties)) {
    if (v5) options.properties = mqttPublishProperties(message.properties)
    else warnings.push(notice('PUBLISH_MQTT5_DROPPED', MQTT5_DROPPED_WARNING))
  }
  return { topic, payload: encoded.bytes, options, warnings }
}
