/**
 * What every part of the demo feed speaks: messages for the broker, and sources that produce
 * them on the feed's ticks. The feed owns the one timer; a source only counts ticks, so a test
 * that speeds the feed up speeds every source up alike, and stop() has one timer to clear.
 */

/** One message for the broker. */
export interface FeedMessage {
  topic: string
  payload: Buffer
  retain: boolean
  /**
   * MQTT 5 content type, set where a real device would (application/cbor, image/png, …) and
   * left out elsewhere, so detection is shown both with and without a hint. It reaches only
   * MQTT 5 subscribers: the Sandbox's aedes speaks 3.1.1, so today it is dropped on the wire.
   */
  contentType?: string
}

/** A group of demo topics with their own cadence (a Sparkplug edge node, the CBOR sensors, …). */
export interface DemoSource {
  /** Every topic the source publishes on. */
  readonly topics: string[]
  /** What a new broker holds from the start (retained values, a first BIRTH). */
  initial(now: number): FeedMessage[]
  /** Messages for feed tick `tick` (1, 2, 3, …); most ticks return none. */
  tick(tick: number, now: number): FeedMessage[]
  /** Last words when the feed stops (a Sparkplug NDEATH); none by default. */
  final?(now: number): FeedMessage[]
  /** A client subscribed with these filters. */
  subscribed?(filters: string[]): void
  /** A client (not the feed) published this message into the broker. */
  received?(topic: string, payload: Buffer): void
}

/** Whether the MQTT filter `filter` matches `topic` (`+` one level, `#` the rest, `$` topics only when named). */
export function filterMatches(filter: string, topic: string): boolean {
  const f = filter.split('/')
  const t = topic.split('/')
  if (topic.startsWith('$') && (f[0] === '#' || f[0] === '+')) return false
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true
    if (i >= t.length) return false
    if (f[i] !== '+' && f[i] !== t[i]) return false
  }
  return f.length === t.length
}
