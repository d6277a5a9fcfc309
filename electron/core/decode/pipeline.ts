/**
 * The decoders' entry points. `decodePayload` never throws: it tries the forced decoder, the
 * rule's, or the automatic picks (detect.ts) in order, repeats detection on what a layer (base64,
 * gzip, zlib, deflate) gives, and reports a failed forced or ruled decoder as an error with the
 * hex view. `formatDecoded` turns the outcome into the inspector's text, `previewDecoded` into a
 * tree row's one-line preview.
 */
import type { DecodeErrorCode, DecodeLayer, DecodeReasonCode, DecoderId, SentenceParams } from '../../api/inspect'
import type { PreviewMetric, PreviewWords } from '../../api/tree'
import { automaticPicks, candidatesFor, leadingPick, MAX_LAYERS, type Pick } from './detect'
import type { FormatOutcome } from './formats/format'
import { messageOf } from './formats/format'
import { FORMATS } from './formats/index'
import { cborDiagnostic } from './formats/cbor'
import { isGzip } from './formats/compressed'
import { parseSparkplugTopic } from './formats/sparkplug'
import { tryMsgpack } from './formats/msgpack'
import { compactJson, sortKeysDeep } from './json-format'
import { reindentJsonBytes } from './json-text'
import { utf16Length } from './text-scan'
import { problem, reason as coded, REASON_BINARY, REASON_CHOSEN, REASON_EMPTY } from './sentences'
import type { DecodeContext, DecodeError, DecodeOutcome, DecodeReason, JsonValue, LayerNote } from './types'

/** JSON up to this many bytes is re-indented; longer is shown as sent (formatted: false). */
export const REINDENT_MAX_BYTES = 32 * 1024 * 1024
/** JSON text up to this size is parsed to sort its keys; longer is shown unsorted. */
export const SORT_MAX_CHARS = 8 * 1024 * 1024
/** Payloads previewed through the decoders at most (the tree's rows ask for many). */
export const PREVIEW_MAX_BYTES = 1024 * 1024
export const PREVIEW_MAX_CHARS = 100

function attempt(pick: Pick, bytes: Buffer, context: DecodeContext): FormatOutcome {
  const format = FORMATS[pick.id]
  try {
    return format.decode(bytes, context, pick.options ?? {})
  } catch (err) {
    const detail = messageOf(err)
    return { kind: 'error', error: problem(`Not valid ${format.label}: ${detail}`, 'invalid', { format: format.label, detail }) }
  }
}

/** Runs `first` (forced or ruled) or the automatic picks at the payload, then detection after each layer. */
function run(payload: Buffer, context: DecodeContext, first: Pick | null): Outcome {
  let layers: DecodeLayer[] | null = null
  let bytes = payload
  let detected: DecoderId | null = null
  let reason: DecodeReason = REASON_BINARY
  let depth = 0
  let next: Buffer | null = null
  let done: Outcome | null = null
  // One pick tried; true when it settles the decode (`done`) or gives a layer (`next`).
  const take = (pick: Pick): boolean => {
    const out = attempt(pick, bytes, context)
    if (out.kind === 'error' && !pick.strict && !(depth === 0 && first !== null)) return false
    if (detected === null) {
      detected = pick.id
      reason = pick.reason
    }
    if (out.kind === 'error') {
      done = new Outcome(detected, reason, layers ?? [], out.error, bytes, { kind: 'hex' }, undefined, payload, context)
      return true
    }
    if (out.kind === 'layer') {
      ;(layers ??= []).push(layerOf(pick.id, out.note))
      next = out.bytes
      return true
    }
    if (layers === null) layers = soleLayer(pick.id, out.note)
    else layers.push(out.note === undefined ? { decoder: pick.id } : layerOf(pick.id, out.note))
    done = new Outcome(detected, reason, layers, out.error ?? null, bytes, out.result, out.sparkplug, payload, context)
    return true
  }
  for (; depth <= MAX_LAYERS; depth++) {
    next = null
    if (depth === 0 && first !== null) take(first)
    else automaticPicks(bytes, context, depth, take)
    if (done !== null) return done
    if (next === null) break
    bytes = next
  }
  // Unreachable in practice: hex ends every automatic list and layers stop at MAX_LAYERS.
  return new Outcome(detected ?? 'hex', reason, layers ?? [], null, bytes, { kind: 'hex' }, undefined, payload, context)
}

