/**
 * The one contract between the main side and the renderer. Every request lists its params
 * schema (validated at runtime on the main side) and its result type; every event its payload
 * type. Both transports (Electron IPC and the browser-mode WebSocket) carry exactly this.
 *
 * Adding a method: add it to `methods` with its schema, add its result to `MethodResults`,
 * implement it in electron/core/service.ts. The compiler points at every place left to do.
 */
import { z } from 'zod'
import { mergeMessageBatches } from './wire'
import { IdString } from './limits'
import type { ConnectionState, MessageBatchEvent, MessageSummary } from './connections'
import { ConnectParams, ConnectionRef, PublishParams, RecentParams, SubscribeParams, UnsubscribeParams } from './connections'
import type { Profile } from './profiles'
import type { AppCommandEvent } from './commands'
import type { Notice } from './notices'
import { ProfileSpec } from './profiles'
import type { HandshakeRecord, KeyLogState, Pin, ProbeProgress, ProbeResult, TlsSessionReport } from './tls'
import { TlsHistoryParams, TlsKeyLogParams, TlsPinParams, TlsProbeConnectionParams, TlsProfileRef, TlsReportParams } from './tls'
import { ProfilesExportParams, ProfilesImportParams, ProfilesImportPreviewParams, type ProfilesExportResult, type ProfilesImportPreview, type ProfilesImportResult } from './profiles-io'
import { VaultParams, type VaultExportFile, type VaultImportedItem, type VaultItemView, type VaultSnapshot } from './vault'
import { SettingsUpdateParams, type AppSettings } from './settings'
import type { ChartPoints, ChartPointsEvent, ChartSeriesInfo, DecodedMessage, DiffExcerpt, SchemaFileInfo, TextPage } from './inspect'
import {
  ChartAddParams, ChartPointsParams, ChartSeriesRef, InspectBytesParams, InspectDecodeParams, InspectDiffParams, InspectDocRef, InspectTextParams,
  mergeChartPoints, SchemaImportMessageParams, SchemaImportParams, SchemaRef,
} from './inspect'
import type { MessageDraft, PayloadEncodeResult, PublishHistoryEntry, PublishOutcome, PublishTemplate, RepeatJob, RequestState } from './publish'
import {
  DraftFromMessageParams, PublishEncodeParams, PublishSendParams, RepeatRef, RepeatStartParams, RequestParams, RequestRef, TemplateListParams,
  TemplateSaveParams, TopicCompleteParams,
} from './publish'
import type { DownloadPage, DryRunResult, OfflineState, RecorderState, RecordingExport, RecordingInfo, ReplayJob, SaveAsResult } from './recording'
import {
  OfflinePlayParams, OfflineRef, OfflineSeekParams, OfflineStepParams, RecorderRef, RecordingDownloadParams, RecordingExportParams, RecordingSaveAsParams, RecordingImportParams,
  RecordingRef, RecordingRenameParams, RecordStartParams, ReplayDryRunParams, ReplayOptions, ReplayRef,
} from './recording'
import type { BrokerStats, TreeDeleteProgress, TreeFindResult, TreeHistoryEntry, TreeViewFrame } from './tree'
import {
  TreeConnectionRef, TreeHistoryParams, TreeJobRef, TreeRetainedParams, TreeViewExpandParams, TreeViewExpandToDepthParams,
  TreeViewFilterParams, TreeViewFindParams, TreeViewOpenParams, TreeViewPauseParams, TreeViewRef, TreeViewSelectParams, TreeViewSortParams, TreeViewWindowParams,
} from './tree'

const none = z.object({}).strict().optional()
const idParam = z.object({ id: IdString })

