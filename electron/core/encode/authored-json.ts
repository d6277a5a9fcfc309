/**
 * The JSON that MessagePack, CBOR, Protobuf and Sparkplug B payloads are authored in, parsed
 * with what JSON.parse loses: integers beyond 2^53 stay exact (bigint), a number written with a
 * fraction or exponent (`2.0`, `1e3`) is a float even when its value is whole, objects keep
 * their keys in the order written (a JS object would move "1" before "b"; they are Maps here,
 * where `__proto__` is a key like any other), and a mistake is reported at its line and column
 * with a sentence. Duplicate keys are refused (the binary formats would keep one, silently).
 */
import { notice, type Notice, type NoticeCode, type NoticeParams, type PayloadProblem } from '../../api'
import { MAX_DEPTH } from '../decode/json-safe'
import { describeChar, problemAt } from './problem'

/** A number written with a fraction or an exponent: encoded as a float. */
export class AuthoredFloat {
  constructor(readonly value: number) {}
}

export type AuthoredValue = null | boolean | string | number | bigint | AuthoredFloat | AuthoredValue[] | AuthoredObject
/** A JSON object: its keys in the order written. */
export type AuthoredObject = Map<string, AuthoredValue>

export type AuthoredParse = { ok: true; value: AuthoredValue } | { ok: false; problem: PayloadProblem }

/** A mistake at `offset`, said as a notice (its code lets the editor say it in the UI's language). */
class ParseError extends Error {
  readonly said: Notice
  constructor(readonly offset: number, code: NoticeCode, message: string, params?: NoticeParams) {
    super(message)
    this.said = notice(code, message, params)
  }
}

/**
 * What the parser expected where it stopped: the end of "Unexpected 'x': …" and "The JSON ends
 * early: …", sent as `hintKind` so the renderer says the whole sentence in one language.
 */
const HINTS = {
  value: 'expected a value (an object, array, string, number, true, false or null)',
  trailingComma: 'a trailing comma is not allowed in JSON',
  propertyName: 'expected a property name in double quotes',
  colonAfterKey: "expected ':' after the key \"{key}\"",
  commaOrBrace: "expected ',' or '}' after a property value",
  commaOrBracket: "expected ',' or ']' after an array element",
  digitAfterMinus: 'expected a digit after the minus sign',
  digitAfterPoint: 'expected a digit after the decimal point',
  digitInExponent: 'expected a digit in the exponent',
} as const
type Hint = keyof typeof HINTS

export const isAuthoredObject = (v: AuthoredValue | undefined): v is AuthoredObject => v instanceof Map

/** A number's value as a double (floats unwrapped, bigints converted). */
export const numericValue = (v: number | bigint | AuthoredFloat): number => (v instanceof AuthoredFloat ? v.value : Number(v))

const WS = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09

/** Parses `text` as one JSON value. Never throws. */
export function parseAuthoredJson(text: string): AuthoredParse {
  try {
    return { ok: true, value: new Parser(text).document() }
  } catch (err) {
    if (err instanceof ParseError) return { ok: false, problem: problemAt(text, err.offset, err.said) }
    // RangeError from a huge string, and the like: still a sentence, not a crash.
    const error = err instanceof Error ? err.message : String(err)
    const said = notice('JSON_UNREADABLE', `The JSON could not be read: ${error}`, { error })
    return { ok: false, problem: { message: said.message, notice: said } }
  }
}

class Parser {
  private i = 0
  constructor(private readonly s: string) {}

  document(): AuthoredValue {
    this.skip()
    if (this.i >= this.s.length) throw new ParseError(0, 'JSON_EMPTY', 'The payload is empty: write a JSON value, e.g. {} or [].')
    const value = this.value(0)
    this.skip()
    if (this.i < this.s.length) {
      const char = describeChar(this.s[this.i])
      throw new ParseError(this.i, 'JSON_AFTER_VALUE', `Unexpected ${char} after the JSON value: remove it, or put both values in an array.`, { char })
    }
    return value
  }

  private skip(): void {
    const s = this.s
    while (this.i < s.length && WS(s.charCodeAt(this.i))) this.i++
  }

