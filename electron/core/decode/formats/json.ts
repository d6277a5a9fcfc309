/**
 * JSON: parsed into a value up to JSON_PARSE_MAX_BYTES; bigger payloads are validated without
 * building the value and kept as text (`json-text`), which formatDecoded re-indents in one pass.
 */
import { checkJsonSafe } from '../json-safe'
import { jsonBytesLayout } from '../json-text'
import { utf8Text } from '../text-scan'
import type { Format } from './format'
import { invalid, messageOf } from './format'

/** Above this, JSON is validated and shown as text rather than parsed (JSON.parse is fast enough below it; above, the byte validator avoids building millions of objects). */
export const JSON_PARSE_MAX_BYTES = 1024 * 1024

export const jsonFormat: Format = {
  id: 'json',
  label: 'JSON',
  decode(bytes) {
    let text = utf8Text(bytes)
    if (text === null) return invalid('JSON', 'the bytes are not UTF-8 text')
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
    if (bytes.length > JSON_PARSE_MAX_BYTES) {
      const reindentedBytes = jsonBytesLayout(bytes)
      return reindentedBytes >= 0 ? { kind: 'final', result: { kind: 'json-text', text, reindentedBytes } } : invalid('JSON', 'it does not parse')
    }
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch (err) {
      return invalid('JSON', messageOf(err))
    }
    // Deeper than the views can show as a value: keep it as text (the re-indenter has no depth limit).
    if (!checkJsonSafe(value)) return { kind: 'final', result: { kind: 'json-text', text } }
    return { kind: 'final', result: { kind: 'value', value: value as never } }
  },
}
