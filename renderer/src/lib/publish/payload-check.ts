/**
 * The editor's own checks, run as the user types: JSON syntax for the JSON-authored formats, hex
 * digits, base64, and the topic. They block Publish with a sentence and place a marker at the
 * line and column. What only the main side can know (a Protobuf field of the wrong type, a
 * Sparkplug metric) comes from `publish.encode` instead. Sentences are in the UI's language.
 */
import { JSON_AUTHORED_FORMATS, MAX_PAYLOAD_BYTES, type PayloadDraft, type PayloadProblem } from '@api'
import { formatCount } from '../format'
import { t } from '../i18n'
import { checkJson, positionAt } from './json-text'

const PLACEHOLDER = /\{\{\s*(now|iso|uuid|counter|random\s+-?[\d.]+\s+-?[\d.]+)\s*\}\}/g

/**
 * The body with each placeholder replaced by a stand-in of the same length, so offsets stay
 * true: numbers for `now`/`counter`/`random` (valid JSON where a number goes), letters for
 * `iso`/`uuid` (valid inside a JSON string, as their rendered text would be).
 */
export function maskPlaceholders(body: string): string {
  return body.replace(PLACEHOLDER, (m: string, name: string) => (name === 'iso' || name === 'uuid' ? 'x' : '1').repeat(m.length))
}

function at(text: string, offset: number, message: string): PayloadProblem {
  return { message, ...positionAt(text, offset) }
}

function checkHex(body: string): PayloadProblem | null {
  let digits = 0
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!
    if (/[0-9a-fA-F]/.test(ch)) digits++
    else if (!/\s/.test(ch)) return at(body, i, t('publish.check.notHex', { ch }))
  }
  if (digits % 2 === 1) return at(body, body.trimEnd().length - 1, t('publish.check.oddHex'))
  return null
}

function checkBase64(body: string): PayloadProblem | null {
  let chars = 0
  let padding = 0
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!
    if (/\s/.test(ch)) continue
    if (ch === '=') {
      padding++
      if (padding > 2) return at(body, i, t('publish.check.tooMuchPadding'))
      continue
    }
    if (padding > 0) return at(body, i, t('publish.check.paddingInside'))
    if (!/[A-Za-z0-9+/\-_]/.test(ch)) return at(body, i, t('publish.check.notBase64', { ch }))
    chars++
  }
  if ((chars + padding) % 4 === 1) return at(body, body.trimEnd().length - 1, t('publish.check.base64Short'))
  return null
}

/**
 * The first problem the editor can see itself in a payload, or null. JSON-authored formats are
 * checked with their placeholders masked (`{"n": {{counter}}}` is valid once rendered).
 */
export function checkPayload(draft: PayloadDraft): PayloadProblem | null {
  if (draft.format === 'file') return draft.body === '' ? { message: t('publish.check.chooseFile') } : null
  if (draft.format === 'hex') return checkHex(draft.body)
  if (draft.format === 'base64') return checkBase64(draft.body)
  if (JSON_AUTHORED_FORMATS.includes(draft.format)) {
    const text = draft.placeholders ? maskPlaceholders(draft.body) : draft.body
    const problem = checkJson(text)
    return problem ? { message: problem.message, line: problem.line, column: problem.column } : null
  }
  return null
}

/** The reason a topic cannot be published to, or null. Placeholders are allowed (rendered later). */
export function topicProblem(topic: string): string | null {
  if (topic === '') return t('publish.check.noTopic')
  if (topic.includes('+') || topic.includes('#')) return t('publish.check.wildcards')
  if (topic.includes('\u0000')) return t('publish.check.nullChar')
  if (new TextEncoder().encode(topic).length > 65_535) return t('publish.check.topicTooLong', { max: formatCount(65_535) })
  return null
}

/** A file chosen as the raw payload is refused above the app's payload cap. */
export function fileProblem(bytes: number): string | null {
  return bytes > MAX_PAYLOAD_BYTES ? t('publish.check.fileTooBig', { n: formatCount(bytes) }) : null
}
