/**
 * The editor's MQTT 5 properties → mqtt.js's PUBLISH properties. Pure.
 *
 * User properties: MQTT 5 keeps them as an ordered list in which a name may repeat. mqtt.js
 * takes an object (name → value, or name → values for a repeated name) and writes its entries in
 * key order, each array in its order. So the names keep the order of their first appearance and
 * every value of a name is kept, in order, but a list that interleaves names (a=1, b=2, a=3) is
 * sent grouped (a=1, a=3, b=2): mqtt.js cannot write it otherwise.
 */
import type { IClientPublishOptions } from 'mqtt'
import type { CorrelationData, OutgoingProperties, UserProperty } from '../../api'
import { ApiError } from '../../api'

type MqttPublishProperties = NonNullable<IClientPublishOptions['properties']>

/** Correlation data as bytes; PUBLISH_BAD_PAYLOAD when hex is not hex. */
export function correlationBytes(data: CorrelationData): Buffer {
  if (data.encoding === 'utf8') return Buffer.from(data.value, 'utf8')
  const digits = data.value.replace(/\s+/g, '').replace(/^0x/i, '')
  if (digits.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(digits)) {
    throw new ApiError('PUBLISH_BAD_PAYLOAD', 'The correlation data is not hex: write pairs of the digits 0-9 and a-f, or switch it to text.', { field: 'correlationData' })
  }
  return Buffer.from(digits, 'hex')
}

/** The ordered list as mqtt.js's object (see the module comment for what grouping means). */
export function userPropertiesObject(list: readonly UserProperty[]): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>
  for (const { name, value } of list) {
    const held = out[name]
    if (held === undefined) out[name] = value
    else if (Array.isArray(held)) held.push(value)
    else out[name] = [held, value]
  }
  return out
}

/** True when any MQTT 5 property is set (so a 3.1.1 connection must warn that it drops them). */
export function hasMqtt5Properties(p: OutgoingProperties): boolean {
  return (
    p.payloadFormatIndicator !== undefined ||
    p.contentType !== undefined ||
    p.messageExpiryInterval !== undefined ||
    p.topicAlias !== undefined ||
    p.responseTopic !== undefined ||
    p.correlationData !== undefined ||
    p.userProperties.length > 0
  )
}

/** mqtt.js's PUBLISH properties; only the keys that are set (mqtt-packet writes every key present). */
export function mqttPublishProperties(p: OutgoingProperties): MqttPublishProperties {
  const out: MqttPublishProperties = {}
  if (p.payloadFormatIndicator !== undefined) out.payloadFormatIndicator = p.payloadFormatIndicator
  if (p.contentType !== undefined) out.contentType = p.contentType
  if (p.messageExpiryInterval !== undefined) out.messageExpiryInterval = p.messageExpiryInterval
  if (p.topicAlias !== undefined) out.topicAlias = p.topicAlias
  if (p.responseTopic !== undefined) out.responseTopic = p.responseTopic
  if (p.correlationData !== undefined) out.correlationData = correlationBytes(p.correlationData)
  if (p.userProperties.length > 0) out.userProperties = userPropertiesObject(p.userProperties)
  return out
}
