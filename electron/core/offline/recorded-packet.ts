/**
 * A recorded message as the PUBLISH packet mqtt.js would have handed the connection's message
 * tap, so the tree, the inspector and the charts read an offline message exactly as a live one:
 * user properties as mqtt-packet's object (a repeated name holds an array of its values),
 * correlation data as bytes, subscription identifiers under mqtt.js's singular name.
 */
import type { IPublishPacket } from 'mqtt'
import { publishProperties, type RecordedMessage } from '../recording/format'

export function packetOf(message: RecordedMessage): IPublishPacket {
  const packet: IPublishPacket = {
    cmd: 'publish',
    topic: message.topic,
    payload: message.payload,
    qos: message.qos,
    retain: message.retain,
    dup: message.dup,
  }
  const recorded = message.properties
  if (recorded === undefined) return packet
  const properties: NonNullable<IPublishPacket['properties']> = { ...publishProperties(recorded) }
  const ids = recorded.subscriptionIdentifiers
  if (ids !== undefined && ids.length > 0) properties.subscriptionIdentifier = ids.length === 1 ? ids[0] : ids
  if (Object.keys(properties).length > 0) packet.properties = properties
  return packet
}
