/**
 * The CONNACK as plain data for the TLS/session panel: session present, the reason code, and
 * every MQTT 5 property the broker actually sent. Absent properties stay absent: the panel
 * says "not sent (default applies)" rather than inventing the default.
 */
import { CONNACK_VALUE_PROPERTIES, type ConnackDetails } from '../../api/tls'
import type { ConnackPacket } from './attempt'

type Props = ConnackDetails['properties']

/** Reads a CONNACK packet from mqtt.js; `protocolVersion` is what the client asked for. */
export function connackDetails(packet: ConnackPacket, protocolVersion: 3 | 4 | 5): ConnackDetails {
  const properties: Props = {}
  const raw = packet.properties
  if (raw) {
    // Copied as they are; authenticationData stays out (binary, maybe secret).
    for (const key of CONNACK_VALUE_PROPERTIES) {
      const value = raw[key]
      if (value !== undefined) (properties as Record<string, unknown>)[key] = value
    }
    if (raw.userProperties) {
      // mqtt-packet folds repeated keys into arrays; the panel lists them as pairs, in order.
      properties.userProperties = Object.entries(raw.userProperties).flatMap(([k, v]) => (Array.isArray(v) ? v.map((one): [string, string] => [k, String(one)]) : [[k, String(v)] as [string, string]]))
    }
  }
  return {
    protocolVersion,
    sessionPresent: !!packet.sessionPresent,
    reasonCode: (protocolVersion === 5 ? packet.reasonCode : packet.returnCode) ?? 0,
    properties,
  }
}
