/**
 * JSON as the payload editor needs it: the first syntax error with its line and column (so the
 * editor marks it and says why, before anything crosses to the main side), and Format/Minify
 * that re-emit the user's own tokens. JSON.parse is not used for either: its messages differ
 * between engines and rarely say where, and a parse/stringify round trip would round integers
 * above 2^53 and rewrite escapes the user wrote on purpose.
 */

/** Where a JSON text is wrong, and why in a sentence. Line and column are 1-based. */
export interface JsonProblem {
  message: string
  offset: number
  line: number
  column: number
}

const enum C {
  Tab = 9, Lf = 10, Cr = 13, Space = 32, Quote = 34, Plus = 43, Comma = 44, Minus = 45, Dot = 46, Slash = 47,
  D0 = 48, D1 = 49, D9 = 57, Colon = 58, UpperE = 69, LBracket = 91, Backslash = 92, RBracket = 93,
  LowerE = 101, LBrace = 123, RBrace = 125,
}

/** Nesting the checker follows before it gives up with a sentence (a hostile 16 MB of `[` would overflow the stack). */
const MAX_DEPTH = 1_000

class JsonSyntaxError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message)
  }
}

/** 1-based line and column of an offset in a text. */
export function positionAt(text: string, offset: number): { line: number; column: number } {
  let line = 1
  let lineStart = 0
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++
    lineStart = i + 1
  }
  return { line, column: offset - lineStart + 1 }
}

function describe(text: string, at: number): string {
  if (at >= text.length) return 'the text ends'
  const ch = text[at]!
  return ch === '\n' || ch === '\r' ? 'a line break' : `“${ch}”`
}

/** A recursive-descent walk over char codes: no values are built, so 1 MB takes a few ms. */
class Checker {
  private i = 0
  constructor(private readonly s: string) {}

  run(): void {
    this.ws()
    if (this.i >= this.s.length) throw new JsonSyntaxError('The payload is empty: write a JSON value (e.g. {} or "text")', 0)
    this.value(0)
    this.ws()
    if (this.i < this.s.length) throw new JsonSyntaxError(`Unexpected ${describe(this.s, this.i)} after the JSON value: one value per payload (wrap several in [ ])`, this.i)
  }

  private ws(): void {
    const s = this.s
    let i = this.i
    for (let c = s.charCodeAt(i); c === C.Space || c === C.Lf || c === C.Cr || c === C.Tab; c = s.charCodeAt(++i));
    this.i = i
  }

  private fail(expected: string): never {
    throw new JsonSyntaxError(`Expected ${expected} but found ${describe(this.s, this.i)}`, this.i)
  }

  private value(depth: number): void {
    if (depth > MAX_DEPTH) throw new JsonSyntaxError(`Nested more than ${MAX_DEPTH} levels deep`, this.i)
    const c = this.s.charCodeAt(this.i)
    if (c === C.LBrace) return this.object(depth)
    if (c === C.LBracket) return this.array(depth)
    if (c === C.Quote) return this.string()
    if (c === C.Minus || (c >= C.D0 && c <= C.D9)) return this.number()
    for (const word of ['true', 'false', 'null']) {
      if (this.s.startsWith(word, this.i)) {
        this.i += word.length
        return
      }
    }
    if (c === C.Slash) throw new JsonSyntaxError('Comments are not allowed in JSON', this.i)
    if (this.s[this.i] === "'") throw new JsonSyntaxError('Strings take double quotes in JSON, not single quotes', this.i)
    this.fail('a value (object, array, string, number, true, false or null)')
  }

  private object(depth: number): void {
    this.i++
    this.ws()
    if (this.s.charCodeAt(this.i) === C.RBrace) {
      this.i++
      return
    }
    for (;;) {
      if (this.s.charCodeAt(this.i) !== C.Quote) this.fail('a property name in double quotes')
      this.string()
      this.ws()
      if (this.s.charCodeAt(this.i) !== C.Colon) this.fail('“:” after the property name')
      this.i++
      this.ws()
      this.value(depth + 1)
      this.ws()
      const c = this.s.charCodeAt(this.i)
      if (c === C.RBrace) {
        this.i++
        return
      }
      if (c !== C.Comma) this.fail('“,” or “}”')
      this.i++
      this.ws()
      if (this.s.charCodeAt(this.i) === C.RBrace) throw new JsonSyntaxError('A trailing comma is not allowed before “}”', this.i)
    }
  }

  private array(depth: number): void {
    this.i++
    this.ws()
    if (this.s.charCodeAt(this.i) === C.RBracket) {
      this.i++
      return
    }
    for (;;) {
      this.value(depth + 1)
      this.ws()
      const c = this.s.charCodeAt(this.i)
      if (c === C.RBracket) {
        this.i++
        return
      }
      if (c !== C.Comma) this.fail('“,” or “]”')
      this.i++
      this.ws()
      if (this.s.charCodeAt(this.i) === C.RBracket) throw new JsonSyntaxError('A trailing comma is not allowed before “]”', this.i)
    }
  }

