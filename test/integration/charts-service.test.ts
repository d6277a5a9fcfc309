/**
 * Chart series through the whole service (createService, as both shells run it) against a real
 * mosquitto: a series is backfilled from the topic's stored history, then collects every live
 * message — far more than the history limit keeps — with count and last value exact, in the
 * answer of `chart.points` and in the `chart.points` events a renderer would stitch together;
 * non-numeric messages are counted as skipped; removal, reset, reconnects and profile deletion
 * do what they say; bad sources are refused with a code and a sentence.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import mqtt, { type MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ApiError, MAX_SERIES, mergeChartPoints, type ChartPointsEvent, type ChartSeriesInfo, type EventName, type EventPayloads, type MethodName, type MethodParams, type MethodResult } from '../../electron/api'
import { createService, type Service } from '../../electron/core/service'
import { callService } from '../fixtures/service-call'
import { startMosquitto, type MosquittoBroker } from '../fixtures/mosquitto'
import { waitUntil } from '../fixtures/wait-for-line'

const HISTORY_LIMIT = 20
let dir: string
let broker: MosquittoBroker
let service: Service
let connectionId: string
let publisher: MqttClient
const pointEvents: ChartPointsEvent[] = []
const changes: ChartSeriesInfo[][] = []

async function call<M extends MethodName>(method: M, params?: MethodParams<M>): Promise<MethodResult<M>> {
  return callService(service, method, params)
}

const until = <T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 30_000) => waitUntil(what, check, timeoutMs)

async function messageCount(id = connectionId): Promise<number> {
  return (await call('connections.list')).find((s) => s.connectionId === id)?.messageCount ?? 0
}

/** Publishes every payload in order; the last is QoS 1 so its PUBACK means the broker has them all. */
async function publishAll(topic: string, payloads: string[]): Promise<void> {
  for (let i = 0; i < payloads.length; i++) {
    const last = i === payloads.length - 1
    if (last || i % 500 === 499) await publisher.publishAsync(topic, payloads[i], { qos: 1 })
    else publisher.publish(topic, payloads[i], { qos: 0 })
  }
}

/** Publishes and waits until the engine counted them all (so the tree and the charts saw them). */
async function publishAndWait(topic: string, payloads: string[]): Promise<void> {
  const before = await messageCount()
  await publishAll(topic, payloads)
  await until(`${payloads.length} messages on ${topic}`, async () => (await messageCount()) >= before + payloads.length)
}

/** What a renderer holds after applying the events of one series in order (merging like the coalescer). */
function stitched(seriesId: string, fromIndex: number): { values: number[]; nextIndex: number } {
  let held: ChartPointsEvent | null = null
  for (const event of pointEvents) {
    if (event.seriesId !== seriesId || event.nextIndex <= fromIndex) continue
    held = held === null ? event : mergeChartPoints(held, event)
  }
  return { values: held?.values ?? [], nextIndex: held?.nextIndex ?? fromIndex }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mqtts-charts-service-'))
  broker = await startMosquitto({ listeners: [{}], extra: ['max_queued_messages 0', 'max_queued_bytes 0'] })
  service = await createService({
    dataDir: join(dir, 'data'),
    mode: 'browser',
    version: 'test',
    emit: <E extends EventName>(name: E, payload: EventPayloads[E]) => {
      if (name === 'chart.points') pointEvents.push(payload as ChartPointsEvent)
      if (name === 'chart.changed') changes.push(payload as ChartSeriesInfo[])
    },
  })
  await call('settings.update', { patch: { tree: { historyMessagesPerTopic: HISTORY_LIMIT } } })
  const profile = await call('profiles.create', { spec: { name: 'chart broker', scheme: 'mqtt', host: '127.0.0.1', port: broker.port, reconnect: { enabled: false }, subscriptions: [{ filter: 'chart/#' }] } })
  connectionId = profile.id
  await call('connections.connect', { profileId: profile.id })
  publisher = await mqtt.connectAsync({ host: '127.0.0.1', port: broker.port, protocolVersion: 5, clientId: 'charts-test-publisher', reconnectPeriod: 0 })
}, 60_000)

