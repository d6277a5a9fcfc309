import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { IPublishPacket } from 'mqtt'
import { afterEach, describe, expect, it } from 'vitest'
import { methods, type EventName, type EventPayloads, type MethodName, type MethodParams, type MethodResult, type TreeDeleteProgress, type TreeViewFrame } from '../../electron/api'
import { DEFAULT_SETTINGS } from '../../electron/api/settings'
import { brokerStats, leadingNumber } from '../../electron/core/tree/broker-stats'
import { jsonSafeProperties } from '../../electron/core/tree/json-safe'
import { RetainedDeleteJob } from '../../electron/core/tree/retained-delete'
import { TopicTree } from '../../electron/core/tree/topic-tree'
import { treeService } from '../../electron/core/tree/service'
import { TreeManager } from '../../electron/core/tree/tree-manager'
import { SettingsStore } from '../../electron/core/storage/settings-store'
import { waitUntil } from '../fixtures/wait-for-line'

const packet = (topic: string, retain = false, properties?: Record<string, unknown>) =>
  ({ cmd: 'publish', topic, qos: 0, retain, dup: false, payload: Buffer.alloc(0), properties }) as unknown as IPublishPacket

describe('broker statistics from $SYS', () => {
  it('reads mosquitto’s $SYS/broker topics into the panel fields', () => {
    const tree = new TopicTree()
    const put = (topic: string, value: string) => tree.insert(topic, Buffer.from(value), { qos: 0, retain: true })
    put('$SYS/broker/version', 'mosquitto version 2.0.11')
    put('$SYS/broker/uptime', '4242 seconds')
    put('$SYS/broker/clients/connected', '3')
    put('$SYS/broker/messages/received', '1200')
    put('$SYS/broker/messages/sent', '1300')
    put('$SYS/broker/subscriptions/count', '7')
    put('$SYS/broker/retained messages/count', '55')
    put('$SYS/broker/bytes/received', '10000')
    put('$SYS/broker/bytes/sent', '20000')
    put('$SYS/broker/load/messages/received/1min', '12.5')
    const stats = brokerStats('c1', tree.get('$SYS'))
    expect(stats).toMatchObject({
      connectionId: 'c1',
      available: true,
      version: 'mosquitto version 2.0.11',
      uptimeSeconds: 4242,
      clientsConnected: 3,
      messagesReceived: 1200,
      messagesSent: 1300,
      subscriptions: 7,
      retainedMessages: 55,
      bytesReceived: 10000,
      bytesSent: 20000,
    })
    expect(stats.raw).toContainEqual({ topic: '$SYS/broker/load/messages/received/1min', value: '12.5' })
  })

  it('reads aedes-style $SYS/<broker id>/ topics and leaves what is missing null', () => {
    const tree = new TopicTree()
    tree.insert('$SYS/Hk3x9/uptime', Buffer.from('17'), { qos: 0, retain: false })
    tree.insert('$SYS/Hk3x9/clients/total', Buffer.from('2'), { qos: 0, retain: false })
    tree.insert('$SYS/Hk3x9/heartbeat', Buffer.from('Hk3x9'), { qos: 0, retain: false })
    const stats = brokerStats('c1', tree.get('$SYS'))
    expect(stats.available).toBe(true)
    expect(stats.uptimeSeconds).toBe(17)
    expect(stats.clientsConnected).toBe(2)
    expect(stats.version).toBeNull()
    expect(stats.bytesSent).toBeNull()
  })

  it('says unavailable when the broker publishes no $SYS', () => {
    expect(brokerStats('c1', undefined)).toMatchObject({ available: false, raw: [], uptimeSeconds: null })
    expect(leadingNumber('  12 seconds')).toBe(12)
    expect(leadingNumber('n/a')).toBeNull()
  })
})

