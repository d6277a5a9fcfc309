/**
 * Frames on the wire. The same frames travel over Electron IPC (structured clone) and over the
 * browser-mode WebSocket (JSON text), so the server and client code never know which one it is.
 */
import type { ApiErrorData } from './errors'
import type { MessageBatchEvent } from './connections'
import type { EventName, EventPayloads } from './contract'

export interface RequestFrame {
  t: 'req'
  id: number
  method: string
  params?: unknown
}

export type ResponseFrame =
  | { t: 'res'; id: number; ok: true; result: unknown }
  | { t: 'res'; id: number; ok: false; error: ApiErrorData }

export interface EventFrame<E extends EventName = EventName> {
  t: 'evt'
  name: E
  payload: EventPayloads[E]
}

export type ServerFrame = ResponseFrame | EventFrame

/** Most recent messages an event may list; the rest of a burst is only counted. */
export const MAX_MESSAGES_PER_BATCH = 200

/** Two batches of one connection become one: counts add up, the newest messages are kept. */
export function mergeMessageBatches(older: MessageBatchEvent, newer: MessageBatchEvent): MessageBatchEvent {
  const messages = older.messages.concat(newer.messages)
  return {
    connectionId: newer.connectionId,
    messages: messages.length > MAX_MESSAGES_PER_BATCH ? messages.slice(-MAX_MESSAGES_PER_BATCH) : messages,
    count: older.count + newer.count,
    total: newer.total,
    totalBytes: newer.totalBytes,
  }
}

export function isRequestFrame(value: unknown): value is RequestFrame {
  const f = value as RequestFrame
  return !!f && typeof f === 'object' && f.t === 'req' && Number.isSafeInteger(f.id) && typeof f.method === 'string'
}
