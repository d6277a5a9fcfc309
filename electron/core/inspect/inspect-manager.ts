/**
 * The inspector's engine: decodes stored messages with the connection's rules, the message's
 * MQTT 5 hints and the imported schemas, keeps each result as a document the renderer pages
 * through, and makes the tree's decoded previews. Decoding itself is core/decode's; this file
 * finds the bytes, builds the context, and bounds what is kept and sent.
 */
import { isUtf8 } from 'node:buffer'
import { ApiError, MAX_DIFF_TEXT_CHARS, MAX_PROVISIONAL_PAGE_CHARS, type DecodedMessage, type DiffExcerpt, type MessageRef, type Profile, type TextPage, type ValidParams, type WordedPreview } from '../../api'
import { jsonFailure, rememberJsonCheck } from '../decode/formats/json'
import type { JsonCheck } from '../decode/json-check'
import { decodePayload, formatDecoded, previewDecoded, reindentedJsonLength, type PreviewWordsSink } from '../decode/pipeline'
import { REASON_DECODER_FAILED } from '../decode/sentences'
import type { DecodeContext, DecodeOutcome, SchemaLookup } from '../decode/types'
import { PREVIEW_MAX_CHARS } from '../tree/payload'
import { payloadOf, type StoredMessage } from '../tree/topic-node'
import { decodedAnswer, type FormattedText } from './decoded-answer'
import { diffExcerpt } from './diff-excerpt'
import { DocCache, type InspectDoc } from './doc-cache'
import { findMessage, short, type MessageSource } from './message-lookup'
import { finishInSlices } from './check-slices'
import { CheckingJsonText, docTextPage, LazyJsonText } from './lazy-json-text'
import { bytesPage } from './pages'
import { RuleBook } from './rules'

/** Payloads up to this size are copied out of the tree's shared slab, so a cached document never pins 256 KB for a few bytes. */
const COPY_SMALL_BYTES = 4096
/** Tree previews remembered per topic (a bigger tree just decodes again). */
const MAX_REMEMBERED_PREVIEWS = 10_000
const SPARKPLUG_PREFIX = 'spBv1.0/'
/** The values of the diff's too-long sentence: its limit. */
const TOO_LONG_PARAMS = Object.freeze({ maxChars: MAX_DIFF_TEXT_CHARS })
/**
 * Re-indented UTF-8 bytes big JSON is checked for before its first answer: enough for the
 * inspector's first page of 64K characters (a UTF-16 unit takes at most 3 bytes); a bigger
 * provisional first page checks on as far as it needs, and the rest is checked in slices.
 */
const FIRST_CHECK_OUT_BYTES = 3 * (64 * 1024 + 1)

export interface InspectManagerOptions {
  trees: MessageSource & { latestPayload(connectionId: string, path: string): Buffer | undefined }
  schemas: { readonly lookup: SchemaLookup; readonly generation: number }
  cache?: DocCache
}

/** A document whose JSON check is still running, and what settling it needs. */
interface PendingCheck {
  check: JsonCheck
  raw: Buffer
  context: DecodeContext
  sortKeys: boolean
  /** Resolves once the check is done and the document shows its result (or is gone). */
  settled: Promise<void>
}

interface RememberedPreview {
  buffer: ArrayBufferLike
  byteOffset: number
  length: number
  generation: string
  preview: string | WordedPreview | null
}

export class InspectManager {
  readonly rules = new RuleBook()
  private readonly docs: DocCache
  /** Message identity for cache keys: stored messages are the tree's own objects. */
  private readonly messageIds = new WeakMap<StoredMessage, number>()
  private nextMessageId = 1
  private readonly previews = new Map<string, RememberedPreview>()
  /** The one holder previewDecoded leaves a preview's words in. */
  private readonly previewWords: PreviewWordsSink = {}
  private readonly pending = new Map<string, PendingCheck>()
  private closed = false

  constructor(private readonly options: InspectManagerOptions) {
    this.docs = options.cache ?? new DocCache()
  }

  /**
   * `inspect.decode`: the stored message decoded; the same message decoded the same way reuses
   * its document. Big JSON still being checked is answered `pending` only for a `provisional`
   * request whose first page is already checked; any other request finishes the check first.
   */
  decode(params: ValidParams<'inspect.decode'>): DecodedMessage {
    const { doc, found } = this.docOf(params)
    let shown = doc
    const entry = this.pending.get(doc.id)
    if (shown.text instanceof CheckingJsonText && entry !== undefined) {
      const provisional = params.provisional && params.firstPageChars <= MAX_PROVISIONAL_PAGE_CHARS
      // Checked as far as this first page needs (the check resumes where it stopped).
      if (provisional) entry.check.run(Infinity, 3 * (params.firstPageChars + 1))
      if (!provisional || entry.check.done || shown.text.page(0, params.firstPageChars) === null) shown = this.finishNow(shown)
    }
    return this.answerOf(shown, found.message, found.index, params.message.path, params.firstPageChars)
  }

