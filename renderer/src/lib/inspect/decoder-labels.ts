/** Words the inspector shows for decoders and decode results, in the UI's language. No Vue. */
import type { DecodeLayer, DecoderId } from '@api'
import { t } from '../i18n'
import { layerNoteText } from './decode-sentences'

/** Format names read the same in every language; the others are words, looked up when shown. */
const LABELS: Record<DecoderId, string | (() => string)> = {
  text: () => t('inspector.decoders.text'),
  json: 'JSON',
  hex: 'Hex',
  base64: 'Base64',
  msgpack: 'MessagePack',
  cbor: 'CBOR',
  protobuf: 'Protobuf',
  'protobuf-raw': () => t('inspector.decoders.protobufRaw'),
  sparkplug: 'Sparkplug B',
  avro: 'Avro',
  gzip: 'gzip',
  zlib: 'zlib',
  deflate: 'deflate',
  image: () => t('inspector.decoders.image'),
  number: () => t('inspector.decoders.number'),
}

/** Every decoder in the order the override menu lists them. */
export const ALL_DECODERS = Object.keys(LABELS) as DecoderId[]

/** "MessagePack", "Sparkplug B", … */
export function decoderLabel(id: DecoderId): string {
  const label = LABELS[id]
  return typeof label === 'string' ? label : label()
}

/** "gzip → JSON" (with each layer's note in parentheses, in the UI's language, when `withNotes`). */
export function layersLabel(layers: readonly DecodeLayer[], withNotes = false): string {
  return layers.map((l) => (withNotes && l.note ? `${decoderLabel(l.decoder)} (${layerNoteText(l)})` : decoderLabel(l.decoder))).join(' → ')
}

/** The decoders the override offers first: the candidates (detected first), then Hex, which every payload has. */
export function quickDecoders(candidates: readonly DecoderId[], detected: DecoderId): DecoderId[] {
  const out: DecoderId[] = []
  for (const d of [detected, ...candidates, 'hex' as const]) if (!out.includes(d)) out.push(d)
  return out
}

/** The user's override: a decoder (null = automatic) and what Protobuf or Avro needs. */
export interface DecoderChoice {
  decoder: DecoderId | null
  protobufType?: string
  avroSchema?: string
}
