/**
 * Topics as deep as MQTT allows, from a broker that does not drop them (mosquitto and aedes do):
 * the raw test broker sends a 32,768-level topic (65,535 bytes, the protocol's limit) and a
 * 10,000-level one, and every tree feature — filters, expand-subtree, select, history,
 * retained count and delete, type-ahead, broker stats, clear — answers through the whole service
 * without a stack overflow, while another connection keeps working. Every walk over the tree is
 * iterative; a recursive one died here with "RangeError: Maximum call stack size exceeded".
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { methods, type EventName, type EventPayloads, type MethodName, type MethodParams, type MethodResult, type TreeDeleteProgress, type TreeViewFrame } from '../../electron/api'
import { createService, type Service } from '../../electron/core/service'
import { deepTopic, startRawBroker, type RawBroker } from '../fixtures/raw-broker'
import { waitUntil } from '../fixtures/wait-for-line'

/** 32,768 levels: 65,535 bytes, the longest topic MQTT can carry. */
const DEEPEST = deepTopic(32_768)
/** A retained topic half-way down the deepest branch (a level that is also a topic). */
const MIDDLE = deepTopic(16_384)
/** 10,000 levels of `b`. */
const TEN_THOUSAND = deepTopic(10_000, 'b')
/** `$SYS/` and as many levels of `s` as still fit in 65,535 bytes. */
const DEEP_SYS = `$SYS/${deepTopic(32_765, 's')}`
const MIDDLE_SYS = `$SYS/${deepTopic(16_000, 's')}`

let dir: string
let hostile: RawBroker
let calm: RawBroker
let service: Service
let hostileId: string
let calmId: string
const frames: TreeViewFrame[] = []
const progress: TreeDeleteProgress[] = []
const errors: unknown[] = []
const onError = (err: unknown) => errors.push(err)

async function call<M extends MethodName>(method: M, params?: MethodParams<M>, peerId = 'window-1'): Promise<MethodResult<M>> {
  const parsed = methods[method].parse(params ?? undefined)
  const handler = service.handlers[method] as (p: unknown, c: { peerId: string }) => Promise<MethodResult<M>>
  const result = await handler(parsed, { peerId })
  // The first frame of a view is the answer to opening it: record it with the pushed ones.
  if (method === 'tree.view.open') frames.push(result as TreeViewFrame)
  return result
}

/** Polls until `check` gives a value (30 s by default: these suites share the machine with real brokers). */
const until = <T>(what: string, check: () => T | undefined | Promise<T | undefined>, timeoutMs = 30_000) => waitUntil(what, check, timeoutMs)

/** The view's first frame after `since` that matches, from the view timer (the path that crashed). */
function frameOf(viewId: string, match: (f: TreeViewFrame) => boolean, since = 0): Promise<TreeViewFrame> {
  return until(`a matching frame of ${viewId}`, () => frames.slice(since).find((f) => f.viewId === viewId && match(f)))
}

async function messagesOf(connectionId: string): Promise<number> {
  const view = await call('tree.view.open', { connectionId }, 'counter')
  await call('tree.view.close', { viewId: view.viewId }, 'counter')
  return view.totals.messages
}

async function sendDeepTopics(): Promise<void> {
  for (let i = 1; i <= 3; i++) await hostile.publish({ topic: DEEPEST, payload: `deep ${i}`, qos: 1, retain: i === 3 })
  await hostile.publish({ topic: MIDDLE, payload: 'middle', qos: 1, retain: true })
  await hostile.publish({ topic: TEN_THOUSAND, payload: 'ten thousand', qos: 1 })
  await hostile.publish({ topic: DEEP_SYS, payload: '42', qos: 1 })
  await hostile.publish({ topic: MIDDLE_SYS, payload: '7', qos: 1 })
  await until('the deep topics in the tree', async () => ((await messagesOf(hostileId)) === 7 ? true : undefined))
}

