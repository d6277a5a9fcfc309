/**
 * Recording, the recordings library, replay and recordings opened offline.
 *
 * A recording is a JSON Lines file (optionally gzip) in `<dataDir>/recordings/`: one header line,
 * then one line per message with its exact bytes and every MQTT 5 property (the format is
 * `electron/core/recording/format.ts`, documented in the README). A recorder taps one live
 * connection; a replay job publishes a recording into any connected connection on an absolute
 * schedule; a recording opened offline is a read-only connection (`connectionId` =
 * `OFFLINE_PREFIX + recordingId`) whose topic tree shows the broker's state at the timeline's
 * position.
 */
import { z } from 'zod'
import type { ApiErrorData } from './errors'
import { Qos } from './profiles'
import { IdString, MAX_FILE_NAME_CHARS, MAX_NAME_CHARS, TopicString } from './limits'
import type { Notice } from './notices'

/** Connection ids of recordings opened offline start with this (no profile id does: profiles get UUIDs). */
export const OFFLINE_PREFIX = 'offline:'
export function isOfflineConnectionId(connectionId: string): boolean {
  return connectionId.startsWith(OFFLINE_PREFIX)
}

/** Bytes of one `recordings.download` page. */
export const MAX_DOWNLOAD_PAGE_BYTES = 4 * 1024 * 1024
/** Characters of one imported file handed over as text (mosquitto_sub / mqtt-recorder-rs output). */
export const MAX_IMPORT_TEXT_CHARS = 64 * 1024 * 1024
/** Topic filters of one recorder or replay selection. */
export const MAX_SELECTION_FILTERS = 100
/** Remap rules of one replay. */
export const MAX_REMAP_RULES = 20
/** Rows one dry run lists. */
export const MAX_DRY_RUN_ROWS = 5000

// ---- Recording

export const RecordStartParams = z.object({
  connectionId: IdString,
  /** Topic filters to record; empty = every subscription of the connection. */
  filters: z.array(TopicString.min(1)).max(MAX_SELECTION_FILTERS).default([]),
  /** Write `.mqtt.jsonl.gz` instead of `.mqtt.jsonl`. */
  gzip: z.boolean().default(false),
  /** A name for the library (default: profile name and start time). */
  name: z.string().min(1).max(MAX_NAME_CHARS).optional(),
  /** Rotate into a new numbered file once a file holds this many bytes (uncompressed). */
  maxBytes: z.number().int().min(64 * 1024).optional(),
  /** Rotate into a new numbered file after this long. */
  maxDurationMs: z.number().int().min(1000).optional(),
})
export type RecordStartParams = z.input<typeof RecordStartParams>

export const RecorderRef = z.object({ recorderId: IdString })

export interface RecorderState {
  recorderId: string
  connectionId: string
  /** The library entry of the file being written now (rotation starts a new one). */
  recordingId: string
  /** Every file this recorder wrote, in order (rotation), as library ids. */
  recordingIds: string[]
  state: 'recording' | 'stopped' | 'failed'
  messages: number
  /** Payload bytes recorded. */
  bytes: number
  /** Bytes written to disk (compressed when gzip). */
  fileBytes: number
  startedAt: number
  durationMs: number
  /** Reconnects during the recording (each is a gap line in the file). */
  gaps: number
  /** Messages waiting to be written (backpressure: the disk is slower than the broker). */
  pending: number
  /** Why it failed (a full disk, a file that cannot be written). Everything written before stays valid. */
  error?: ApiErrorData
}

// ---- Library

export interface RecordingInfo {
  id: string
  name: string
  fileName: string
  gzip: boolean
  /** Bytes on disk. */
  size: number
  brokerUrl: string
  mqttVersion: 3 | 4 | 5 | null
  /** Wall clock of the first line (epoch ms). */
  startedAt: number
  durationMs: number
  messageCount: number
  topicCount: number
  gaps: number
  /** Where it came from. */
  source: 'recorded' | 'mosquitto_sub' | 'mqtt-recorder-rs' | 'export'
  /** A recorder is still writing it. */
  recording: boolean
  /** The last line was cut (a crash): everything before it is read. */
  truncated: boolean
  /** Lines that could not be read and were skipped. */
  badLines: number
}

export const RecordingRef = z.object({ recordingId: IdString })
export const RecordingRenameParams = z.object({ recordingId: IdString, name: z.string().min(1).max(MAX_NAME_CHARS) })

export const RecordingImportParams = z.object({
  fileName: z.string().min(1).max(MAX_FILE_NAME_CHARS),
  /** The file's bytes as base64 (gzip allowed). */
  contentBase64: z.string().max(Math.ceil(MAX_IMPORT_TEXT_CHARS / 3) * 4),
  /** `auto` recognises our own format, `mosquitto_sub -F %J` lines and mqtt-recorder-rs lines. */
  kind: z.enum(['auto', 'mqtts', 'mosquitto_sub', 'mqtt-recorder-rs']).default('auto'),
})

/** A part of a recording: a time window (µs from its start) and topic filters (empty = all). */
export const RecordingSelection = z.object({
  fromUs: z.number().min(0).optional(),
  toUs: z.number().min(0).optional(),
  filters: z.array(TopicString.min(1)).max(MAX_SELECTION_FILTERS).default([]),
})
export type RecordingSelection = z.input<typeof RecordingSelection>

export const RecordingExportParams = z.object({
  recordingId: IdString,
  selection: RecordingSelection.default({ filters: [] }),
  format: z.enum(['jsonl', 'jsonl.gz', 'csv']),
})

