/**
 * JSON Pointer (RFC 6901): the address of one value inside a JSON document, e.g.
 * `/metrics/0/value` or `/a~1b` (key "a/b"). Keys with dots need no escaping, unlike dotted
 * paths. Pure and shared: the main side evaluates pointers for chart series, the renderer builds
 * them when a user clicks a number in the decoded view.
 */

/**
 * The reference tokens of a pointer, unescaped (`~1` → `/`, then `~0` → `~`); '' is the whole
 * document (no tokens). Null when the text is not a pointer: it must be empty or start with '/',
 * and every `~` must be followed by 0 or 1.
 */
export function parseJsonPointer(pointer: string): string[] | null {
  if (pointer === '') return []
  if (pointer[0] !== '/') return null
  const tokens = pointer.slice(1).split('/')
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]
    if (!token.includes('~')) continue
    if (/~(?![01])/.test(token)) return null
    // Order matters (RFC 6901 §4): `~01` is the key "~1", not "/".
    tokens[i] = token.replace(/~1/g, '/').replace(/~0/g, '~')
  }
  return tokens
}

/** The pointer for a path of keys and array indexes: `~` → `~0`, `/` → `~1`. */
export function formatJsonPointer(path: readonly (string | number)[]): string {
  let out = ''
  for (const part of path) out += '/' + String(part).replace(/~/g, '~0').replace(/\//g, '~1')
  return out
}

/** An array index token: "0" or digits without a leading zero (RFC 6901 §4). */
const ARRAY_INDEX = /^(0|[1-9][0-9]*)$/

/**
 * The value the tokens point at, or undefined when there is none (a missing key, an index past
 * the end, `-`, or a step into a number or string). Only own keys count: `/constructor` of
 * `{}` is nothing, not Object's constructor.
 */
export function evaluateJsonPointer(document: unknown, tokens: readonly string[]): unknown {
  let current: unknown = document
  for (const token of tokens) {
    if (Array.isArray(current)) {
      if (!ARRAY_INDEX.test(token)) return undefined
      const index = Number(token)
      if (index >= current.length) return undefined
      current = current[index]
    } else if (current !== null && typeof current === 'object') {
      if (!Object.prototype.hasOwnProperty.call(current, token)) return undefined
      current = (current as Record<string, unknown>)[token]
    } else {
      return undefined
    }
  }
  return current
}
