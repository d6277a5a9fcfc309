/**
 * JSON as the payload editor needs it: the first syntax error with its line and column (so the
 * editor marks it and says why, before anything crosses to the main side), and Format/Minify
 * that re-emit the user's own tokens. JSON.parse is not used for either: its messages differ
 * between engines and rarely say where, and a parse/stringify round trip would round integers
 * above 2^53 and rewrite escapes the user wrote on purpose. The sentences are in the UI's language.
 */
import { t } from '../i18n'

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

/** The escapes JSON has, as a sentence lists them (the same in every language). */
const ESCAPES = '\\" \\\\ \\/ \\b \\f \\n \\r \\t'

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
  if (at >= text.length) return t('publish.json.ends')
  const ch = text[at]!
  return ch === '\n' || ch === '\r' ? t('publish.json.lineBreak') : t('publish.json.char', { ch })
}

/** A recursive-descent walk over char codes: no values are built, so 1 MB takes a few ms. */
class Checker {
  private i = 0
  constructor(private readonly s: string) {}

  run(): void {
    this.ws()
    if (this.i >= this.s.length) throw new JsonSyntaxError(t('publish.json.empty', { example: '{}' }), 0)
    this.value(0)
    this.ws()
    if (this.i < this.s.length) throw new JsonSyntaxError(t('publish.json.afterValue', { found: describe(this.s, this.i) }), this.i)
  }

  private ws(): void {
    const s = this.s
    let i = this.i
    for (let c = s.charCodeAt(i); c === C.Space || c === C.Lf || c === C.Cr || c === C.Tab; c = s.charCodeAt(++i));
    this.i = i
  }

  private fail(expected: string): never {
    throw new JsonSyntaxError(t('publish.json.expected', { expected, found: describe(this.s, this.i) }), this.i)
  }

  private value(depth: number): void {
    if (depth > MAX_DEPTH) throw new JsonSyntaxError(t('publish.json.tooDeep', { max: String(MAX_DEPTH) }), this.i)
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
    if (c === C.Slash) throw new JsonSyntaxError(t('publish.json.comment'), this.i)
    if (this.s[this.i] === "'") throw new JsonSyntaxError(t('publish.json.singleQuotes'), this.i)
    this.fail(t('publish.json.value'))
  }

  private object(depth: number): void {
    this.i++
    this.ws()
    if (this.s.charCodeAt(this.i) === C.RBrace) {
      this.i++
      return
    }
    for (;;) {
      if (this.s.charCodeAt(this.i) !== C.Quote) this.fail(t('publish.json.propertyName'))
      this.string()
      this.ws()
      if (this.s.charCodeAt(this.i) !== C.Colon) this.fail(t('publish.json.colon'))
      this.i++
      this.ws()
      this.value(depth + 1)
      this.ws()
      const c = this.s.charCodeAt(this.i)
      if (c === C.RBrace) {
        this.i++
        return
      }
      if (c !== C.Comma) this.fail(t('publish.json.commaOr', { close: '}' }))
      this.i++
      this.ws()
      if (this.s.charCodeAt(this.i) === C.RBrace) throw new JsonSyntaxError(t('publish.json.trailingComma', { close: '}' }), this.i)
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
      if (c !== C.Comma) this.fail(t('publish.json.commaOr', { close: ']' }))
      this.i++
      this.ws()
      if (this.s.charCodeAt(this.i) === C.RBracket) throw new JsonSyntaxError(t('publish.json.trailingComma', { close: ']' }), this.i)
    }
  }

  private string(): void {
    const s = this.s
    const start = this.i
    let i = this.i + 1
    for (;;) {
      const c = s.charCodeAt(i)
      if (Number.isNaN(c)) throw new JsonSyntaxError(t('publish.json.unclosed'), start)
      if (c === C.Quote) break
      if (c < 0x20) throw new JsonSyntaxError(c === C.Lf ? t('publish.json.lineBreakInString', { escape: '\\n' }) : t('publish.json.control'), i)
      if (c === C.Backslash) {
        const e = s[i + 1]
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(s.slice(i + 2, i + 6))) throw new JsonSyntaxError(t('publish.json.unicode', { escape: '\\u' }), i)
          i += 6
          continue
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) throw new JsonSyntaxError(t('publish.json.badEscape', { escape: `\\${e ?? ''}`, escapes: ESCAPES, last: '\\uXXXX' }), i)
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
      this.fail(t('publish.json.digit'))
    }
    if (s.charCodeAt(i) === C.Dot) {
      i++
      if (!isDigit(s.charCodeAt(i))) {
        this.i = i
        this.fail(t('publish.json.digitAfterPoint'))
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
        this.fail(t('publish.json.digitInExponent'))
      }
      while (isDigit(s.charCodeAt(i))) i++
    }
    if (isDigit(s.charCodeAt(i)) && first === C.D0) throw new JsonSyntaxError(t('publish.json.leadingZero'), this.i)
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