  private string(): void {
    const s = this.s
    const start = this.i
    let i = this.i + 1
    for (;;) {
      const c = s.charCodeAt(i)
      if (Number.isNaN(c)) throw new JsonSyntaxError('This string is never closed: add the ending "', start)
      if (c === C.Quote) break
      if (c < 0x20) throw new JsonSyntaxError(c === C.Lf ? 'A line break inside a string must be written as \\n' : 'A control character inside a string must be escaped', i)
      if (c === C.Backslash) {
        const e = s[i + 1]
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(s.slice(i + 2, i + 6))) throw new JsonSyntaxError('\\u takes four hex digits', i)
          i += 6
          continue
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) throw new JsonSyntaxError(`\\${e ?? ''} is not a JSON escape (use \\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX)`, i)
        i += 2
        continue
      }
      i++
    }
    this.i = i + 1
  }

  private number(): void {
    const s = this.s
    let i = this.i
    if (s.charCodeAt(i) === C.Minus) i++
    const first = s.charCodeAt(i)
    if (first === C.D0) i++
    else if (first >= C.D1 && first <= C.D9) while (isDigit(s.charCodeAt(i))) i++
    else {
      this.i = i
      this.fail('a digit')
    }
    if (s.charCodeAt(i) === C.Dot) {
      i++
      if (!isDigit(s.charCodeAt(i))) {
        this.i = i
        this.fail('a digit after the decimal point')
      }
      while (isDigit(s.charCodeAt(i))) i++
    }
    const e = s.charCodeAt(i)
    if (e === C.LowerE || e === C.UpperE) {
      i++
      const sign = s.charCodeAt(i)
      if (sign === C.Plus || sign === C.Minus) i++
      if (!isDigit(s.charCodeAt(i))) {
        this.i = i
        this.fail('a digit in the exponent')
      }
      while (isDigit(s.charCodeAt(i))) i++
    }
    if (isDigit(s.charCodeAt(i)) && first === C.D0) throw new JsonSyntaxError('Numbers may not start with 0 (write 7, not 07)', this.i)
    this.i = i
  }
}

function isDigit(c: number): boolean {
  return c >= C.D0 && c <= C.D9
}

/** The first syntax error of a JSON text, or null when it is valid JSON. Never throws. */
export function checkJson(text: string): JsonProblem | null {
  try {
    new Checker(text).run()
    return null
  } catch (err) {
    if (!(err instanceof JsonSyntaxError)) throw err
    return { message: err.message, offset: err.offset, ...positionAt(text, err.offset) }
  }
}

/**
 * Re-indents (indent > 0) or minifies (indent 0) valid JSON, keeping every token as written.
 * `shadow` is the text the structure is read from, of the same length (the body with its
 * placeholders masked), so `{"n": {{counter}}}` is formatted too. Returns null for text that is
 * not valid JSON (check it first to say why).
 */
export function reformatJson(text: string, indent: number, shadow: string = text): string | null {
  if (shadow.length !== text.length || checkJson(shadow) !== null) return null
  const src = shadow
  const pad = ' '.repeat(indent)
  const out: string[] = []
  let depth = 0
  let i = 0
  const newline = () => {
    if (indent > 0) out.push('\n', pad.repeat(depth))
  }
  while (i < src.length) {
    const ch = src[i]!
    if (ch === ' ' || ch === '\n' || ch === '\r' || ch === '\t') {
      i++
      continue
    }
    if (ch === '"') {
      let j = i + 1
      while (src[j] !== '"') j += src[j] === '\\' ? 2 : 1
      out.push(text.slice(i, j + 1))
      i = j + 1
      continue
    }
    if (ch === '{' || ch === '[') {
      // Empty containers stay on one line.
      let j = i + 1
      while (j < src.length && ' \n\r\t'.includes(src[j]!)) j++
      if (src[j] === (ch === '{' ? '}' : ']')) {
        out.push(ch, src[j]!)
        i = j + 1
        continue
      }
      out.push(ch)
      depth++
      newline()
      i++
      continue
    }
    if (ch === '}' || ch === ']') {
      depth--
      newline()
      out.push(ch)
      i++
      continue
    }
    if (ch === ',') {
      out.push(',')
      newline()
      i++
      continue
    }
    if (ch === ':') {
      out.push(indent > 0 ? ': ' : ':')
      i++
      continue
    }
    // Numbers and literals: copied as written.
    let j = i
    while (j < src.length && !' \n\r\t,:]}'.includes(src[j]!)) j++
    out.push(text.slice(i, j))
    i = j
  }
  return out.join('')
}
