/**
 * The UI's one vue-i18n instance (Composition API, `legacy: false`) and the language in force.
 * Components call `useI18n().t`; code in lib/ that writes words calls {@link t} from here, which
 * reads the same locale ref, so both re-render when the language switches. Messages are compiled
 * by vue-i18n's own message compiler to an AST and interpreted: nothing is evaluated, so the CSP
 * needs no 'unsafe-eval' (test/e2e/languages.test.ts switches languages under the real CSP).
 */
import { createI18n } from 'vue-i18n'
import type { LanguageChoice } from '@api'
import { en, type Messages } from './en'
import { de } from './de'
import { zhCN } from './zh-CN'
import { resolveLocale, type Locale } from './locale'

export { LOCALES, LOCALE_NAMES, matchLocale, resolveLocale, type Locale } from './locale'
export type { Messages } from './en'

export const i18n = createI18n<[Messages], Locale, false>({
  legacy: false,
  locale: 'en',
  fallbackLocale: 'en',
  messages: { en, 'zh-CN': zhCN, de },
  // A missing key shows English (the fallback); the unit tests make sure none is missing.
  missingWarn: false,
  fallbackWarn: false,
})

/** Translates outside a component (formatters in lib/): the same instance and locale as `useI18n`. */
export const t = i18n.global.t

/** The language on screen now. */
export function currentLocale(): Locale {
  return i18n.global.locale.value
}

let choice: LanguageChoice = 'system'

function paint(): void {
  const locale = resolveLocale(choice, navigator.languages)
  if (i18n.global.locale.value !== locale) i18n.global.locale.value = locale
  document.documentElement.lang = locale
}

/** Shows `next` at once: every `t()` re-renders, and `<html lang>` follows. */
export function applyLanguage(next: LanguageChoice): void {
  choice = next
  paint()
}

/** Shows the OS's language before the settings arrive, and follows the OS while the choice is 'system'. */
export function startLanguage(): void {
  window.addEventListener('languagechange', paint)
  paint()
}
