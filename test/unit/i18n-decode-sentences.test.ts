/**
 * The decoder's sentences in the UI's language: every reason, layer note, decode error and
 * whole-diff code of the contract has a message in English, German and Simplified Chinese (the
 * check names a code that loses its message), each is reached with its values in the language's
 * digits, and main's English shows as it came in English, for a code the renderer does not know,
 * and when a value the sentence needs is missing.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { DecodeErrorCode, DecodeReasonCode, DiffUntrimmedCode, LayerNoteCode, type DecodedMessage, type DecodeLayer } from '@api'
import { i18n } from '../../renderer/src/lib/i18n'
import { de } from '../../renderer/src/lib/i18n/de'
import { en } from '../../renderer/src/lib/i18n/en'
import { zhCN } from '../../renderer/src/lib/i18n/zh-CN'
import { decodeErrorText, layerNoteText, reasonText, untrimmedText } from '../../renderer/src/lib/inspect/decode-sentences'
import { layersLabel } from '../../renderer/src/lib/inspect/decoder-labels'

afterEach(() => {
  i18n.global.locale.value = 'en'
})

type Inspector = typeof en.inspector
/** The codes of `codes` that have no message under `group` of these messages. */
function missing(group: Record<string, string>, codes: readonly string[]): string[] {
  return codes.filter((code) => typeof group[code] !== 'string' || group[code].trim() === '')
}
const GROUPS: Array<[keyof Inspector & ('reasons' | 'notes' | 'decodeErrors' | 'untrimmed'), readonly string[]]> = [
  ['reasons', DecodeReasonCode.options],
  ['notes', LayerNoteCode.options],
  ['decodeErrors', DecodeErrorCode.options],
  ['untrimmed', DiffUntrimmedCode.options],
]

describe('decoder sentence codes', () => {
  for (const [name, inspector] of [['en', en.inspector], ['de', de.inspector], ['zh-CN', zhCN.inspector]] as const) {
    it(`every reason, note, decode error and diff code has a message in ${name}`, () => {
      for (const [group, codes] of GROUPS) expect(missing(inspector[group] as Record<string, string>, codes), group).toEqual([])
    })
  }

  it('the check names a code that has lost its message', () => {
    const { rule: _dropped, ...cut } = de.inspector.reasons
    expect(missing(cut, DecodeReasonCode.options)).toEqual(['rule'])
  })
})

const result = (over: Partial<DecodedMessage>): DecodedMessage => ({ reason: 'parses as JSON', reasonCode: 'json', error: null, errorCode: null, ...over }) as DecodedMessage