beforeAll(async () => {
  process.on('uncaughtException', onError)
  dir = await mkdtemp(join(tmpdir(), 'mqtts-deep-topics-'))
  hostile = await startRawBroker()
  calm = await startRawBroker()
  service = await createService({
    dataDir: join(dir, 'data'),
    mode: 'browser',
    version: 'test',
    emit: <E extends EventName>(name: E, payload: EventPayloads[E]) => {
      if (name === 'tree.deleteProgress') progress.push(payload as TreeDeleteProgress)
    },
    emitTo: <E extends EventName>(_peerId: string, name: E, payload: EventPayloads[E]) => {
      if (name === 'tree.view') frames.push(payload as TreeViewFrame)
    },
  })
  for (const [name, broker] of [['hostile', hostile], ['calm', calm]] as const) {
    const profile = await call('profiles.create', {
      spec: { name, scheme: 'mqtt', host: '127.0.0.1', port: broker.port, reconnect: { enabled: false }, subscriptions: [{ filter: '#', qos: 1 }] },
    })
    await call('connections.connect', { profileId: profile.id })
    if (name === 'hostile') hostileId = profile.id
    else calmId = profile.id
  }
  await hostile.waitForClients(1, { subscribed: true })
  await calm.waitForClients(1, { subscribed: true })
  await sendDeepTopics()
}, 60_000)

afterAll(async () => {
  process.off('uncaughtException', onError)
  await service?.close()
  await hostile?.stop()
  await calm?.stop()
  await rm(dir, { recursive: true, force: true })
})

