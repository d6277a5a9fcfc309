/**
 * JSON: parsed into a value up to JSON_PARSE_MAX_BYTES; bigger payloads are validated without
 * building the value and kept as text (`json-text`), which formatDecoded re-indents in one pass.
 * A big payload's verdict is remembered per Buffer, and with `deferJsonCheck` only its start is
 * checked before answering (the inspector finishes the check off the hot path).
 */
import { checkJsonSafe } from '../json-safe'
import { JsonCheck } from '../json-check'
import { scanText, utf8Text } from '../text-scan'
import type { DecodedResult } from '../types'
import type { Format, FormatOutcome } from './format'
import { invalid, invalidBecause, messageOf } from './format'

/** Above this, JSON is validated and shown as text rather than parsed (JSON.parse is fast enough below it; above, the byte validator avoids building millions of objects). */
export const JSON_PARSE_MAX_BYTES = 1024 * 1024

/** Finished checks of big payloads: the inspector's second decode of a buffer (sorted, or after a deferred check) does not scan it again. */
const verdicts = new WeakMap<Uint8Array, JsonCheck>()

/** Remembers a finished check of `bytes` (the inspector finishes deferred ones). */
export function rememberJsonCheck(check: JsonCheck): void {
  if (check.done) verdicts.set(check.bytes, check)
}

/** "it stops being JSON at byte 12,345,678" */
export function jsonFailure(check: JsonCheck): string {
  return `it stops being JSON at byte ${(check.failedAt + 1).toLocaleString('en-US')}`
}

/** The payload's text, made only when read (the inspector's lazy re-indent never needs 16 MB of it). */
function lazyJsonText(bytes: Buffer, fields: { reindentedBytes?: number; check?: JsonCheck }): DecodedResult {
  let text: string | undefined
  return {
    kind: 'json-text',
    get text(): string {
      if (text === undefined) {
        const t = utf8Text(bytes) ?? ''
        text = t.charCodeAt(0) === 0xfeff ? t.slice(1) : t
      }
      return text
    },
    ...fields,
  }
}

function bigJson(bytes: Buffer, defer: { checkOutBytes: number } | undefined): FormatOutcome {
  let check = verdicts.get(bytes)
  if (check === undefined) {
    check = new JsonCheck(bytes)
    if (defer === undefined || check.run(Infinity, defer.checkOutBytes)) {
      check.run()
      rememberJsonCheck(check)
    }
  }
  if (check.state === 'invalid') return invalidBecause('JSON', jsonFailure(check), 'invalidJsonStops', { byte: check.failedAt + 1 })
  if (check.state === 'scanning') return { kind: 'final', result: lazyJsonText(bytes, { check }) }
  return { kind: 'final', result: lazyJsonText(bytes, { reindentedBytes: check.outBytes }) }
}

const NOT_UTF8 = 'the bytes are not UTF-8 text'

export const jsonFormat: Format = {
  id: 'json',
  label: 'JSON',
  decode(bytes, context) {
    if (bytes.length > JSON_PARSE_MAX_BYTES) {
      // Valid UTF-8 first (detection has scanned it already; a forced decode may not have).
      if (!scanText(bytes).validUtf8) return invalidBecause('JSON', NOT_UTF8, 'invalidNotUtf8')
      return bigJson(bytes, context.deferJsonCheck)
    }
    let text = utf8Text(bytes)
    if (text === null) return invalidBecause('JSON', NOT_UTF8, 'invalidNotUtf8')
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
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
