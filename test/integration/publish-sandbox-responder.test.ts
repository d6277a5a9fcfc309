/**
 * The Sandbox's demo responder through the whole service: the built-in Sandbox profile (aedes,
 * MQTT 3.1.1, over TLS) sends requests to sandbox/rpc/<method> in the JSON envelope and gets each
 * answer matched by its correlation data, with a round-trip time; the reply also lands in the
 * topic tree as a normal message.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RequestState } from '../../electron/api'
import { SANDBOX_PROFILE_ID } from '../../electron/core/sandbox/sandbox-broker'
import { eventsOf, message, startPublishWorld, waitUntil, type PublishWorld } from './publish-helpers'

let world: PublishWorld

beforeAll(async () => {
  world = await startPublishWorld()
  await world.call('connections.connect', { profileId: SANDBOX_PROFILE_ID })
}, 60_000)

afterAll(async () => {
  await world?.close()
})

function ended(requestId: string): Promise<RequestState> {
  return waitUntil(`request ${requestId} to end`, () => eventsOf(world, 'request.progress').find((r) => r.requestId === requestId && r.state !== 'waiting' && r.state !== 'answered'), 15_000)
}

describe('the Sandbox responder', () => {
  it('answers echo, add and time, each matched by correlation data', async () => {
    const ask = (method: string, body: string) =>
      world.call('request.send', { connectionId: SANDBOX_PROFILE_ID, message: message({ topic: `sandbox/rpc/${method}`, payload: { format: 'text', body }, qos: 1, properties: { responseTopic: `sandbox/replies/${method}` } }), timeoutMs: 1000 })
    const [echo, add, time, nope] = await Promise.all([ask('echo', 'hello sandbox'), ask('add', '{"a": 2, "b": 40}'), ask('time', ''), ask('nope', '')])
    const results = await Promise.all([echo, add, time, nope].map((r) => ended(r.requestId)))
    for (const r of results) expect(r.state, r.topic).toBe('closed')
    const replies = results.map((r) => JSON.parse(r.replies[0].preview) as { correlationData: string; result?: unknown; error?: string })
    expect(replies[0]).toMatchObject({ correlationData: echo.correlationData, result: 'hello sandbox' })
    expect(replies[1]).toMatchObject({ correlationData: add.correlationData, result: 42 })
    expect((replies[2].result as { epochMs: number }).epochMs).toBeGreaterThan(Date.now() - 60_000)
    expect(replies[3].error).toMatch(/unknown method/)
    expect(results[0].replies[0].rttMs).toBeLessThan(1000)
    // The Sandbox profile subscribes to '#': the reply is in the tree like any message.
    await waitUntil('the reply in the tree', async () => (await world.call('publish.topics', { connectionId: SANDBOX_PROFILE_ID, prefix: 'sandbox/replies/', limit: 10 })).topics.some((t) => t.path === 'sandbox/replies/echo'))
  })
})
