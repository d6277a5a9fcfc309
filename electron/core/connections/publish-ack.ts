/**
 * A publish that resolves with the broker's acknowledgement in MQTT's own terms. mqtt.js calls a
 * QoS 1/2 publish back without the PUBACK/PUBREC on success (it hands over the stored PUBLISH),
 * and for QoS 2 the PUBREC that says "No matching subscribers" is gone by the time PUBCOMP
 * arrives. So every acknowledgement packet is noted as it is received (`packetreceive` runs
 * before mqtt.js handles it) and read back, by packet identifier, in the publish callback.
 */
import type { IClientPublishOptions, MqttClient, Packet } from 'mqtt'
import { ApiError, type PublishAck } from '../../api'
import { reasonName } from './mqtt-reasons'

interface AckSeen {
  reasonCode: number
  reasonString?: string
}

const seenByClient = new WeakMap<MqttClient, Map<number, AckSeen>>()

function ackLog(client: MqttClient): Map<number, AckSeen> {
  let seen = seenByClient.get(client)
  if (seen) return seen
  const log = new Map<number, AckSeen>()
  seen = log
  seenByClient.set(client, log)
  client.on('packetreceive', (packet: Packet) => {
    if (packet.cmd !== 'puback' && packet.cmd !== 'pubrec' && packet.cmd !== 'pubcomp') return
    const id = packet.messageId
    if (id === undefined) return
    const reasonCode = packet.reasonCode ?? 0
    const reasonString = packet.properties?.reasonString
    // PUBCOMP normally says only "Success": the PUBREC before it carries the answer that matters
    // ("No matching subscribers", a refusal), unless PUBCOMP itself is an error.
    const earlier = log.get(id)
    if (packet.cmd === 'pubcomp' && earlier && reasonCode < 0x80) return
    log.set(id, reasonString === undefined ? { reasonCode } : { reasonCode, reasonString })
  })
  return log
}

/** MQTT 5's name for a PUBACK/PUBREC/PUBCOMP reason code, capitalised as in the specification. */
export function ackReasonName(code: number): string {
  if (code === 0) return 'Success'
  const name = reasonName(code)
  return name.charAt(0).toUpperCase() + name.slice(1)
}

/** The acknowledgement as the contract gives it. */
export function toPublishAck(reasonCode: number, reasonString: string | undefined): PublishAck {
  const ack: PublishAck = { reasonCode, reasonName: ackReasonName(reasonCode), accepted: reasonCode < 0x80 }
  if (reasonString !== undefined) ack.reasonString = reasonString
  return ack
}

/** Called once per publish: the acknowledgement (null at QoS 0), or why it was not answered. */
export type AckCallback = (err: ApiError | null, ack: PublishAck | null) => void

/**
 * Publishes and calls back with the acknowledgement (null at QoS 0, once the packet is written).
 * A refusal (reason code ≥ 0x80) is an answer with `accepted: false`; only a publish that never
 * got one (the client closed, mqtt.js refused to send) is an error, MQTT_PUBLISH_FAILED. The
 * callback form is the repeat job's hot path; `publishAcked` wraps it in a promise.
 */
export function publishWithAck(client: MqttClient, topic: string, payload: Buffer, options: IClientPublishOptions, done: AckCallback): void {
  const qos = options.qos ?? 0
  const log = qos > 0 ? ackLog(client) : undefined
  client.publish(topic, payload, options, (err, packet) => {
    const code = (err as { code?: unknown } | undefined)?.code
    if (err && typeof code !== 'number') {
      done(new ApiError('MQTT_PUBLISH_FAILED', `The message on ${topic} was not sent (${err.message}): publish it again once the connection is up.`), null)
      return
    }
    if (qos === 0) return done(null, null)
    const id = packet?.messageId
    const seen = log && id !== undefined ? log.get(id) : undefined
    if (seen && id !== undefined) log?.delete(id)
    done(null, toPublishAck(seen?.reasonCode ?? (typeof code === 'number' ? code : 0), seen?.reasonString))
  })
}

/** {@link publishWithAck} as a promise. */
export function publishAcked(client: MqttClient, topic: string, payload: Buffer, options: IClientPublishOptions): Promise<PublishAck | null> {
  return new Promise((resolve, reject) => publishWithAck(client, topic, payload, options, (err, ack) => (err ? reject(err) : resolve(ack))))
}
