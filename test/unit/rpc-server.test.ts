import { afterEach, describe, expect, it, vi } from 'vitest'
import type { EventFrame, MessageBatchEvent, ServerFrame, ServiceHandlers, TreeDeleteProgress } from '../../electron/api'
import { ApiError, EVENT_NAMES, EVENT_STREAMS, MAX_MESSAGES_PER_BATCH } from '../../electron/api'
import { createRpcServer, type RpcPeer } from '../../electron/rpc/server'

/** Only the handlers a test needs; the rest fail loudly if called. */
function handlers(overrides: Partial<ServiceHandlers>): ServiceHandlers {
  return new Proxy(overrides as ServiceHandlers, {
    get: (target, name: string) => target[name as keyof ServiceHandlers] ?? (() => Promise.reject(new Error(`unexpected call ${name}`))),
  })
}

function recordingPeer(): RpcPeer & { frames: ServerFrame[] } {
  const frames: ServerFrame[] = []
  return { label: 'test', frames, send: (f) => frames.push(f) }
}

function batch(connectionId: string, topics: string[], total: number): MessageBatchEvent {
  return {
    connectionId,
    messages: topics.map((topic) => ({ topic, qos: 0, retain: false, size: 1, time: 0, preview: 'x' })),
    count: topics.length,
    total,
    totalBytes: total,
  }
}

afterEach(() => vi.useRealTimers())

describe('RPC server', () => {
  it('rejects a method the contract does not name', async () => {
    const server = createRpcServer(handlers({}))
    const res = await server.handle({ t: 'req', id: 1, method: 'fs.readFile', params: {} })
    expect(res).toMatchObject({ id: 1, ok: false, error: { code: 'UNKNOWN_METHOD' } })
  })

  it('validates params against the contract before the service sees them', async () => {
    const create = vi.fn()
    const server = createRpcServer(handlers({ 'profiles.create': create }))
    const res = await server.handle({ t: 'req', id: 2, method: 'profiles.create', params: { spec: { name: '', host: 'h', port: 70000 } } })
    expect(res).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } })
    if (!res.ok) expect(res.error.message).toMatch(/spec\.(name|port)/)
    expect(create).not.toHaveBeenCalled()
  })

  it('fills contract defaults so the service receives complete values', async () => {
    const create = vi.fn(async ({ spec }) => ({ ...spec, id: 'p1', createdAt: '', updatedAt: '' }))
    const server = createRpcServer(handlers({ 'profiles.create': create }))
    const res = await server.handle({ t: 'req', id: 3, method: 'profiles.create', params: { spec: { name: 'A', host: 'h', port: 8883 } } })
    expect(res.ok).toBe(true)
    const spec = create.mock.calls[0][0].spec
    expect(spec).toMatchObject({ scheme: 'mqtts', protocolVersion: 5, keepalive: 60, tls: { verify: true, ca: [] } })
    expect(spec.subscriptions).toEqual([
      { filter: '#', qos: 0, noLocal: false, retainAsPublished: true, retainHandling: 0 },
      { filter: '$SYS/#', qos: 0, noLocal: false, retainAsPublished: true, retainHandling: 0 },
    ])
  })

  it('carries ApiErrors as code and sentence, and hides other errors behind INTERNAL', async () => {
    const server = createRpcServer(handlers({
      'profiles.duplicate': async () => { throw new ApiError('NOT_FOUND', 'No such profile.') },
      'profiles.delete': async () => { throw new TypeError('boom') },
    }))
    expect(await server.handle({ t: 'req', id: 4, method: 'profiles.duplicate', params: { id: 'x' } }))
      .toEqual({ t: 'res', id: 4, ok: false, error: { code: 'NOT_FOUND', message: 'No such profile.' } })
    const res = await server.handle({ t: 'req', id: 5, method: 'profiles.delete', params: { id: 'x' } })
    expect(res).toMatchObject({ ok: false, error: { code: 'INTERNAL' } })
    expect(JSON.stringify(res)).not.toContain('at ')
  })

  it('tells the service which attached peer is calling', async () => {
    const list = vi.fn(async (_p: unknown, ctx: { peerId: string }) => [ctx.peerId] as never)
    const server = createRpcServer(handlers({ 'profiles.list': list }))
    const a = recordingPeer()
    const b = recordingPeer()
    server.attach(a)
    server.attach(b)
    const ra = await server.handle({ t: 'req', id: 1, method: 'profiles.list' }, a)
    const rb = await server.handle({ t: 'req', id: 2, method: 'profiles.list' }, b)
    expect(ra.ok && rb.ok && ra.result).not.toEqual(rb.ok && rb.result)
  })

  it('sends a per-peer event only to that peer and reports detached peers', () => {
    const server = createRpcServer(handlers({}))
    const a = recordingPeer()
    const b = recordingPeer()
    const detached: string[] = []
    server.onPeerDetached((id) => detached.push(id))
    server.attach(a)
    const detachB = server.attach(b)
    server.emitTo('peer-2', 'profiles.changed', [])
    expect(a.frames).toHaveLength(0)
    expect(b.frames).toHaveLength(1)
    detachB()
    expect(detached).toEqual(['peer-2'])
  })
})

