/**
 * The largest input the contract accepts, one named constant per kind of field, so a hostile or
 * runaway request is refused in time proportional to the limit, not to its own size. Arrays are
 * checked by length before their elements (zod checks an array's `.max()` first); records go
 * through `boundedRecord`, which counts keys before walking values. Each limit sits far above any
 * real use; reaching one gets BAD_REQUEST naming the field and the limit.
 */
import { z } from 'zod'

const MiB = 1024 * 1024

// ---- Transport: what one request frame may hold before it is parsed (see rpc/frame-guard.ts).
/** Bytes of one WebSocket request frame (a 16 MiB payload as base64 fits with room to spare). */
export const MAX_REQUEST_FRAME_BYTES = 64 * MiB
/** Nesting depth of a request frame; the deepest real request is under 10. */
export const MAX_REQUEST_DEPTH = 32
/** Entries of any one list in a request frame (the longest real one: expanded tree paths). */
export const MAX_REQUEST_LIST_ENTRIES = 100_000
/** Keys of any one object in a request frame (the largest real one: user properties). */
export const MAX_REQUEST_OBJECT_KEYS = 10_000
/** Values (lists, objects, strings, numbers, …) in one request frame altogether. */
export const MAX_REQUEST_VALUES = 250_000

// ---- Strings.
/** Ids the main side hands out (profiles, connections, views, jobs, probes). */
export const MAX_ID_CHARS = 200
/** Names a user gives (profiles, vault items). */
export const MAX_NAME_CHARS = 200
export const MAX_FILE_NAME_CHARS = 500
/** A file path on the user's machine (key log). */
export const MAX_PATH_CHARS = 4096
/** A host name (RFC 1035: 253 characters, rounded up). */
export const MAX_HOST_CHARS = 255
/** A WebSocket path in a broker URL. */
export const MAX_URL_PATH_CHARS = 1000
/** MQTT topic names and filters: the protocol's 16-bit length prefix, in UTF-8 bytes. */
export const MAX_TOPIC_BYTES = 65_535
/** MQTT UTF-8 strings (client id, user name, property names and values). */
export const MAX_MQTT_STRING_CHARS = 65_535
export const MAX_PASSPHRASE_CHARS = 10_000
/** One PEM text (a CA bundle or a certificate chain). */
export const MAX_PEM_CHARS = 2_000_000

// ---- Payloads.
/** Bytes of one published payload: the same 16 MiB the tree keeps per message by default. */
export const MAX_PAYLOAD_BYTES = 16 * MiB
/** The same payload as base64. */
export const MAX_PAYLOAD_BASE64_CHARS = Math.ceil(MAX_PAYLOAD_BYTES / 3) * 4
/** A will's payload: MQTT gives it a 16-bit length. */
export const MAX_WILL_PAYLOAD_BYTES = 65_535
/** One file handed over as base64 (a certificate, key or PKCS#12 file: 10 MB decoded). */
export const MAX_FILE_BASE64_CHARS = 14_000_000
/** Files of one vault import (a certificate, its chain and its key). */
export const MAX_IMPORT_FILES = 10
/** An imported profiles file (JSON text). */
export const MAX_PROFILES_FILE_CHARS = 20_000_000
/** Profiles one import may hold (and so conflicts it may list). */
export const MAX_IMPORTED_PROFILES = 10_000

// ---- Lists and records.
/** Subscriptions of one profile. */
export const MAX_SUBSCRIPTIONS = 1_000
/** Distinct MQTT 5 user property names of one message or will. */
export const MAX_USER_PROPERTIES = 1_000
/**
 * Values one user property name may repeat with. MAX_USER_PROPERTIES × this must stay within
 * MAX_REQUEST_VALUES, or a request the contract accepts over IPC is refused over WebSocket.
 */
export const MAX_USER_PROPERTY_VALUES = 100
/** ALPN protocols offered (TLS allows 2^16 bytes; real brokers want one or two). */
export const MAX_ALPN_PROTOCOLS = 16
/** One ALPN protocol name (TLS: 1..255 bytes). */
export const MAX_ALPN_CHARS = 255
/** CA certificate files or CA vault items of one profile or probe. */
export const MAX_CA_ENTRIES = 50
/** Tree paths a view may be opened with expanded. */
export const MAX_EXPANDED_PATHS = MAX_REQUEST_LIST_ENTRIES

