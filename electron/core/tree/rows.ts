/** Turning nodes into the wire's TreeRow and TreeSelection shapes. */
import type { TreeMessageMeta, TreeRow, TreeSelection, WordedPreview } from '../../api/tree'
import { jsonSafeProperties } from './json-safe'
import { PREVIEW_MAX_CHARS, previewOf, type Preview } from './payload'
import { childCount, depthOf, historyLength, lastTimeOf, lastTruncated, pathOf, payloadOf, subtreeUpdateOf, type StoredMessage, type TopicNode } from './topic-node'

/**
 * A decoded one-line preview for a topic's latest payload, or null for the raw preview. The
 * inspector provides it (decoder rules, Sparkplug B); it must answer null fast for other topics.
 * A line that holds words (an image's, a Sparkplug payload's) comes with them, for translation.
 */
export type RowPreview = (path: string, payload: Buffer, properties: Record<string, unknown> | undefined) => string | WordedPreview | null

/** The preview of a topic's latest message: the decoded one when `decoded` gives one, else the raw one. */
export function previewOfMessage(path: string, last: StoredMessage | null, decoded?: RowPreview): Preview {
  if (last === null) return previewOf(null)
  const payload = payloadOf(last)
  if (decoded !== undefined && payload.length > 0) {
    const answer = decoded(path, payload, last.properties)
    if (answer !== null) {
      const text = typeof answer === 'string' ? answer : answer.text
      const line = text.length > PREVIEW_MAX_CHARS ? text.slice(0, PREVIEW_MAX_CHARS - 1) + '…' : text
      const first = line.charCodeAt(0)
      const kind = first === 0x7b || first === 0x5b ? 'json' : 'text'
      return typeof answer === 'string' ? { text: line, kind } : { text: line, kind, words: answer.words }
    }
  }
  return previewOf(payload)
}

/** The row for `node` as a view shows it. */
export function toRow(node: TopicNode, expanded: boolean, changed: boolean, decoded?: RowPreview): TreeRow {
  const path = pathOf(node)
  const preview = previewOfMessage(path, node.last, decoded)
  const lastUpdate = lastTimeOf(node)
  const children = childCount(node)
  const row: TreeRow = {
    id: node.id,
    path,
    name: node.name,
    depth: depthOf(node),
    ownCount: node.ownCount,
    messages: node.subtreeCount,
    topics: node.subtreeTopics,
    childCount: children,
    hasChildren: children > 0,
    expanded: expanded && children > 0,
    retained: node.retained,
    preview: preview.text,
    previewKind: preview.kind,
    lastUpdate,
    subtreeUpdate: subtreeUpdateOf(node) || null,
    changed,
    truncated: lastTruncated(node),
  }
  // Set after the fact, so rows without words (nearly all) carry no extra field.
  if (preview.words !== undefined) row.previewWords = preview.words
  return row
}

export function toMessageMeta(message: StoredMessage): TreeMessageMeta {
  const meta: TreeMessageMeta = {
    qos: message.qos,
    retain: message.retain,
    time: message.time,
    size: message.size,
    truncated: message.truncated,
  }
  const properties = jsonSafeProperties(message.properties)
  if (properties !== undefined) meta.properties = properties
  return meta
}

/** The selection panel's data; `node` undefined when the selected path has no node (yet). */
export function toSelection(path: string, node: TopicNode | undefined, decoded?: RowPreview): TreeSelection {
  if (node === undefined || !node.attached) {
    return { path, exists: false, ownCount: 0, retained: false, historyLength: 0, last: null, preview: '', previewKind: 'empty' }
  }
  const preview = previewOfMessage(path, node.last, decoded)
  return {
    path,
    exists: true,
    ownCount: node.ownCount,
    retained: node.retained,
    historyLength: historyLength(node),
    last: node.last === null ? null : toMessageMeta(node.last),
    preview: preview.text,
    previewKind: preview.kind,
  }
}

/** A topic's messages, newest first: the latest, then its history ring. */
export function historyOf(node: TopicNode, offset: number, limit: number): StoredMessage[] {
  const out: StoredMessage[] = []
  const total = historyLength(node)
  for (let i = offset; i < total && out.length < limit; i++) {
    const message = i === 0 ? node.last : node.history?.at(i - 1)
    if (message) out.push(message)
  }
  return out
}