describe('JSON-safe MQTT 5 properties', () => {
  it('turns correlation data into base64 and hex and keeps user properties as they are', () => {
    const safe = jsonSafeProperties({
      correlationData: Buffer.from([0xde, 0xad, 0xbe, 0xef]),
      userProperties: { site: 'a', tag: ['x', 'y'] },
      subscriptionIdentifier: [1, 2],
      contentType: 'application/json',
      messageExpiryInterval: 60,
      payloadFormatIndicator: true,
      missing: undefined,
    })
    expect(safe).toEqual({
      correlationData: { base64: '3q2+7w==', hex: 'deadbeef' },
      userProperties: { site: 'a', tag: ['x', 'y'] },
      subscriptionIdentifier: [1, 2],
      contentType: 'application/json',
      messageExpiryInterval: 60,
      payloadFormatIndicator: true,
    })
    expect(JSON.parse(JSON.stringify(safe))).toEqual(safe)
  })

  it('leaves out hex for long binary values and returns undefined for no properties', () => {
    const safe = jsonSafeProperties({ correlationData: Buffer.alloc(1000, 1) }) as { correlationData: { base64: string; hex?: string } }
    expect(Buffer.from(safe.correlationData.base64, 'base64').length).toBe(1000)
    expect(safe.correlationData.hex).toBeUndefined()
    expect(jsonSafeProperties(undefined)).toBeUndefined()
    expect(jsonSafeProperties({})).toBeUndefined()
  })
})

describe('retained deletion job', () => {
  const topics = (n: number) => Array.from({ length: n }, (_, i) => `branch/t${i}`)

  it('publishes every topic with bounded publishes in flight and reports at most 20 times per simulated second', async () => {
    let clock = 0
    let inFlight = 0
    let maxInFlight = 0
    const published: string[] = []
    const events: TreeDeleteProgress[] = []
    const job = new RetainedDeleteJob({
      connectionId: 'c1',
      jobId: 'j1',
      path: 'branch',
      topics: topics(2000),
      now: () => clock,
      publish: async (topic) => {
        inFlight++
        maxInFlight = Math.max(maxInFlight, inFlight)
        await Promise.resolve()
        clock += 1 // each confirmed publish takes 1 ms of simulated time
        published.push(topic)
        inFlight--
      },
      onProgress: (p) => events.push(p),
    })
    const final = await job.finished
    expect(final).toMatchObject({ state: 'done', done: 2000, total: 2000 })
    expect(new Set(published).size).toBe(2000)
    expect(maxInFlight).toBeLessThanOrEqual(32)
    expect(maxInFlight).toBeGreaterThan(1)
    // 2000 simulated ms → at most 40 paced events, plus the final one.
    expect(events.length).toBeLessThanOrEqual(41)
    expect(events.length).toBeGreaterThan(2)
    expect(events.at(-1)).toEqual(final)
    for (let i = 1; i < events.length; i++) expect(events[i].done).toBeGreaterThanOrEqual(events[i - 1].done)
  })

  it('stops part way when cancelled and reports what was deleted', async () => {
    const gates: Array<() => void> = []
    const job = new RetainedDeleteJob({
      connectionId: 'c1',
      jobId: 'j2',
      path: 'branch',
      topics: topics(500),
      maxInFlight: 4,
      publish: () => new Promise<void>((resolve) => gates.push(resolve)),
      onProgress: () => {},
    })
    for (let round = 0; round < 10; round++) {
      await Promise.resolve()
      gates.splice(0).forEach((open) => open())
      await new Promise((r) => setImmediate(r))
    }
    job.cancel()
    gates.splice(0).forEach((open) => open())
    const final = await job.finished
    expect(final.state).toBe('cancelled')
    expect(final.done).toBeGreaterThan(0)
    expect(final.done).toBeLessThan(500)
    expect(final.total).toBe(500)
  })

  it('ends in error with the publisher’s sentence when the broker refuses', async () => {
    let calls = 0
    const job = new RetainedDeleteJob({
      connectionId: 'c1',
      jobId: 'j3',
      path: 'branch',
      topics: topics(100),
      publish: async () => {
        if (++calls === 10) throw new Error('The broker refused the publish.')
      },
      onProgress: () => {},
    })
    const final = await job.finished
    expect(final.state).toBe('error')
    expect(final.error).toBe('The broker refused the publish.')
    expect(final.done).toBeLessThan(100)
  })
})

