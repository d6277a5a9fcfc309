/** The payload formats as the editor offers them: label, editor language, where it is encoded. */
import { JSON_AUTHORED_FORMATS, type PayloadDraft, type PayloadFormat } from '@api'
import { t } from '../i18n'

export interface FormatInfo {
  format: PayloadFormat
  /** The picker's word, in the UI's language where it is a word (format names stay as they are). */
  readonly label: string
  /** What the editor holds, in a few words, under the picker. */
  readonly hint: string
}

/** The shape a Sparkplug B draft is written in: JSON, the same in every language. */
const SPARKPLUG_SHAPE = '{"timestamp", "seq", "metrics": [{"name", "type", "value"}]}'

/** A format whose label and hint are read when shown, so they follow a language switch. */
function info(format: PayloadFormat, label: () => string, hint: () => string): FormatInfo {
  return {
    format,
    get label() {
      return label()
    },
    get hint() {
      return hint()
    },
  }
}

const named = (name: string) => () => name

export const FORMATS: readonly FormatInfo[] = [
  info('text', () => t('publish.formats.text'), () => t('publish.formats.textHint')),
  info('json', named('JSON'), () => t('publish.formats.jsonHint')),
  info('hex', named('Hex'), () => t('publish.formats.hexHint')),
  info('base64', named('Base64'), () => t('publish.formats.base64Hint')),
  info('msgpack', named('MessagePack'), () => t('publish.formats.msgpackHint')),
  info('cbor', named('CBOR'), () => t('publish.formats.cborHint')),
  info('protobuf', named('Protobuf'), () => t('publish.formats.protobufHint')),
  info('sparkplug', named('Sparkplug B'), () => t('publish.formats.sparkplugHint', { shape: SPARKPLUG_SHAPE })),
  info('file', () => t('publish.formats.file'), () => t('publish.formats.fileHint')),
]

/** Monaco's language for a format. */
export function editorLanguage(format: PayloadFormat): 'json' | 'plaintext' {
  return JSON_AUTHORED_FORMATS.includes(format) ? 'json' : 'plaintext'
}

/** Whether only the main side can tell if this draft encodes (binary formats, gzip). */
export function needsMainSideCheck(draft: PayloadDraft): boolean {
  return draft.gzip || draft.format === 'msgpack' || draft.format === 'cbor' || draft.format === 'protobuf' || draft.format === 'sparkplug'
}