/**
 * The layers list of a decode that is one decoder and nothing else (the common case), shared
 * and frozen: a chart's or a rule topic's messages all get the same list instead of two new
 * objects each. Nobody changes an outcome's list (the inspector copies it to annotate it).
 */
const soleLayers = new Map<DecoderId, DecodeLayer[]>()
const notedLayers = new Map<DecoderId, Map<string, DecodeLayer[]>>()
let lastSoleId: DecoderId | null = null
let lastSoleNote: LayerNote | undefined
let lastSoleLayers: DecodeLayer[] = []

/** A layer with its note: the English `note` and, beside it, its code and values. */
function layerOf(decoder: DecoderId, note: LayerNote): DecodeLayer {
  return note.params === undefined ? { decoder, note: note.text, noteCode: note.code } : { decoder, note: note.text, noteCode: note.code, noteParams: note.params }
}

function soleLayer(id: DecoderId, note: LayerNote | undefined): DecodeLayer[] {
  // One topic's messages come one after another with the same decoder and note.
  if (id === lastSoleId && note === lastSoleNote) return lastSoleLayers
  lastSoleId = id
  lastSoleNote = note
  return (lastSoleLayers = soleLayerOf(id, note))
}

function soleLayerOf(id: DecoderId, note: LayerNote | undefined): DecodeLayer[] {
  if (note === undefined) {
    let layers = soleLayers.get(id)
    if (layers === undefined) soleLayers.set(id, (layers = Object.freeze([Object.freeze({ decoder: id })]) as DecodeLayer[]))
    return layers
  }
  let byNote = notedLayers.get(id)
  if (byNote === undefined) notedLayers.set(id, (byNote = new Map()))
  let layers = byNote.get(note.text)
  if (layers === undefined) {
    // Notes come from a bounded set per decoder (a type name, "without a schema"), but keep it bounded anyway.
    if (byNote.size >= 256) byNote.clear()
    byNote.set(note.text, (layers = Object.freeze([Object.freeze(layerOf(id, note))]) as DecodeLayer[]))
  }
  return layers
}

/**
 * The outcome handed out: `candidates` and `cborDiagnostic` are computed on first read (charts
 * and previews decode every message and read neither). Both are getters on the prototype, so
 * code that copies an outcome should read them by name (toJSON includes them).
 */
class Outcome implements DecodeOutcome {
  detected: DecoderId
  reason: string
  reasonCode: DecodeReasonCode
  reasonParams: SentenceParams | undefined
  layers: DecodeLayer[]
  error: string | null
  errorCode: DecodeErrorCode | null
  errorParams: SentenceParams | undefined
  bytes: Buffer
  result: DecodeOutcome['result']
  sparkplug?: DecodeOutcome['sparkplug']
  #candidates: DecoderId[] | null = null
  #diagnostic: string | null | undefined = null
  readonly #payload: Buffer
  readonly #context: DecodeContext

  constructor(detected: DecoderId, reason: DecodeReason, layers: DecodeLayer[], error: DecodeError | null, bytes: Buffer, result: DecodeOutcome['result'], sparkplug: DecodeOutcome['sparkplug'], payload: Buffer, context: DecodeContext) {
    this.detected = detected
    this.reason = reason.text
    this.reasonCode = reason.code
    // The shared, frozen params of the reason (no copy per message); undefined keeps one shape.
    this.reasonParams = reason.params
    this.layers = layers
    this.error = error === null ? null : error.text
    this.errorCode = error === null ? null : error.code
    this.errorParams = error?.params
    this.bytes = bytes
    this.result = result
    if (sparkplug !== undefined) this.sparkplug = sparkplug
    this.#payload = payload
    this.#context = context
  }

