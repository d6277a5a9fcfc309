/**
 * Looks at a request frame's shape before JSON.parse builds it. Parsing is the one cost zod
 * cannot bound: a 16 MB frame of eight million numbers takes seconds and gigabytes before any
 * schema sees it. One pass over the bytes counts nesting, entries per list and object, and values,
 * and stops at the first limit crossed, so a hostile frame costs a scan up to that point. Strings
 * are skipped with indexOf, so a big payload costs next to nothing. What it cannot judge (broken
 * JSON) it leaves to JSON.parse.
 */
import { MAX_REQUEST_DEPTH, MAX_REQUEST_LIST_ENTRIES, MAX_REQUEST_OBJECT_KEYS, MAX_REQUEST_VALUES } from '../api'

export interface FrameLimits {
  depth: number
  listEntries: number
  objectKeys: number
  values: number
}

export const REQUEST_FRAME_LIMITS: FrameLimits = {
  depth: MAX_REQUEST_DEPTH,
  listEntries: MAX_REQUEST_LIST_ENTRIES,
  objectKeys: MAX_REQUEST_OBJECT_KEYS,
  values: MAX_REQUEST_VALUES,
}

/** Why a frame was refused unparsed, with what could be read of it before the limit. */
export interface FrameRefusal {
  /** The request id and method, when the frame named them before the limit was crossed. */
  id: number | null
  method: string | null
  /** Where in `params` the limit was crossed, as zod writes paths ("spec.tls.alpn"); '' at the top. */
  path: string
  /** The container at `path` is a list (entries) or an object (keys). */
  container: 'list' | 'object'
  kind: 'depth' | 'entries' | 'values'
  limit: number
}

const QUOTE = 0x22
const BACKSLASH = 0x5c

interface Level {
  list: boolean
  /** Separators seen: entries - 1 once the first entry started. */
  commas: number
  /** Objects: the latest key, and whether its value is being read. */
  key: string | null
  inValue: boolean
}

/** Returns null when the frame is within the limits (or is not JSON at all: JSON.parse says so). */
export function checkFrameShape(bytes: Uint8Array, limits: FrameLimits = REQUEST_FRAME_LIMITS): FrameRefusal | null {
  const stack: Level[] = []
  let values = 0
  let id: number | null = null
  let method: string | null = null
  const decoder = new TextDecoder()

  const refuse = (kind: FrameRefusal['kind'], limit: number): FrameRefusal => {
    // Too many values in all: blame the container inside the frame holding the most entries.
    let at = kind === 'values' ? Math.min(1, stack.length - 1) : stack.length - 1
    if (kind === 'values') for (let d = at + 1; d < stack.length; d++) if (stack[d].commas > stack[at].commas) at = d
    return { id, method, path: pathOf(stack, at), container: stack[at]?.list ? 'list' : 'object', kind, limit }
  }

  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]
    if (c === QUOTE) {
      const end = closingQuote(bytes, i + 1)
      if (end < 0) return null
      const top = stack.at(-1)
      values++
      if (top && !top.list && !top.inValue) {
        top.key = decoder.decode(bytes.subarray(i + 1, Math.min(end, i + 1 + 100)))
      } else if (stack.length === 1 && top?.key === 'method') {
        method = decoder.decode(bytes.subarray(i + 1, Math.min(end, i + 1 + 100)))
      }
      i = end
    } else if (c === 0x3a /* : */) {
      const top = stack.at(-1)
      if (top) top.inValue = true
    } else if (c === 0x2c /* , */) {
      const top = stack.at(-1)
      if (!top) return null
      top.commas++
      top.inValue = false
      if (top.list ? top.commas >= limits.listEntries : top.commas >= limits.objectKeys) return refuse('entries', top.list ? limits.listEntries : limits.objectKeys)
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++values > limits.values) return refuse('values', limits.values)
      stack.push({ list: c === 0x5b, commas: 0, key: null, inValue: false })
      if (stack.length > limits.depth) return refuse('depth', limits.depth)
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) {
      stack.pop()
    } else if (c > 0x20) {
      // A number or literal: count it once, at its first byte, and read a top-level id.
      const prev = bytes[i - 1]
      if (prev === 0x3a || prev === 0x2c || prev === 0x5b || prev <= 0x20) {
        if (++values > limits.values) return refuse('values', limits.values)
        if (stack.length === 1 && stack[0].key === 'id' && id === null) id = readInteger(bytes, i)
      }
    }
  }
  return null
}

/** Index of the quote that ends a string starting at `from`, or -1 when it never ends. */
function closingQuote(bytes: Uint8Array, from: number): number {
  let at = from
  for (;;) {
    const q = bytes.indexOf(QUOTE, at)
    if (q < 0) return -1
    let slashes = 0
    while (bytes[q - 1 - slashes] === BACKSLASH) slashes++
    if (slashes % 2 === 0) return q
    at = q + 1
  }
}

function readInteger(bytes: Uint8Array, from: number): number | null {
  let n = 0
  let i = from
  for (; i < bytes.length && i - from < 16 && bytes[i] >= 0x30 && bytes[i] <= 0x39; i++) n = n * 10 + (bytes[i] - 0x30)
  return i > from && Number.isSafeInteger(n) ? n : null
}

/** The path to the open container at `at`, relative to the frame's `params`. */
function pathOf(stack: Level[], at: number): string {
  const parts: string[] = []
  for (let depth = 0; depth < at; depth++) {
    const level = stack[depth]
    parts.push(level.list ? String(level.commas) : (level.key ?? '?'))
  }
  if (parts[0] === 'params') return parts.slice(1).join('.')
  return parts.join('.')
}
