/**
 * The payload editor's encoders (pure, like `decode/`): an authored draft → the bytes to publish.
 * PLACEHOLDER SIGNATURES for the publish-contract branch: the encode work replaces the bodies and
 * may split this file; the exported names and types below are what `publish/` calls.
 */
import type { PayloadDraft, PayloadProblem } from '../../api'
import type { SchemaLookup } from '../decode/types'

export interface EncodeContext {
  /** Compiled imported schemas (Protobuf message types). */
  schemas: SchemaLookup
}

export type EncodeOutcome = { ok: true; bytes: Buffer } | { ok: false; problem: PayloadProblem }

/** Encodes a draft whose placeholders are already rendered. Never throws. */
export function encodeDraft(draft: PayloadDraft, context: EncodeContext): EncodeOutcome {
  void context
  switch (draft.format) {
    case 'text':
    case 'json':
      return { ok: true, bytes: Buffer.from(draft.body, 'utf8') }
    case 'base64':
    case 'file':
      return { ok: true, bytes: Buffer.from(draft.body, 'base64') }
    default:
      return { ok: false, problem: { message: `${draft.format} is not encoded yet` } }
  }
}

/** What one rendering of `{{…}}` placeholders may use; injected so tests and repeat jobs control it. */
export interface PlaceholderValues {
  /** Epoch ms. */
  now: () => number
  uuid: () => string
  /** The value `{{counter}}` renders to for this message. */
  counter: number
  /** A number in [min, max]. */
  random: (min: number, max: number) => number
}

/** Renders `{{now}}`, `{{iso}}`, `{{uuid}}`, `{{counter}}`, `{{random a b}}` in `text`. Never throws. */
export function renderPlaceholders(text: string, values: PlaceholderValues): { text: string; used: boolean } {
  const now = values.now()
  let used = false
  const out = text.replace(/\{\{\s*(now|iso|uuid|counter|random\s+(-?[\d.]+)\s+(-?[\d.]+))\s*\}\}/g, (_m, name: string, a?: string, b?: string) => {
    used = true
    if (name === 'now') return String(now)
    if (name === 'iso') return new Date(now).toISOString()
    if (name === 'uuid') return values.uuid()
    if (name === 'counter') return String(values.counter)
    return String(values.random(Number(a), Number(b)))
  })
  return { text: out, used }
}
