/**
 * MQTT 5 properties as mqtt.js parses them hold Buffers (correlationData, authenticationData),
 * which JSON (browser mode's wire) would turn into {type:'Buffer', data:[…]} arrays. The tree
 * keeps properties exactly as received (later issues replay them); this makes a JSON-safe copy
 * when they cross the wire.
 */
import type { JsonBytes } from '../../api/tree'

/** Up to this many bytes a binary value also comes as hex (easier to read than base64). */
export const HEX_MAX_BYTES = 256

/** Bytes as the wire carries them. */
export function jsonBytes(bytes: Uint8Array): JsonBytes {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const out: JsonBytes = { base64: buffer.toString('base64') }
  if (buffer.length <= HEX_MAX_BYTES) out.hex = buffer.toString('hex')
  return out
}

/**
 * A copy of `value` that JSON.stringify keeps whole: bytes → JsonBytes, bigint → string,
 * Map → object, undefined and functions left out, non-finite numbers → null.
 */
export function jsonSafe(value: unknown, depth = 0): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value
  if (typeof value === 'number') return Number.isFinite(value) ? value : null
  if (typeof value === 'bigint') return value.toString()
  if (value instanceof Uint8Array) return jsonBytes(value)
  if (typeof value !== 'object' || depth > 8) return undefined
  if (Array.isArray(value)) return value.map((v) => jsonSafe(v, depth + 1) ?? null)
  const entries = value instanceof Map ? [...value.entries()] : Object.entries(value)
  const out: Record<string, unknown> = {}
  for (const [key, v] of entries) {
    const safe = jsonSafe(v, depth + 1)
    if (safe !== undefined) out[String(key)] = safe
  }
  return out
}

/** MQTT 5 PUBLISH properties made JSON-safe; undefined when there are none. */
export function jsonSafeProperties(properties: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (properties === undefined) return undefined
  const safe = jsonSafe(properties) as Record<string, unknown>
  return Object.keys(safe).length === 0 ? undefined : safe
}