  get candidates(): DecoderId[] {
    if (this.#candidates === null) {
      try {
        this.#candidates = candidatesFor(this.#payload, this.#context, this.detected)
      } catch {
        this.#candidates = [...new Set<DecoderId>([this.detected, 'text', 'hex'])]
      }
    }
    return this.#candidates
  }

  get cborDiagnostic(): string | undefined {
    if (this.#diagnostic === null) {
      const last = this.layers[this.layers.length - 1]
      this.#diagnostic = last?.decoder === 'cbor' && this.error === null ? cborDiagnostic(this.bytes) : undefined
    }
    return this.#diagnostic
  }

  /** Takes another reason (a forced decode reports what detection alone picks, and why). */
  setReason(from: DecodeOutcome): void {
    this.reason = from.reason
    this.reasonCode = from.reasonCode
    this.reasonParams = from.reasonParams
  }

  toJSON(): DecodeOutcome {
    const { detected, reason, reasonCode, reasonParams, layers, error, errorCode, errorParams, bytes, result, sparkplug, candidates, cborDiagnostic } = this
    return {
      detected, reason, reasonCode, ...(reasonParams ? { reasonParams } : {}), layers, error, errorCode, ...(errorParams ? { errorParams } : {}),
      bytes, result, candidates, ...(sparkplug ? { sparkplug } : {}), ...(cborDiagnostic !== undefined ? { cborDiagnostic } : {}),
    }
  }
}

const rulePicks = new WeakMap<NonNullable<DecodeContext['rule']>, Pick>()
// The last rule asked for (a chart's or a topic's messages come one after another); kept
// strongly, one object at most.
let lastRule: DecodeContext['rule'] = undefined
let lastRulePick: Pick | null = null

/** The rule as a pick, made once per rule object (the same rule decodes every message of its topics). */
function rulePick(context: DecodeContext): Pick | null {
  const rule = context.rule
  if (rule === undefined) return null
  if (rule === lastRule && lastRulePick !== null) return lastRulePick
  let pick = rulePicks.get(rule)
  if (pick === undefined) {
    pick = { id: rule.decoder, reason: coded(`rule ${rule.filter}`, 'rule', { filter: rule.filter }), strict: true, options: { protobufType: rule.protobufType, avroSchema: rule.avroSchema } }
    rulePicks.set(rule, pick)
  }
  lastRule = rule
  lastRulePick = pick
  return pick
}

/** Decodes a payload: forced decoder, then the rule, then detection (see detect.ts). Never throws. */
export function decodePayload(payload: Buffer, context: DecodeContext): DecodeOutcome {
  try {
    return decodeOrThrow(payload, context)
  } catch (err) {
    // Each decoder already turns its failures into "Not valid X"; this is the last guard.
    const detail = messageOf(err)
    return new Outcome('hex', REASON_BINARY, [{ decoder: 'hex' }], problem(`Could not decode this payload: ${detail}`, 'undecodable', { detail }), payload, { kind: 'hex' }, undefined, payload, context)
  }
}

