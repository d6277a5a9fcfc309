/**
 * Shared setup for the connection integration tests: profiles with defaults filled in, and a
 * ConnectionManager whose events are recorded so tests can wait for a state or a message.
 */
import { randomUUID } from 'node:crypto'
import { ProfileSpec, type ConnectionState, type MessageBatchEvent, type Profile, type ProfileSpecInput } from '../../electron/api'
import { ConnectionManager, type ConnectionManagerOptions } from '../../electron/core/connections/connection-manager'

/** A complete Profile from the fields a test cares about. */
export function testProfile(spec: Partial<ProfileSpecInput> & { port: number }, id = randomUUID()): Profile {
  const parsed = ProfileSpec.parse({ name: 'test broker', host: '127.0.0.1', scheme: 'mqtt', subscriptions: [], ...spec })
  const now = new Date().toISOString()
  return { ...parsed, id, createdAt: now, updatedAt: now }
}

export interface RecordingManager {
  manager: ConnectionManager
  states: ConnectionState[]
  batches: MessageBatchEvent[]
  /** Resolves with the first state (past or future) of `id` that matches. */
  waitForState(id: string, match: (s: ConnectionState) => boolean, timeoutMs?: number): Promise<ConnectionState>
  /** Resolves once `count` messages matching `topic` arrived in batches. */
  waitForMessages(id: string, topic: string, count?: number, timeoutMs?: number): Promise<void>
}

export function recordingManager(extra: Partial<ConnectionManagerOptions> = {}): RecordingManager {
  const states: ConnectionState[] = []
  const batches: MessageBatchEvent[] = []
  const listeners = new Set<() => void>()
  const notify = () => listeners.forEach((l) => l())
  const manager = new ConnectionManager({
    batchIntervalMs: 20,
    ...extra,
    onState: (s) => {
      states.push(s)
      notify()
    },
    onBatch: (b) => {
      batches.push(b)
      notify()
    },
  })

  const until = <T>(check: () => T | undefined, timeoutMs: number, what: () => string): Promise<T> =>
    new Promise((resolve, reject) => {
      const tryNow = () => {
        const value = check()
        if (value !== undefined) {
          cleanup()
          resolve(value)
        }
      }
      const timer = setTimeout(() => {
        cleanup()
        reject(new Error(`Timed out waiting for ${what()}`))
      }, timeoutMs)
      const cleanup = () => {
        clearTimeout(timer)
        listeners.delete(tryNow)
      }
      listeners.add(tryNow)
      tryNow()
    })

  return {
    manager,
    states,
    batches,
    waitForState: (id, match, timeoutMs = 20_000) =>
      until(
        () => states.find((s) => s.connectionId === id && match(s)),
        timeoutMs,
        () => `a matching state; last: ${JSON.stringify(states.filter((s) => s.connectionId === id).at(-1))}`,
      ),
    waitForMessages: (id, topic, count = 1, timeoutMs = 10_000) =>
      until(
        () => {
          const seen = batches.filter((b) => b.connectionId === id).flatMap((b) => b.messages).filter((m) => m.topic === topic).length
          return seen >= count ? true : undefined
        },
        timeoutMs,
        () => `${count} message(s) on ${topic}`,
      ).then(() => undefined),
  }
}

/** Expects `promise` to reject with an ApiError of `code`; returns it for further checks. */
export async function rejectsWith(promise: Promise<unknown>, code: string): Promise<{ code: string; message: string; detail?: Record<string, unknown> }> {
  try {
    await promise
  } catch (err) {
    const e = err as { code?: string; message: string; detail?: Record<string, unknown> }
    if (e.code !== code) throw new Error(`Expected ${code}, got ${e.code}: ${e.message}`)
    // SHOW_ERRORS=1 prints every sentence, to review what users will read.
    if (process.env.SHOW_ERRORS) console.log(`${code}: ${e.message}`)
    return { code: e.code, message: e.message, detail: e.detail }
  }
  throw new Error(`Expected a rejection with ${code}, but it resolved`)
}