afterAll(async () => {
  await publisher?.endAsync()
  await service?.close()
  await broker?.stop()
  await rm(dir, { recursive: true, force: true })
})

describe('chart series through the service', () => {
  it('backfills from the stored history, then collects every live message beyond the history limit', async () => {
    const topic = 'chart/line1/state'
    await publishAndWait(topic, Array.from({ length: 50 }, (_, i) => JSON.stringify({ temp: i, 'sensor.id': 's1' })))

    const added = await call('chart.add', { source: { connectionId, topic, pointer: '/temp' } })
    // The history keeps the last HISTORY_LIMIT messages: 30..49.
    expect(added).toMatchObject({ backfilled: HISTORY_LIMIT, skipped: 0, firstIndex: 0, nextIndex: HISTORY_LIMIT, label: `${topic} /temp` })
    const backfill = await call('chart.points', { seriesId: added.seriesId })
    expect(backfill.values).toEqual(Array.from({ length: HISTORY_LIMIT }, (_, i) => 30 + i))
    expect(backfill.times.every((t, i) => i === 0 || t >= backfill.times[i - 1])).toBe(true)

    const live = 5000
    await publishAndWait(topic, Array.from({ length: live }, (_, i) => JSON.stringify({ temp: 1000 + i })))
    const all = await until('every live point', async () => {
      const p = await call('chart.points', { seriesId: added.seriesId })
      return p.nextIndex >= HISTORY_LIMIT + live ? p : undefined
    })
    expect(all.values).toHaveLength(HISTORY_LIMIT + live)
    expect(all.values.at(-1)).toBe(1000 + live - 1)
    expect(all.values.slice(HISTORY_LIMIT)).toEqual(Array.from({ length: live }, (_, i) => 1000 + i))
    // The events carry the same points, from the backfill's end on, with no gap.
    const events = await until('the events to catch up', () => {
      const s = stitched(added.seriesId, HISTORY_LIMIT)
      return s.nextIndex >= HISTORY_LIMIT + live ? s : undefined
    })
    expect(events.values).toEqual(all.values.slice(HISTORY_LIMIT))
    // Meanwhile the tree kept only its limit.
    expect((await call('tree.topic.history', { connectionId, path: topic, limit: 1000 })).length).toBe(HISTORY_LIMIT)
    await call('chart.remove', { seriesId: added.seriesId })
  }, 90_000)

  it('counts messages without a number as skipped, and charts a key with a dot', async () => {
    const topic = 'chart/mixed'
    const added = await call('chart.add', { source: { connectionId, topic, pointer: '/a.b' }, label: 'mixed' })
    expect(added).toMatchObject({ backfilled: 0, skipped: 0, label: 'mixed' })
    await publishAndWait(topic, ['{"a.b": 1}', '{"a.b": "warm"}', 'not json', '{"a.b": "2.5"}', '{"other": 3}', '{"a.b": true}', '', '{"a.b": null}'])
    const info = await until('the skipped count', () => changes.at(-1)?.find((s) => s.seriesId === added.seriesId && s.skipped === 5))
    expect(info.skipped).toBe(5)
    expect((await call('chart.points', { seriesId: added.seriesId })).values).toEqual([1, 2.5, 1])
    await call('chart.remove', { seriesId: added.seriesId })
  }, 60_000)

  it('stops collecting once removed, and says NOT_FOUND for its points', async () => {
    const topic = 'chart/removed'
    const added = await call('chart.add', { source: { connectionId, topic } })
    await publishAndWait(topic, ['1', '2'])
    await until('two points', async () => ((await call('chart.points', { seriesId: added.seriesId })).nextIndex === 2 ? true : undefined))
    expect(await call('chart.remove', { seriesId: added.seriesId })).toEqual({ removed: true })
    expect((await call('chart.list')).map((s) => s.seriesId)).not.toContain(added.seriesId)
    expect(changes.at(-1)?.map((s) => s.seriesId)).not.toContain(added.seriesId)
    await expect(call('chart.points', { seriesId: added.seriesId })).rejects.toMatchObject({ code: 'NOT_FOUND' })
    const eventsBefore = pointEvents.filter((e) => e.seriesId === added.seriesId).length
    await publishAndWait(topic, ['3', '4'])
    await new Promise((r) => setTimeout(r, 200))
    expect(pointEvents.filter((e) => e.seriesId === added.seriesId).length).toBe(eventsBefore)
  }, 60_000)

  it('resets a series: points dropped, indexes go on, collection continues', async () => {
    const topic = 'chart/reset'
    await publishAndWait(topic, ['5', '6', '7'])
    const added = await call('chart.add', { source: { connectionId, topic } })
    expect(added.nextIndex).toBe(3)
    const reset = await call('chart.reset', { seriesId: added.seriesId })
    expect(reset).toMatchObject({ firstIndex: 3, nextIndex: 3, backfilled: 0 })
    await publishAndWait(topic, ['8'])
    const after = await until('the point after the reset', async () => {
      const p = await call('chart.points', { seriesId: added.seriesId })
      return p.nextIndex === 4 ? p : undefined
    })
    expect(after).toMatchObject({ firstIndex: 3, values: [8] })
    await call('chart.remove', { seriesId: added.seriesId })
  }, 60_000)

  it('keeps its points over a reconnect and goes on collecting', async () => {
    const topic = 'chart/reconnect'
    const added = await call('chart.add', { source: { connectionId, topic } })
    await publishAndWait(topic, ['1', '2'])
    await call('connections.disconnect', { connectionId })
    await call('connections.connect', { profileId: connectionId })
    await until('connected again', async () => (await call('connections.list')).find((s) => s.connectionId === connectionId)?.status === 'connected')
    await publishAndWait(topic, ['3'])
    const p = await until('the point after the reconnect', async () => {
      const r = await call('chart.points', { seriesId: added.seriesId })
      return r.nextIndex === 3 ? r : undefined
    })
    expect(p.values).toEqual([1, 2, 3])
    await call('chart.remove', { seriesId: added.seriesId })
  }, 60_000)

  it('refuses a filter, a bad pointer, an unknown connection and more than MAX_SERIES series', async () => {
    const refusal = async (params: MethodParams<'chart.add'>) => {
      const err = await call('chart.add', params).then(() => null, (e: unknown) => e)
      expect(err).toBeInstanceOf(ApiError)
      return err as ApiError
    }
    expect(await refusal({ source: { connectionId, topic: 'chart/+/state' } })).toMatchObject({ code: 'CHART_LIMIT', message: expect.stringMatching(/without \+ or #/) })
    expect(await refusal({ source: { connectionId, topic: 'chart/x', pointer: 'temp' } })).toMatchObject({ code: 'CHART_LIMIT' })
    expect(await refusal({ source: { connectionId: 'no-such-profile', topic: 'chart/x' } })).toMatchObject({ code: 'NOT_FOUND' })
    const ids: string[] = []
    for (let i = 0; i < MAX_SERIES; i++) ids.push((await call('chart.add', { source: { connectionId, topic: `chart/many/${i}` } })).seriesId)
    expect(await refusal({ source: { connectionId, topic: 'chart/many/one-too-many' } })).toMatchObject({ code: 'CHART_LIMIT', message: expect.stringMatching(new RegExp(`at most ${MAX_SERIES}`)) })
    // The same source again is the same series, not a new one.
    expect((await call('chart.add', { source: { connectionId, topic: 'chart/many/0' } })).seriesId).toBe(ids[0])
    for (const seriesId of ids) await call('chart.remove', { seriesId })
  }, 60_000)

  it('drops the series of a deleted profile', async () => {
    const other = await call('profiles.create', { spec: { name: 'short-lived', scheme: 'mqtt', host: '127.0.0.1', port: broker.port, reconnect: { enabled: false } } })
    const added = await call('chart.add', { source: { connectionId: other.id, topic: 'chart/gone' } })
    expect((await call('chart.list')).map((s) => s.seriesId)).toContain(added.seriesId)
    await call('profiles.delete', { id: other.id })
    expect((await call('chart.list')).map((s) => s.seriesId)).not.toContain(added.seriesId)
  }, 30_000)
})