describe('the decoder’s sentences in the UI’s language', () => {
  it('keeps main’s English sentence word for word in English', () => {
    expect(reasonText(result({ reason: 'rule plant/+/x', reasonCode: 'rule', reasonParams: { filter: 'plant/+/x' } }))).toBe('rule plant/+/x')
    expect(layerNoteText({ decoder: 'gzip', note: '1,024 → 5,310 bytes', noteCode: 'resized', noteParams: { from: 1024, to: 5310 } })).toBe('1,024 → 5,310 bytes')
    expect(decodeErrorText(result({ error: 'Not valid CBOR: x', errorCode: 'invalid', errorParams: { format: 'CBOR', detail: 'x' } }))).toBe('Not valid CBOR: x')
  })

  it('translates reasons by code, with their values', () => {
    i18n.global.locale.value = 'de'
    expect(reasonText(result({}))).toBe('lässt sich als JSON lesen')
    expect(reasonText(result({ reason: 'topic under spBv1.0/', reasonCode: 'sparkplugTopic' }))).toBe('Topic unter spBv1.0/')
    expect(reasonText(result({ reason: 'rule plant/+/x', reasonCode: 'rule', reasonParams: { filter: 'plant/+/x' } }))).toBe('Regel plant/+/x')
    expect(reasonText(result({ reason: 'x', reasonCode: 'jsonChecking', reasonParams: { checked: 1048576, left: 15728640 } }))).toBe('die ersten 1.048.576 Bytes sind gültiges JSON, 15.728.640 stehen noch aus')
    expect(reasonText(result({ reason: 'x', reasonCode: 'numberBytes', reasonParams: { n: 1 } }))).toBe('1 Byte, sonst passt nichts')
    i18n.global.locale.value = 'zh-CN'
    expect(reasonText(result({ reason: 'topic under spBv1.0/', reasonCode: 'sparkplugTopic' }))).toBe('主题位于 spBv1.0/ 下')
    expect(reasonText(result({ reason: 'x', reasonCode: 'numberBytes', reasonParams: { n: 4 } }))).toBe('4 字节，其他格式都不符合')
  })

  it('adds where JSON stopped to the reason detection gives now', () => {
    const stopped = result({ reason: 'valid UTF-8; it stops being JSON at byte 16,777,000', reasonCode: 'validUtf8', reasonParams: { jsonStopsAt: 16777000 } })
    expect(reasonText(stopped)).toBe(stopped.reason)
    i18n.global.locale.value = 'de'
    expect(reasonText(stopped)).toBe('gültiges UTF-8; ab Byte 16.777.000 ist es kein JSON mehr')
  })

  it('translates layer notes, counting each of Sparkplug’s two numbers in its own plural', () => {
    const sparkplug = (metrics: number, unresolved: number): DecodeLayer => ({ decoder: 'sparkplug', note: 'English', noteCode: 'sparkplugMetrics', noteParams: { metrics, unresolved } })
    i18n.global.locale.value = 'de'
    expect(layerNoteText({ decoder: 'gzip', note: '1,024 → 5,310 bytes', noteCode: 'resized', noteParams: { from: 1024, to: 5310 } })).toBe('1.024 → 5.310 Bytes')
    expect(layerNoteText({ decoder: 'protobuf', note: 'without a schema', noteCode: 'withoutSchema' })).toBe('ohne Schema')
    expect(layerNoteText(sparkplug(1, 0))).toBe('1 Metrik')
    expect(layerNoteText(sparkplug(5, 1))).toBe('5 Metriken, 1 unaufgelöster Alias')
    expect(layerNoteText(sparkplug(5, 2))).toBe('5 Metriken, 2 unaufgelöste Aliasse')
    expect(layersLabel([{ decoder: 'gzip', note: '1,024 → 5,310 bytes', noteCode: 'resized', noteParams: { from: 1024, to: 5310 } }, { decoder: 'text' }], true)).toBe('gzip (1.024 → 5.310 Bytes) → Text')
    i18n.global.locale.value = 'zh-CN'
    expect(layerNoteText(sparkplug(5, 1))).toBe('5 个指标，1 个别名未解析')
    expect(layerNoteText({ decoder: 'text', note: '3 invalid UTF-8 sequences', noteCode: 'invalidUtf8', noteParams: { n: 3 } })).toBe('3 个无效的 UTF-8 序列')
  })

  it('translates decode errors, keeping a library’s own words as the detail', () => {
    i18n.global.locale.value = 'de'
    expect(decodeErrorText(result({ error: 'Not valid JSON: Unexpected token', errorCode: 'invalid', errorParams: { format: 'JSON', detail: 'Unexpected token' } }))).toBe('Kein gültiges JSON: Unexpected token')
    expect(decodeErrorText(result({ error: 'Type a.B is not in any imported schema; shown without a schema.', errorCode: 'protobufUnknownType', errorParams: { type: 'a.B' } }))).toBe('Der Typ a.B steht in keinem importierten Schema; angezeigt ohne Schema.')
    expect(decodeErrorText(result({}))).toBeNull()
    i18n.global.locale.value = 'zh-CN'
    expect(decodeErrorText(result({ error: 'Avro schema x.avsc is not imported: …', errorCode: 'avroUnknownSchema', errorParams: { schema: 'x.avsc' } }))).toBe('Avro Schema x.avsc 尚未导入：请导入其 .avsc 文件，或选择其他 Schema。')
  })

  it('translates why a diff compares whole messages', () => {
    i18n.global.locale.value = 'de'
    expect(untrimmedText({ trimmed: false, reason: 'English', reasonCode: 'tooLong', reasonParams: { maxChars: 8388608 } })).toBe('Der Text einer Nachricht ist länger als die 8.388.608 Zeichen, die ein Diff vergleicht; daher wird nur sein Anfang verglichen.')
  })

  it('falls back to main’s English for a code it does not know, or a value that is missing', () => {
    i18n.global.locale.value = 'de'
    expect(reasonText(result({ reason: 'a reason from a newer main side', reasonCode: 'somethingNew' as never }))).toBe('a reason from a newer main side')
    expect(reasonText(result({ reason: 'rule plant/#', reasonCode: 'rule' }))).toBe('rule plant/#')
    expect(layerNoteText({ decoder: 'gzip', note: '10 → 20 bytes' })).toBe('10 → 20 bytes')
    expect(layerNoteText({ decoder: 'sparkplug', note: '3 metrics', noteCode: 'sparkplugMetrics' })).toBe('3 metrics')
    expect(decodeErrorText(result({ error: 'Not valid X: y', errorCode: 'brandNew' as never }))).toBe('Not valid X: y')
    expect(untrimmedText({ trimmed: false, reason: 'English whole', reasonCode: 'tooLong' })).toBe('English whole')
  })
})
