/**
 * Imports other tools' recordings into our format, so the library, replay and offline treat them
 * as any recording:
 * - `mosquitto_sub -F %J` (and `%j`): one JSON object per line with `tst` (ISO time, e.g.
 *   "2026-12-02T21:19:28.935851Z+0000"), `topic`, `qos`, `retain` (0/1) and the payload. mosquitto
 *   2.0 puts a JSON payload in as JSON (its bytes are then re-serialised: whitespace may differ),
 *   a string as a string; `payload_hex` / `payload_base64` (newer versions) give exact bytes.
 * - mqtt-recorder-rs: `{"time": seconds as a float, "qos", "retain", "topic", "msg_b64"}`.
 * - our own format (copied in as is, after a check that it reads).
 */
import { gunzipSync } from 'node:zlib'
import { ApiError, type Qos } from '../../api'
import { FORMAT_NAME, FORMAT_VERSION, headerLine, messageLine, parseLine, type RecordedMessage, type RecordingHeader } from './format'

export type ImportKind = 'mqtts' | 'mosquitto_sub' | 'mqtt-recorder-rs'

export interface ImportResult {
  kind: ImportKind
  /** The file's text in our format. */
  text: string
  messageCount: number
  badLines: number
}

export function decodeImport(bytes: Buffer): string {
  const plain = bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes
  return plain.toString('utf8')
}

export function detectKind(text: string): ImportKind | null {
  for (const line of text.split('\n')) {
    const trimmed = line.trim()
    if (!trimmed) continue
    let o: unknown
    try {
      o = JSON.parse(trimmed)
    } catch {
      continue
    }
    if (!o || typeof o !== 'object') continue
    const r = o as Record<string, unknown>
    if (r.format === FORMAT_NAME) return 'mqtts'
    if (typeof r.tst === 'string' && typeof r.topic === 'string') return 'mosquitto_sub'
    if (typeof r.time === 'number' && typeof r.msg_b64 === 'string') return 'mqtt-recorder-rs'
  }
  return null
}

/** Epoch ms of mosquitto_sub's `tst` ("…T21:19:28.935851Z+0000" is not an ISO string Date reads). */
export function parseMosquittoTime(tst: string): number | null {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?Z?([+-]\d\d:?\d\d)?$/.exec(tst.trim())
  if (!m) return null
  const zone = m[3] ? m[3].replace(/^([+-]\d\d)(\d\d)$/, '$1:$2') : 'Z'
  const base = Date.parse(m[1] + zone)
  if (Number.isNaN(base)) return null
  return base + (m[2] ? Number(m[2]) * 1000 : 0)
}

interface Foreign {
  wallMs: number
  topic: string
  qos: Qos
  retain: boolean
  payload: Buffer
}

function mosquittoLine(o: Record<string, unknown>): Foreign | null {
  if (typeof o.topic !== 'string' || typeof o.tst !== 'string') return null
  const wallMs = parseMosquittoTime(o.tst)
  if (wallMs === null) return null
  let payload: Buffer
  if (typeof o.payload_base64 === 'string') payload = Buffer.from(o.payload_base64, 'base64')
  else if (typeof o.payload_hex === 'string') payload = Buffer.from(o.payload_hex, 'hex')
  else if (typeof o.payload === 'string') payload = Buffer.from(o.payload, 'utf8')
  else if (o.payload === undefined || o.payload === null) payload = Buffer.alloc(0)
  else payload = Buffer.from(JSON.stringify(o.payload), 'utf8')
  return { wallMs, topic: o.topic, qos: qosOf(o.qos), retain: o.retain === 1 || o.retain === true, payload }
}

function recorderRsLine(o: Record<string, unknown>): Foreign | null {
  if (typeof o.topic !== 'string' || typeof o.time !== 'number' || typeof o.msg_b64 !== 'string') return null
  return { wallMs: Math.round(o.time * 1000), topic: o.topic, qos: qosOf(o.qos), retain: o.retain === true || o.retain === 1, payload: Buffer.from(o.msg_b64, 'base64') }
}

function qosOf(v: unknown): Qos {
  return v === 1 || v === 2 ? v : 0
}

export function convertImport(text: string, kind: ImportKind | 'auto', name: string): ImportResult {
  const resolved = kind === 'auto' ? detectKind(text) : kind
  if (!resolved) throw new ApiError('RECORDING_BAD_FILE', 'This file is not a recording this app reads: expected our .mqtt.jsonl, mosquitto_sub -F %J output or mqtt-recorder-rs lines.')
  if (resolved === 'mqtts') {
    let messageCount = 0
    let badLines = 0
    let header = false
    for (const line of text.split('\n')) {
      if (!line.trim()) continue
      const p = parseLine(line)
      if (p.kind === 'header') header = true
      else if (p.kind === 'message') messageCount++
      else if (p.kind === 'bad') badLines++
    }
    if (!header) throw new ApiError('RECORDING_BAD_FILE', 'This file has no recording header.')
    return { kind: resolved, text, messageCount, badLines }
  }
  const read = resolved === 'mosquitto_sub' ? mosquittoLine : recorderRsLine
  const items: Foreign[] = []
  let badLines = 0
  for (const line of text.split('\n')) {
    if (!line.trim()) continue
    let o: unknown
    try {
      o = JSON.parse(line)
    } catch {
      badLines++
      continue
    }
    const item = o && typeof o === 'object' ? read(o as Record<string, unknown>) : null
    if (item) items.push(item)
    else badLines++
  }
  if (items.length === 0) throw new ApiError('RECORDING_BAD_FILE', `No ${resolved} message could be read from this file.`)
  // Their clocks are wall clocks: offsets from the first one (a clock step back clamps to 0).
  const start = items[0].wallMs
  const header: RecordingHeader = {
    format: FORMAT_NAME,
    version: FORMAT_VERSION,
    app: 'MQTTS Explorer import',
    startedAt: start,
    startedAtIso: new Date(start).toISOString(),
    monotonicStartNs: '0',
    broker: { url: '', mqttVersion: null, tls: null },
    client: {},
    subscriptions: [],
    filters: [],
    part: 1,
    importedFrom: resolved,
    name,
  }
  const lines = [headerLine(header)]
  let lastUs = 0
  for (const it of items) {
    lastUs = Math.max(lastUs, (it.wallMs - start) * 1000)
    const m: RecordedMessage = { offsetUs: lastUs, wallMs: it.wallMs, topic: it.topic, qos: it.qos, retain: it.retain, dup: false, onSubscribe: false, payload: it.payload }
    lines.push(messageLine(m))
  }
  return { kind: resolved, text: lines.join('\n') + '\n', messageCount: items.length, badLines }
}
