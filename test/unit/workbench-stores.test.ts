/**
 * The workbench's stores over a fake channel: they mirror the main side's jobs, requests,
 * templates and history; a reloaded window lists running jobs; a late event never revives an
 * ended job; a new backend link drops what the restarted backend no longer knows.
 */
import { beforeEach, describe, expect, it } from 'vitest'
import type { PublishTemplate, RepeatJob, RequestState } from '@api'
import { installFakeApi, Refusal, type FakeChannel } from '../fixtures/fake-channel'
import { MAX_ENDED, useRepeatJobsStore } from '../../renderer/src/stores/repeat-jobs'
import { useRequestsStore } from '../../renderer/src/stores/requests'
import { useTemplatesStore } from '../../renderer/src/stores/templates'
import { usePublishHistoryStore } from '../../renderer/src/stores/publish-history'

function job(jobId: string, extra: Partial<RepeatJob> = {}): RepeatJob {
  return {
    jobId, connectionId: 'c1', topic: 't', qos: 1, pace: { kind: 'max' }, until: { kind: 'stopped' },
    state: 'running', sent: 0, acknowledged: 0, failed: 0, ratePerSecond: 0, startedAt: 1, ...extra,
  }
}

function request(requestId: string, extra: Partial<RequestState> = {}): RequestState {
  return { requestId, connectionId: 'c1', topic: 't', responseTopic: 't/reply', correlationData: 'ab', sentAt: 1, timeoutMs: 1000, state: 'waiting', replies: [], ...extra }
}

const flush = () => new Promise((r) => setTimeout(r, 0))
let channel: FakeChannel
let listed: RepeatJob[]
let requestsListed: RequestState[]

beforeEach(() => {
  listed = [job('a', { sent: 5 }), job('other', { connectionId: 'c2' })]
  requestsListed = [request('r1')]
  channel = installFakeApi({
    'repeat.list': () => listed,
    'repeat.stop': (p) => ({ ...listed.find((j) => j.jobId === (p as { jobId: string }).jobId)!, state: 'stopped', endedAt: 9 }),
    'request.list': () => requestsListed,
    'templates.list': () => [] as PublishTemplate[],
  })
})

describe('the repeat-jobs store', () => {
  it('lists the jobs still running on the main side when it starts (a reloaded window), per connection', async () => {
    const store = useRepeatJobsStore()
    await flush()
    expect(store.jobsOf('c1').map((j) => [j.jobId, j.sent])).toEqual([['a', 5]])
    expect(store.jobsOf('c2').map((j) => j.jobId)).toEqual(['other'])
  })

  it('follows progress, and a late running event never revives a stopped job', async () => {
    const store = useRepeatJobsStore()
    await flush()
    channel.push({ t: 'evt', name: 'repeat.progress', payload: job('a', { sent: 40, acknowledged: 39 }) })
    expect(store.jobsOf('c1')[0]).toMatchObject({ sent: 40, acknowledged: 39 })
    await store.stop('a')
    channel.push({ t: 'evt', name: 'repeat.progress', payload: job('a', { sent: 41 }) })
    expect(store.jobsOf('c1')[0]).toMatchObject({ state: 'stopped' })
  })

  it('drops running jobs a restarted backend no longer knows, keeps ended ones and hides dismissed ones', async () => {
    const store = useRepeatJobsStore()
    await flush()
    channel.push({ t: 'evt', name: 'repeat.progress', payload: job('done', { state: 'done', endedAt: 5 }) })
    listed = []
    channel.reconnect()
    await flush()
    expect(store.jobsOf('c1').map((j) => j.jobId)).toEqual(['done'])
    store.dismiss('done')
    channel.push({ t: 'evt', name: 'repeat.progress', payload: job('done', { state: 'done', endedAt: 5 }) })
    expect(store.jobsOf('c1')).toEqual([])
  })
})