  /** `inspect.decode` as the service answers it: a request that is not provisional waits for the check's slices (the event loop stays free), not for one long task. */
  async decodeChecked(params: ValidParams<'inspect.decode'>): Promise<DecodedMessage> {
    if (!params.provisional) await this.pending.get(this.docOf(params).doc.id)?.settled
    return this.decode(params)
  }

  /** `inspect.text`: a page of the document's decoded text (a document still being checked is finished first). */
  text(params: ValidParams<'inspect.text'>): TextPage & { totalChars: number } {
    const doc = this.checkedDoc(params.docId)
    if (doc.text === null) throw new ApiError('BAD_REQUEST', 'This message is shown as bytes, not text: page it with its hex view (inspect.bytes).', { docId: params.docId })
    return { ...docTextPage(doc.text, params.offset, params.maxChars), totalChars: doc.text.length }
  }

  /** `inspect.text` as the service answers it: waits for a running check's slices first, so every page comes with the document's true total. */
  async textChecked(params: ValidParams<'inspect.text'>): Promise<TextPage & { totalChars: number }> {
    await this.whenChecked(params.docId)
    return this.text(params)
  }

  /** Resolves once the document's JSON check (if one is running) is done and the document settled. */
  async whenChecked(docId: string): Promise<void> {
    await this.pending.get(this.doc(docId).id)?.settled
  }

  /** `inspect.bytes`: raw (as received) or decoded (after the layers) bytes of the document. */
  bytes(params: ValidParams<'inspect.bytes'>): { offset: number; base64: string; totalBytes: number } {
    const doc = this.doc(params.docId)
    return bytesPage(params.source === 'decoded' ? doc.decoded : doc.raw, params.offset, params.length)
  }

  /**
   * `inspect.diff`: two cached documents' texts with their long unchanged stretches left out, so
   * the diff view sends and diffs only the changes and the lines around them.
   */
  diff(params: ValidParams<'inspect.diff'>): DiffExcerpt {
    const left = this.checkedDoc(params.left).text
    const right = this.checkedDoc(params.right).text
    if (left === null || right === null) throw new ApiError('BAD_REQUEST', 'One of the two messages is shown as bytes, not text: compare them as hex.', { left: params.left, right: params.right })
    if (left.length > MAX_DIFF_TEXT_CHARS || right.length > MAX_DIFF_TEXT_CHARS) {
      return { trimmed: false, reason: `A message's text is longer than the ${MAX_DIFF_TEXT_CHARS.toLocaleString('en-US')} characters a diff compares, so only its start is compared.`, reasonCode: 'tooLong', reasonParams: TOO_LONG_PARAMS }
    }
    return diffExcerpt(left.toString(), right.toString(), params.contextLines)
  }

  /** `inspect.release`: the renderer no longer shows it (unknown ids are fine: it may have been evicted). */
  release(docId: string): void {
    this.docs.release(docId)
  }

  /** The text of a stored message, for importing it as a schema file. */
  messageText(ref: MessageRef): string {
    const { message } = findMessage(this.options.trees, ref)
    const payload = payloadOf(message)
    if (message.truncated) {
      throw new ApiError('SCHEMA_BAD_FILE', `Only the first ${message.length.toLocaleString('en-US')} of its ${message.size.toLocaleString('en-US')} bytes were stored, so it cannot be imported whole: raise the payload cap in the settings, or import the file itself.`)
    }
    if (payload.length === 0 || !isUtf8(payload)) throw new ApiError('SCHEMA_BAD_FILE', `The message on ${short(ref.path)} is not UTF-8 text, so it is not a schema file: pick the topic that carries the .proto or .avsc text.`)
    return payload.toString('utf8')
  }

  /** The decode context for a message of `topic` (charts and previews decode with it too). */
  contextFor(connectionId: string, topic: string, properties: Record<string, unknown> | undefined, forced?: DecodeContext['forced']): DecodeContext {
    const context: DecodeContext = {
      topic,
      schemas: this.options.schemas.lookup,
      latestPayload: (other) => this.options.trees.latestPayload(connectionId, other),
    }
    const rule = this.rules.ruleFor(connectionId, topic)
    if (rule !== undefined) context.rule = rule
    if (forced !== undefined) context.forced = forced
    const contentType = properties?.contentType
    if (typeof contentType === 'string') context.contentType = contentType
    const indicator = properties?.payloadFormatIndicator
    if (typeof indicator === 'boolean') context.utf8Hint = indicator
    return context
  }