describe('treeService', () => {
  let service: TreeManager | undefined
  afterEach(() => service?.close())

  function create(publishEmptyRetained?: (connectionId: string, topic: string) => Promise<void>, finishedJobTtlMs?: number) {
    const frames: Array<{ peerId: string; frame: TreeViewFrame }> = []
    const events: Array<{ name: EventName; payload: unknown }> = []
    service = new TreeManager({
      emit: <E extends EventName>(name: E, payload: EventPayloads[E]) => void events.push({ name, payload }),
      emitTo: <E extends EventName>(peerId: string, name: E, payload: EventPayloads[E]) => {
        if (name === 'tree.view') frames.push({ peerId, frame: payload as TreeViewFrame })
      },
      publishEmptyRetained,
      statsIntervalMs: 20,
      finishedJobTtlMs,
    })
    const handlers = treeService(service)
    const call = <M extends MethodName & keyof typeof handlers>(method: M, params: MethodParams<M>, peerId = 'p1'): Promise<MethodResult<M>> => {
      const handler = handlers[method] as unknown as (p: unknown, c: { peerId: string }) => Promise<MethodResult<M>>
      return handler(methods[method].parse(params), { peerId })
    }
    return { service, frames, events, call }
  }

  it('keeps a view private to the window that opened it', async () => {
    const { service, call } = create()
    service.onMessage('c1', 'a/b', Buffer.from('1'), packet('a/b'))
    const frame = await call('tree.view.open', { connectionId: 'c1' }, 'p1')
    expect(frame.totals).toEqual({ messages: 1, topics: 1 })
    await expect(call('tree.view.expand', { viewId: frame.viewId, path: 'a', action: 'expand' }, 'p2')).rejects.toMatchObject({ code: 'NOT_FOUND' })
    service.peerDetached('p1')
    await expect(call('tree.view.snapshot', { viewId: frame.viewId }, 'p1')).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })

  it('counts retained topics of a branch and deletes them through the publisher', async () => {
    const deleted: string[] = []
    const { service, call, events } = create(async (_c, topic) => void deleted.push(topic))
    for (const t of ['branch/a', 'branch/b/c', 'branch/b', 'other/x']) service.onMessage('c1', t, Buffer.from('v'), packet(t, true))
    service.onMessage('c1', 'branch/live', Buffer.from('v'), packet('branch/live', false))
    expect(await call('tree.retained.count', { connectionId: 'c1', path: 'branch', subtree: true })).toEqual({ count: 3 })
    expect(await call('tree.retained.count', { connectionId: 'c1', path: 'branch/a' })).toEqual({ count: 1 })
    const started = await call('tree.retained.delete', { connectionId: 'c1', path: 'branch', subtree: true })
    expect(started).toMatchObject({ state: 'running', total: 3 })
    await waitUntil('the deletion to finish', () => events.some((e) => e.name === 'tree.deleteProgress' && (e.payload as TreeDeleteProgress).state === 'done'))
    expect(deleted.sort()).toEqual(['branch/a', 'branch/b', 'branch/b/c'])
    const last = events.filter((e) => e.name === 'tree.deleteProgress').at(-1)?.payload
    expect(last).toMatchObject({ jobId: started.jobId, state: 'done', done: 3, total: 3 })
  })

  it('answers a late cancel with the final count, then forgets the finished deletion', async () => {
    // A TTL long enough that a busy machine cannot forget the job before the late cancel asks.
    const { service, call, events } = create(async () => {}, 1000)
    service.onMessage('c1', 'gone/a', Buffer.from('v'), packet('gone/a', true))
    const started = await call('tree.retained.delete', { connectionId: 'c1', path: 'gone', subtree: true })
    await waitUntil('the deletion to finish', () => events.some((e) => e.name === 'tree.deleteProgress' && (e.payload as TreeDeleteProgress).state === 'done'))
    expect(await call('tree.retained.cancel', { jobId: started.jobId })).toMatchObject({ state: 'done', done: 1, total: 1 })
    await waitUntil('the finished deletion to be forgotten', () => call('tree.retained.cancel', { jobId: started.jobId }).then(() => false, (err: { code?: string }) => err.code === 'NOT_FOUND'))
  })

  it('pages history with payloads cut to the asked size and JSON-safe properties', async () => {
    const { service, call } = create()
    const big = Buffer.alloc(3000, 0x41)
    service.onMessage('c1', 't', Buffer.from('first'), packet('t'))
    service.onMessage('c1', 't', big, packet('t', false, { correlationData: Buffer.from('id-1') }))
    const page = await call('tree.topic.history', { connectionId: 'c1', path: 't', maxPayloadBytes: 1000 })
    expect(page).toHaveLength(2)
    expect(page[0]).toMatchObject({ size: 3000, truncated: false, payloadCut: true, properties: { correlationData: { base64: Buffer.from('id-1').toString('base64') } } })
    expect(Buffer.from(page[0].payloadBase64, 'base64').length).toBe(1000)
    expect(Buffer.from(page[1].payloadBase64, 'base64').toString()).toBe('first')
    expect(page[1].payloadCut).toBeUndefined()
    expect(await call('tree.topic.history', { connectionId: 'c1', path: 'nope' })).toEqual([])
  })

  it('applies new limits to existing trees and pushes $SYS stats when they change', async () => {
    const { service, call, events } = create()
    service.onMessage('c1', '$SYS/broker/uptime', Buffer.from('5 seconds'), packet('$SYS/broker/uptime'))
    service.applySettings({ ...DEFAULT_SETTINGS.tree, payloadCapBytes: 1024 })
    service.onMessage('c1', 'big', Buffer.alloc(5000), packet('big'))
    expect(service.treeOf('c1')?.get('big')?.last).toMatchObject({ truncated: true, size: 5000, length: 1024 })
    await waitUntil('a $SYS stats event', () => events.some((e) => e.name === 'tree.stats'))
    // Three more stats intervals without a change must not push it again.
    await new Promise((r) => setTimeout(r, 60))
    const stats = events.filter((e) => e.name === 'tree.stats')
    expect(stats).toHaveLength(1)
    expect(stats[0].payload).toMatchObject({ connectionId: 'c1', uptimeSeconds: 5 })
    await call('tree.clear', { connectionId: 'c1' })
    await waitUntil('stats saying $SYS is gone', () => (events.filter((e) => e.name === 'tree.stats').at(-1)?.payload as { available?: boolean } | undefined)?.available === false)
  })
})

