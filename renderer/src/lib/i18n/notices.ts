/**
 * The main side's warnings, notes, reasons and progress in the UI's language. Each arrives as a
 * notice: a stable code, its values, and main's English sentence. A code with a translation under
 * `notices.codes.<CODE>` is shown in the current language with its values filled in (numbers in
 * the language's own formatting); in English, for a code this renderer does not know, or when a
 * value is missing, main's English shows as it came — the same rule as errors.ts.
 *
 * The fields that carry notices sit beside the English strings they mirror, and older backends
 * (or sentences that have no code yet) send the strings alone: every helper here takes both and
 * falls back to the strings.
 */
import type { Notice } from '@api'
import { noticeValues } from './notice-values'
import { termedParams } from './notice-terms'
import { filled } from './translated'
import { currentLocale } from './index'

/** A notice's sentence in the UI's language, or null where main's English is to show. */
export function translatedNotice(notice: Notice): string | null {
  // English is main's own sentence: never replaced by a copy that could drift from it.
  return currentLocale() === 'en' ? null : noticeSentence(notice)
}

/**
 * A notice's sentence from its code in the current language (English too), its words and inner
 * sentences said in the same language; null for a code, word or value this renderer does not know.
 */
export function noticeSentence(notice: Pick<Notice, 'code' | 'params'>): string | null {
  const values = noticeValues(termedParams(notice.params), noticeSentence)
  return values && filled(`notices.codes.${notice.code}`, values)
}

/** One notice's sentence in the UI's language, or main's English. */
export function noticeText(notice: Notice): string {
  return translatedNotice(notice) ?? notice.message
}

/** A list of sentences (warnings): the notices translated when they came, else the English list. */
export function noticeList(notices: readonly Notice[] | undefined, english: readonly string[]): string[] {
  return notices && notices.length === english.length ? notices.map(noticeText) : [...english]
}

/** Sentences joined into one text (a reason, a note): translated when the notices came, else the English text. */
export function noticeSentences(notices: readonly Notice[] | undefined, english: string): string {
  // English is main's text as it joined it (a note's parts may be joined by more than a space).
  if (!notices || notices.length === 0 || currentLocale() === 'en') return english
  return notices.map(noticeText).join(currentLocale() === 'zh-CN' ? '' : ' ')
}

/** A notice in an error's detail (e.g. the rule a topic filter breaks), when it has one. */
export function detailNotice(detail: Record<string, unknown> | undefined): Notice | null {
  const n = detail?.notice
  if (!n || typeof n !== 'object') return null
  const { code, message } = n as Partial<Notice>
  return typeof code === 'string' && typeof message === 'string' ? (n as Notice) : null
}

/** A payload problem's sentence: translated when main gave it a code, as written otherwise (the editor's own checks are translated already). */
export function problemText(problem: { message: string; notice?: Notice }): string {
  return problem.notice ? noticeText(problem.notice) : problem.message
}
