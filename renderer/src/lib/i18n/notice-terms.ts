/**
 * A notice's values that are words, in the UI's language. Main sends a sentence's fixed words
 * (which file, which certificate part) in English under `<name>` and names them under
 * `<name>Term`; an inner error's English under `<name>` with its code under `<name>ErrorCode` (and
 * its detail under `<name>Detail.<key>`). Here those are replaced by the words or the error
 * sentence of the current language, where one exists; otherwise main's English value stays.
 */
import { kindKey, translated } from './translated'

type Values = Record<string, string | number>

const TERM = 'Term'
const CODE = 'ErrorCode'
const DETAIL = 'Detail.'

/** The error sentence of `code` in the UI's language, from the detail values main sent, or null. */
function errorSentence(code: string, detail: Values): string | null {
  return translated(`errors.${code}`, detail) ?? translated(`errors.${code}_plain`, detail)
}

/** `params` with their term and error-code values put in the UI's words. */
export function termedParams(params: Readonly<Values> | undefined): Values | undefined {
  if (params === undefined) return undefined
  let out: Values | undefined
  for (const [key, value] of Object.entries(params)) {
    if (typeof value !== 'string') continue
    let name: string | null = null
    let words: string | null = null
    if (key.endsWith(TERM) && key.length > TERM.length) {
      name = key.slice(0, -TERM.length)
      words = translated(`notices.terms.${name}.${kindKey(value)}`)
    } else if (key.endsWith(CODE) && key.length > CODE.length) {
      name = key.slice(0, -CODE.length)
      words = errorSentence(value, detailOf(params, `${name}${DETAIL}`))
    }
    if (name !== null && words !== null && name in params) (out ??= { ...params })[name] = words
  }
  return out ?? params
}

function detailOf(params: Readonly<Values>, prefix: string): Values {
  const detail: Values = {}
  for (const [key, value] of Object.entries(params)) if (key.startsWith(prefix)) detail[key.slice(prefix.length)] = value
  return detail
}
