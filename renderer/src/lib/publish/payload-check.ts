/**
 * The editor's own checks, run as the user types: JSON syntax for the JSON-authored formats, hex
 * digits, base64, and the topic. They block Publish with a sentence and place a marker at the
 * line and column. What only the main side can know (a Protobuf field of the wrong type, a
 * Sparkplug metric) comes from `publish.encode` instead.
 */
import { JSON_AUTHORED_FORMATS, MAX_PAYLOAD_BYTES, type PayloadDraft, type PayloadProblem } from '@api'
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
    else if (!/\s/.test(ch)) return at(body, i, `“${ch}” is not a hex digit: write bytes as pairs of 0-9 and a-f (spaces and line breaks are allowed)`)
  }
  if (digits % 2 === 1) return at(body, body.trimEnd().length - 1, 'An odd number of hex digits: every byte takes two')
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
      if (padding > 2) return at(body, i, 'Too much “=” padding: base64 ends with at most two')
      continue
    }
    if (padding > 0) return at(body, i, '“=” may only pad the end of base64')
    if (!/[A-Za-z0-9+/\-_]/.test(ch)) return at(body, i, `“${ch}” is not a base64 character (A-Z, a-z, 0-9, +, / and = padding)`)
    chars++
  }
  if ((chars + padding) % 4 === 1) return at(body, body.trimEnd().length - 1, 'This base64 is cut short: its length does not make whole bytes')
  return null
}

/**
 * The first problem the editor can see itself in a payload, or null. JSON-authored formats are
 * checked with their placeholders masked (`{"n": {{counter}}}` is valid once rendered).
 */
export function checkPayload(draft: PayloadDraft): PayloadProblem | null {
  if (draft.format === 'file') return draft.body === '' ? { message: 'Choose a file to publish its bytes' } : null
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
  if (topic === '') return 'Enter a topic to publish to'
  if (topic.includes('+') || topic.includes('#')) return '“+” and “#” are wildcards for subscribing: a message is published to one exact topic'
  if (topic.includes('\u0000')) return 'A topic may not contain the null character'
  if (new TextEncoder().encode(topic).length > 65_535) return 'A topic may be at most 65,535 bytes'
  return null
}

/** A file chosen as the raw payload is refused above the app's payload cap. */
export function fileProblem(bytes: number): string | null {
  return bytes > MAX_PAYLOAD_BYTES ? `This file is ${bytes.toLocaleString('en')} bytes; a payload may be at most 16 MB` : null
}
