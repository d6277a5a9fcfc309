/**
 * Which topic names one may publish to, per MQTT (3.1.1 §4.7, 5.0 §4.7): at least one
 * character, no wildcard anywhere, no NUL, at most 65,535 bytes in UTF-8. Empty levels (`a//b`,
 * `/a`) are legal topic names and are kept. Pure.
 */
import { ApiError, MAX_TOPIC_BYTES } from '../../api'

/** Why `topic` cannot be published to, or null when it can. */
export function publishTopicProblem(topic: string): string | null {
  if (topic.length === 0) return 'the topic is empty; give it at least one character'
  if (topic.includes('#') || topic.includes('+')) return 'a topic one publishes to cannot hold the wildcards + or # (they are for subscriptions); write the exact topic'
  if (topic.includes('\u0000')) return 'the topic holds a NUL character, which MQTT forbids'
  if (Buffer.byteLength(topic, 'utf8') > MAX_TOPIC_BYTES) return `the topic is longer than MQTT's ${MAX_TOPIC_BYTES.toLocaleString('en-US')} bytes`
  return null
}

/** Throws PUBLISH_BAD_TOPIC with the reason when `topic` cannot be published to. */
export function requirePublishTopic(topic: string): void {
  const problem = publishTopicProblem(topic)
  if (problem === null) return
  const shown = topic.length > 80 ? `${topic.slice(0, 77)}…` : topic
  throw new ApiError('PUBLISH_BAD_TOPIC', `Cannot publish to "${shown}": ${problem}.`, { reason: problem })
}