/** Params schema per method. The keys are the method names on the wire. */
export const methods = {
  'app.info': none,
  'profiles.list': none,
  'profiles.create': z.object({ spec: ProfileSpec }),
  'profiles.update': z.object({ id: IdString, spec: ProfileSpec }),
  'profiles.duplicate': idParam,
  'profiles.delete': idParam,
  'connections.list': none,
  'connections.connect': ConnectParams,
  'connections.disconnect': ConnectionRef,
  'connections.subscribe': SubscribeParams,
  'connections.unsubscribe': UnsubscribeParams,
  'connections.publish': PublishParams,
  'messages.recent': RecentParams,
  'messages.clear': ConnectionRef,
  'tls.report': TlsReportParams,
  'tls.attempts': TlsReportParams,
  'tls.history': TlsHistoryParams,
  'tls.pinState': TlsProfileRef,
  'tls.pin': TlsPinParams,
  'tls.unpin': TlsProfileRef,
  'tls.trustNew': TlsProfileRef,
  'tls.keyLog': TlsKeyLogParams,
  'tls.keyLogs': none,
  'tls.probe': TlsProbeConnectionParams,
  'tls.exportChain': TlsReportParams,
  'vault.status': none,
  'vault.unlock': VaultParams.unlock,
  'vault.reset': VaultParams.reset,
  'vault.list': none,
  'vault.import': VaultParams.import,
  'vault.storeSecret': VaultParams.storeSecret,
  'vault.rename': VaultParams.rename,
  'vault.delete': VaultParams.delete,
  'vault.exportCertificatePem': VaultParams.exportCertificatePem,
  'vault.exportPkcs12': VaultParams.exportPkcs12,
  'profiles.export': ProfilesExportParams,
  'profiles.importPreview': ProfilesImportPreviewParams,
  'profiles.import': ProfilesImportParams,
  'tree.view.open': TreeViewOpenParams,
  'tree.view.close': TreeViewRef,
  'tree.view.snapshot': TreeViewRef,
  'tree.view.window': TreeViewWindowParams,
  'tree.view.expand': TreeViewExpandParams,
  'tree.view.expandToDepth': TreeViewExpandToDepthParams,
  'tree.view.select': TreeViewSelectParams,
  'tree.view.filter': TreeViewFilterParams,
  'tree.view.sort': TreeViewSortParams,
  'tree.view.pause': TreeViewPauseParams,
  'tree.view.find': TreeViewFindParams,
  'tree.topic.history': TreeHistoryParams,
  'tree.retained.count': TreeRetainedParams,
  'tree.retained.delete': TreeRetainedParams,
  'tree.retained.cancel': TreeJobRef,
  'tree.clear': TreeConnectionRef,
  'tree.stats': TreeConnectionRef,
  'settings.get': none,
  'settings.update': SettingsUpdateParams,
  'inspect.decode': InspectDecodeParams,
  'inspect.text': InspectTextParams,
  'inspect.bytes': InspectBytesParams,
  'inspect.release': InspectDocRef,
  'inspect.diff': InspectDiffParams,
  'schemas.list': none,
  'schemas.import': SchemaImportParams,
  'schemas.importMessage': SchemaImportMessageParams,
  'schemas.delete': SchemaRef,
  'chart.list': none,
  'chart.add': ChartAddParams,
  'chart.remove': ChartSeriesRef,
  'chart.reset': ChartSeriesRef,
  'chart.points': ChartPointsParams,
  'publish.encode': PublishEncodeParams,
  'publish.send': PublishSendParams,
  'publish.draftFromMessage': DraftFromMessageParams,
  'publish.history': none,
  'publish.historyClear': none,
  'publish.topics': TopicCompleteParams,
  'templates.list': TemplateListParams,
  'templates.save': TemplateSaveParams,
  'templates.delete': idParam,
  'repeat.start': RepeatStartParams,
  'repeat.stop': RepeatRef,
  'repeat.list': none,
  'request.send': RequestParams,
  'request.cancel': RequestRef,
  'request.list': none,
  'recorder.start': RecordStartParams,
  'recorder.stop': RecorderRef,
  'recorder.list': none,
  'recordings.list': none,
  'recordings.rename': RecordingRenameParams,
  'recordings.delete': RecordingRef,
  'recordings.import': RecordingImportParams,
  'recordings.export': RecordingExportParams,
  'recordings.download': RecordingDownloadParams,
  'recordings.saveAs': RecordingSaveAsParams,
  'replay.dryRun': ReplayDryRunParams,
  'replay.start': ReplayOptions,
  'replay.pause': ReplayRef,
  'replay.resume': ReplayRef,
  'replay.step': ReplayRef,
  'replay.stop': ReplayRef,
  'replay.list': none,
  'offline.open': RecordingRef,
  'offline.close': OfflineRef,
  'offline.state': OfflineRef,
  'offline.seek': OfflineSeekParams,
  'offline.step': OfflineStepParams,
  'offline.play': OfflinePlayParams,
  'offline.pause': OfflineRef,
} as const