function decodeOrThrow(payload: Buffer, context: DecodeContext): DecodeOutcome {
  if (payload.length === 0) {
    return { detected: 'text', reason: REASON_EMPTY.text, reasonCode: REASON_EMPTY.code, layers: [], candidates: ['text', 'hex'], error: null, errorCode: null, bytes: payload, result: { kind: 'empty' } }
  }
  const ruled = rulePick(context)
  const forced = context.forced
  // The common case of charts and rule topics: one ruled decoder, or the one pick detection
  // would reach first anyway (leadingPick), that succeeds with no layers.
  if (forced === undefined) {
    const sole = ruled ?? leadingPick(payload, context)
    if (sole !== null) {
      // The leading pick is the MessagePack try: called directly, its call site stays monomorphic.
      const out = ruled === null && sole.id === 'msgpack' ? tryMsgpack(payload) : attempt(sole, payload, context)
      if (out.kind === 'final' && out.error === undefined) return new Outcome(sole.id, sole.reason, soleLayer(sole.id, out.note), null, payload, out.result, out.sparkplug, payload, context)
    }
  }
  const auto = run(payload, context, ruled)
  // A rule that fails: `detected` says what detection alone picks.
  if (ruled !== null && auto.error !== null) auto.detected = run(payload, context, null).detected
  if (forced === undefined) return auto
  const pick: Pick = { id: forced.decoder, reason: REASON_CHOSEN, strict: true, options: { protobufType: forced.protobufType, avroSchema: forced.avroSchema } }
  const chosen = run(payload, context, pick)
  chosen.detected = auto.detected
  chosen.setReason(auto)
  return chosen
}

/**
 * The decoded value's text for the inspector: JSON pretty-printed (2 spaces, keys sorted on
 * request), or the text itself. `formatted` is false when JSON was too big to re-indent;
 * `sorted` says whether keys were sorted (huge JSON text is not).
 */
export function formatDecoded(outcome: DecodeOutcome, options: { sortKeys: boolean }): { text: string; language: 'json' | 'plaintext'; formatted: boolean; sorted: boolean } | null {
  const r = outcome.result
  if (r.kind === 'value') {
    return { text: JSON.stringify(options.sortKeys ? sortKeysDeep(r.value) : r.value, null, 2) ?? 'null', language: 'json', formatted: true, sorted: options.sortKeys }
  }
  if (r.kind === 'json-text') {
    // A deferred check (deferJsonCheck) is finished before the bytes are trusted as JSON: the
    // re-indenter must never see bytes the validator has not accepted.
    if (r.check !== undefined) {
      r.check.run()
      if (r.check.state === 'invalid') return { text: r.text, language: 'plaintext', formatted: false, sorted: false }
    }
    if (options.sortKeys && jsonTextLength(outcome) <= SORT_MAX_CHARS) {
      try {
        return { text: JSON.stringify(sortKeysDeep(JSON.parse(r.text) as JsonValue), null, 2), language: 'json', formatted: true, sorted: true }
      } catch {
        // Too deep for JSON.stringify: fall through to the text forms.
      }
    }
    // `bytes` are the JSON itself (the bytes after any layers), validated by the decode that made
    // this result: no second pass here.
    if (outcome.bytes.length <= REINDENT_MAX_BYTES) return { text: reindentJsonBytes(outcome.bytes), language: 'json', formatted: true, sorted: false }
    return { text: r.text, language: 'json', formatted: false, sorted: false }
  }
  if (r.kind === 'text') return { text: r.text, language: 'plaintext', formatted: true, sorted: false }
  return null
}

/** JSON text above this is re-indented lazily by the inspector (reindentedJsonLength says how long it will be). */
export const LAZY_REINDENT_MIN_BYTES = 1024 * 1024

/**
 * When formatDecoded would re-indent big JSON text: the UTF-16 length of that text, known from
 * the validator's count, so the inspector can page it before making it (null otherwise: small
 * JSON, sorted keys, other kinds, or JSON too big to re-indent).
 */
export function reindentedJsonLength(outcome: DecodeOutcome, options: { sortKeys: boolean }): number | null {
  const r = outcome.result
  if (r.kind !== 'json-text' || r.reindentedBytes === undefined) return null
  if (options.sortKeys && jsonTextLength(outcome) <= SORT_MAX_CHARS) return null
  const n = outcome.bytes.length
  if (n < LAZY_REINDENT_MIN_BYTES || n > REINDENT_MAX_BYTES) return null
  const bom = outcome.bytes[0] === 0xef && outcome.bytes[1] === 0xbb && outcome.bytes[2] === 0xbf ? 3 : 0
  // Strings and literals are copied as they are: UTF-8 shrinks to UTF-16 by what the text does.
  return r.reindentedBytes - (n - bom - jsonTextLength(outcome))
}

