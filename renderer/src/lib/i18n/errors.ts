/**
 * Error sentences and TLS diagnoses in the UI's language. The main side writes them in English
 * with a stable `code` (and a diagnosis `kind`); here a code (or kind) that has a translation is
 * shown in the current language, its values filled from the error's `detail`, the diagnosis's
 * `facts` and what the caller knows (the profile's host and port). When a value the translation
 * needs is not known, or the code has no translation, the English sentence from main is shown as
 * it came. The code itself is never translated: the UI shows it next to the sentence unchanged.
 *
 * Every code of the contract has a sentence under `errors.<CODE>` (test/unit/i18n-errors.test.ts
 * holds that). A code whose main-side sentences differ more than its detail says gets the
 * sentence true for all of them; `errors.<CODE>_<cause>` is the Node cause's own sentence,
 * `errors.<CODE>_said` the one quoting the broker, and `errors.<CODE>_plain` the one to use when
 * `errors.<CODE>` needs a value this error does not carry.
 */
import type { ApiErrorData, ChainBreak, ChainReport, Diagnosis } from '@api'
import { detailNotice, translatedNotice } from './notices'
import { kindKey, translated, type Params } from './translated'

export { translated } from './translated'

/** Known values the caller adds: the host and port of the connection, when it has them. */
export interface ErrorContext {
  host?: string
  port?: number
}

function contextParams(context: ErrorContext): Params {
  return context.host !== undefined && context.port !== undefined ? { host: context.host, port: context.port, where: `${context.host}:${context.port}` } : context.host !== undefined ? { host: context.host } : {}
}

/** Values worked out from the detail: an MQTT reason code (CONNACK, PUBACK, SUBACK) as the specification writes it, 0x87. */
function derivedParams(detail: Record<string, unknown> | undefined): Params {
  const code = [detail?.connackCode, detail?.pubackCode, detail?.subackCode].find((c) => typeof c === 'number')
  return typeof code === 'number' ? { reasonCode: `0x${code.toString(16).padStart(2, '0')}` } : {}
}

/** An error's sentence in the UI's language (its `code` stays as it is, shown beside it by the caller). */
export function localizedError(err: Pick<ApiErrorData, 'code' | 'message' | 'detail'>, context: ErrorContext = {}): string {
  const params = { ...contextParams(context), ...derivedParams(err.detail), ...(err.detail ?? {}) }
  const cause = typeof err.detail?.cause === 'string' ? err.detail.cause : undefined
  // A code whose main-side sentences name different rules carries the one it means as a notice.
  const said = detailNotice(err.detail)
  const ruled = said && translatedNotice(said)
  if (ruled) return ruled
  // A refusal the broker explained has its own sentence, so the broker's words are never dropped.
  if (typeof err.detail?.reasonString === 'string') return translated(`errors.${err.code}_said`, params) ?? err.message
  return (cause && translated(`errors.${err.code}_${cause}`, params)) || translated(`errors.${err.code}`, params) || translated(`errors.${err.code}_plain`, params) || err.message
}

/** A diagnosis's title, explanation and fix in the UI's language, each falling back to main's English. */
export function diagnosisText(d: Diagnosis, context: ErrorContext = {}): { title: string; explanation: string; fix: string } {
  const params = { ...contextParams(context), ...d.facts }
  const part = (name: 'title' | 'explanation' | 'fix'): string => translated(`diagnoses.${kindKey(d.kind)}.${name}`, params) ?? d[name]
  return { title: part('title'), explanation: part('explanation'), fix: part('fix') }
}

/**
 * Where a chain breaks, in the UI's language, from the certificate the break points at; main's
 * English when a value is missing (a name mismatch needs the name that was checked, which only
 * the caller knows, and the certificate's SANs).
 */
export function chainBreakText(b: ChainBreak, chain: ChainReport, checkedName?: string): string {
  const entry = chain.entries[b.position]
  if (!entry) return b.message
  const date = b.kind === 'expired' ? entry.validTo.slice(0, 10) : entry.validFrom.slice(0, 10)
  const params: Params = { subject: entry.subject, issuer: entry.issuer, date, ...(entry.sans.length ? { names: entry.sans.join(', ') } : {}), ...(checkedName ? { checkedName } : {}) }
  return translated(`chain.breaks.${kindKey(b.kind)}`, params) ?? b.message
}
