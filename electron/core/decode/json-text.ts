/**
 * JSON as text, without building the value: a strict validator (RFC 8259) and a single-pass
 * re-indenter that copies strings and numbers exactly as sent. Both are for payloads too big to
 * parse quickly; small JSON goes through JSON.parse.
 */

const enum C {
  Tab = 0x09, Lf = 0x0a, Cr = 0x0d, Space = 0x20, Quote = 0x22, Comma = 0x2c, Minus = 0x2d, Dot = 0x2e,
  Zero = 0x30, Nine = 0x39, Colon = 0x3a, OpenBracket = 0x5b, Backslash = 0x5c, CloseBracket = 0x5d,
  OpenBrace = 0x7b, CloseBrace = 0x7d, LowerE = 0x65, UpperE = 0x45, Plus = 0x2b,
}

const isWs = (c: number) => c === C.Space || c === C.Lf || c === C.Cr || c === C.Tab
const isDigit = (c: number) => c >= C.Zero && c <= C.Nine
const isHex = (c: number) => isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)

/** End index (after the closing quote) of the string starting at `i` (a quote), or -1. */
function skipString(s: string, i: number): number {
  const n = s.length
  i++
  while (i < n) {
    const c = s.charCodeAt(i)
    if (c === C.Quote) return i + 1
    if (c === C.Backslash) {
      const e = s.charCodeAt(i + 1)
      if (e === 0x75) {
        if (!(isHex(s.charCodeAt(i + 2)) && isHex(s.charCodeAt(i + 3)) && isHex(s.charCodeAt(i + 4)) && isHex(s.charCodeAt(i + 5)))) return -1
        i += 6
      } else if (e === C.Quote || e === C.Backslash || e === 0x2f || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74) i += 2
      else return -1
    } else if (c < 0x20) return -1
    else i++
  }
  return -1
}

/** End index of the number starting at `i`, or -1. */
function skipNumber(s: string, i: number): number {
  if (s.charCodeAt(i) === C.Minus) i++
  if (s.charCodeAt(i) === C.Zero) i++
  else if (isDigit(s.charCodeAt(i))) while (isDigit(s.charCodeAt(i))) i++
  else return -1
  if (s.charCodeAt(i) === C.Dot) {
    i++
    if (!isDigit(s.charCodeAt(i))) return -1
    while (isDigit(s.charCodeAt(i))) i++
  }
  const e = s.charCodeAt(i)
  if (e === C.LowerE || e === C.UpperE) {
    i++
    const sign = s.charCodeAt(i)
    if (sign === C.Plus || sign === C.Minus) i++
    if (!isDigit(s.charCodeAt(i))) return -1
    while (isDigit(s.charCodeAt(i))) i++
  }
  return i
}

function skipLiteral(s: string, i: number): number {
  for (const word of ['true', 'false', 'null']) if (s.startsWith(word, i)) return i + word.length
  return -1
}

/** End index of the scalar (string, number, literal) at `i`, or -1. */
function skipScalar(s: string, i: number): number {
  const c = s.charCodeAt(i)
  if (c === C.Quote) return skipString(s, i)
  if (c === C.Minus || isDigit(c)) return skipNumber(s, i)
  return skipLiteral(s, i)
}

/** Whether `s` is exactly one JSON value (any type), surrounded by optional whitespace. */
export function isJsonText(s: string): boolean {
  const n = s.length
  // Expectation stack: for each open container, whether it is an object (keys) or an array.
  const stack: boolean[] = []
  let i = 0
  const ws = () => { while (i < n && isWs(s.charCodeAt(i))) i++ }
  // state: 0 = expect a value, 1 = after a value
  ws()
  for (;;) {
    // expect a value
    let c = s.charCodeAt(i)
    if (c === C.OpenBrace || c === C.OpenBracket) {
      const isObject = c === C.OpenBrace
      i++
      ws()
      if (s.charCodeAt(i) === (isObject ? C.CloseBrace : C.CloseBracket)) {
        i++
      } else {
        stack.push(isObject)
        if (isObject) {
          if (s.charCodeAt(i) !== C.Quote) return false
          i = skipString(s, i)
          if (i < 0) return false
          ws()
          if (s.charCodeAt(i) !== C.Colon) return false
          i++
          ws()
        }
        continue
      }
    } else {
      i = skipScalar(s, i)
      if (i < 0) return false
    }
    // after a value
    for (;;) {
      ws()
      if (stack.length === 0) return i === n
      c = s.charCodeAt(i)
      const inObject = stack[stack.length - 1]
      if (c === C.Comma) {
        i++
        ws()
        if (inObject) {
          if (s.charCodeAt(i) !== C.Quote) return false
          i = skipString(s, i)
          if (i < 0) return false
          ws()
          if (s.charCodeAt(i) !== C.Colon) return false
          i++
          ws()
        }
        break
      }
      if (c === (inObject ? C.CloseBrace : C.CloseBracket)) {
        stack.pop()
        i++
        continue
      }
      return false
    }
  }
}

/**
 * Valid JSON text re-indented with `indent` spaces per level, like JSON.stringify(value, null,
 * indent) but with strings and numbers exactly as sent. The input must be valid (isJsonText).
 */
export function reindentJsonText(s: string, indent = 2): string {
  const n = s.length
  const pads: string[] = ['\n']
  const pad = (depth: number) => {
    while (pads.length <= depth) pads.push('\n' + ' '.repeat(pads.length * indent))
    return pads[depth]
  }
  let out = ''
  let depth = 0
  let i = 0
  while (i < n) {
    const c = s.charCodeAt(i)
    if (isWs(c)) { i++; continue }
    if (c === C.Quote) {
      const end = skipString(s, i)
      out += s.slice(i, end)
      i = end
    } else if (c === C.OpenBrace || c === C.OpenBracket) {
      let j = i + 1
      while (j < n && isWs(s.charCodeAt(j))) j++
      const close = c === C.OpenBrace ? C.CloseBrace : C.CloseBracket
      if (s.charCodeAt(j) === close) {
        out += c === C.OpenBrace ? '{}' : '[]'
        i = j + 1
      } else {
        depth++
        out += (c === C.OpenBrace ? '{' : '[') + pad(depth)
        i++
      }
    } else if (c === C.CloseBrace || c === C.CloseBracket) {
      depth--
      out += pad(depth) + (c === C.CloseBrace ? '}' : ']')
      i++
    } else if (c === C.Comma) {
      out += ',' + pad(depth)
      i++
    } else if (c === C.Colon) {
      out += ': '
      i++
    } else {
      let j = i + 1
      while (j < n) {
        const d = s.charCodeAt(j)
        if (isWs(d) || d === C.Comma || d === C.CloseBrace || d === C.CloseBracket || d === C.Colon) break
        j++
      }
      out += s.slice(i, j)
      i = j
    }
  }
  return out
}