export interface RecordingExport {
  downloadId: string
  fileName: string
  size: number
  messageCount: number
}

/** One page of a recording's file (or an export) for download; the renderer joins the pages. */
export const RecordingDownloadParams = z.object({
  /** A recording id, or an export's downloadId. */
  id: IdString,
  offset: z.number().int().min(0),
  length: z.number().int().min(1).max(MAX_DOWNLOAD_PAGE_BYTES),
})
export interface DownloadPage {
  fileName: string
  size: number
  base64: string
  eof: boolean
}

/** A recording's file (or an export's) saved where the user chooses: desktop only (the OS save dialog). */
export const RecordingSaveAsParams = z.object({ id: IdString })
export interface SaveAsResult {
  /** False when the user cancelled the dialog. */
  saved: boolean
  path?: string
}

// ---- Replay

export const RemapRule = z.discriminatedUnion('kind', [
  /** Topics starting with `from` get `to` instead of that prefix. */
  z.object({ kind: z.literal('prefix'), from: z.string().max(65_535), to: z.string().max(65_535) }),
  /** JavaScript regular expression; `replacement` may use `$1`, `$<name>`. First matching rule wins. */
  z.object({ kind: z.literal('regex'), pattern: z.string().min(1).max(2000), replacement: z.string().max(65_535) }),
])
export type RemapRule = z.infer<typeof RemapRule>

export const ReplayOptions = z.object({
  recordingId: IdString,
  /** The connected connection to publish into. */
  connectionId: IdString,
  selection: RecordingSelection.default({ filters: [] }),
  /** 0.1–100 × the recorded pace; null = as fast as possible (bounded in-flight window). */
  speed: z.number().min(0.1).max(100).nullable().default(1),
  /** Gaps longer than this (recorded time) are shortened to it. */
  maxGapMs: z.number().int().min(0).optional(),
  loop: z.boolean().default(false),
  remap: z.array(RemapRule).max(MAX_REMAP_RULES).default([]),
  /** Publish every message with this QoS instead of its recorded one. */
  qos: Qos.optional(),
  /** `off` (default) clears the retain flag; `keep` replays it, which overwrites the broker's retained state. */
  retain: z.enum(['off', 'keep']).default('off'),
  /** Needed when the target is not the recording's broker: the error names both. */
  confirmOtherBroker: z.boolean().default(false),
})
export type ReplayOptions = z.input<typeof ReplayOptions>

export const ReplayDryRunParams = ReplayOptions.extend({ limit: z.number().int().min(1).max(MAX_DRY_RUN_ROWS).default(500) })

export interface DryRunRow {
  /** Recorded offset, µs from the recording's start. */
  offsetUs: number
  /** When it would be sent, ms after the replay starts (speed and gap cap applied). */
  atMs: number
  topic: string
  /** The recorded topic, when a remap changed it. */
  originalTopic?: string
  qos: Qos
  retain: boolean
  size: number
}

export interface DryRunResult {
  rows: DryRunRow[]
  /** Messages the replay would send in all (one pass). */
  total: number
  durationMs: number
  /** Target and recording broker differ: a real run needs confirmOtherBroker. */
  otherBroker: { recording: string; target: string } | null
  retainWarning: boolean
}

export const ReplayRef = z.object({ jobId: IdString })

export interface ReplayJob {
  jobId: string
  recordingId: string
  connectionId: string
  state: 'running' | 'paused' | 'done' | 'stopped' | 'failed'
  sent: number
  /** Sent and accepted by the broker (QoS 0: written to the socket). Exact once the job ended. */
  acknowledged: number
  /** Sent and refused by the broker, or lost with the connection. */
  failed: number
  /** Not sent because the remap gave a topic no broker takes (empty, or with a wildcard); see warnings. */
  skipped: number
  /** Things the user should know that did not stop the job (first skip reason, a refusal, dropped MQTT 5 properties). */
  warnings: string[]
  /** The same warnings with their codes, for translation (same order). */
  warningNotices?: Notice[]
  /** Messages in one pass. */
  total: number
  /** Loop passes completed. */
  passes: number
  /** Recorded offset of the last message sent (µs). */
  positionUs: number
  etaMs: number | null
  speed: number | null
  /** How late messages went out against their schedule, ms (null when as fast as possible). */
  lateness: { p95Ms: number; maxMs: number } | null
  startedAt: number
  error?: ApiErrorData
}

// ---- Offline

export const OfflineSeekParams = z.object({ connectionId: IdString, positionUs: z.number().min(0) })
export const OfflineStepParams = z.object({ connectionId: IdString, count: z.number().int().min(-10_000).max(10_000).refine((n) => n !== 0) })
export const OfflinePlayParams = z.object({ connectionId: IdString, speed: z.number().min(0.1).max(100) })
export const OfflineRef = z.object({ connectionId: IdString })

export interface OfflineState {
  connectionId: string
  recordingId: string
  name: string
  brokerUrl: string
  durationMs: number
  messageCount: number
  /** Messages indexed so far (opening reads the file once, streamed). */
  indexed: number
  indexing: boolean
  /** The timeline's position, µs from the start: the tree holds every message up to it. */
  positionUs: number
  /** Messages applied to the tree (the index of the next one). */
  position: number
  playing: boolean
  speed: number
  /** Reconnect gaps, µs from the start, for the timeline. */
  gaps: { atUs: number; durationUs: number }[]
  truncated: boolean
  error?: ApiErrorData
}
