/**
 * Fetching one stored message of a topic for copy and save. A history index moves as messages
 * arrive (the message at index 3 is at index 4 after one more), so each message is named by its
 * index *and* its arrival time, and found again by scanning metadata (no payloads) from there on.
 */
import type { DecodedView, TreeHistoryEntry } from '@api'
import type { ApiClient } from '../../api/client'
import { base64ToBytes } from '../base64'
import { decodedIsJson, decodedRefusal, decodedText } from './message-export'

/** A message of a topic's history: where it was, and when it arrived. */
export interface StoredRef {
  index: number
  time: number
}

const SCAN_PAGE = 200
/** Metadata scanned at most while looking for a moved message (history is bounded by the settings). */
const SCAN_LIMIT = 100_000

/** Where the message that arrived at `ref.time` is now, or null when it left the history. */
export async function resolveIndex(api: ApiClient, connectionId: string, path: string, ref: StoredRef): Promise<number | null> {
  for (let offset = ref.index; offset < ref.index + SCAN_LIMIT; offset += SCAN_PAGE) {
    const metas = await api.call('tree.topic.history', { connectionId, path, offset, limit: SCAN_PAGE, maxPayloadBytes: 0 })
    for (let i = 0; i < metas.length; i++) {
      if (metas[i].time === ref.time) return offset + i
      // Newest first: once older than the message, it is gone.
      if (metas[i].time < ref.time) return null
    }
    if (metas.length < SCAN_PAGE) return null
  }
  return null
}

/** The whole stored payload of a message and its metadata, or null when it left the history. */
export async function fetchStored(api: ApiClient, connectionId: string, path: string, ref: StoredRef): Promise<{ entry: TreeHistoryEntry; bytes: Uint8Array; index: number } | null> {
  const index = await resolveIndex(api, connectionId, path, ref)
  if (index === null) return null
  const [meta] = await api.call('tree.topic.history', { connectionId, path, offset: index, limit: 1, maxPayloadBytes: 0 })
  if (!meta) return null
  // Ask for at least the stored size, so the answer is never cut.
  const [entry] = await api.call('tree.topic.history', { connectionId, path, offset: index, limit: 1, maxPayloadBytes: Math.max(1, meta.size) })
  if (!entry || entry.time !== ref.time) return null
  return { entry, bytes: base64ToBytes(entry.payloadBase64), index }
}

/**
 * The decoded document of a message (as the inspector shows it, rules and hints applied), every
 * page of it; `refusal` says why there is none (hex-only, image, empty). The document is released
 * on the main side when done.
 */
export async function fetchDecoded(
  api: ApiClient,
  connectionId: string,
  path: string,
  ref: StoredRef,
): Promise<{ text: string; json: boolean; refusal: null } | { refusal: string }> {
  const decoded = await api.call('inspect.decode', { message: { connectionId, path, index: ref.index, time: ref.time } })
  try {
    const view: DecodedView = decoded.view
    const refusal = decodedRefusal(view)
    if (refusal !== null) return { refusal }
    const text = await decodedText(view, async (offset) => api.call('inspect.text', { docId: decoded.docId, offset }))
    return { text, json: decodedIsJson(view), refusal: null }
  } finally {
    void api.call('inspect.release', { docId: decoded.docId }).catch(() => {})
  }
}
