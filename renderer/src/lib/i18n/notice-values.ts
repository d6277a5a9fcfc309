/**
 * The values a notice's sentence is filled with, in the UI's language. Most params are names and
 * numbers (numbers written the language's way). Two kinds are words, so that no English is left
 * inside a translated sentence:
 *
 * - a code-valued param (`labelKind: 'field'`, `valueKind: 'text'`, …) names words in
 *   `payloadWords` ("the field "floor"", "the text "abc""), filled from the same params, and
 *   fills its own placeholder (`{label}`, `{value}`, …);
 * - a number param `<p>` also fills `{<p>Size}` as a byte count in the language's plural;
 * - a sentence inside a sentence (`$base64: <the base64's problem>`) travels as `<name>Code`
 *   with its values as `<name>.<param>`, and is said by its own code into `{<name>}`.
 *
 * A word or inner sentence this renderer cannot say makes the whole sentence unknown (null), so
 * main's English shows whole rather than half translated.
 */
import type { NoticeCode, NoticeParams } from '@api'
import { filled, localizedParams } from './translated'

/** Code-valued params: the placeholder each fills, and the messages its codes name. */
const WORD_PARAMS: ReadonlyArray<readonly [param: string, placeholder: string, messages: string]> = [
  ['labelKind', 'label', 'payloadWords.labels'],
  ['valueKind', 'value', 'payloadWords.values'],
  ['subjectKind', 'subject', 'payloadWords.subjects'],
  ['hintKind', 'hint', 'payloadWords.hints'],
]

/** Placeholders that take a whole inner sentence. */
const NESTED = ['problem', 'error'] as const

type SayNotice = (notice: { code: NoticeCode; params?: NoticeParams }) => string | null

/** The params of the sentence nested under `name` (`name.char` → `char`). */
function innerParams(params: NoticeParams, name: string): NoticeParams {
  const out: NoticeParams = {}
  const prefix = `${name}.`
  for (const [key, value] of Object.entries(params)) if (key.startsWith(prefix)) out[key.slice(prefix.length)] = value
  return out
}

/** The values for a sentence's placeholders, or null when a word or inner sentence cannot be said. `say` says an inner notice. */
export function noticeValues(params: NoticeParams | undefined, say: SayNotice): Record<string, string> | null {
  const out = localizedParams(params)
  if (params === undefined) return out
  for (const [param, placeholder, messages] of WORD_PARAMS) {
    const kind = params[param]
    if (typeof kind !== 'string') continue
    const words = filled(`${messages}.${kind}`, out)
    if (words === null) return null
    out[placeholder] = words
  }
  // A count of bytes in the language's plural ("1 Byte", "2 Bytes"), for sentences that name one.
  for (const [name, value] of Object.entries(params)) {
    if (typeof value !== 'number') continue
    const size = filled('payloadWords.byteCount', { n: out[name] }, value)
    if (size !== null) out[`${name}Size`] = size
  }
  for (const name of NESTED) {
    const code = params[`${name}Code`]
    if (typeof code !== 'string') continue
    const inner = say({ code: code as NoticeCode, params: innerParams(params, name) })
    if (inner === null) return null
    out[name] = inner
  }
  return out
}
