/** Turning nodes into the wire's TreeRow and TreeSelection shapes. */
import type { TreeMessageMeta, TreeRow, TreeSelection } from '../../api/tree'
import { jsonSafeProperties } from './json-safe'
import { previewOf } from './payload'
import { childCount, depthOf, historyLength, pathOf, payloadOf, subtreeUpdateOf, type StoredMessage, type TopicNode } from './topic-node'

/** The row for `node` as a view shows it. */
export function toRow(node: TopicNode, expanded: boolean, changed: boolean): TreeRow {
  const last = node.last
  const preview = previewOf(last === null ? null : payloadOf(last))
  const children = childCount(node)
  return {
    id: node.id,
    path: pathOf(node),
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
    lastUpdate: last === null ? null : last.time,
    subtreeUpdate: subtreeUpdateOf(node) || null,
    changed,
    truncated: last !== null && last.truncated,
  }
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
export function toSelection(path: string, node: TopicNode | undefined): TreeSelection {
  if (node === undefined || !node.attached) {
    return { path, exists: false, ownCount: 0, retained: false, historyLength: 0, last: null, preview: '', previewKind: 'empty' }
  }
  const preview = previewOf(node.last === null ? null : payloadOf(node.last))
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