describe('settings store', () => {
  let dir: string | undefined
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  it('saves a partial change, keeps the rest and refuses values out of range', async () => {
    dir = await mkdtemp(join(tmpdir(), 'mqtts-settings-'))
    const store = await SettingsStore.open(dir)
    expect(store.get()).toEqual(DEFAULT_SETTINGS)
    const next = await store.update({ tree: { historyMessagesPerTopic: 5 } })
    expect(next.tree).toEqual({ ...DEFAULT_SETTINGS.tree, historyMessagesPerTopic: 5 })
    await expect(store.update({ tree: { payloadCapBytes: 10 } })).rejects.toMatchObject({ code: 'BAD_REQUEST' })
    const reopened = await SettingsStore.open(dir)
    expect(reopened.get().tree.historyMessagesPerTopic).toBe(5)
    expect(JSON.parse(await readFile(join(dir, 'settings.json'), 'utf8')).tree.historyMessagesPerTopic).toBe(5)
  })

  it('keeps the good values of a hand-edited file and warns about the bad one', async () => {
    dir = await mkdtemp(join(tmpdir(), 'mqtts-settings-'))
    await writeFile(join(dir, 'settings.json'), JSON.stringify({ tree: { historyMessagesPerTopic: 7, payloadCapBytes: -1 } }))
    const store = await SettingsStore.open(dir)
    expect(store.get().tree.historyMessagesPerTopic).toBe(7)
    expect(store.get().tree.payloadCapBytes).toBe(DEFAULT_SETTINGS.tree.payloadCapBytes)
    expect(store.warnings.join(' ')).toMatch(/payloadCapBytes/)
  })
})
