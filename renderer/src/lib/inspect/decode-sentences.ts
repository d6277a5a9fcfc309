/**
 * The decoder's own sentences in the UI's language: why a decoder was detected, each layer's
 * note, a decode error and why a diff compares whole messages. The main side writes each in
 * English with a stable code and the values it names (`reasonCode`/`reasonParams`,
 * `noteCode`/`noteParams`, `errorCode`/`errorParams`); here a code with a translation is shown in
 * the current language, its counts written the language's way. English, an unknown code or a
 * missing value show main's sentence as it came (lib/i18n/errors.ts `translated`). No Vue.
 */
import type { DecodedMessage, DecodeLayer, DiffExcerpt, SentenceParams } from '@api'
import { currentLocale } from '../i18n'
import { localizedParams, translated } from '../i18n/translated'

/** The count that picks a sentence's plural form: its `n`, when it has one. */
const countOf = (params: SentenceParams | undefined): number | undefined => (typeof params?.n === 'number' ? params.n : undefined)

/** "parses as JSON", "rule plant/+/telemetry", … (the phrase after "Detected as X —"). */
export function reasonText(result: Pick<DecodedMessage, 'reason' | 'reasonCode' | 'reasonParams'>): string {
  const params = result.reasonParams
  const reason = translated(`inspector.reasons.${result.reasonCode}`, localizedParams(params), countOf(params))
  if (reason === null) return result.reason
  // A payload that began as JSON and stopped: detection's reason now, and where the JSON ended.
  if (typeof params?.jsonStopsAt !== 'number') return reason
  return translated('inspector.reasonJsonStops', { reason, byte: params.jsonStopsAt.toLocaleString(currentLocale()) }) ?? result.reason
}

/** A layer's note ("1,024 → 5,310 bytes", "type plant.Telemetry"), or undefined when it has none. */
export function layerNoteText(layer: DecodeLayer): string | undefined {
  if (layer.note === undefined) return undefined
  const params = layer.noteParams
  if (layer.noteCode === 'sparkplugMetrics') return sparkplugNote(params) ?? layer.note
  return translated(`inspector.notes.${layer.noteCode}`, localizedParams(params), countOf(params)) ?? layer.note
}

/** "5 metrics, 1 unresolved alias": two counts, each with its own plural form. */
function sparkplugNote(params: SentenceParams | undefined): string | null {
  const metrics = params?.metrics
  const unresolved = params?.unresolved
  if (typeof metrics !== 'number' || typeof unresolved !== 'number') return null
  const locale = currentLocale()
  const counted = translated('inspector.notes.sparkplugMetrics', { n: metrics.toLocaleString(locale) }, metrics)
  if (counted === null || unresolved === 0) return counted
  return translated('inspector.notes.sparkplugUnresolved', { metrics: counted, n: unresolved.toLocaleString(locale) }, unresolved)
}

/** A decode error ("Not valid CBOR: …"), or null when the decode had none. */
export function decodeErrorText(result: Pick<DecodedMessage, 'error' | 'errorCode' | 'errorParams'>): string | null {
  if (result.error === null) return null
  const params = result.errorParams
  return translated(`inspector.decodeErrors.${result.errorCode}`, localizedParams(params), countOf(params)) ?? result.error
}

/** Why a diff compares the two messages whole instead of trimmed to their changes. */
export function untrimmedText(excerpt: Extract<DiffExcerpt, { trimmed: false }>): string {
  return translated(`inspector.untrimmed.${excerpt.reasonCode}`, localizedParams(excerpt.reasonParams)) ?? excerpt.reason
}
