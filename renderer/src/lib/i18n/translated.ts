/**
 * Looks a main-side sentence up by its key in the UI's language: the one rule errors.ts and
 * notices.ts share. English is never built from these keys — it is main's own sentence, which
 * a copy here could drift from — so in English, and whenever a key or a value is missing, the
 * caller shows main's sentence.
 */
import { en } from './en'
import { currentLocale, i18n, t } from './index'

export type Params = Record<string, unknown>

const PLACEHOLDER = /\{(\w+)\}/g

/** The English message at a dotted key, or undefined (English defines which keys exist). */
function english(key: string): string | undefined {
  let node: unknown = en
  for (const part of key.split('.')) {
    if (!node || typeof node !== 'object') return undefined
    node = (node as Record<string, unknown>)[part]
  }
  return typeof node === 'string' ? node : undefined
}

/** Only strings and numbers fill a sentence (a list is joined). */
function usable(params: Params): Record<string, string | number> {
  const out: Record<string, string | number> = {}
  for (const [k, v] of Object.entries(params)) {
    if (typeof v === 'string' || typeof v === 'number') out[k] = v
    else if (Array.isArray(v) && v.every((x) => typeof x === 'string')) out[k] = v.join(', ')
  }
  return out
}

/**
 * The translation at `key` filled from `params`, or null in English, when it does not exist, or
 * when it needs a value not given. `count` picks the plural form of a message that has them.
 */
export function translated(key: string, params: Params = {}, count?: number): string | null {
  // English is main's own sentence: never replaced by a copy that could drift from it.
  if (i18n.global.locale.value === 'en') return null
  return filled(key, params, count)
}

/**
 * The message at `key` in the current language, English included, filled from `params`; null when
 * it does not exist or needs a value not given. For words inside a translated sentence, and for
 * tests that hold English keys to main's English.
 */
export function filled(key: string, params: Params = {}, count?: number): string | null {
  const source = english(key)
  if (source === undefined) return null
  const values = usable(params)
  for (const [, name] of source.matchAll(PLACEHOLDER)) if (!(name in values)) return null
  return count === undefined ? t(key, values) : t(key, values, count)
}

/** A sentence's values with its numbers written the language's way (1.024 in German); names, topics and hex as they are. */
export function localizedParams(params: Readonly<Record<string, string | number>> | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  if (params === undefined) return out
  const locale = currentLocale()
  for (const [name, value] of Object.entries(params)) out[name] = typeof value === 'number' ? value.toLocaleString(locale) : value
  return out
}

/** The message key of a kebab-case kind ('self-signed' → 'selfSigned'). */
export const kindKey = (kind: string): string => kind.replace(/-(\w)/g, (_, c: string) => c.toUpperCase())