  /**
   * The tree's row preview for a topic: decoded for a topic with a rule or under `spBv1.0/`,
   * else null (the raw preview), decided with one Map lookup and one prefix test.
   */
  previewFor(connectionId: string, path: string, payload: Buffer, properties: Record<string, unknown> | undefined): string | WordedPreview | null {
    if (!this.rules.has(connectionId) && !path.startsWith(SPARKPLUG_PREFIX)) return null
    const context = this.contextFor(connectionId, path, properties)
    if (context.rule === undefined && !path.startsWith(SPARKPLUG_PREFIX)) return null
    // Rows are sent again on expand, scroll and snapshots: decode each stored payload once.
    const key = `${connectionId}\u0000${path}`
    const generation = `${this.rules.generation}:${this.options.schemas.generation}`
    const known = this.previews.get(key)
    if (known !== undefined && known.buffer === payload.buffer && known.byteOffset === payload.byteOffset && known.length === payload.length && known.generation === generation) return known.preview
    let text: string | null
    try {
      text = previewDecoded(payload, context, this.previewWords)
    } catch {
      text = null
    }
    if (text !== null && text.length > PREVIEW_MAX_CHARS) text = text.slice(0, PREVIEW_MAX_CHARS - 1) + '…'
    // Only an image's or a Sparkplug payload's line holds words: those alone are remembered with them.
    const words = this.previewWords.words
    const preview = text !== null && words !== undefined ? { text, words } : text
    if (this.previews.size >= MAX_REMEMBERED_PREVIEWS) this.previews.clear()
    this.previews.set(key, { buffer: payload.buffer, byteOffset: payload.byteOffset, length: payload.length, generation, preview })
    return preview
  }

  /** Profiles changed: take their rules. */
  profilesChanged(profiles: ReadonlyArray<Pick<Profile, 'id' | 'decoderRules'>>): void {
    this.rules.replaceAll(profiles)
    this.previews.clear()
  }

  /** The profile is gone: forget its documents. */
  dropConnection(connectionId: string): void {
    this.docs.dropConnection(connectionId)
    this.rules.set(connectionId, [])
  }

  close(): void {
    this.closed = true
    this.docs.clear()
    this.previews.clear()
    this.pending.clear()
  }

  /** The document with its JSON check finished (in this task, if it was still running). */
  private checkedDoc(docId: string): InspectDoc {
    const doc = this.doc(docId)
    return doc.text instanceof CheckingJsonText ? this.finishNow(doc) : doc
  }

  private doc(docId: string): InspectDoc {
    const doc = this.docs.get(docId)
    if (doc === undefined) throw new ApiError('NOT_FOUND', 'This decoded message is no longer cached; select it again.', { docId })
    return doc
  }

  private keyOf(message: StoredMessage, context: DecodeContext, sortKeys: boolean): string {
    let id = this.messageIds.get(message)
    if (id === undefined) {
      id = this.nextMessageId++
      this.messageIds.set(message, id)
    }
    return JSON.stringify([id, this.options.schemas.generation, context.rule ?? null, context.forced ?? null, sortKeys])
  }

  private docOf(params: ValidParams<'inspect.decode'>): { doc: InspectDoc; found: ReturnType<typeof findMessage> } {
    const { connectionId, path } = params.message
    const found = findMessage(this.options.trees, params.message)
    const forced = params.decoder === undefined ? undefined : { decoder: params.decoder, protobufType: params.protobufType, avroSchema: params.avroSchema }
    const context = this.contextFor(connectionId, path, found.message.properties, forced)
    const key = this.keyOf(found.message, context, params.sortKeys)
    return { doc: this.docs.byKeyOf(key) ?? this.newDoc(key, connectionId, found.message, context, params.sortKeys), found }
  }

