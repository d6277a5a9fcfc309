/**
 * The topic tree as the renderer sees it. The tree itself lives on the main side; the renderer
 * opens a *view* (expanded paths, a visible window, a selection, a filter, a sort) and receives
 * coalesced frames for that view only, so wire traffic follows the screen, not the message rate.
 *
 * Frames are deltas against the previous frame of the same view (`baseSeq`). A renderer that
 * sees a gap (its last seq !== baseSeq) asks for `tree.view.snapshot` and carries on.
 */
import { z } from 'zod'
import type { Qos } from './profiles'
import type { Notice } from './notices'
import type { ApiErrorData } from './errors'
import { IdString, MAX_EXPANDED_PATHS, TopicString } from './limits'

/** Child order inside every expanded node. `name` is natural order (a2 before a10). */
export const TreeSort = z.enum(['name', 'messages', 'topics', 'recent'])
export type TreeSort = z.infer<typeof TreeSort>

export const TreeFilterMode = z.enum(['substring', 'regex', 'mqtt'])
export type TreeFilterMode = z.infer<typeof TreeFilterMode>

export const TreeFilterSpec = z.object({
  mode: TreeFilterMode,
  text: z.string().min(1).max(4096),
  /** Also match the text of each topic's latest payload (substring and regex modes). */
  matchPayload: z.boolean().default(false),
  /** Substring and regex modes ignore case unless this is set. */
  caseSensitive: z.boolean().default(false),
})
export type TreeFilterSpec = z.infer<typeof TreeFilterSpec>

/** Rows a view shows at most at once (a tall screen plus overscan). */
export const MAX_WINDOW_ROWS = 500

export const TreeWindow = z.object({
  offset: z.number().int().min(0),
  count: z.number().int().min(1).max(MAX_WINDOW_ROWS),
})
export type TreeWindow = z.infer<typeof TreeWindow>

const connectionId = IdString
const viewId = IdString
/** A topic path as published (levels joined by '/'); may contain empty levels. */
const topicPath = TopicString

export const TreeViewOpenParams = z.object({
  connectionId,
  window: TreeWindow.default({ offset: 0, count: 100 }),
  sort: TreeSort.default('name'),
  expanded: z.array(topicPath).max(MAX_EXPANDED_PATHS).default([]),
  filter: TreeFilterSpec.nullable().default(null),
  selected: topicPath.nullable().default(null),
})
export const TreeViewRef = z.object({ viewId })
export const TreeViewWindowParams = z.object({ viewId, window: TreeWindow })
export const TreeViewExpandParams = z.object({
  viewId,
  path: topicPath,
  /** `subtree` expands everything below (the `*` key); `depth` limits it (1 = children only). */
  action: z.enum(['expand', 'collapse', 'toggle', 'subtree']),
  depth: z.number().int().min(1).max(1000).optional(),
})
/** Expands every node down to `depth` levels from the top and collapses the rest. */
export const TreeViewExpandToDepthParams = z.object({ viewId, depth: z.number().int().min(0).max(1000) })
export const TreeViewSelectParams = z.object({ viewId, path: topicPath.nullable() })
export const TreeViewFilterParams = z.object({ viewId, filter: TreeFilterSpec.nullable() })
export const TreeViewSortParams = z.object({ viewId, sort: TreeSort })
export const TreeViewPauseParams = z.object({ viewId, paused: z.boolean() })
/**
 * Type-ahead over every row the view shows (expanded nodes, filter and sort applied), not only
 * the window the renderer holds: the first row after row `after` (-1 for none), wrapping round,
 * whose level name starts with `prefix`, ignoring case.
 */
export const TreeViewFindParams = z.object({ viewId, prefix: z.string().min(1).max(256), after: z.number().int().min(-1) })
/** `index` is in the same row space as a window's offset; both null when no row matches. */
export interface TreeFindResult {
  index: number | null
  path: string | null
}
export const TreeHistoryParams = z.object({
  connectionId,
  path: topicPath,
  /** 0 = the latest message. */
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(1000).default(100),
  /**
   * Payload bytes sent per message (default HISTORY_PREVIEW_BYTES, 1 MiB); a longer stored
   * payload comes cut, with `payloadCut`. Ask again with a bigger value (up to the stored size)
   * for the whole one. The response as a whole carries at most HISTORY_RESPONSE_BYTES (or this
   * value, if bigger) of payload: later entries come cut to fit.
   */
  maxPayloadBytes: z.number().int().min(0).max(256 * 1024 * 1024).optional(),
  /**
   * Only messages whose payload, read as UTF-8 text, contains this (ignoring case). `offset` and
   * `limit` then count matching messages, and each entry carries its `index` in the history.
   */
  search: z.string().min(1).max(1024).optional(),
})
/** Default payload bytes per message in a `tree.topic.history` response. */
export const HISTORY_PREVIEW_BYTES = 1024 * 1024
/** Payload bytes one `tree.topic.history` response carries at most (unless maxPayloadBytes is bigger). */
export const HISTORY_RESPONSE_BYTES = 16 * 1024 * 1024

/** How a row's one-line preview was made. */
export type PreviewKind = 'empty' | 'text' | 'json' | 'hex'

/**
 * The parts of a decoded preview that hold words (an image's kind, a Sparkplug payload's
 * sequence number and metric aliases), sent beside the English `preview` only for those rows,
 * so the renderer can write them in the UI's language. Metrics are the first few that fit.
 */
export type PreviewWords =
  | { kind: 'image'; format: string; width: number | null; height: number | null }
  | { kind: 'sparkplug'; seq: number | null; metrics: PreviewMetric[] }

