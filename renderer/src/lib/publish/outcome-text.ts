/**
 * What the editor says after a publish: QoS 0 is "sent" (nothing is acknowledged), QoS 1/2 the
 * broker's reason in the specification's words and its code, with the broker's own reason
 * string; a refusal reads as an error. Words in the UI's language; the reason's name stays the
 * specification's English, like its code.
 */
import type { PublishOutcome } from '@api'
import { formatCount } from '../format'
import { t } from '../i18n'
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
  const size = t('publish.outcome.bytes', { n: formatCount(outcome.bytes) }, outcome.bytes)
  const topic = outcome.topic
  if (outcome.ack === null) return { text: t('publish.outcome.sent', { topic, time: when, size }), tone: 'ok' }
  const { ack } = outcome
  const reason = ack.reasonString ? t('publish.outcome.reasonSaid', { name: ack.reasonName, said: ack.reasonString }) : ack.reasonName
  const code = reasonCodeHex(ack.reasonCode)
  if (!ack.accepted) return { text: t('publish.outcome.refused', { reason, topic }), tone: 'refused', code }
  return { text: t('publish.outcome.published', { topic, time: when, size, qos: outcome.qos, reason }), tone: 'ok', code }
}