describe('event coalescing', () => {
  it('sends at most one event per stream per window, keeping the latest state', () => {
    vi.useFakeTimers()
    const server = createRpcServer(handlers({}), { eventIntervalMs: 50 })
    const peer = recordingPeer()
    server.attach(peer)
    for (let i = 0; i < 100; i++) server.emit('profiles.changed', [{ name: `v${i}` }] as never)
    vi.advanceTimersByTime(60)
    expect(peer.frames).toHaveLength(1)
    expect((peer.frames[0] as EventFrame<'profiles.changed'>).payload[0].name).toBe('v99')
  })

  it('merges message batches so that no message goes uncounted', () => {
    vi.useFakeTimers()
    const server = createRpcServer(handlers({}), { eventIntervalMs: 50 })
    const peer = recordingPeer()
    server.attach(peer)
    let total = 0
    for (let i = 0; i < 1000; i++) {
      total += 3
      server.emit('messages.batch', batch('c1', ['a', 'b', `n${i}`], total))
    }
    server.emit('messages.batch', batch('c2', ['z'], 1))
    vi.advanceTimersByTime(60)
    const frames = peer.frames as EventFrame<'messages.batch'>[]
    expect(frames.map((f) => f.payload.connectionId).sort()).toEqual(['c1', 'c2'])
    const c1 = frames.find((f) => f.payload.connectionId === 'c1')!.payload
    expect(c1.count).toBe(3000)
    expect(c1.total).toBe(3000)
    expect(c1.messages).toHaveLength(MAX_MESSAGES_PER_BATCH)
    expect(c1.messages.at(-1)!.topic).toBe('n999')
  })
})

describe('event streams declared in the contract', () => {
  const job = (jobId: string, state: TreeDeleteProgress['state'], done: number): TreeDeleteProgress => ({ connectionId: 'c1', jobId, path: jobId, state, done, total: 10 })

  it('delivers the final "done" of two interleaved deletions on one connection', () => {
    vi.useFakeTimers()
    const server = createRpcServer(handlers({}), { eventIntervalMs: 50 })
    const peer = recordingPeer()
    server.attach(peer)
    server.emit('tree.deleteProgress', job('A', 'running', 5))
    server.emit('tree.deleteProgress', job('B', 'running', 1))
    server.emit('tree.deleteProgress', job('A', 'done', 10))
    server.emit('tree.deleteProgress', job('B', 'running', 4))
    vi.advanceTimersByTime(60)
    server.emit('tree.deleteProgress', job('B', 'done', 10))
    vi.advanceTimersByTime(60)
    const last = new Map((peer.frames as EventFrame<'tree.deleteProgress'>[]).map((f) => [f.payload.jobId, f.payload.state]))
    expect(Object.fromEntries(last)).toEqual({ A: 'done', B: 'done' })
  })

  it('keeps each probe’s progress apart', () => {
    vi.useFakeTimers()
    const server = createRpcServer(handlers({}), { eventIntervalMs: 50 })
    const peer = recordingPeer()
    server.attach(peer)
    server.emit('tls.probeProgress', { probeId: 'p1', step: 'chain', fraction: 1, message: 'Done' })
    server.emit('tls.probeProgress', { probeId: 'p2', step: 'connect', fraction: 0.2, message: 'Connecting' })
    vi.advanceTimersByTime(60)
    expect((peer.frames as EventFrame<'tls.probeProgress'>[]).map((f) => [f.payload.probeId, f.payload.fraction])).toEqual([['p1', 1], ['p2', 0.2]])
  })

  it('never lets a later event of the same stream replace its final one', () => {
    vi.useFakeTimers()
    const server = createRpcServer(handlers({}), { eventIntervalMs: 50 })
    const peer = recordingPeer()
    server.attach(peer)
    server.emit('tree.deleteProgress', job('A', 'cancelled', 3))
    server.emit('tree.deleteProgress', job('A', 'running', 4))
    vi.advanceTimersByTime(60)
    server.emit('tree.deleteProgress', job('A', 'running', 5))
    vi.advanceTimersByTime(60)
    expect((peer.frames as EventFrame<'tree.deleteProgress'>[]).map((f) => f.payload.state)).toEqual(['cancelled'])
  })

  it('names a stream key for every event of the contract', () => {
    expect(Object.keys(EVENT_STREAMS).sort()).toEqual([...EVENT_NAMES].sort())
  })
})

describe('event coalescing under a flood', () => {
  it('flushes inline when timers are starved, without waiting for the timer', () => {
    vi.useFakeTimers()
    const server = createRpcServer(handlers({}), { eventIntervalMs: 50 })
    const peer = recordingPeer()
    server.attach(peer)
    server.emit('messages.batch', batch('c1', ['a'], 1))
    // The timer never gets to run: only the clock moves, as when the event loop is saturated.
    vi.setSystemTime(Date.now() + 120)
    server.emit('messages.batch', batch('c1', ['b'], 2))
    expect(peer.frames).toHaveLength(1)
    expect((peer.frames[0] as EventFrame<'messages.batch'>).payload.count).toBe(2)
  })
})
