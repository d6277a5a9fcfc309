/** The payload formats as the editor offers them: label, editor language, where it is encoded. */
import { JSON_AUTHORED_FORMATS, type PayloadDraft, type PayloadFormat } from '@api'

export interface FormatInfo {
  format: PayloadFormat
  label: string
  /** What the editor holds, in a few words, under the picker. */
  hint: string
}

export const FORMATS: readonly FormatInfo[] = [
  { format: 'text', label: 'Text', hint: 'Published as UTF-8 text.' },
  { format: 'json', label: 'JSON', hint: 'Checked as you type; published as written.' },
  { format: 'hex', label: 'Hex', hint: 'Bytes as hex digit pairs; spaces and line breaks are ignored.' },
  { format: 'base64', label: 'Base64', hint: 'Bytes as base64.' },
  { format: 'msgpack', label: 'MessagePack', hint: 'Written as JSON, encoded as MessagePack on the main side.' },
  { format: 'cbor', label: 'CBOR', hint: 'Written as JSON, encoded as CBOR on the main side.' },
  { format: 'protobuf', label: 'Protobuf', hint: 'Written as JSON, encoded with the message type of an imported .proto.' },
  { format: 'sparkplug', label: 'Sparkplug B', hint: 'Written as JSON ({"timestamp", "seq", "metrics": [{"name", "type", "value"}]}), encoded as a Sparkplug B payload.' },
  { format: 'file', label: 'File', hint: 'A file’s bytes, published as they are (up to 16 MB).' },
]

/** Monaco's language for a format. */
export function editorLanguage(format: PayloadFormat): 'json' | 'plaintext' {
  return JSON_AUTHORED_FORMATS.includes(format) ? 'json' : 'plaintext'
}

/** Whether only the main side can tell if this draft encodes (binary formats, gzip). */
export function needsMainSideCheck(draft: PayloadDraft): boolean {
  return draft.gzip || draft.format === 'msgpack' || draft.format === 'cbor' || draft.format === 'protobuf' || draft.format === 'sparkplug'
}
