/**
 * What the editor says after a publish: QoS 0 is "sent" (nothing is acknowledged), QoS 1/2 the
 * broker's reason in the specification's words and its code, with the broker's own reason
 * string; a refusal reads as an error.
 */
import type { PublishOutcome } from '@api'
import { formatTime } from '../time/time-format'

export interface OutcomeLine {
  text: string
  /** `ok`: taken; `refused`: the broker answered with a reason code ≥ 0x80. */
  tone: 'ok' | 'refused'
  /** `0x10`-style reason code, when the broker sent one. */
  code?: string
}

/** Two hex digits, the way the MQTT 5 specification writes reason codes. */
export function reasonCodeHex(code: number): string {
  return `0x${code.toString(16).padStart(2, '0').toUpperCase()}`
}

/** The sentence for an outcome, with the time it was published (in the time format in force). */
export function outcomeLine(outcome: PublishOutcome): OutcomeLine {
  const when = formatTime(outcome.publishedAt)
  const size = `${outcome.bytes.toLocaleString('en')} byte${outcome.bytes === 1 ? '' : 's'}`
  if (outcome.ack === null) return { text: `Sent. Published to ${outcome.topic} at ${when} (${size}, QoS 0: nothing is acknowledged).`, tone: 'ok' }
  const { ack } = outcome
  const reason = ack.reasonString ? `${ack.reasonName}: “${ack.reasonString}”` : ack.reasonName
  const code = reasonCodeHex(ack.reasonCode)
  if (!ack.accepted) return { text: `Refused by the broker: ${reason}. Nothing was published to ${outcome.topic}.`, tone: 'refused', code }
  return { text: `Published to ${outcome.topic} at ${when} (${size}, QoS ${outcome.qos}), acknowledged: ${reason}.`, tone: 'ok', code }
}