  private newDoc(key: string, connectionId: string, message: StoredMessage, context: DecodeContext, sortKeys: boolean): InspectDoc {
    const stored = payloadOf(message)
    const raw = stored.length <= COPY_SMALL_BYTES && stored.buffer.byteLength > stored.length ? Buffer.from(stored) : stored
    // Big JSON: check only its start now (sorted keys parse the whole anyway).
    if (!sortKeys) context.deferJsonCheck = { checkOutBytes: FIRST_CHECK_OUT_BYTES }
    const outcome = safeDecode(raw, context)
    const r = outcome.result
    if (r.kind === 'json-text' && r.check !== undefined && !r.check.done) {
      const check = r.check
      const doc = this.docs.add({ key, connectionId, raw, decoded: outcome.bytes, text: new CheckingJsonText(check), format: { language: 'json', formatted: true }, outcome })
      const entry: PendingCheck = { check, raw, context, sortKeys, settled: Promise.resolve() }
      entry.settled = finishInSlices(check, () => !this.closed && this.docs.peek(doc.id) !== undefined).then(() => {
        if (check.done) this.settle(doc.id, entry)
        this.pending.delete(doc.id)
      })
      this.pending.set(doc.id, entry)
      return doc
    }
    return this.docs.add({ key, connectionId, raw, decoded: outcome.bytes, ...shownText(outcome, sortKeys), outcome })
  }

  /** Finishes a document's check in this task (a caller that cannot wait) and settles it. */
  private finishNow(doc: InspectDoc): InspectDoc {
    const entry = this.pending.get(doc.id)
    if (entry === undefined) return doc
    entry.check.run()
    return this.settle(doc.id, entry) ?? doc
  }

  /**
   * The check is done: valid JSON keeps its document (now with its true length); anything else
   * is decoded again, without JSON (the verdict is remembered for these bytes), so the view
   * becomes what detection picks next (text) and its reason says where the JSON stopped.
   */
  private settle(docId: string, entry: PendingCheck): InspectDoc | undefined {
    const doc = this.docs.peek(docId)
    if (doc === undefined || !(doc.text instanceof CheckingJsonText) || doc.text.check !== entry.check) return doc
    rememberJsonCheck(entry.check)
    const outcome = doc.outcome
    if (entry.check.state === 'valid' && outcome.result.kind === 'json-text') {
      outcome.result.reindentedBytes = entry.check.outBytes
      delete outcome.result.check
      return this.docs.replace(docId, { decoded: outcome.bytes, outcome, ...shownText(outcome, entry.sortKeys) })
    }
    delete entry.context.deferJsonCheck
    const again = safeDecode(entry.raw, entry.context)
    if (entry.check.state === 'invalid') {
      // The reason detection gives now, and where the JSON stopped (a value its translation adds too).
      again.reason = `${again.reason}; ${jsonFailure(entry.check)}`
      again.reasonParams = { ...again.reasonParams, jsonStopsAt: entry.check.failedAt + 1 }
    }
    return this.docs.replace(docId, { decoded: again.bytes, outcome: again, ...shownText(again, entry.sortKeys) })
  }

  private answerOf(doc: InspectDoc, message: StoredMessage, index: number, path: string, firstPageChars: number): DecodedMessage {
    const formatted = doc.text === null || doc.format === null ? null : { text: doc.text, ...doc.format }
    return decodedAnswer({ docId: doc.id, message, index, path, payload: doc.raw, outcome: doc.outcome, formatted, firstPageChars })
  }
}

/** A settled outcome's text: big JSON re-indented lazily (its length known from the validator), the rest formatted now. */
function shownText(outcome: DecodeOutcome, sortKeys: boolean): Pick<InspectDoc, 'text' | 'format'> {
  let formatted: FormattedText | null
  const lazyLength = reindentedJsonLength(outcome, { sortKeys })
  try {
    formatted = lazyLength !== null ? { text: new LazyJsonText(outcome.bytes, lazyLength), language: 'json', formatted: true } : formatDecoded(outcome, { sortKeys })
  } catch (err) {
    // e.g. a structure whose JSON text would exceed what a string can hold: show the bytes.
    outcome.error = `This message could not be shown as text (${reason(err)}); its bytes are shown instead.`
    outcome.errorCode = 'notShownAsText'
    outcome.errorParams = { detail: reason(err) }
    outcome.result = { kind: 'hex' }
    formatted = null
  }
  return { text: formatted?.text ?? null, format: formatted === null ? null : { language: formatted.language, formatted: formatted.formatted } }
}

/** decodePayload, with a decoder's own failure turned into the hex view and a sentence. */
function safeDecode(payload: Buffer, context: DecodeContext): DecodeOutcome {
  try {
    return decodePayload(payload, context)
  } catch (err) {
    return {
      detected: 'hex',
      reason: REASON_DECODER_FAILED.text,
      reasonCode: REASON_DECODER_FAILED.code,
      layers: [{ decoder: 'hex' }],
      candidates: ['hex', 'text'],
      error: `This message could not be decoded (${reason(err)}); its bytes are shown instead.`,
      errorCode: 'decoderFailed',
      errorParams: { detail: reason(err) },
      bytes: payload,
      result: { kind: 'hex' },
    }
  }
}

function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
