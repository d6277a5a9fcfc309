/**
 * Decoder rules as the profile editor edits them: topic filter → decoder (with a Protobuf message
 * type or an Avro schema file where the decoder needs one). The first matching rule wins, so
 * order matters; these helpers check each row and move rows. Pure; sentences in the UI's language.
 */
import type { DecoderId, DecoderRule } from '@api'
import { t } from '../i18n'

/** The decoders a rule may pick, in the select's order, with their English words (see {@link ruleDecoderLabel}). */
export const RULE_DECODERS: ReadonlyArray<{ id: DecoderId; label: string }> = [
  { id: 'json', label: 'JSON' },
  { id: 'text', label: 'Text (UTF-8)' },
  { id: 'hex', label: 'Hex' },
  { id: 'base64', label: 'Base64, then detect' },
  { id: 'msgpack', label: 'MessagePack' },
  { id: 'cbor', label: 'CBOR' },
  { id: 'protobuf', label: 'Protobuf (message type)' },
  { id: 'protobuf-raw', label: 'Protobuf, raw (no schema)' },
  { id: 'sparkplug', label: 'Sparkplug B' },
  { id: 'avro', label: 'Avro (schema file)' },
  { id: 'gzip', label: 'gzip, then detect' },
  { id: 'zlib', label: 'zlib, then detect' },
  { id: 'deflate', label: 'deflate, then detect' },
  { id: 'image', label: 'Image' },
  { id: 'number', label: 'Number' },
]

/** The words the select shows for a decoder, in the UI's language. */
export function ruleDecoderLabel(id: DecoderId): string {
  return t(`profileEditor.rules.decoders.${id === 'protobuf-raw' ? 'protobufRaw' : id}`)
}

/** Why an MQTT topic filter is invalid, in one sentence; null when it is valid. */
export function filterProblem(filter: string): string | null {
  if (filter === '') return t('profileEditor.rules.problems.needFilter')
  const levels = filter.split('/')
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i]
    if (level.includes('#') && level !== '#') return t('profileEditor.rules.problems.hashAlone', { filter })
    if (level === '#' && i !== levels.length - 1) return t('profileEditor.rules.problems.hashLast', { filter })
    if (level.includes('+') && level !== '+') return t('profileEditor.rules.problems.plusWhole', { filter })
  }
  return null
}

/** Problems per row, keyed `decoderRules.<i>.<field>` like the form's other errors. */
export function ruleProblems(rules: readonly DecoderRule[]): Record<string, string> {
  const out: Record<string, string> = {}
  rules.forEach((rule, i) => {
    const filter = filterProblem(rule.filter)
    const n = i + 1
    if (filter) out[`decoderRules.${i}.filter`] = t('profileEditor.rules.problems.ofRule', { n, problem: filter })
    if (rule.decoder === 'protobuf' && !rule.protobufType) out[`decoderRules.${i}.protobufType`] = t('profileEditor.rules.problems.pickType', { n })
    if (rule.decoder === 'avro' && !rule.avroSchema) out[`decoderRules.${i}.avroSchema`] = t('profileEditor.rules.problems.pickAvro', { n })
  })
  return out
}

/** The rule as it is saved: a type or schema only where its decoder uses it. */
export function cleanRule(rule: DecoderRule): DecoderRule {
  const out: DecoderRule = { filter: rule.filter.trim(), decoder: rule.decoder }
  if (rule.decoder === 'protobuf' && rule.protobufType) out.protobufType = rule.protobufType
  if (rule.decoder === 'avro' && rule.avroSchema) out.avroSchema = rule.avroSchema
  return out
}

/** The rules with row `from` moved by `by` (−1 up, +1 down); unchanged at the ends. */
export function moveRule<T>(rules: readonly T[], from: number, by: number): T[] {
  const to = from + by
  const out = [...rules]
  if (from < 0 || from >= out.length || to < 0 || to >= out.length) return out
  const [row] = out.splice(from, 1)
  out.splice(to, 0, row)
  return out
}