  private unexpected(hintKind: Hint, key?: string): never {
    const hint = key === undefined ? HINTS[hintKind] : HINTS[hintKind].replace('{key}', () => key)
    const params: NoticeParams = key === undefined ? { hintKind } : { hintKind, key }
    if (this.i >= this.s.length) throw new ParseError(this.s.length, 'JSON_ENDS_EARLY', `The JSON ends early: ${hint}.`, params)
    const char = describeChar(this.s[this.i])
    throw new ParseError(this.i, 'JSON_UNEXPECTED', `Unexpected ${char}: ${hint}.`, { char, ...params })
  }

  private value(depth: number): AuthoredValue {
    const s = this.s
    const c = s.charCodeAt(this.i)
    if (c === 0x7b) return this.object(depth)
    if (c === 0x5b) return this.array(depth)
    if (c === 0x22) return this.string()
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number()
    if (s.startsWith('true', this.i)) return (this.i += 4), true
    if (s.startsWith('false', this.i)) return (this.i += 5), false
    if (s.startsWith('null', this.i)) return (this.i += 4), null
    if (c === 0x27) throw new ParseError(this.i, 'JSON_SINGLE_QUOTES', 'JSON strings use double quotes ("…"), not single quotes.')
    if (s.startsWith('NaN', this.i) || s.startsWith('Infinity', this.i)) throw new ParseError(this.i, 'JSON_NO_NAN', 'JSON has no NaN or Infinity: write {"$float64": "NaN"} (see the encoders\' README).')
    return this.unexpected('value')
  }

  private enter(depth: number): void {
    if (depth >= MAX_DEPTH) throw new ParseError(this.i, 'JSON_TOO_DEEP', `The JSON is nested deeper than ${MAX_DEPTH} levels.`, { max: MAX_DEPTH })
  }

  private object(depth: number): AuthoredObject {
    this.enter(depth)
    const s = this.s
    const out: AuthoredObject = new Map()
    this.i++
    this.skip()
    if (s.charCodeAt(this.i) === 0x7d) return this.i++, out
    for (;;) {
      if (s.charCodeAt(this.i) !== 0x22) this.unexpected(s.charCodeAt(this.i) === 0x7d ? 'trailingComma' : 'propertyName')
      const keyAt = this.i
      const key = this.string()
      if (out.has(key)) throw new ParseError(keyAt, 'JSON_DUPLICATE_KEY', `The key "${key}" appears twice in this object: keep one.`, { key })
      this.skip()
      if (s.charCodeAt(this.i) !== 0x3a) this.unexpected('colonAfterKey', key)
      this.i++
      this.skip()
      out.set(key, this.value(depth + 1))
      this.skip()
      const c = s.charCodeAt(this.i)
      if (c === 0x2c) {
        this.i++
        this.skip()
        continue
      }
      if (c === 0x7d) return this.i++, out
      this.unexpected('commaOrBrace')
    }
  }

  private array(depth: number): AuthoredValue[] {
    this.enter(depth)
    const s = this.s
    const out: AuthoredValue[] = []
    this.i++
    this.skip()
    if (s.charCodeAt(this.i) === 0x5d) return this.i++, out
    for (;;) {
      if (s.charCodeAt(this.i) === 0x5d) this.unexpected('trailingComma')
      out.push(this.value(depth + 1))
      this.skip()
      const c = s.charCodeAt(this.i)
      if (c === 0x2c) {
        this.i++
        this.skip()
        continue
      }
      if (c === 0x5d) return this.i++, out
      this.unexpected('commaOrBracket')
    }
  }

