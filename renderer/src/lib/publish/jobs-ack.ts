/** The broker's answer to a publish, in words: for the history list and the direct publish buttons. */
import type { PublishOutcome } from '@api'

/** "QoS 0: not acknowledged", "Success", "No matching subscribers (0x10)", "Refused: Not authorized (0x87) — reason". */
export function ackText(outcome: Pick<PublishOutcome, 'ack' | 'qos'>): string {
  const ack = outcome.ack
  if (ack === null) return outcome.qos === 0 ? 'QoS 0: not acknowledged' : 'No acknowledgement'
  const code = ack.reasonCode === 0 ? '' : ` (0x${ack.reasonCode.toString(16).padStart(2, '0')})`
  const reason = ack.reasonString ? ` — ${ack.reasonString}` : ''
  return `${ack.accepted ? '' : 'Refused: '}${ack.reasonName}${code}${reason}`
}

/** True when the broker took the message (QoS 0 counts: nothing refuses it). */
export function ackAccepted(outcome: Pick<PublishOutcome, 'ack'>): boolean {
  return outcome.ack === null || outcome.ack.accepted
}
