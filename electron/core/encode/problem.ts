/**
 * Problems in an authored payload: a sentence the user can act on, and where the editor should
 * mark it (1-based line and column in the body, in UTF-16 units as Monaco counts them, or a JSON
 * Pointer into the authored JSON).
 */
import type { Notice, NoticeParams, PayloadProblem } from '../../api'

/** 1-based line and column of `offset` in `text`. Linear, and only run on the error path. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const end = Math.max(0, Math.min(offset, text.length))
  let line = 1
  let lineStart = 0
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) {
    line++
    lineStart = i + 1
  }
  return { line, column: end - lineStart + 1 }
}

/** A problem at `offset` of `text`: a sentence, or a notice (its code lets the editor say it in the UI's language). */
export function problemAt(text: string, offset: number, said: string | Notice): PayloadProblem {
  return typeof said === 'string' ? { message: said, ...lineColumn(text, offset) } : { message: said.message, ...lineColumn(text, offset), notice: said }
}

/** A problem with no place in the text, as a notice. */
export const problemOfNotice = (said: Notice): PayloadProblem => ({ message: said.message, notice: said })

/** A problem at a value of the authored JSON, as a notice. */
export const problemAtPointer = (pointer: string, said: Notice): PayloadProblem => ({ message: said.message, pointer, notice: said })

/**
 * The params that carry one sentence inside another ("$base64: <the base64's own problem>"):
 * `<name>Code` is the inner notice's code and `<name>.<param>` its values, kept apart from the
 * outer sentence's own values, so the renderer can say the inner sentence in the same language.
 */
export function nestedParams(name: string, inner: Notice): NoticeParams {
  const out: NoticeParams = { [`${name}Code`]: inner.code }
  for (const [key, value] of Object.entries(inner.params ?? {})) out[`${name}.${key}`] = value
  return out
}

/** {@link nestedParams} of a problem's notice; none for a problem that has no code (its sentence then stays English as a whole). */
export const nestedProblem = (name: string, problem: PayloadProblem): NoticeParams => (problem.notice ? nestedParams(name, problem.notice) : {})

/** One JSON Pointer token (RFC 6901: `~` → `~0`, `/` → `~1`). */
export function pointerToken(key: string | number): string {
  return typeof key === 'number' ? String(key) : key.replace(/~/g, '~0').replace(/\//g, '~1')
}

/** `pointer` + one step. */
export const childPointer = (pointer: string, key: string | number): string => `${pointer}/${pointerToken(key)}`

/** How a character is named in a message: printable as itself, else as U+XXXX. */
export function describeChar(ch: string): string {
  const code = ch.codePointAt(0) ?? 0
  if (code < 0x20 || code === 0x7f || (code >= 0x80 && code < 0xa0)) return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`
  return `'${ch}'`
}

/** "1 byte", "16,777,216 bytes" */
export const bytesText = (n: number): string => (n === 1 ? '1 byte' : `${n.toLocaleString('en-US')} bytes`)

/** The keys from the root to a value, kept as a stack while encoding (a pointer string per value would cost more than the encoding). */
export type Path = Array<string | number>

/** The JSON Pointer of a path ('' is the whole document). */
export const pointerOf = (path: Path): string => path.map((t) => `/${pointerToken(t)}`).join('')