export type MethodName = keyof typeof methods
export const METHOD_NAMES = Object.keys(methods) as MethodName[]

export interface AppInfo {
  name: string
  version: string
  /** Which shell serves this renderer. */
  mode: 'electron' | 'browser'
  dataDir: string
  /** Storage problems found at start (e.g. a corrupt profiles file that was set aside). */
  storageWarnings: string[]
  /** The same warnings with their codes, for translation (same order; left out when a store gave one without a code). */
  storageWarningNotices?: Notice[]
  /** MQTT version of the embedded Sandbox broker (aedes). */
  sandboxProtocolVersion: 4 | 5
}

export interface MethodResults {
  'app.info': AppInfo
  'profiles.list': Profile[]
  'profiles.create': Profile
  'profiles.update': Profile
  'profiles.duplicate': Profile
  'profiles.delete': { deleted: true }
  'connections.list': ConnectionState[]
  'connections.connect': ConnectionState
  'connections.disconnect': ConnectionState
  'connections.subscribe': ConnectionState
  'connections.unsubscribe': ConnectionState
  'connections.publish': { published: true }
  'messages.recent': MessageSummary[]
  'messages.clear': { cleared: true }
  /** The latest handshake of the connection (also a failed one), or null before the first. */
  'tls.report': TlsSessionReport | null
  /** The last handshakes of this app run, newest first, each with its timings and CONNACK. */
  'tls.attempts': TlsSessionReport[]
  'tls.history': HandshakeRecord[]
  'tls.pinState': Pin | null
  'tls.pin': Pin
  'tls.unpin': { unpinned: true }
  /** Re-pins to what the broker presented when the pin last blocked the connection. */
  'tls.trustNew': Pin
  'tls.keyLog': { path: string | null }
  'tls.keyLogs': KeyLogState[]
  'tls.probe': ProbeResult
  'tls.exportChain': { pem: string }
  'vault.status': VaultSnapshot
  'vault.unlock': VaultSnapshot
  'vault.reset': VaultSnapshot
  'vault.list': VaultItemView[]
  'vault.import': VaultImportedItem[]
  'vault.storeSecret': VaultItemView
  'vault.rename': VaultItemView
  'vault.delete': { deleted: true }
  'vault.exportCertificatePem': VaultExportFile
  'vault.exportPkcs12': VaultExportFile
  'profiles.export': ProfilesExportResult
  'profiles.importPreview': ProfilesImportPreview
  'profiles.import': ProfilesImportResult
  /** Opens a view of a connection's tree for the calling window; the result is its first snapshot. */
  'tree.view.open': TreeViewFrame
  'tree.view.close': { closed: true }
  /** A full frame, for a renderer that saw a gap in `seq`. */
  'tree.view.snapshot': TreeViewFrame
  /** View changes answer at once; the rows follow as the next `tree.view` frame. */
  'tree.view.window': { ok: true }
  'tree.view.expand': { ok: true }
  'tree.view.expandToDepth': { ok: true }
  'tree.view.select': { ok: true }
  'tree.view.filter': { ok: true }
  'tree.view.sort': { ok: true }
  'tree.view.pause': { ok: true }
  /** Type-ahead over all visible rows; scroll to `index` to load the row. */
  'tree.view.find': TreeFindResult
  /** Stored messages of one topic, newest first, payloads included (capped per message). */
  'tree.topic.history': TreeHistoryEntry[]
  /** How many retained topics a deletion would clear, for the confirmation. */
  'tree.retained.count': { count: number }
  /** Starts a deletion; progress follows as `tree.deleteProgress` events. */
  'tree.retained.delete': TreeDeleteProgress
  'tree.retained.cancel': TreeDeleteProgress
  'tree.clear': { cleared: true }
  'tree.stats': BrokerStats
  'settings.get': AppSettings
  /** Applies a partial change (range-checked) and returns the settings now in force. */
  'settings.update': AppSettings
  /** Decodes one stored message (rules, hints, detection, or the forced decoder); pages follow by docId. */
  'inspect.decode': DecodedMessage
  'inspect.text': TextPage & { totalChars: number }
  /** Raw (or decoded) bytes of a document, base64. */
  'inspect.bytes': { offset: number; base64: string; totalBytes: number }
  /** The renderer no longer shows the document: its cache entry may go. */
  'inspect.release': { released: true }
  /** Two decoded documents with their long unchanged stretches left out, for the diff view. */
  'inspect.diff': DiffExcerpt
  'schemas.list': SchemaFileInfo[]
  'schemas.import': SchemaFileInfo
  'schemas.importMessage': SchemaFileInfo
  'schemas.delete': { deleted: true }
  'chart.list': ChartSeriesInfo[]
  /** Adds a series, backfilled from the topic's stored history; new points follow as `chart.points`. */
  'chart.add': ChartSeriesInfo
  'chart.remove': { removed: true }
  /** Drops a series' points and keeps collecting. */
  'chart.reset': ChartSeriesInfo
  'chart.points': ChartPoints
  /** Encodes a draft without publishing: the editor's in-place check for main-side formats. */
  'publish.encode': PayloadEncodeResult
  /** Renders, encodes and publishes; resolves on the broker's acknowledgement (QoS 1/2). */
  'publish.send': PublishOutcome
  'publish.draftFromMessage': MessageDraft
  /** Newest first, at most MAX_PUBLISH_HISTORY. */
  'publish.history': PublishHistoryEntry[]
  'publish.historyClear': { cleared: true }
  /** Topics the connection's tree has seen that start with the prefix (the next level first). */
  'publish.topics': { topics: { path: string; hasChildren: boolean; hasMessage: boolean }[] }
  'templates.list': PublishTemplate[]
  'templates.save': PublishTemplate
  'templates.delete': { deleted: true }
  /** Starts a job on the main side; progress follows as `repeat.progress`. */
  'repeat.start': RepeatJob
  'repeat.stop': RepeatJob
  'repeat.list': RepeatJob[]
  /** Publishes the request; replies follow as `request.progress`. */
  'request.send': RequestState
  'request.cancel': RequestState
  'request.list': RequestState[]
  /** Starts recording a connected connection (its subscriptions, or the filters given). */
  'recorder.start': RecorderState
  /** Flushes and closes the file; the state's counts are final. */
  'recorder.stop': RecorderState
  'recorder.list': RecorderState[]
  'recordings.list': RecordingInfo[]
  'recordings.rename': RecordingInfo
  'recordings.delete': { deleted: true }
  'recordings.import': RecordingInfo
  /** Writes a selection as JSONL or CSV; fetch it with `recordings.download`. */
  'recordings.export': RecordingExport
  'recordings.download': DownloadPage
  /** Desktop: asks where with the OS save dialog and copies the file there. Browser mode: BAD_REQUEST (use download). */
  'recordings.saveAs': SaveAsResult
  /** What a replay with these options would send, without sending. */
  'replay.dryRun': DryRunResult
  'replay.start': ReplayJob
  'replay.pause': ReplayJob
  'replay.resume': ReplayJob
  /** Sends the next message of a paused job. */
  'replay.step': ReplayJob
  'replay.stop': ReplayJob
  'replay.list': ReplayJob[]
  /** Opens a recording as a read-only connection; its tree starts at the recording's end. */
  'offline.open': OfflineState
  'offline.close': { closed: true }
  'offline.state': OfflineState
  'offline.seek': OfflineState
  'offline.step': OfflineState
  'offline.play': OfflineState
  'offline.pause': OfflineState
}

