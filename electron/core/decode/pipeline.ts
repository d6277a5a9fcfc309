/**
 * STUB, replaced by the decoders branch: text, JSON and hex only, with the real signature, so the
 * inspector and charts can be built against it in parallel.
 */
import type { DecodeContext, DecodeOutcome } from './types'

export function decodePayload(payload: Buffer, context: DecodeContext): DecodeOutcome {
  void context
  if (payload.length === 0) return { detected: 'text', reason: 'empty payload', layers: [], candidates: ['text', 'hex'], error: null, bytes: payload, result: { kind: 'empty' } }
  const text = new TextDecoder('utf-8', { fatal: false }).decode(payload)
  try {
    const value = JSON.parse(text)
    return { detected: 'json', reason: 'parses as JSON', layers: [{ decoder: 'json' }], candidates: ['json', 'text', 'hex'], error: null, bytes: payload, result: { kind: 'value', value } }
  } catch {
    const invalid = (text.match(/\uFFFD/g) ?? []).length
    if (invalid > 0) return { detected: 'hex', reason: 'binary', layers: [{ decoder: 'hex' }], candidates: ['hex', 'text'], error: null, bytes: payload, result: { kind: 'hex' } }
    return { detected: 'text', reason: 'valid UTF-8', layers: [{ decoder: 'text' }], candidates: ['text', 'hex'], error: null, bytes: payload, result: { kind: 'text', text, invalidUtf8: 0 } }
  }
}

/**
 * The decoded value's text for the inspector: JSON pretty-printed (2 spaces, keys sorted on
 * request), or the text itself. `formatted` is false when JSON was too big to re-indent.
 */
export function formatDecoded(outcome: DecodeOutcome, options: { sortKeys: boolean }): { text: string; language: 'json' | 'plaintext'; formatted: boolean } | null {
  const r = outcome.result
  if (r.kind === 'value') return { text: JSON.stringify(options.sortKeys ? r.value : r.value, null, 2) ?? 'null', language: 'json', formatted: true }
  if (r.kind === 'json-text') return { text: r.text, language: 'json', formatted: false }
  if (r.kind === 'text') return { text: r.text, language: 'plaintext', formatted: true }
  return null
}

/** A one-line preview (≤ 100 chars) of a decoded payload for the tree rows, or null to keep the raw preview. */
export function previewDecoded(payload: Buffer, context: DecodeContext): string | null {
  void payload
  void context
  return null
}