  private string(): string {
    const s = this.s
    const start = ++this.i
    // Fast path: no escapes before the closing quote (most keys and values).
    let end = start
    for (; end < s.length; end++) {
      const c = s.charCodeAt(end)
      if (c === 0x22 || c === 0x5c || c < 0x20) break
    }
    if (s.charCodeAt(end) === 0x22) {
      this.i = end + 1
      return s.slice(start, end)
    }
    let out = s.slice(start, end)
    this.i = end
    for (;;) {
      if (this.i >= s.length) throw new ParseError(start - 1, 'JSON_STRING_NOT_CLOSED', 'This string is not closed: add the closing ".')
      const c = s.charCodeAt(this.i)
      if (c === 0x22) {
        this.i++
        return out
      }
      if (c < 0x20) {
        const char = describeChar(s[this.i])
        throw new ParseError(this.i, 'JSON_CONTROL_CHARACTER', `A control character (${char}) inside a string: write it escaped, e.g. \\n or \\u0000.`, { char })
      }
      if (c !== 0x5c) {
        // Copy the run up to the next quote, backslash or control character in one slice.
        let run = this.i + 1
        while (run < s.length) {
          const r = s.charCodeAt(run)
          if (r === 0x22 || r === 0x5c || r < 0x20) break
          run++
        }
        out += s.slice(this.i, run)
        this.i = run
        continue
      }
      const e = s[this.i + 1]
      const simple = e === undefined ? undefined : ESCAPES[e]
      if (simple !== undefined) {
        out += simple
        this.i += 2
        continue
      }
      if (e === 'u') {
        const hex = s.slice(this.i + 2, this.i + 6)
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new ParseError(this.i, 'JSON_UNICODE_ESCAPE', 'A \\u escape needs four hex digits, e.g. \\u00e9.')
        out += String.fromCharCode(parseInt(hex, 16))
        this.i += 6
        continue
      }
      const escape = `\\${e ?? ''}`
      throw new ParseError(this.i, 'JSON_UNKNOWN_ESCAPE', `Unknown escape ${escape}: JSON knows \\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX.`, { escape })
    }
  }

  private number(): number | bigint | AuthoredFloat {
    const s = this.s
    const start = this.i
    if (s.charCodeAt(this.i) === 0x2d) this.i++
    const intStart = this.i
    // The integer part's value as it is read (exact up to 15 digits): most numbers are short
    // integers, and need no slice and no Number() of text.
    let whole = 0
    for (let c = s.charCodeAt(this.i); c >= 0x30 && c <= 0x39; c = s.charCodeAt(++this.i)) whole = whole * 10 + (c - 0x30)
    if (this.i === intStart) this.unexpected('digitAfterMinus')
    if (s.charCodeAt(intStart) === 0x30 && this.i - intStart > 1) throw new ParseError(intStart, 'JSON_LEADING_ZERO', 'Numbers in JSON have no leading zeros: write 7, not 07.')
    let float = false
    if (s.charCodeAt(this.i) === 0x2e) {
      float = true
      this.i++
      const f = this.i
      while (this.i < s.length && isDigit(s.charCodeAt(this.i))) this.i++
      if (this.i === f) this.unexpected('digitAfterPoint')
    }
    const e = s.charCodeAt(this.i)
    if (e === 0x65 || e === 0x45) {
      float = true
      this.i++
      const sign = s.charCodeAt(this.i)
      if (sign === 0x2b || sign === 0x2d) this.i++
      const x = this.i
      while (this.i < s.length && isDigit(s.charCodeAt(this.i))) this.i++
      if (this.i === x) this.unexpected('digitInExponent')
    }
    // Up to 15 digits is always exact as a double.
    if (!float && this.i - intStart <= 15) return start === intStart ? whole : whole === 0 ? -0 : -whole
    const raw = s.slice(start, this.i)
    if (float) {
      const value = Number(raw)
      if (!Number.isFinite(value)) throw new ParseError(start, 'JSON_BEYOND_DOUBLE', `${raw} is beyond the range of a double: write {"$float": "Infinity"} if you mean infinity.`, { number: raw })
      return new AuthoredFloat(value)
    }
    const big = BigInt(raw)
    return big >= -9007199254740991n && big <= 9007199254740991n ? Number(big) : big
  }
}

const isDigit = (c: number) => c >= 0x30 && c <= 0x39

const ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' }

/** Where JSON.parse stopped, from V8's message ("… at position 12" or "(line 2 column 5)"), as an offset. */
export function v8ErrorOffset(text: string, message: string): number | null {
  const pos = /at position (\d+)/.exec(message)
  if (pos !== null) return Number(pos[1])
  const lc = /line (\d+) column (\d+)/.exec(message)
  if (lc !== null) {
    let offset = 0
    for (let line = 1; line < Number(lc[1]); line++) {
      const nl = text.indexOf('\n', offset)
      if (nl === -1) break
      offset = nl + 1
    }
    return offset + Number(lc[2]) - 1
  }
  if (/end of JSON input/.test(message)) return text.length
  return null
}
