/**
 * The topic tree through the whole service (createService, as both shells run it) against a
 * real mosquitto: retained deletion really clears the broker (checked with mosquitto_sub, a
 * client we did not write) and stops part way when cancelled; a 100k-message burst is counted
 * whole; two windows get independent frames; history honours the payload cap; MQTT 5 properties
 * reach the selection.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import mqtt, { type MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type EventName, type EventPayloads, type MethodName, type MethodParams, type MethodResult, type TreeDeleteProgress, type TreeViewFrame } from '../../electron/api'
import { createService, type Service } from '../../electron/core/service'
import { callService } from '../fixtures/service-call'
import { startMosquitto, type MosquittoBroker } from '../fixtures/mosquitto'
import { waitUntil } from '../fixtures/wait-for-line'

const run = promisify(execFile)
let dir: string
let broker: MosquittoBroker
let service: Service
let connectionId: string
let publisher: MqttClient
const frames: Array<{ peerId: string; frame: TreeViewFrame }> = []
const progress: TreeDeleteProgress[] = []

async function call<M extends MethodName>(method: M, params?: MethodParams<M>, peerId = 'window-1'): Promise<MethodResult<M>> {
  return callService(service, method, params, peerId)
}

/** Polls until `check` gives a value (30 s by default: these suites share the machine with real brokers). */
const until = <T>(what: string, check: () => T | undefined | Promise<T | undefined>, timeoutMs = 30_000) => waitUntil(what, check, timeoutMs)

/** Retained topics mosquitto holds under `filter`, as mosquitto_sub sees them. */
async function retainedOnBroker(filter: string): Promise<string[]> {
  const { stdout } = await run('mosquitto_sub', ['-h', '127.0.0.1', '-p', String(broker.port), '-t', filter, '-v', '-W', '2', '--retained-only'], { maxBuffer: 64 * 1024 * 1024 }).catch(
    // -W ends with exit code 27 after the timeout; what it printed is still the answer.
    (err: { stdout?: string; code?: number }) => {
      if (err.code === 27 && typeof err.stdout === 'string') return { stdout: err.stdout }
      throw err
    },
  )
  return stdout.split('\n').filter((l) => l.length > 0).map((l) => l.split(' ')[0])
}

async function publishMany(topics: string[], payload: (i: number) => Buffer | string, retain: boolean): Promise<void> {
  for (let i = 0; i < topics.length; i++) {
    const last = i === topics.length - 1
    // Wait for the socket every 500 messages; the last one is QoS 1 so the broker has them all.
    if (i % 500 === 499 || last) await publisher.publishAsync(topics[i], payload(i), { qos: last ? 1 : 0, retain })
    else publisher.publish(topics[i], payload(i), { qos: 0, retain })
  }
}

async function totals(): Promise<{ messages: number; topics: number }> {
  const view = await call('tree.view.open', { connectionId }, 'counter')
  await call('tree.view.close', { viewId: view.viewId }, 'counter')
  return view.totals
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mqtts-tree-service-'))
  broker = await startMosquitto({ listeners: [{}], extra: ['max_queued_messages 0', 'max_queued_bytes 0'] })
  service = await createService({
    dataDir: join(dir, 'data'),
    mode: 'browser',
    version: 'test',
    emit: <E extends EventName>(name: E, payload: EventPayloads[E]) => {
      if (name === 'tree.deleteProgress') progress.push(payload as TreeDeleteProgress)
    },
    emitTo: <E extends EventName>(peerId: string, name: E, payload: EventPayloads[E]) => {
      if (name === 'tree.view') frames.push({ peerId, frame: payload as TreeViewFrame })
    },
  })
  const profile = await call('profiles.create', { spec: { name: 'tree broker', scheme: 'mqtt', host: '127.0.0.1', port: broker.port, reconnect: { enabled: false },
    // Live forwards keep their retain flag, so topics retained while we watch are marked retained too.
    subscriptions: [{ filter: '#', retainAsPublished: true }] } })
  connectionId = profile.id
  await call('connections.connect', { profileId: profile.id })
  publisher = await mqtt.connectAsync({ host: '127.0.0.1', port: broker.port, protocolVersion: 5, clientId: 'tree-test-publisher', reconnectPeriod: 0 })
}, 60_000)

afterAll(async () => {
  await publisher?.endAsync()
  await service?.close()
  await broker?.stop()
  await rm(dir, { recursive: true, force: true })
})