/** Params as the caller writes them (defaults optional). */
export type MethodParams<M extends MethodName> = z.input<(typeof methods)[M]>
/** Params after validation and defaults, as the service receives them. */
export type ValidParams<M extends MethodName> = z.output<(typeof methods)[M]>
export type MethodResult<M extends MethodName> = MethodResults[M]

/** Events pushed from the main side. Each stream is coalesced to at most ~one event per 50 ms. */
export interface EventPayloads {
  'connections.state': ConnectionState
  'profiles.changed': Profile[]
  'messages.batch': MessageBatchEvent
  /** A handshake finished or failed, or its report gained the CONNACK. */
  'tls.report': TlsSessionReport
  'tls.probeProgress': ProbeProgress
  /** Vault state or items changed (unlock, import, rename, delete, a profile now uses an item). */
  'vault.changed': VaultSnapshot
  /** Frames of one tree view, sent only to the window that opened it (already paced by the view). */
  'tree.view': TreeViewFrame
  'tree.deleteProgress': TreeDeleteProgress
  'tree.stats': BrokerStats
  /** Settings changed (in any window); limits apply to the trees at once. */
  'settings.changed': AppSettings
  /** Schema files were imported or deleted. */
  'schemas.changed': SchemaFileInfo[]
  /** Series were added, removed or reset (any window). */
  'chart.changed': ChartSeriesInfo[]
  /** New points of one series. */
  'chart.points': ChartPointsEvent
  /** The publish history changed (a publish in any window, or cleared). */
  'publish.historyChanged': PublishHistoryEntry[]
  /** Templates were saved or deleted (any window). */
  'templates.changed': PublishTemplate[]
  'repeat.progress': RepeatJob
  'request.progress': RequestState
  'recorder.progress': RecorderState
  /** The library changed (a recording started, ended, was imported, renamed or deleted). */
  'recordings.changed': RecordingInfo[]
  'replay.progress': ReplayJob
  'offline.state': OfflineState
  /** The desktop app opened a recording the OS handed it (a double click, a second launch): show its tab. */
  'offline.opened': OfflineState
  /** The desktop menu asks this window to run a command (sent only to the focused window). */
  'app.command': AppCommandEvent
}
export type EventName = keyof EventPayloads

