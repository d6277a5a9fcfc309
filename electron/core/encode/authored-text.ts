/**
 * Authored values back to the editor's JSON text (2-space indent), written so that
 * parseAuthoredJson reads the same value: floats keep a fraction (`2.0`), big integers are
 * plain digits, non-finite floats are `{"$float": "NaN"}`.
 */
import { AuthoredFloat, isAuthoredObject, type AuthoredValue } from './authored-json'

export function floatText(v: number): string | null {
  if (!Number.isFinite(v)) return null
  if (Object.is(v, -0)) return '-0.0'
  const s = String(v)
  return /[.eE]/.test(s) ? s : s + '.0'
}

function write(v: AuthoredValue, indent: string, out: string[]): void {
  if (v === null || typeof v === 'boolean') return void out.push(String(v))
  if (typeof v === 'number' || typeof v === 'bigint') return void out.push(String(v))
  if (typeof v === 'string') return void out.push(JSON.stringify(v))
  if (v instanceof AuthoredFloat) {
    const text = floatText(v.value)
    return void out.push(text ?? `{ "$float": ${JSON.stringify(String(v.value))} }`)
  }
  const inner = indent + '  '
  if (Array.isArray(v)) {
    if (v.length === 0) return void out.push('[]')
    // Short lists of plain values on one line: `$map` pairs, coordinates, small number lists.
    if (v.length <= 16 && v.every(isScalar)) {
      const parts: string[] = []
      for (const item of v) write(item, '', parts)
      const line = `[${parts.join(', ')}]`
      if (line.length <= 72) return void out.push(line)
    }
    out.push('[\n')
    v.forEach((item, i) => {
      out.push(inner)
      write(item, inner, out)
      out.push(i < v.length - 1 ? ',\n' : '\n')
    })
    out.push(indent, ']')
    return
  }
  if (!isAuthoredObject(v)) return
  if (v.size === 0) return void out.push('{}')
  out.push('{\n')
  let i = 0
  for (const [key, value] of v) {
    out.push(inner, JSON.stringify(key), ': ')
    write(value, inner, out)
    out.push(++i < v.size ? ',\n' : '\n')
  }
  out.push(indent, '}')
}

const isScalar = (v: AuthoredValue): boolean => v === null || typeof v !== 'object' || v instanceof AuthoredFloat

/** The JSON text of an authored value. */
export function authoredText(v: AuthoredValue): string {
  const out: string[] = []
  write(v, '', out)
  return out.join('')
}

/** A one-key marker object, e.g. `{"$base64": "…"}`. */
export const marker = (key: string, value: AuthoredValue): AuthoredValue => new Map([[key, value]])