/** UTF-8 length of a string, without allocating (both sides: no Buffer, no TextEncoder). */
export function utf8Length(text: string): number {
  let bytes = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c < 0x80) bytes += 1
    else if (c < 0x800) bytes += 2
    else if (c >= 0xd800 && c < 0xdc00 && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4
      i++
    } else bytes += 3
  }
  return bytes
}

/** True when `text` is at most `max` bytes in UTF-8; the cheap character bound is tried first. */
export function fitsUtf8(text: string, max: number): boolean {
  return text.length * 3 <= max || utf8Length(text) <= max
}

/** A topic path, name or filter: at most MAX_TOPIC_BYTES in UTF-8 (the character count is checked first). */
export const TopicString = z
  .string()
  .max(MAX_TOPIC_BYTES)
  .refine((t) => fitsUtf8(t, MAX_TOPIC_BYTES), { message: `Too big: a topic is at most ${MAX_TOPIC_BYTES} bytes in UTF-8` })

/** An id as requests carry it. */
export const IdString = z.string().min(1).max(MAX_ID_CHARS)

/** Own keys of an object, counted only up to `cap`. */
function keyCountUpTo(value: object, cap: number): number {
  let n = 0
  for (const key in value) {
    if (Object.prototype.hasOwnProperty.call(value, key) && ++n >= cap) break
  }
  return n
}

/**
 * A record of at most `maxEntries` keys. The keys are counted before any value is validated, so
 * a million-key object costs a count, not a million validations and issues.
 */
export function boundedRecord<T extends z.ZodType>(record: T, maxEntries: number): z.ZodPipe<z.ZodCustom<z.input<T>, z.input<T>>, T> {
  const counted = z.custom<z.input<T>>((value) => typeof value !== 'object' || value === null || keyCountUpTo(value, maxEntries + 1) <= maxEntries, {
    message: `Too big: expected at most ${maxEntries} entries`,
  })
  // The counted value is the record's own input: the pipe only orders the two checks.
  const bounded = counted.pipe(record as unknown as z.ZodType<z.output<T>, z.input<T>>) as unknown as z.ZodPipe<z.ZodCustom<z.input<T>, z.input<T>>, T>
  recordLimits.set(bounded, maxEntries)
  return bounded
}

const recordLimits = new WeakMap<object, number>()

/** The schema's own parts, as zod 4 keeps them (only what limitAt needs). */
interface SchemaDef {
  type: string
  shape?: Record<string, unknown>
  innerType?: unknown
  in?: unknown
  out?: unknown
  element?: unknown
  valueType?: unknown
  options?: unknown[]
  checks?: Array<{ _zod?: { def?: { check?: string; maximum?: number } } }>
}
const defOf = (schema: unknown): SchemaDef | undefined => (schema as { _zod?: { def?: SchemaDef } } | undefined)?._zod?.def

/**
 * The entry limit the schema sets at `path` (an array's `.max()`, a bounded record's key count),
 * for a refusal that happens before the schema ran (see rpc/frame-guard.ts); null if none.
 */
export function limitAt(schema: unknown, path: string[]): number | null {
  let here: unknown = schema
  for (let step = 0; step <= path.length && here; ) {
    const def = defOf(here)
    const own = recordLimits.get(here as object) ?? def?.checks?.find((c) => c._zod?.def?.check === 'max_length')?._zod?.def?.maximum
    if (!def) return null
    if (step === path.length) {
      if (typeof own === 'number') return own
      if (def.innerType) here = def.innerType
      else if (def.type === 'pipe') here = def.out
      else return null
      continue
    }
    const part = path[step]
    if (def.innerType) here = def.innerType
    else if (def.type === 'pipe') here = def.out
    else if (def.type === 'object' || def.type === 'array' || def.type === 'record') {
      here = def.type === 'object' ? def.shape?.[part] : def.type === 'array' ? def.element : def.valueType
      step++
    } else if (def.type === 'union') here = def.options?.find((o) => defOf(o)?.type === 'array' || defOf(o)?.type === 'object')
    else return null
  }
  return null
}