/**
 * How the main side paces one event name. Events of one stream replace each other within a
 * coalescing window (the renderer only needs the latest state), so `key` must name exactly what
 * one stream is: a job, a probe, a view, a connection. Events of different streams never touch.
 */
export interface EventStream<E extends EventName> {
  /** Identifies the stream within this event name; null when the name alone is the stream. */
  key(payload: EventPayloads[E]): string | null
  /** A stream's last word (a job done, a probe finished): never replaced, and nothing of that stream follows it. */
  terminal?(payload: EventPayloads[E]): boolean
  /** Combines two events of one stream instead of keeping only the newer (counts must add up). */
  merge?(older: EventPayloads[E], newer: EventPayloads[E]): EventPayloads[E]
}

/** Every event's stream, declared once; the compiler asks for an entry when an event is added. */
export const EVENT_STREAMS: { readonly [E in EventName]: EventStream<E> } = {
  'connections.state': { key: (p) => p.connectionId },
  'profiles.changed': { key: () => null },
  'messages.batch': { key: (p) => p.connectionId, merge: mergeMessageBatches },
  'tls.report': { key: (p) => p.connectionId },
  'tls.probeProgress': { key: (p) => p.probeId, terminal: (p) => p.fraction >= 1 },
  'vault.changed': { key: () => null },
  'tree.view': { key: (p) => p.viewId },
  'tree.deleteProgress': { key: (p) => p.jobId, terminal: (p) => p.state !== 'running' },
  'tree.stats': { key: (p) => p.connectionId },
  'settings.changed': { key: () => null },
  'schemas.changed': { key: () => null },
  'chart.changed': { key: () => null },
  'chart.points': { key: (p) => p.seriesId, merge: mergeChartPoints },
  'publish.historyChanged': { key: () => null },
  'templates.changed': { key: () => null },
  'repeat.progress': { key: (p) => p.jobId, terminal: (p) => p.state !== 'running' },
  'request.progress': { key: (p) => p.requestId, terminal: (p) => p.state !== 'waiting' && p.state !== 'answered' },
  'recorder.progress': { key: (p) => p.recorderId, terminal: (p) => p.state !== 'recording' },
  'recordings.changed': { key: () => null },
  'replay.progress': { key: (p) => p.jobId, terminal: (p) => p.state === 'done' || p.state === 'stopped' || p.state === 'failed' },
  'offline.state': { key: (p) => p.connectionId },
  'offline.opened': { key: (p) => p.connectionId },
  // Each menu click is its own request: two quick clicks of different items must both arrive.
  'app.command': { key: (p) => p.id },
}
export const EVENT_NAMES = Object.keys(EVENT_STREAMS) as EventName[]

/** Who is calling: one renderer window or browser tab. Views (e.g. the topic tree) are per peer. */
export interface CallContext {
  peerId: string
}

/** What the main side implements; the RPC server dispatches to it. */
export type ServiceHandlers = {
  [M in MethodName]: (params: ValidParams<M>, context: CallContext) => Promise<MethodResult<M>>
}

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(methods, name)
}
