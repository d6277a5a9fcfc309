/**
 * Profile → mqtt.js options. mqtt.js is only asked to speak MQTT over a stream we already
 * opened and verified, so reconnecting, resubscribing and transport choice are all switched off
 * here and handled by the session, which keeps the reported state honest.
 */
import { randomBytes } from 'node:crypto'
import type { IClientOptions, IClientPublishOptions, IClientSubscribeOptions } from 'mqtt'
import type { Profile, SubscriptionSpec, WillSpec } from '../../api'
import type { z } from 'zod'
import type { PublishProperties } from '../../api'

/** A client ID for profiles that leave it empty; stable for the life of one session. */
export function generateClientId(): string {
  return `mqttsx_${randomBytes(6).toString('hex')}`
}

function ignoreLog(): void {}

/** The MQTT CONNECT options for one attempt. */
export function clientOptions(profile: Profile, clientId: string, password: string | undefined, connectTimeoutMs: number): IClientOptions {
  const v5 = profile.protocolVersion === 5
  const options: IClientOptions = {
    protocolVersion: profile.protocolVersion,
    clientId,
    clean: profile.cleanStart,
    keepalive: profile.keepalive,
    connectTimeout: connectTimeoutMs,
    reconnectPeriod: 0,
    resubscribe: false,
    manualConnect: true,
    // QoS 0 publishes while offline would be sent minutes later, out of context: drop them.
    queueQoSZero: false,
  }
  // mqtt.js logs through `debug` on every packet; even disabled, that cost ~6% of the main side's
  // time under a firehose. Keep it only when a developer asks for it with DEBUG=mqttjs*.
  if (!process.env.DEBUG) options.log = ignoreLog
  if (profile.username !== undefined && profile.username !== '') options.username = profile.username
  if (password !== undefined && password !== '') options.password = password
  if (v5 && profile.sessionExpiryInterval > 0) options.properties = { sessionExpiryInterval: profile.sessionExpiryInterval }
  if (profile.will) options.will = willOptions(profile.will, v5)
  return options
}

function willOptions(will: WillSpec, v5: boolean): NonNullable<IClientOptions['will']> {
  const out: NonNullable<IClientOptions['will']> = {
    topic: will.topic,
    payload: Buffer.from(will.payload, 'utf8'),
    qos: will.qos,
    retain: will.retain,
  }
  const p = will.properties
  if (v5 && p) {
    out.properties = {
      willDelayInterval: p.willDelayInterval,
      messageExpiryInterval: p.messageExpiryInterval,
      payloadFormatIndicator: p.payloadFormatIndicator,
      contentType: p.contentType,
      responseTopic: p.responseTopic,
      correlationData: p.correlationData === undefined ? undefined : Buffer.from(p.correlationData, 'utf8'),
      userProperties: p.userProperties,
    }
    dropUndefined(out.properties as Record<string, unknown>)
  }
  return out
}

/** SUBSCRIBE options; the MQTT 5 flags are only sent to MQTT 5 brokers. */
export function subscribeOptions(spec: SubscriptionSpec, v5: boolean): IClientSubscribeOptions {
  if (!v5) return { qos: spec.qos }
  return { qos: spec.qos, nl: spec.noLocal, rap: spec.retainAsPublished, rh: spec.retainHandling }
}

/** PUBLISH options; properties only for MQTT 5. */
export function publishOptions(
  qos: 0 | 1 | 2,
  retain: boolean,
  properties: z.infer<typeof PublishProperties> | undefined,
  v5: boolean,
): IClientPublishOptions {
  const out: IClientPublishOptions = { qos, retain }
  if (v5 && properties) {
    const p: NonNullable<IClientPublishOptions['properties']> = {
      messageExpiryInterval: properties.messageExpiryInterval,
      payloadFormatIndicator: properties.payloadFormatIndicator,
      contentType: properties.contentType,
      responseTopic: properties.responseTopic,
      correlationData: properties.correlationData === undefined ? undefined : Buffer.from(properties.correlationData, 'utf8'),
      userProperties: properties.userProperties,
    }
    dropUndefined(p as Record<string, unknown>)
    out.properties = p
  }
  return out
}

// mqtt-packet writes a property for every key present, even when its value is undefined.
function dropUndefined(record: Record<string, unknown>): void {
  for (const key of Object.keys(record)) if (record[key] === undefined) delete record[key]
}
