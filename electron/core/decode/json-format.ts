/** JSON values as text: keys sorted for diffs, and a bounded one-line form for previews. */
import { setKey } from './json-safe'
import type { JsonValue } from './types'

/** A copy with every object's keys in code-point order (arrays keep their order). */
export function sortKeysDeep(value: JsonValue): JsonValue {
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return value.map(sortKeysDeep)
  const out: { [key: string]: JsonValue } = {}
  for (const k of Object.keys(value).sort()) setKey(out, k, sortKeysDeep(value[k]))
  return out
}

/** Compact JSON cut to `max` characters (ending in "…" when cut); stops walking once it is long enough. */
export function compactJson(value: JsonValue, max: number): string {
  let out = ''
  const visit = (v: JsonValue): boolean => {
    if (out.length > max) return false
    if (v === null || typeof v !== 'object') {
      out += JSON.stringify(v)
      return true
    }
    if (Array.isArray(v)) {
      out += '['
      for (let i = 0; i < v.length; i++) {
        if (i > 0) out += ','
        if (!visit(v[i])) return false
      }
      out += ']'
      return true
    }
    out += '{'
    let first = true
    for (const k of Object.keys(v)) {
      if (!first) out += ','
      first = false
      out += JSON.stringify(k) + ':'
      if (!visit(v[k])) return false
    }
    out += '}'
    return true
  }
  visit(value)
  return out.length > max ? out.slice(0, max - 1) + '…' : out
}