describe('topics as deep as MQTT allows', () => {
  it.each([
    ['substring', 'a/a/a', 32_768],
    ['regex', '(^|/)a$', 32_768],
    ['mqtt', 'a/#', 32_768],
    ['mqtt', 'b/+/b/#', 10_000],
  ] as const)('filters by %s %s and shows the whole matching branch', async (mode, text, rows) => {
    const since = frames.length
    const view = await call('tree.view.open', { connectionId: hostileId, window: { offset: rows - 3, count: 10 }, filter: { mode, text } })
    const done = await frameOf(view.viewId, (f) => f.filter.state === 'done' && f.totalRows === rows, since)
    expect(done.filter.matched).toBeGreaterThan(0)
    // The filter expands what it shows: the last row is the deepest level, at its depth.
    const last = done.rows.find((r) => r.id === done.ids.at(-1))
    expect(last).toMatchObject({ depth: rows - 1, path: rows === 10_000 ? TEN_THOUSAND : DEEPEST })
    await call('tree.view.close', { viewId: view.viewId })
  }, 60_000)

  it('expands the deepest branch with "*" and lists every level in order', async () => {
    const since = frames.length
    const view = await call('tree.view.open', { connectionId: hostileId, window: { offset: 32_766, count: 5 } })
    await call('tree.view.expand', { viewId: view.viewId, path: 'a', action: 'subtree' })
    // `$SYS` (collapsed), the 32,768 levels of `a`, then `b` (collapsed).
    const expanded = await frameOf(view.viewId, (f) => f.totalRows === 32_770, since)
    const rows = expanded.ids.map((id) => expanded.rows.find((r) => r.id === id))
    expect(rows.map((r) => r?.depth)).toEqual([32_765, 32_766, 32_767, 0])
    expect(rows[1]?.path).toBe(DEEPEST.slice(0, -2))
    expect(rows[2]).toMatchObject({ path: DEEPEST, ownCount: 3, retained: true, hasChildren: false })
    expect(rows[3]?.path).toBe('b')

    // Type-ahead walks the same rows.
    expect(await call('tree.view.find', { viewId: view.viewId, prefix: 'b', after: 100 })).toEqual({ index: 32_769, path: 'b' })
    expect(await call('tree.view.find', { viewId: view.viewId, prefix: 'a', after: 32_768 })).toEqual({ index: 1, path: 'a' })

    // Collapsing the top level hides the branch again.
    await call('tree.view.expand', { viewId: view.viewId, path: 'a', action: 'collapse' })
    await frameOf(view.viewId, (f) => f.totalRows === 3, frames.length)
    await call('tree.view.close', { viewId: view.viewId })
  }, 60_000)

  it('expands 1,000 levels of the branch by depth', async () => {
    const since = frames.length
    const view = await call('tree.view.open', { connectionId: hostileId, window: { offset: 995, count: 10 } })
    await call('tree.view.expandToDepth', { viewId: view.viewId, depth: 1000 })
    // 1,000 levels of `a` (the 1,000th collapsed), 1,000 of `b`, and 1,000 of `$SYS/s/…`.
    const frame = await frameOf(view.viewId, (f) => f.totalRows === 3000, since)
    expect(frame.rows.some((r) => r.depth === 999 && !r.expanded && r.hasChildren)).toBe(true)
    await call('tree.view.close', { viewId: view.viewId })
  }, 60_000)

  it('selects the deepest topic and pages its history', async () => {
    const since = frames.length
    const view = await call('tree.view.open', { connectionId: hostileId, selected: null })
    await call('tree.view.select', { viewId: view.viewId, path: DEEPEST })
    const frame = await frameOf(view.viewId, (f) => f.selection?.path === DEEPEST, since)
    expect(frame.selection).toMatchObject({ exists: true, ownCount: 3, historyLength: 3, retained: true, preview: 'deep 3' })
    const history = await call('tree.topic.history', { connectionId: hostileId, path: DEEPEST, offset: 0, limit: 10 })
    expect(history.map((e) => Buffer.from(e.payloadBase64, 'base64').toString())).toEqual(['deep 3', 'deep 2', 'deep 1'])
    const middle = await call('tree.topic.history', { connectionId: hostileId, path: MIDDLE, offset: 0, limit: 10 })
    expect(middle).toHaveLength(1)
    await call('tree.view.close', { viewId: view.viewId })
  }, 60_000)

  it('reads broker statistics from a deep $SYS branch', async () => {
    const stats = await call('tree.stats', { connectionId: hostileId })
    expect(stats.raw.map((r) => r.topic).sort()).toEqual([MIDDLE_SYS, DEEP_SYS])
  }, 60_000)

  it('counts and deletes the retained topics of the deep branch; the broker receives each deletion', async () => {
    expect(await call('tree.retained.count', { connectionId: hostileId, path: 'a', subtree: true })).toEqual({ count: 2 })
    const started = await call('tree.retained.delete', { connectionId: hostileId, path: 'a', subtree: true })
    expect(started.total).toBe(2)
    const final = await until('the deletion to finish', () => progress.find((p) => p.jobId === started.jobId && p.state !== 'running'))
    expect(final).toMatchObject({ state: 'done', done: 2, total: 2 })
    await hostile.waitForReceived('two empty retained publishes', (r) => r.length >= 2)
    expect(hostile.received.map((p) => ({ topic: p.topic, retain: p.retain, size: p.payload.length })).sort((a, b) => a.topic.length - b.topic.length)).toEqual([
      { topic: MIDDLE, retain: true, size: 0 },
      { topic: DEEPEST, retain: true, size: 0 },
    ])
  }, 60_000)

  it('clears the tree and takes the deep topics again', async () => {
    const view = await call('tree.view.open', { connectionId: hostileId, window: { offset: 0, count: 10 } })
    await call('tree.view.expand', { viewId: view.viewId, path: 'a', action: 'subtree' })
    await frameOf(view.viewId, (f) => f.totalRows === 32_770)
    const since = frames.length
    await call('tree.clear', { connectionId: hostileId })
    await frameOf(view.viewId, (f) => f.totalRows === 0, since)
    await sendDeepTopics()
    // The expanded paths outlive the clear: the branch comes back expanded.
    await frameOf(view.viewId, (f) => f.totalRows === 32_770, since)
    await call('tree.view.close', { viewId: view.viewId })
  }, 60_000)

  it('keeps the other connection and the process working', async () => {
    await calm.publish({ topic: 'calm/one', payload: 'still here', qos: 1 })
    await until('the calm message in its tree', async () => ((await messagesOf(calmId)) === 1 ? true : undefined))
    const states = await call('connections.list')
    expect(states.filter((s) => s.status === 'connected').map((s) => s.connectionId).sort()).toEqual([hostileId, calmId].sort())
    expect(errors).toEqual([])
  }, 60_000)
})