/** A metric of a Sparkplug preview: its name (or alias when it has none) and its value, compact. */
export interface PreviewMetric {
  name: string | null
  alias: number | null
  value: string
}

/** A decoded preview with words: main's English line and its parts. */
export interface WordedPreview {
  text: string
  words: PreviewWords
}

/** One visible line of the tree. */
export interface TreeRow {
  /** Stable for the life of the node (a deleted and re-created topic gets a new id). */
  id: number
  path: string
  /** This level's name ('' for an empty level). */
  name: string
  /** 0 for top-level nodes. */
  depth: number
  /** Messages received on exactly this topic. */
  ownCount: number
  /** Messages on this topic and everything below it. */
  messages: number
  /** Topics with at least one message, this one included. */
  topics: number
  childCount: number
  hasChildren: boolean
  expanded: boolean
  retained: boolean
  /** ≤ 100 characters: text/JSON shortened, binary as hex. '' when there is no message. */
  preview: string
  previewKind: PreviewKind
  /** Set only for a decoded preview that holds words (see PreviewWords); `preview` is its English. */
  previewWords?: PreviewWords
  /** Epoch ms of this topic's latest message, null if it has none. */
  lastUpdate: number | null
  /** Epoch ms of the latest message anywhere in this subtree. */
  subtreeUpdate: number | null
  /** This topic got a message since the view's previous frame (for the change highlight). */
  changed: boolean
  /** The stored latest payload was cut at the per-message cap. */
  truncated: boolean
}

/** The state of the view's filter scan; big trees are scanned in slices. */
export interface TreeFilterStatus {
  state: 'off' | 'running' | 'done' | 'error'
  matched: number
  scanned: number
  total: number
  /** Set with state 'error': one sentence (e.g. an invalid regular expression). */
  error?: string
  /** The same sentence with its code, for translation. */
  errorNotice?: Notice
}

/** Metadata of one stored message; the payload itself is fetched on demand. */
export interface TreeMessageMeta {
  qos: Qos
  retain: boolean
  /** Epoch ms of arrival. */
  time: number
  /** Original payload size in bytes (also when truncated). */
  size: number
  /** True when the payload was cut at the per-message cap; `size` is the original size. */
  truncated: boolean
  /**
   * MQTT 5 PUBLISH properties as received, made JSON-safe: binary values (correlationData and
   * any other bytes) become `JsonBytes` ({base64, hex}); everything else is as mqtt.js parsed it
   * (userProperties: name → string or string[]; subscriptionIdentifier: number or number[]).
   */
  properties?: Record<string, unknown>
}

/** The selected topic, as the view sends it whenever it changes. */
export interface TreeSelection {
  path: string
  exists: boolean
  ownCount: number
  retained: boolean
  historyLength: number
  last: TreeMessageMeta | null
  preview: string
  previewKind: PreviewKind
}

export interface TreeViewFrame {
  connectionId: string
  viewId: string
  seq: number
  /** The frame this one applies to; 0 for a snapshot. */
  baseSeq: number
  kind: 'snapshot' | 'delta'
  /** All rows the view would show: the scrollbar's length. */
  totalRows: number
  offset: number
  /** Row ids of the window in display order (always complete). */
  ids: number[]
  /** Rows new to the window or changed since baseSeq (all rows in a snapshot). */
  rows: TreeRow[]
  paused: boolean
  totals: { messages: number; topics: number }
  filter: TreeFilterStatus
  /** Present when the selection or its latest message changed; null = nothing selected. */
  selection?: TreeSelection | null
}

/** Bytes inside JSON (MQTT 5 correlation data and other binary properties). */
export interface JsonBytes {
  base64: string
  /** Lower-case hex, only for values up to 256 bytes. */
  hex?: string
}

/** One message of a topic's history, payload as base64 (binary frames come later). */
export interface TreeHistoryEntry extends TreeMessageMeta {
  payloadBase64: string
  /** The message's place in the history (0 = latest); set on answers to a `search`. */
  index?: number
  /**
   * This response carries only the first bytes of the stored payload (see maxPayloadBytes in
   * TreeHistoryParams); `truncated` says whether the stored payload itself was cut.
   */
  payloadCut?: boolean
}

export const TreeConnectionRef = z.object({ connectionId })

/** Retained-message deletion: one topic, or every retained topic under a branch. */
export const TreeRetainedParams = z.object({ connectionId, path: topicPath, subtree: z.boolean().default(false) })
export const TreeJobRef = z.object({ jobId: IdString })

/** Progress of a retained deletion; sent as `tree.deleteProgress` events until state leaves 'running'. */
export interface TreeDeleteProgress {
  connectionId: string
  jobId: string
  path: string
  state: 'running' | 'done' | 'cancelled' | 'error'
  done: number
  total: number
  error?: string
  /** The error's code and detail when it had them (a broker's refusal), for translation; `error` is its English. */
  errorData?: ApiErrorData
}

/** Broker statistics read from `$SYS` (mosquitto/aedes style topics), null where absent. */
export interface BrokerStats {
  connectionId: string
  available: boolean
  version: string | null
  uptimeSeconds: number | null
  clientsConnected: number | null
  messagesReceived: number | null
  messagesSent: number | null
  subscriptions: number | null
  retainedMessages: number | null
  bytesReceived: number | null
  bytesSent: number | null
  /** Every `$SYS` topic with a short text value, for brokers with other layouts. */
  raw: Array<{ topic: string; value: string }>
}