describe('the repeat-jobs store over a long session', () => {
  it('keeps every running job but only the newest ended ones', async () => {
    const store = useRepeatJobsStore()
    await flush()
    for (let i = 0; i < MAX_ENDED + 10; i++) channel.push({ t: 'evt', name: 'repeat.progress', payload: job(`e${i}`, { state: 'done', endedAt: 100 + i }) })
    const ids = store.jobsOf('c1').map((j) => j.jobId)
    expect(ids[0]).toBe('a')
    expect(ids).toHaveLength(MAX_ENDED + 1)
    expect(ids[1]).toBe(`e${MAX_ENDED + 9}`)
    expect(ids).not.toContain('e9')
    expect(ids).toContain('e10')
  })
})

describe('the requests store', () => {
  it('keeps the furthest state when events and answers cross', async () => {
    const store = useRequestsStore()
    await flush()
    const reply = { topic: 't/reply', receivedAt: 2, rttMs: 1, bytes: 1, preview: 'x', ref: { path: 't/reply', time: 2 }, userProperties: [] }
    channel.push({ t: 'evt', name: 'request.progress', payload: request('r1', { state: 'answered', replies: [reply] }) })
    channel.push({ t: 'evt', name: 'request.progress', payload: request('r1', { state: 'waiting' }) })
    expect(store.requestsOf('c1')[0]).toMatchObject({ state: 'answered', replies: [reply] })
    channel.push({ t: 'evt', name: 'request.progress', payload: request('r1', { state: 'closed', replies: [reply] }) })
    channel.push({ t: 'evt', name: 'request.progress', payload: request('r1', { state: 'answered', replies: [reply] }) })
    expect(store.requestsOf('c1')[0]!.state).toBe('closed')
  })
})

describe('templates and history', () => {
  it('take every templates.changed and publish.historyChanged, and say why a load failed', async () => {
    const templates = useTemplatesStore()
    const history = usePublishHistoryStore()
    await flush()
    expect(templates.loaded).toBe(true)
    expect(history.loadError).toBe('Not built yet')
    const t: PublishTemplate = { id: 't1', name: 'A', profileId: null, message: { topic: 'x', payload: { format: 'text', body: '', gzip: false, placeholders: true }, qos: 0, retain: false, properties: { userProperties: [] } }, counter: 0, createdAt: 0, updatedAt: 0 }
    channel.push({ t: 'evt', name: 'templates.changed', payload: [t] })
    expect(templates.templates).toEqual([t])
    channel.push({ t: 'evt', name: 'publish.historyChanged', payload: [] })
    expect(history.loaded).toBe(true)
  })

  it('leave a load cut short by a dropped backend link to the app banner, and load again once the link is back', async () => {
    let lost = true
    channel = installFakeApi({
      'publish.history': () => (lost ? new Refusal({ code: 'TRANSPORT_CLOSED', message: 'Lost contact with the app backend before it answered' }) : []),
      'templates.list': () => new Refusal({ code: 'INTERNAL', message: 'Templates are broken' }),
    })
    const history = usePublishHistoryStore()
    const templates = useTemplatesStore()
    await flush()
    expect(history.loadError).toBeNull()
    expect(history.loaded).toBe(false)
    expect(templates.loadError).toBe('Templates are broken')
    lost = false
    channel.reconnect()
    await flush()
    expect(history.loaded).toBe(true)
    expect(history.loadError).toBeNull()
  })

  it('refuses to publish again an entry whose body was not kept, without calling the main side', async () => {
    const history = usePublishHistoryStore()
    await flush()
    const entry = { id: 'h', profileId: 'p', profileName: 'P', message: { topic: 'x', payload: { format: 'text' as const, body: '', gzip: false, placeholders: true }, qos: 0 as const, retain: false, properties: { userProperties: [] } }, bodyDropped: { bytes: 300_000 }, outcome: { topic: 'x', bytes: 300_000, qos: 0 as const, retain: false, publishedAt: 1, ack: null, warnings: [] } }
    await expect(history.republish('c1', entry)).rejects.toThrow('too large to keep')
    expect(channel.calls).not.toContain('publish.send')
  })
})
