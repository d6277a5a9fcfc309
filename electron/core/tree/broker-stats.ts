/**
 * The broker-statistics panel, read from the `$SYS` branch of a tree. Mosquitto publishes under
 * `$SYS/broker/…`, aedes (with its stats plugin) under `$SYS/<broker id>/…`; both are matched by
 * what follows that second level, so other brokers with a similar layout work too.
 */
import type { BrokerStats } from '../../api/tree'
import { childNodes, pathOf, payloadOf, type TopicNode } from './topic-node'

/** `$SYS` topics listed in `raw` at most (a broker may publish hundreds). */
export const RAW_LIMIT = 200
const RAW_VALUE_CHARS = 100

type NumberField = Exclude<keyof BrokerStats, 'connectionId' | 'available' | 'version' | 'raw'>

/** Which topic suffixes (below `$SYS/<broker>/`) fill which field; the first one present wins. */
const NUMBER_FIELDS: Array<[NumberField, string[]]> = [
  ['uptimeSeconds', ['uptime']],
  ['clientsConnected', ['clients/connected', 'clients/active', 'clients/total']],
  ['messagesReceived', ['messages/received', 'messages/publish/received', 'publish/received']],
  ['messagesSent', ['messages/sent', 'messages/publish/sent', 'publish/sent']],
  ['subscriptions', ['subscriptions/count', 'subscriptions']],
  ['retainedMessages', ['retained messages/count', 'retained/count', 'messages/retained/count']],
  ['bytesReceived', ['bytes/received', 'load/bytes/received']],
  ['bytesSent', ['bytes/sent', 'load/bytes/sent']],
]
const VERSION_SUFFIXES = ['version']

/** The leading number of a `$SYS` value ("1234 seconds" → 1234), or null. */
export function leadingNumber(text: string): number | null {
  const match = /^\s*(-?\d+(?:\.\d+)?)/.exec(text)
  return match === null ? null : Number(match[1])
}

/** The statistics found below `sys` (the tree's `$SYS` node, or undefined when there is none). */
export function brokerStats(connectionId: string, sys: TopicNode | undefined): BrokerStats {
  const stats: BrokerStats = {
    connectionId,
    available: false,
    version: null,
    uptimeSeconds: null,
    clientsConnected: null,
    messagesReceived: null,
    messagesSent: null,
    subscriptions: null,
    retainedMessages: null,
    bytesReceived: null,
    bytesSent: null,
    raw: [],
  }
  if (sys === undefined || !sys.attached || sys.children === null) return stats
  // suffix below `$SYS/<broker>/` → value text; the broker level with most topics wins a clash.
  const values = new Map<string, string>()
  const stack: TopicNode[] = [...childNodes(sys)].sort((a, b) => a.subtreeTopics - b.subtreeTopics)
  while (stack.length > 0) {
    const node = stack.pop() as TopicNode
    if (node.last !== null) {
      const text = valueText(node)
      const path = pathOf(node)
      if (stats.raw.length < RAW_LIMIT) stats.raw.push({ topic: path, value: text })
      const suffix = suffixBelowBroker(path)
      if (suffix !== null && !values.has(suffix)) values.set(suffix, text)
    }
    for (const child of childNodes(node)) stack.push(child)
  }
  stats.raw.sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0))
  for (const suffix of VERSION_SUFFIXES) {
    const text = values.get(suffix)
    if (text !== undefined && text.length > 0) {
      stats.version = text
      break
    }
  }
  for (const [field, suffixes] of NUMBER_FIELDS) {
    for (const suffix of suffixes) {
      const text = values.get(suffix)
      const value = text === undefined ? null : leadingNumber(text)
      if (value !== null) {
        stats[field] = value
        break
      }
    }
  }
  stats.available = stats.raw.length > 0
  return stats
}

/** `$SYS/broker/clients/connected` → `clients/connected`; null for `$SYS/x` itself. */
function suffixBelowBroker(path: string): string | null {
  const second = path.indexOf('/', 5) // after '$SYS/'
  return second === -1 ? null : path.slice(second + 1)
}

function valueText(node: TopicNode): string {
  const last = node.last
  if (last === null) return ''
  const bytes = payloadOf(last)
  const text = bytes.toString('utf8', 0, Math.min(bytes.length, RAW_VALUE_CHARS * 4)).replace(/\s+/g, ' ').trim()
  return text.length > RAW_VALUE_CHARS ? text.slice(0, RAW_VALUE_CHARS - 1) + '…' : text
}
