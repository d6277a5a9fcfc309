/**
 * The subscriptions of one session and what the broker granted for each. The book, not
 * mqtt.js, is the source of truth: after every reconnect the session replays it, so a restored
 * session always has exactly the subscriptions the user sees.
 */
import type { MqttClient } from 'mqtt'
import type { SubscriptionSpec, SubscriptionState } from '../../api'
import { ApiError } from '../../api'
import { classifySuback, reasonName } from './mqtt-reasons'
import { subscribeOptions } from './mqtt-options'
import { publishAcked } from './publish-ack'
import { validateFilter } from './topic-filter'

export class SubscriptionBook {
  private readonly entries = new Map<string, SubscriptionState>()

  constructor(
    private readonly v5: boolean,
    private readonly changed: () => void,
  ) {}

  /**
   * Adds or replaces a subscription (by filter); it is pending until a SUBACK arrives. A filter
   * that breaks MQTT's rules carries its error from the start and is never sent.
   */
  add(spec: SubscriptionSpec): void {
    const invalid = validateFilter(spec.filter)
    this.entries.set(spec.filter, invalid ? { ...spec, grantedQos: null, error: invalid } : { ...spec, grantedQos: null })
  }

  /** Forgets a subscription; false if it was not there. */
  remove(filter: string): boolean {
    return this.entries.delete(filter)
  }

  filters(): string[] {
    return [...this.entries.keys()]
  }

  states(): SubscriptionState[] {
    return [...this.entries.values()].map((s) => (s.error ? { ...s, error: { ...s.error } } : { ...s }))
  }

  /** After a lost connection nothing is granted any more; errors stay until retried. */
  markLost(): void {
    for (const s of this.entries.values()) s.grantedQos = null
  }

  /**
   * Sends SUBSCRIBE for `filters` and records the SUBACK per filter. Never throws: a refusal
   * is stored on the subscription, and a connection that dies meanwhile leaves them pending
   * for the next reconnect. Resolves after the SUBACK, the loss, or `timeoutMs`.
   */
  send(client: MqttClient, filters: string[], timeoutMs = 30_000): Promise<void> {
    const specs = filters
      .map((f) => this.entries.get(f))
      .filter((s): s is SubscriptionState => s !== undefined && s.error?.code !== 'MQTT_FILTER_INVALID')
    if (specs.length === 0) return Promise.resolve()
    for (const s of specs) s.error = undefined
    const request = Object.fromEntries(specs.map((s) => [s.filter, subscribeOptions(s, this.v5)]))
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs)
      client.subscribe(request, (_err, _granted, packet) => {
        clearTimeout(timer)
        const codes = packet?.granted
        if (codes && codes.length === specs.length) {
          const reason = this.v5 ? packet?.properties?.reasonString : undefined
          specs.forEach((s, i) => {
            // Entries replaced or removed meanwhile belong to a newer request.
            if (this.entries.get(s.filter) !== s) return
            // mqtt-packet types a granted entry loosely (number | object); only numbers are codes.
            const code = typeof codes[i] === 'number' ? (codes[i] as number) : 0x80
            if (code >= 0x80) {
              s.grantedQos = null
              s.error = classifySuback(code, s.filter, reason)
            } else {
              s.grantedQos = code as 0 | 1 | 2
              s.error = undefined
            }
          })
          this.changed()
        }
        // Without a SUBACK (connection closed) they stay pending: the reconnect replays them.
        resolve()
      })
    })
  }

  /** Sends UNSUBSCRIBE; a failure only means the connection is gone, which ends it anyway. */
  unsend(client: MqttClient, filter: string): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, 30_000)
      client.unsubscribe(filter, () => {
        clearTimeout(timer)
        resolve()
      })
    })
  }
}

/**
 * Wraps mqtt.js publish so it resolves on the broker's acknowledgement (QoS 1/2) and rejects on
 * a refusal: what `connections.publish` (and the tree's retained deletion) expect.
 */
export async function publishOn(client: MqttClient, topic: string, payload: Buffer, options: Parameters<MqttClient['publish']>[2]): Promise<void> {
  const ack = await publishAcked(client, topic, payload, options ?? {})
  if (!ack || ack.accepted) return
  const code = ack.reasonCode
  const why = `${reasonName(code)} (reason 0x${code.toString(16)})`
  throw new ApiError('MQTT_PUBLISH_FAILED', `The broker refused the message on ${topic}: ${why}; check the broker's access rules for this topic.`, { pubackCode: code })
}
