/**
 * The JSON Pointer (RFC 6901) of the value under a text offset, found by one forward scan of the
 * JSON text up to that offset: a stack of open objects (with the current key) and arrays (with
 * the current index). No parse tree is built, so a click in a 1 MB document costs one linear
 * pass over the characters before it. Strings are skipped with their escapes, so brackets,
 * colons and quotes inside them do not count.
 */

/** What lies under the offset. */
export interface PointedValue {
  /** RFC 6901 pointer: '' for the whole document, '/a/0/b~1c' for a.0."b/c". */
  pointer: string
  kind: 'number' | 'string' | 'literal' | 'object' | 'array' | 'key'
  /** Text offsets of the token (the key's own string for kind 'key'). */
  start: number
  end: number
  /** The number's value, for kind 'number'. */
  value?: number
}

type Frame =
  | { type: 'object'; key: string | null; expectKey: boolean }
  | { type: 'array'; index: number }

/** Escapes one reference token: '~' → '~0', then '/' → '~1' (RFC 6901 §3). */
export function escapePointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1')
}

/** Joins keys and indexes into a pointer. */
export function pointerOf(tokens: ReadonlyArray<string | number>): string {
  return tokens.map((t) => `/${escapePointerToken(String(t))}`).join('')
}

function pathOf(stack: readonly Frame[]): Array<string | number> {
  const out: Array<string | number> = []
  for (const f of stack) out.push(f.type === 'array' ? f.index : (f.key ?? ''))
  return out
}

/** End (exclusive) of the string whose opening quote is at `start`; text.length if unterminated. */
function stringEnd(text: string, start: number): number {
  let i = start + 1
  while (i < text.length) {
    const c = text.charCodeAt(i)
    if (c === 0x5c) i += 2
    else if (c === 0x22) return i + 1
    else i++
  }
  return text.length
}

const SCALAR = /[-+0-9.eE]|[a-zA-Z]/

/**
 * The value (or member key) at `offset` in `text`, or null when the offset is on whitespace,
 * punctuation, or past a point where the text stops being JSON.
 */
export function valueAtOffset(text: string, offset: number): PointedValue | null {
  if (offset < 0 || offset >= text.length) return null
  const stack: Frame[] = []
  let i = 0
  /** A value just started at the current position: the pointer names it. */
  const here = (): string => pointerOf(pathOf(stack))
  while (i < text.length && i <= offset) {
    const c = text[i]
    const top = stack.length ? stack[stack.length - 1] : null
    if (c === ' ' || c === '\n' || c === '\r' || c === '\t') {
      i++
      continue
    }
    if (c === '{' || c === '[') {
      if (i === offset) return { pointer: here(), kind: c === '{' ? 'object' : 'array', start: i, end: i + 1 }
      stack.push(c === '{' ? { type: 'object', key: null, expectKey: true } : { type: 'array', index: 0 })
      i++
      continue
    }
    if (c === '}' || c === ']') {
      stack.pop()
      // The parent's key or index still names the container just closed.
      if (i === offset) return { pointer: here(), kind: c === '}' ? 'object' : 'array', start: i, end: i + 1 }
      i++
      continue
    }
    if (c === ',') {
      if (top?.type === 'array') top.index++
      else if (top?.type === 'object') top.expectKey = true
      if (i === offset) return null
      i++
      continue
    }
    if (c === ':') {
      if (top?.type === 'object') top.expectKey = false
      if (i === offset) return null
      i++
      continue
    }
    if (c === '"') {
      const end = stringEnd(text, i)
      if (top?.type === 'object' && top.expectKey) {
        let key: string
        try {
          key = JSON.parse(text.slice(i, end)) as string
        } catch {
          return null
        }
        top.key = key
        if (offset < end) return { pointer: here(), kind: 'key', start: i, end }
      } else if (offset < end) {
        return { pointer: here(), kind: 'string', start: i, end }
      }
      i = end
      continue
    }
    if (SCALAR.test(c)) {
      let end = i + 1
      while (end < text.length && SCALAR.test(text[end])) end++
      if (offset < end) {
        const raw = text.slice(i, end)
        if (raw === 'true' || raw === 'false' || raw === 'null') return { pointer: here(), kind: 'literal', start: i, end }
        const value = Number(raw)
        if (!Number.isFinite(value) || !/^-?\d/.test(raw)) return null
        return { pointer: here(), kind: 'number', start: i, end, value }
      }
      i = end
      continue
    }
    return null
  }
  return null
}

/** The whole text is one JSON number (surrounding whitespace allowed): the payload is a bare number. */
export function isBareNumber(text: string): boolean {
  const t = text.trim()
  return t.length > 0 && t.length < 64 && /^-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?$/.test(t)
}

/** Offsets of U+FFFD in `text` (bytes that were not valid UTF-8), at most `max` of them. */
export function replacementOffsets(text: string, max = 10_000): number[] {
  const out: number[] = []
  for (let i = text.indexOf('\uFFFD'); i !== -1 && out.length < max; i = text.indexOf('\uFFFD', i + 1)) out.push(i)
  return out
}
