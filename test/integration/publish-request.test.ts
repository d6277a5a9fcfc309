/**
 * Request/response (MQTT 5) against a real mosquitto over TLS, answered by a responder we did not
 * write: `mosquitto_sub` piped into `mosquitto_pub` in a shell, echoing the correlation data to
 * the response topic. Replies are matched by correlation data and only those, with a round-trip
 * time; no reply is a timeout; cancel and a dropped connection end a request with a clear state;
 * the profile's own subscriptions are never disturbed; on MQTT 3.1.1 the request travels in the
 * JSON envelope (the Sandbox's convention).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RequestState } from '../../electron/api'
import { rejectsWith } from './connections-helpers'
import { eventsOf, message, peerTls, startPeer, startPublishWorld, subscribed, waitUntil, type PeerProcess, type PublishWorld } from './publish-helpers'

let world: PublishWorld
let id: string
let responder: PeerProcess

beforeAll(async () => {
  world = await startPublishWorld()
  id = await world.connect('rpc v5', { subscriptions: [{ filter: 'lab/own/#', qos: 1 }] })
  const tls = peerTls(world).join(' ')
  // Answers every request on rpc/echo with "re:<payload>", on its response topic, with its correlation data.
  responder = startPeer('bash', ['-c', `mosquitto_sub -V 5 ${tls} -i shell-responder -t rpc/echo -F '%R %D %p' | while read -r rt cd p; do mosquitto_pub -V 5 ${tls} -t "$rt" -D publish correlation-data "$cd" -D publish content-type text/plain -m "re:$p"; done`])
  await subscribed(world, 'shell-responder')
}, 60_000)

afterAll(async () => {
  responder?.stop()
  await world?.close()
})

function ended(requestId: string, timeoutMs = 15_000): Promise<RequestState> {
  return waitUntil(`request ${requestId} to end`, () => eventsOf(world, 'request.progress').find((r) => r.requestId === requestId && r.state !== 'waiting' && r.state !== 'answered'), timeoutMs)
}

describe('request/response', () => {
  it('matches the shell responder\'s reply by correlation data, with its round-trip time', async () => {
    const sent = await world.call('request.send', {
      connectionId: id,
      message: message({ topic: 'rpc/echo', payload: { format: 'text', body: 'ping' }, qos: 1, properties: { responseTopic: 'lab/replies/a', correlationData: { encoding: 'utf8', value: 'req-1' } } }),
      timeoutMs: 1500,
    })
    expect(sent).toMatchObject({ topic: 'rpc/echo', responseTopic: 'lab/replies/a', correlationData: Buffer.from('req-1').toString('hex') })
    const answered = await waitUntil('a reply', () => eventsOf(world, 'request.progress').find((r) => r.requestId === sent.requestId && r.replies.length > 0))
    expect(answered.state).toBe('answered')
    const [reply] = answered.replies
    expect(reply).toMatchObject({ topic: 'lab/replies/a', preview: 're:ping', bytes: 7, contentType: 'text/plain' })
    expect(reply.rttMs).toBeGreaterThanOrEqual(0)
    expect(reply.rttMs).toBeLessThan(5000)
    expect(reply.ref.path).toBe('lab/replies/a')
    const end = await ended(sent.requestId)
    expect(end.state).toBe('closed')
    expect(end.replies).toHaveLength(1)
  })

  it('keeps concurrent requests on one response topic apart, and ignores replies without their correlation data', async () => {
    const ask = (corr: string, body: string) =>
      world.call('request.send', {
        connectionId: id,
        message: message({ topic: 'rpc/echo', payload: { format: 'text', body }, qos: 1, properties: { responseTopic: 'lab/replies/shared', correlationData: { encoding: 'utf8', value: corr } } }),
        timeoutMs: 2000,
      })
    const [a, b] = await Promise.all([ask('corr-a', 'one'), ask('corr-b', 'two')])
    // A stranger's message on the response topic: no correlation data, so no reply of ours.
    await world.call('publish.send', { connectionId: id, message: message({ topic: 'lab/replies/shared', payload: { format: 'text', body: 'noise' }, qos: 1 }) })
    await world.call('publish.send', { connectionId: id, message: message({ topic: 'lab/replies/shared', payload: { format: 'text', body: 'wrong' }, qos: 1, properties: { correlationData: { encoding: 'utf8', value: 'corr-z' } } }) })
    const [endA, endB] = await Promise.all([ended(a.requestId), ended(b.requestId)])
    expect(endA.replies.map((r) => r.preview)).toEqual(['re:one'])
    expect(endB.replies.map((r) => r.preview)).toEqual(['re:two'])
  })

  it('generates correlation data when none is set', async () => {
    const sent = await world.call('request.send', { connectionId: id, message: message({ topic: 'rpc/echo', payload: { format: 'text', body: 'gen' }, properties: { responseTopic: 'lab/replies/gen' } }), timeoutMs: 1000 })
    expect(sent.correlationData).toMatch(/^[0-9a-f]{32}$/)
    // Random bytes are no shell word: the responder may echo them mangled, so only the shape is checked here.
    await ended(sent.requestId)
  })

  it('times out when nobody answers, and can be cancelled', async () => {
    const lonely = await world.call('request.send', { connectionId: id, message: message({ topic: 'rpc/nobody', payload: { format: 'text', body: 'x' }, properties: { responseTopic: 'lab/replies/none' } }), timeoutMs: 300 })
    expect((await ended(lonely.requestId)).state).toBe('timedOut')
    const waiting = await world.call('request.send', { connectionId: id, message: message({ topic: 'rpc/nobody', payload: { format: 'text', body: 'x' }, properties: { responseTopic: 'lab/replies/none' } }), timeoutMs: 60_000 })
    expect((await world.call('request.cancel', { requestId: waiting.requestId })).state).toBe('cancelled')
    expect((await world.call('request.list')).find((r) => r.requestId === waiting.requestId)?.state).toBe('cancelled')
    await rejectsWith(world.call('request.cancel', { requestId: 'nope' }), 'PUBLISH_NOT_FOUND')
  })

  it('leaves a subscription of the profile that covers the response topic in place', async () => {
    const sent = await world.call('request.send', { connectionId: id, message: message({ topic: 'rpc/echo', payload: { format: 'text', body: 'own' }, properties: { responseTopic: 'lab/own/replies', correlationData: { encoding: 'utf8', value: 'own-1' } } }), timeoutMs: 800 })
    const end = await ended(sent.requestId)
    expect(end.replies.map((r) => r.preview)).toEqual(['re:own'])
    const state = (await world.call('connections.list')).find((s) => s.connectionId === id)!
    expect(state.subscriptions.map((s) => s.filter)).toEqual(['lab/own/#'])
    // Still subscribed on the broker: a later message on that topic reaches the tree.
    const before = state.messageCount
    await world.call('publish.send', { connectionId: id, message: message({ topic: 'lab/own/later', payload: { format: 'text', body: 'still here' }, qos: 1 }) })
    await waitUntil('the profile to still receive lab/own/#', async () => ((await world.call('connections.list')).find((s) => s.connectionId === id)!.messageCount ?? 0) > before)
  })

  it('unsubscribes a response topic it subscribed to itself once the last request ends', async () => {
    const sent = await world.call('request.send', { connectionId: id, message: message({ topic: 'rpc/nobody', payload: { format: 'text', body: 'x' }, properties: { responseTopic: 'lab/replies/temp' } }), timeoutMs: 200 })
    await ended(sent.requestId)
    await waitUntil('the UNSUBSCRIBE in the broker log', async () => /Received UNSUBSCRIBE from mqtts-explorer[\s\S]*lab\/replies\/temp/.test(await world.broker.log()) || undefined)
    const state = (await world.call('connections.list')).find((s) => s.connectionId === id)!
    expect(state.subscriptions.map((s) => s.filter)).toEqual(['lab/own/#'])
  })

  it('refuses a request without a response topic', async () => {
    await rejectsWith(world.call('request.send', { connectionId: id, message: message({ topic: 'rpc/echo', payload: { format: 'text', body: 'x' } }) }), 'BAD_REQUEST')
  })

  it('carries response topic and correlation data in the JSON envelope on MQTT 3.1.1', async () => {
    const old = await world.connect('rpc 3.1.1', { protocolVersion: 4 })
    const sub = startPeer('mosquitto_sub', [...peerTls(world), '-V', '5', '-i', 'peer-envelope', '-t', 'rpc/old', '-C', '1', '-F', '%p|%R|%D'])
    try {
      await subscribed(world, 'peer-envelope')
      const sent = await world.call('request.send', { connectionId: old, message: message({ topic: 'rpc/old', payload: { format: 'text', body: 'hi' }, properties: { responseTopic: 'lab/replies/old', correlationData: { encoding: 'utf8', value: 'env-1' } } }), timeoutMs: 2000 })
      const [payload, responseTopic, correlation] = (await sub.exited()).trim().split('|')
      expect(JSON.parse(payload)).toEqual({ responseTopic: 'lab/replies/old', correlationData: Buffer.from('env-1').toString('hex'), body: 'hi' })
      expect([responseTopic, correlation]).toEqual(['', ''])
      // A reply names the correlation in its JSON; another one is ignored.
      const hex = Buffer.from('env-1').toString('hex')
      await world.call('publish.send', { connectionId: old, message: message({ topic: 'lab/replies/old', payload: { format: 'json', body: '{"correlationData":"ffff","result":"no"}' }, qos: 1 }) })
      await world.call('publish.send', { connectionId: old, message: message({ topic: 'lab/replies/old', payload: { format: 'json', body: `{"correlationData":"${hex}","result":"yes"}` }, qos: 1 }) })
      const end = await ended(sent.requestId)
      expect(end.state).toBe('closed')
      expect(end.replies.map((r) => JSON.parse(r.preview).result)).toEqual(['yes'])
    } finally {
      sub.stop()
    }
  })

  it('fails open requests when the connection drops', async () => {
    const sent = await world.call('request.send', { connectionId: id, message: message({ topic: 'rpc/nobody', payload: { format: 'text', body: 'x' }, properties: { responseTopic: 'lab/replies/drop' } }), timeoutMs: 60_000 })
    await world.broker.kill()
    try {
      const end = await ended(sent.requestId)
      expect(end.state).toBe('failed')
      expect(end.error?.code).toBe('CONNECTION_LOST')
    } finally {
      await world.broker.start()
    }
  })
})
