/**
 * The strict JSON validator (RFC 8259) over UTF-8 bytes, as a scan that can stop between tokens
 * and go on later. Besides the verdict it counts the UTF-8 length of the re-indented text
 * (json-text.ts) in the same pass, so a document knows its size before (or without) making it.
 *
 * Stopping is what lets the inspector show the first page of a 16 MB document after checking
 * only its start, and check the rest in slices that leave the event loop free. Wherever the scan
 * stops, the bytes before `position` are complete tokens of a valid JSON prefix, so the
 * re-indenter may be fed exactly those (it must never see bytes the scan has not accepted).
 */
import { CLASS, CLOSE_BRACE, CLOSE_BRACKET, COLON, COMMA, OPEN_BRACE, OPEN_BRACKET, QUOTE, skipScalar, skipString } from './json-lex'

export type JsonCheckState = 'scanning' | 'valid' | 'invalid'

export class JsonCheck {
  /** Bytes accepted so far: `[0, position)` are whole tokens of a valid JSON prefix. */
  position: number
  /** UTF-8 length of reindentJsonBytes(bytes[0, position)): the whole text's once `valid`. */
  outBytes = 0
  state: JsonCheckState = 'scanning'
  /** Where the bytes stop being JSON (the start of the token that fails), once `invalid`. */
  failedAt = -1
  private depth = 0
  // One entry per open container: 1 = object, 0 = array (grown by doubling).
  private stack = new Uint8Array(64)

  constructor(readonly bytes: Uint8Array) {
    this.position = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0
  }

  get done(): boolean {
    return this.state !== 'scanning'
  }

  /** Outcomes are JSON-safe: the bytes are not copied into a serialized outcome. */
  toJSON(): { state: JsonCheckState; position: number } {
    return { state: this.state, position: this.position }
  }

  /**
   * Scans on until the verdict, or until it has accepted bytes up to `untilPosition` or counted
   * `untilOutBytes` of re-indented text, whichever comes first (it stops only between tokens, so
   * one long string or run of whitespace is always taken whole). Returns `done`.
   */
  run(untilPosition = Infinity, untilOutBytes = Infinity): boolean {
    if (this.state !== 'scanning') return true
    const b = this.bytes
    const n = b.length
    // Plain locals in the loop (written back on every exit): it runs once per byte.
    let i = this.position
    let out = this.outBytes
    let depth = this.depth
    let stack = this.stack
    let verdict: JsonCheckState = 'scanning'
    let failed = -1
    scan: for (;;) {
      if (i >= untilPosition || out >= untilOutBytes) break
      // Expect a value.
      while (i < n && CLASS[b[i]] & 1) i++
      let c = b[i]
      if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        i++
        while (i < n && CLASS[b[i]] & 1) i++
        if (b[i] === (c === OPEN_BRACE ? CLOSE_BRACE : CLOSE_BRACKET)) {
          i++
          out += 2
        } else {
          if (depth === stack.length) {
            const grown = new Uint8Array(stack.length * 2)
            grown.set(stack)
            stack = grown
          }
          stack[depth++] = c === OPEN_BRACE ? 1 : 0
          out += 2 + depth * 2
          if (c === OPEN_BRACE) {
            const key = i
            if (b[i] !== QUOTE || (i = skipString(b, i, n)) < 0) {
              failed = key
              verdict = 'invalid'
              break
            }
            out += i - key + 2
            while (i < n && CLASS[b[i]] & 1) i++
            if (b[i] !== COLON) {
              failed = i
              verdict = 'invalid'
              break
            }
            i++
          }
          continue
        }
      } else {
        const start = i
        i = skipScalar(b, i, n)
        if (i < 0) {
          failed = start
          verdict = 'invalid'
          break
        }
        out += i - start
      }
      // After a value: commas and closers.
      for (;;) {
        while (i < n && CLASS[b[i]] & 1) i++
        if (depth === 0) {
          if (i === n) verdict = 'valid'
          else {
            failed = i
            verdict = 'invalid'
          }
          break scan
        }
        c = b[i]
        const inObject = stack[depth - 1] === 1
        if (c === COMMA) {
          i++
          out += 2 + depth * 2
          if (inObject) {
            while (i < n && CLASS[b[i]] & 1) i++
            const key = i
            if (b[i] !== QUOTE || (i = skipString(b, i, n)) < 0) {
              failed = key
              verdict = 'invalid'
              break scan
            }
            out += i - key + 2
            while (i < n && CLASS[b[i]] & 1) i++
            if (b[i] !== COLON) {
              failed = i
              verdict = 'invalid'
              break scan
            }
            i++
          }
          break
        }
        if (c === (inObject ? CLOSE_BRACE : CLOSE_BRACKET)) {
          depth--
          out += 2 + depth * 2
          i++
          continue
        }
        failed = i
        verdict = 'invalid'
        break scan
      }
    }
    this.stack = stack
    this.depth = depth
    this.state = verdict
    if (verdict === 'invalid') {
      this.failedAt = Math.min(failed, n)
      return true
    }
    this.position = i
    this.outBytes = out
    return verdict === 'valid'
  }
}

/**
 * -1 when `b` is not exactly one JSON value (isJsonBytes), else the length in UTF-8 bytes of
 * reindentJsonBytes(b), counted in the same pass.
 */
export function jsonBytesLayout(b: Uint8Array): number {
  const check = new JsonCheck(b)
  check.run()
  return check.state === 'valid' ? check.outBytes : -1
}

/** Whether `b` (UTF-8, a leading BOM allowed) is exactly one JSON value of any type. */
export function isJsonBytes(b: Uint8Array): boolean {
  return jsonBytesLayout(b) >= 0
}
