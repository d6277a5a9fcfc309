/**
 * Which of our languages a setting means. 'system' walks the OS's preferred languages
 * (navigator.languages, in order) and takes the first we ship, by exact tag or by its language
 * alone (de-AT → de, en-GB → en, zh-Hans-SG → zh-CN); Traditional Chinese (zh-TW, zh-HK, zh-Hant)
 * is not Simplified and falls through. Nothing matching means English.
 */
import type { LanguageChoice } from '@api'

/** The languages the UI ships, English first (the key schema and the fallback). */
export const LOCALES = ['en', 'zh-CN', 'de'] as const
export type Locale = (typeof LOCALES)[number]

/** Each language in its own words, for the selector. */
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', 'zh-CN': '简体中文', de: 'Deutsch' }

const TRADITIONAL = /^zh-(hant|tw|hk|mo)\b/i

/** Our language for one BCP 47 tag, or null when we ship none for it. */
export function matchLocale(tag: string): Locale | null {
  const lower = tag.trim().toLowerCase()
  const exact = LOCALES.find((l) => l.toLowerCase() === lower)
  if (exact) return exact
  if (TRADITIONAL.test(lower)) return null
  const primary = lower.split(/[-_]/)[0]
  if (primary === 'zh') return 'zh-CN'
  return LOCALES.find((l) => l === primary) ?? null
}

/** The language a setting means, given the OS's preferred languages (best first). */
export function resolveLocale(choice: LanguageChoice, preferred: readonly string[]): Locale {
  if (choice !== 'system') return choice
  for (const tag of preferred) {
    const match = matchLocale(tag)
    if (match) return match
  }
  return 'en'
}