/** The UTF-16 length of a json-text result's text, without making the string for ASCII bytes. */
function jsonTextLength(outcome: DecodeOutcome): number {
  const r = outcome.result
  if (r.kind !== 'json-text') return 0
  return outcome.bytes.length > LAZY_REINDENT_MIN_BYTES ? (utf16Length(outcome.bytes) ?? r.text.length) : r.text.length
}

const oneLine = (text: string): string => {
  const head = text.length > PREVIEW_MAX_CHARS * 4 ? text.slice(0, PREVIEW_MAX_CHARS * 4) : text
  const line = head.replace(/\s+/g, ' ').trim()
  return line.length > PREVIEW_MAX_CHARS ? line.slice(0, PREVIEW_MAX_CHARS - 1) + '…' : line
}

/** Where `previewDecoded` leaves the words of a preview that has them (one holder a caller reuses). */
export interface PreviewWordsSink {
  words?: PreviewWords
}

/**
 * A one-line preview (≤ 100 chars) of a decoded payload for the tree rows, or null to keep the
 * tree's own preview. Only topics with a rule, under spBv1.0/, or gzip payloads, up to 1 MiB:
 * it is called for every visible row, so everything else costs two comparisons. The line is
 * English; given a `sink`, the parts of an image's or a Sparkplug payload's line that are words
 * are left there too (and `sink.words` is cleared for every other preview).
 */
export function previewDecoded(payload: Buffer, context: DecodeContext, sink?: PreviewWordsSink): string | null {
  if (sink !== undefined) sink.words = undefined
  if (payload.length === 0 || payload.length > PREVIEW_MAX_BYTES) return null
  if (context.rule === undefined && !context.topic.startsWith('spBv1.0/') && !isGzip(payload)) return null
  if (context.rule === undefined && context.topic.startsWith('spBv1.0/') && parseSparkplugTopic(context.topic) === null && !isGzip(payload)) return null
  const outcome = decodePayload(payload, context)
  if (outcome.error !== null) return null
  const r = outcome.result
  if (outcome.sparkplug !== undefined) {
    const s = outcome.sparkplug
    const values = s.metrics.map((m) => compactJson(m.value as JsonValue, 40))
    const metrics = s.metrics.map((m, i) => `${m.name ?? `alias ${m.alias}`}=${values[i]}`).join(', ')
    if (sink !== undefined) sink.words = { kind: 'sparkplug', seq: s.seq, metrics: shownMetrics(s.metrics, values) }
    return oneLine(`${s.seq !== null ? `seq ${s.seq} · ` : ''}${metrics || 'no metrics'}`)
  }
  switch (r.kind) {
    case 'value':
      return compactJson(r.value, PREVIEW_MAX_CHARS)
    case 'json-text':
    case 'text':
      return oneLine(r.text)
    case 'numbers':
      return oneLine(r.readings.slice(0, 2).map((n) => `${n.format} ${n.value}`).join(' · '))
    case 'image':
      if (sink !== undefined) sink.words = { kind: 'image', format: r.mime.slice(6).toUpperCase(), width: r.width, height: r.height }
      return `${r.mime.slice(6).toUpperCase()} image${r.width !== null ? ` ${r.width} × ${r.height}` : ''}`
    default:
      return null
  }
}

/** The metrics a one-line preview can show: as many as fit in its characters, the rest would be cut anyway. */
function shownMetrics(metrics: ReadonlyArray<{ name: string | null; alias: number | null }>, values: readonly string[]): PreviewMetric[] {
  const out: PreviewMetric[] = []
  let chars = 0
  for (let i = 0; i < metrics.length && chars <= PREVIEW_MAX_CHARS; i++) {
    const m = metrics[i]!
    out.push({ name: m.name, alias: m.alias, value: values[i]! })
    chars += (m.name ?? '').length + values[i]!.length + 8
  }
  return out
}
