/**
 * Finding the stored message a MessageRef names. Index 0 is the latest; `time` pins the message
 * while new arrivals move the numbering: new messages push it to a higher index, evictions drop
 * it, so the search goes outward from `index` for the nearest message with that arrival time.
 */
import { ApiError, type MessageRef } from '../../api'
import type { StoredMessage } from '../tree/topic-node'

export interface MessageSource {
  storedMessages(connectionId: string, path: string, offset: number, limit: number): StoredMessage[]
}

export interface FoundMessage {
  message: StoredMessage
  /** The index the message has now. */
  index: number
}

/**
 * The message each pinned ref (index + time) named when it was first found there. Two messages
 * of one topic can arrive in the same millisecond, so once new arrivals move them, the time alone
 * cannot tell them apart; the stored message object can (the tree keeps the same object while it
 * stays in the history). Bounded: an old pin falls back to the time search.
 */
const pinsBySource = new WeakMap<MessageSource, Map<string, StoredMessage>>()
const MAX_PINS = 512

function pinsOf(source: MessageSource): Map<string, StoredMessage> {
  let pins = pinsBySource.get(source)
  if (pins === undefined) pinsBySource.set(source, (pins = new Map()))
  return pins
}

function pinKey(ref: MessageRef, index = ref.index, time = ref.time): string {
  return `${ref.connectionId}\u0000${ref.path}\u0000${index}\u0000${time}`
}

/** Remembers which message the answer's (index, time) means: the ref the renderer sends back later. */
function found(pins: Map<string, StoredMessage>, ref: MessageRef, message: StoredMessage, index: number): FoundMessage {
  pin(pins, pinKey(ref, index, message.time), message)
  return { message, index }
}

function pin(pins: Map<string, StoredMessage>, key: string, message: StoredMessage): void {
  if (pins.get(key) === message) return
  pins.delete(key)
  pins.set(key, message)
  if (pins.size > MAX_PINS) pins.delete(pins.keys().next().value as string)
}

/** The message `ref` names, or NOT_FOUND with a sentence the user can act on. */
export function findMessage(source: MessageSource, ref: MessageRef): FoundMessage {
  const { connectionId, path, index, time } = ref
  const atIndex = source.storedMessages(connectionId, path, index, 1)[0]
  const pins = pinsOf(source)
  const key = time === undefined ? null : pinKey(ref)
  let pinned = key === null ? undefined : pins.get(key)
  if (atIndex !== undefined && (time === undefined || atIndex.time === time) && (pinned === undefined || pinned === atIndex)) return found(pins, ref, atIndex, index)
  const all = source.storedMessages(connectionId, path, 0, Number.MAX_SAFE_INTEGER)
  if (pinned !== undefined) {
    // New arrivals only ever move a message to a higher index.
    if (!pinned.evicted) for (let i = index; i < all.length; i++) if (all[i] === pinned) return found(pins, ref, pinned, i)
    // Gone (evicted, or the topic was cleared): the ref means what its index and time say now.
    pins.delete(key!)
    pinned = undefined
    if (atIndex !== undefined && atIndex.time === time) return found(pins, ref, atIndex, index)
  }
  if (all.length === 0) throw new ApiError('NOT_FOUND', `No message is stored for ${short(path)} on this connection; select a topic that has received one.`, { path: short(path) })
  if (time === undefined) {
    throw new ApiError('NOT_FOUND', `That message is no longer stored: ${short(path)} keeps ${all.length.toLocaleString('en-US')} now; select one of those.`, { path: short(path), stored: all.length })
  }
  for (let d = 1; index - d >= 0 || index + d < all.length; d++) {
    // Later first: messages that arrived since moved it up.
    const up = all[index + d]
    if (up !== undefined && up.time === time) return found(pins, ref, up, index + d)
    const down = index - d >= 0 ? all[index - d] : undefined
    if (down !== undefined && down.time === time) return found(pins, ref, down, index - d)
  }
  throw new ApiError('NOT_FOUND', 'That message is no longer stored (the topic’s history limit let it go); select a newer one.', { path: short(path) })
}

/** Long paths (a 65,535-byte topic) are cut in sentences so an error stays readable. */
export function short(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}…` : text
}
