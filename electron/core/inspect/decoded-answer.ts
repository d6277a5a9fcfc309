/**
 * Turns a decode outcome into what `inspect.decode` answers: the view (first text page, inline
 * image, numbers or hex), the message's metadata, and the offer to import a schema file.
 */
import { isUtf8 } from 'node:buffer'
import { SchemaFileName, type DecodedMessage, type DecodedView, type DecodeLayer } from '../../api/inspect'
import { note, reason } from '../decode/sentences'
import type { DecodeOutcome } from '../decode/types'
import { toMessageMeta } from '../tree/rows'
import type { StoredMessage } from '../tree/topic-node'
import { CheckingJsonText, docTextPage, type DocText } from './lazy-json-text'
import { userPropertyPairs } from './user-properties'

/** Images up to this size are sent inline as base64; bigger ones are shown as hex, with a note. */
export const MAX_INLINE_IMAGE_BYTES = 8 * 1024 * 1024

export interface FormattedText {
  text: DocText
  language: 'json' | 'plaintext'
  formatted: boolean
}

export interface AnswerInput {
  docId: string
  message: StoredMessage
  index: number
  path: string
  /** The payload as stored. */
  payload: Buffer
  outcome: DecodeOutcome
  formatted: FormattedText | null
  firstPageChars: number
}

export function decodedAnswer(input: AnswerInput): DecodedMessage {
  const { outcome, formatted } = input
  const layers: DecodeLayer[] = outcome.layers.map((l) => ({ ...l }))
  const view = viewOf(outcome, formatted, input.firstPageChars, layers)
  const checking = formatted?.text instanceof CheckingJsonText ? formatted.text.check : null
  const answer: DecodedMessage = {
    docId: input.docId,
    message: { ...toMessageMeta(input.message), index: input.index, userProperties: userPropertyPairs(input.message.properties) },
    ...(checking !== null ? { pending: true as const } : {}),
    detected: outcome.detected,
    // Honest while pending: how much is known to be JSON, not "parses as JSON".
    ...(checking !== null ? checkingReason(checking.position, checking.bytes.length - checking.position) : reasonOf(outcome)),
    layers,
    candidates: [...outcome.candidates],
    error: outcome.error,
    errorCode: outcome.errorCode,
    ...(outcome.errorParams !== undefined ? { errorParams: outcome.errorParams } : {}),
    view,
    decodedBytes: outcome.bytes.length,
  }
  if (outcome.sparkplug !== undefined) answer.sparkplug = outcome.sparkplug
  if (outcome.cborDiagnostic !== undefined) answer.cborDiagnostic = outcome.cborDiagnostic
  const offer = schemaOffer(input.path, input.payload)
  if (offer !== null) answer.schemaOffer = { name: offer }
  return answer
}

function reasonOf(outcome: DecodeOutcome): Pick<DecodedMessage, 'reason' | 'reasonCode' | 'reasonParams'> {
  return outcome.reasonParams === undefined ? { reason: outcome.reason, reasonCode: outcome.reasonCode } : { reason: outcome.reason, reasonCode: outcome.reasonCode, reasonParams: outcome.reasonParams }
}

/** "its first 1,048,576 bytes parse as JSON, 15,728,640 to go" */
function checkingReason(checked: number, left: number): Pick<DecodedMessage, 'reason' | 'reasonCode' | 'reasonParams'> {
  const r = reason(`its first ${checked.toLocaleString('en-US')} bytes parse as JSON, ${left.toLocaleString('en-US')} to go`, 'jsonChecking', { checked, left })
  return { reason: r.text, reasonCode: r.code, reasonParams: r.params }
}

function viewOf(outcome: DecodeOutcome, formatted: FormattedText | null, firstPageChars: number, layers: DecodeLayer[]): DecodedView {
  const r = outcome.result
  if (formatted !== null) {
    const firstPage = docTextPage(formatted.text, 0, firstPageChars)
    return {
      kind: 'text',
      language: formatted.language,
      // Read after the first page: a text still being checked knows more once it made that page.
      totalChars: formatted.text.length,
      firstPage,
      invalidUtf8: r.kind === 'text' ? r.invalidUtf8 : 0,
      formatted: formatted.formatted,
      ...(formatted.text instanceof CheckingJsonText ? { totalCharsKnown: false as const } : {}),
    }
  }
  switch (r.kind) {
    case 'empty':
      return { kind: 'empty' }
    case 'image':
      if (outcome.bytes.length <= MAX_INLINE_IMAGE_BYTES) {
        return { kind: 'image', mime: r.mime, dataBase64: outcome.bytes.toString('base64'), width: r.width, height: r.height }
      }
      layers.push(tooBigNote(r.mime, outcome.bytes.length))
      return { kind: 'hex', totalBytes: outcome.bytes.length }
    case 'numbers':
      return { kind: 'numbers', readings: r.readings.map((n) => ({ ...n })) }
    default:
      // hex, and a text result the formatter declined: the bytes are always there to page.
      return { kind: 'hex', totalBytes: outcome.bytes.length }
  }
}

/** The hex layer an image too big to send inline gets, with why. */
function tooBigNote(mime: string, bytes: number): DecodeLayer {
  const limitMiB = MAX_INLINE_IMAGE_BYTES / 1024 / 1024
  const n = note(`${mime} image of ${bytes.toLocaleString('en-US')} bytes, over the ${limitMiB} MiB shown inline: save it to view it`, 'imageTooBig', { mime, bytes, limitMiB })
  return { decoder: 'hex', note: n.text, noteCode: n.code, noteParams: n.params }
}

/**
 * A file name to offer when the topic's last level names a schema file and the payload is
 * UTF-8 text; characters a file name may not have become `_`.
 */
export function schemaOffer(path: string, payload: Buffer): string | null {
  const last = path.slice(path.lastIndexOf('/') + 1)
  if (!/\.(proto|avsc)$/.test(last) || payload.length === 0 || !isUtf8(payload)) return null
  const name = last.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^[.-]/, '_')
  return SchemaFileName.safeParse(name).success ? name : null
}
