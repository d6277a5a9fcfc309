/** Read-only questions the service asks a tree: retained topics of a branch, history pages. */
import { HISTORY_PREVIEW_BYTES, HISTORY_RESPONSE_BYTES, type TreeHistoryEntry } from '../../api/tree'
import { historyOf, toMessageMeta } from './rows'
import { childNodes, historyLength, pathOf, payloadOf, type StoredMessage, type TopicNode } from './topic-node'

/** Paths of the retained topics at `node` (and below it with `subtree`), parents first. */
export function retainedTopics(node: TopicNode | undefined, subtree: boolean): string[] {
  const out: string[] = []
  forEachRetained(node, subtree, (n) => out.push(pathOf(n)))
  return out
}

/** How many retained topics `retainedTopics` would list, without building the list. */
export function countRetained(node: TopicNode | undefined, subtree: boolean): number {
  let count = 0
  forEachRetained(node, subtree, () => count++)
  return count
}

/** Calls `visit` for each retained topic at `node` (and below it with `subtree`), parents first; never the root. */
function forEachRetained(node: TopicNode | undefined, subtree: boolean, visit: (n: TopicNode) => void): void {
  if (node === undefined || !node.attached) return
  const stack = [node]
  while (stack.length > 0) {
    const n = stack.pop() as TopicNode
    if (n.retained && n.parent !== null) visit(n)
    if (subtree) for (const child of childNodes(n)) stack.push(child)
  }
}

/**
 * One page of a topic's messages, newest first, payloads as base64. Each payload is sent up to
 * `maxPayloadBytes` (default 1 MiB) and the page up to HISTORY_RESPONSE_BYTES (or
 * `maxPayloadBytes` when bigger); what is cut carries `payloadCut`.
 */
export function historyEntries(
  node: TopicNode | undefined,
  offset: number,
  limit: number,
  maxPayloadBytes = HISTORY_PREVIEW_BYTES,
  search?: string,
): TreeHistoryEntry[] {
  if (node === undefined || !node.attached) return []
  let budget = Math.max(HISTORY_RESPONSE_BYTES, maxPayloadBytes)
  const found = search === undefined ? historyOf(node, offset, limit).map((message, i) => ({ message, index: offset + i })) : searchHistory(node, search, offset, limit)
  return found.map(({ message, index }) => {
    const bytes = payloadOf(message)
    const sent = Math.min(bytes.length, maxPayloadBytes, budget)
    budget -= sent
    const entry: TreeHistoryEntry = { ...toMessageMeta(message), payloadBase64: bytes.toString('base64', 0, sent) }
    if (sent < bytes.length) entry.payloadCut = true
    if (search !== undefined) entry.index = index
    return entry
  })
}

/**
 * The stored messages whose payload text contains `search` (ignoring case), newest first, with
 * their history index; `offset`/`limit` count matches. The whole kept history is scanned (its
 * length and bytes are bounded by the settings), so a search finds what no loaded page shows.
 */
export function searchHistory(node: TopicNode, search: string, offset: number, limit: number): Array<{ message: StoredMessage; index: number }> {
  const needle = search.toLowerCase()
  const out: Array<{ message: StoredMessage; index: number }> = []
  const total = historyLength(node)
  let skipped = 0
  for (let i = 0; i < total && out.length < limit; i++) {
    const message = i === 0 ? node.last : node.history?.at(i - 1)
    if (!message || !payloadOf(message).toString('utf8').toLowerCase().includes(needle)) continue
    if (skipped++ < offset) continue
    out.push({ message, index: i })
  }
  return out
}
