/**
 * MQTT 5 user properties as pairs. mqtt.js (mqtt-packet) parses them into an object, name →
 * value, turning a repeated name into an array of its values in wire order. So what can be kept
 * is: every value, duplicates included; the values of one name in wire order; names in the order
 * of their first appearance, except that names which are array indexes ("0", "42") come first
 * in numeric order (JavaScript orders such object keys so). The interleaving of different names
 * (a, b, a) is lost before our code sees the packet: it comes out as a, a, b.
 */
export function userPropertyPairs(properties: Record<string, unknown> | undefined): Array<[string, string]> {
  const raw = properties?.userProperties
  if (raw === null || typeof raw !== 'object') return []
  const pairs: Array<[string, string]> = []
  for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
    const values = Array.isArray(value) ? value : [value]
    for (const v of values) pairs.push([name, typeof v === 'string' ? v : String(v)])
  }
  return pairs
}