describe('topic tree through the service', () => {
  it('deletes every retained topic of a branch on the broker, and only that branch', async () => {
    const branch = Array.from({ length: 300 }, (_, i) => `branch/g${i % 7}/t${i}`)
    await publishMany(branch, (i) => `v${i}`, true)
    await publishMany(['keep/a', 'keep/b'], () => 'stay', true)
    expect(await retainedOnBroker('branch/#')).toHaveLength(300)
    await until('the branch in the tree', async () => ((await call('tree.retained.count', { connectionId, path: 'branch', subtree: true })).count === 300 ? true : undefined))

    const started = await call('tree.retained.delete', { connectionId, path: 'branch', subtree: true })
    expect(started.total).toBe(300)
    const final = await until('the deletion to finish', () => progress.find((p) => p.jobId === started.jobId && p.state !== 'running'))
    expect(final).toMatchObject({ state: 'done', done: 300, total: 300 })
    expect(await retainedOnBroker('branch/#')).toEqual([])
    expect((await retainedOnBroker('keep/#')).sort()).toEqual(['keep/a', 'keep/b'])
    // The broker echoes each deletion to our subscription; the tree drops the branch.
    await until('the tree to follow', async () => ((await call('tree.retained.count', { connectionId, path: 'branch', subtree: true })).count === 0 ? true : undefined))
  }, 60_000)

  it('stops a deletion part way when cancelled; what was not deleted stays on the broker', async () => {
    const topics = Array.from({ length: 5000 }, (_, i) => `big/d${i % 50}/t${i}`)
    await publishMany(topics, (i) => `v${i}`, true)
    await until('the big branch in the tree', async () => ((await call('tree.retained.count', { connectionId, path: 'big', subtree: true })).count === 5000 ? true : undefined))
    const started = await call('tree.retained.delete', { connectionId, path: 'big', subtree: true })
    await until('the first progress', () => progress.find((p) => p.jobId === started.jobId && p.done > 0))
    const cancelled = await call('tree.retained.cancel', { jobId: started.jobId })
    expect(cancelled.state).toBe('cancelled')
    expect(cancelled.done).toBeGreaterThan(0)
    expect(cancelled.done).toBeLessThan(5000)
    expect(await retainedOnBroker('big/#')).toHaveLength(5000 - cancelled.done)
  }, 60_000)

  it('counts every message of a 100k burst', async () => {
    const before = await totals()
    const count = 100_000
    const topics = Array.from({ length: count }, (_, i) => `burst/s${i % 10}/l${i % 100}/d${i % 1000}/v`)
    await publishMany(topics, (i) => `{"i":${i}}`, false)
    const after = await until('the burst in the tree', async () => {
      const t = await totals()
      return t.messages - before.messages >= count ? t : undefined
    }, 120_000)
    expect(after.messages - before.messages).toBe(count)
  }, 180_000)

  it('sends each window the frames of its own view only', async () => {
    await publishMany(['two/a/x', 'two/b/y'], () => '1', false)
    // Both topics, not just any: a topic arriving after view two opened would change its rows.
    const stored = async (path: string) => (await call('tree.topic.history', { connectionId, path })).length > 0
    await until('both topics', async () => ((await stored('two/a/x')) && (await stored('two/b/y')) ? true : undefined))
    const one = await call('tree.view.open', { connectionId, expanded: ['two'] }, 'window-1')
    const two = await call('tree.view.open', { connectionId }, 'window-2')
    expect(one.viewId).not.toBe(two.viewId)
    frames.length = 0
    await call('tree.view.expand', { viewId: one.viewId, path: 'two/a', action: 'expand' }, 'window-1')
    const next = await until('a frame for window 1', () => frames.find((f) => f.frame.viewId === one.viewId))
    expect(next.peerId).toBe('window-1')
    expect(next.frame.totalRows).toBeGreaterThan(one.totalRows)
    await call('tree.view.pause', { viewId: two.viewId, paused: true }, 'window-2')
    await new Promise((r) => setTimeout(r, 200))
    for (const f of frames) expect(f.peerId).toBe(f.frame.viewId === one.viewId ? 'window-1' : 'window-2')
    expect(frames.filter((f) => f.frame.viewId === two.viewId).every((f) => f.frame.totalRows === two.totalRows)).toBe(true)
    await expect(call('tree.view.select', { viewId: one.viewId, path: 'two/a/x' }, 'window-2')).rejects.toMatchObject({ code: 'NOT_FOUND' })
    service.peerDetached('window-1')
    service.peerDetached('window-2')
  }, 30_000)

  it('keeps payloads up to the configured cap and says when one was cut', async () => {
    await call('settings.update', { patch: { tree: { payloadCapBytes: 1024 } } })
    await publisher.publishAsync('cap/big', Buffer.alloc(5000, 0x61), { qos: 1 })
    await publisher.publishAsync('cap/big', 'small', { qos: 1 })
    const page = await until('two messages on cap/big', async () => {
      const p = await call('tree.topic.history', { connectionId, path: 'cap/big' })
      return p.length === 2 ? p : undefined
    })
    expect(page[0]).toMatchObject({ size: 5, truncated: false })
    expect(page[1]).toMatchObject({ size: 5000, truncated: true })
    expect(Buffer.from(page[1].payloadBase64, 'base64')).toEqual(Buffer.alloc(1024, 0x61))
    expect((await call('settings.get')).tree.payloadCapBytes).toBe(1024)
    await call('settings.update', { patch: { tree: { payloadCapBytes: 16 * 1024 * 1024 } } })
  }, 30_000)

  it('shows MQTT 5 properties of the selected topic', async () => {
    const view = await call('tree.view.open', { connectionId, selected: 'props/t' }, 'window-3')
    await publisher.publishAsync('props/t', '{"a":1}', {
      qos: 1,
      properties: { contentType: 'application/json', correlationData: Buffer.from([1, 2, 3]), userProperties: { site: 'north' }, messageExpiryInterval: 300 },
    })
    const frame = await until('a selection with properties', () => frames.find((f) => f.frame.viewId === view.viewId && f.frame.selection?.last?.properties)?.frame)
    expect(frame.selection?.last?.properties).toMatchObject({
      contentType: 'application/json',
      correlationData: { base64: 'AQID', hex: '010203' },
      userProperties: { site: 'north' },
    })
    expect(JSON.parse(JSON.stringify(frame.selection))).toEqual(frame.selection)
    await call('tree.view.close', { viewId: view.viewId }, 'window-3')
  }, 30_000)
})
