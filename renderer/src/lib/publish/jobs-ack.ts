/** The broker's answer to a publish, in words: for the history list and the direct publish buttons. */
import type { PublishOutcome } from '@api'
import { t } from '../i18n'

/**
 * "QoS 0: not acknowledged", "Success", "No matching subscribers (0x10)", "Refused: Not authorized (0x87) — reason".
 * The reason's name stays the specification's English, like the code beside it: it is what brokers' logs and docs say.
 */
export function ackText(outcome: Pick<PublishOutcome, 'ack' | 'qos'>): string {
  const ack = outcome.ack
  if (ack === null) return outcome.qos === 0 ? t('publish.ack.qos0') : t('publish.ack.none')
  const code = ack.reasonCode === 0 ? '' : ` (0x${ack.reasonCode.toString(16).padStart(2, '0')})`
  const reason = ack.reasonString ? ` — ${ack.reasonString}` : ''
  const text = `${ack.reasonName}${code}${reason}`
  return ack.accepted ? text : t('publish.ack.refused', { reason: text })
}

/** True when the broker took the message (QoS 0 counts: nothing refuses it). */
export function ackAccepted(outcome: Pick<PublishOutcome, 'ack'>): boolean {
  return outcome.ack === null || outcome.ack.accepted
}
