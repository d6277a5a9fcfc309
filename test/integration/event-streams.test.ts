/**
 * Event streams through the real backend (issue 9, item 8): two retained deletions on one
 * connection, against mosquitto, each end with their own final event on the browser-mode socket,
 * so neither job is left "running" in the UI.
 */
import mqtt, { type MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type EventFrame, type Profile, type TreeDeleteProgress } from '../../electron/api'
import { startMosquitto, type MosquittoBroker } from '../fixtures/mosquitto'
import { openRpcSocket } from '../fixtures/rpc-socket'
import { startWebApp, type WebApp } from '../fixtures/web-app'
import { waitUntil } from '../fixtures/wait-for-line'

/** Polls until `check` gives a value (30 s by default: these suites share the machine with real brokers). */
const until = <T>(what: string, check: () => T | undefined | Promise<T | undefined>, timeoutMs = 30_000) => waitUntil(what, check, timeoutMs)

let broker: MosquittoBroker
let app: WebApp
let publisher: MqttClient
beforeAll(async () => {
  broker = await startMosquitto({ listeners: [{}] })
  app = await startWebApp()
  publisher = await mqtt.connectAsync({ host: '127.0.0.1', port: broker.port, protocolVersion: 5, clientId: 'event-streams-publisher', reconnectPeriod: 0 })
}, 60_000)
afterAll(async () => {
  await publisher?.endAsync()
  await app?.stop()
  await broker?.stop()
})

describe('event streams over the browser-mode WebSocket', () => {
  it('delivers the final "done" of both of two retained deletions started together on one connection', async () => {
    const client = await openRpcSocket(app)
    const profile = await client.result<Profile>('profiles.create', {
      spec: { name: 'two jobs', scheme: 'mqtt', host: '127.0.0.1', port: broker.port, reconnect: { enabled: false }, subscriptions: [{ filter: 'jobs/#', qos: 1, retainAsPublished: true }] },
    })
    await client.result('connections.connect', { profileId: profile.id })
    for (const branch of ['a', 'b']) {
      for (let i = 0; i < 40; i++) await publisher.publishAsync(`jobs/${branch}/t${i}`, 'v', { qos: 1, retain: true })
    }
    const count = (path: string) => client.result<{ count: number }>('tree.retained.count', { connectionId: profile.id, path, subtree: true })
    await until('both branches in the tree', async () => ((await count('jobs/a')).count === 40 && (await count('jobs/b')).count === 40 ? true : undefined))

    const [a, b] = await Promise.all([
      client.result<TreeDeleteProgress>('tree.retained.delete', { connectionId: profile.id, path: 'jobs/a', subtree: true }),
      client.result<TreeDeleteProgress>('tree.retained.delete', { connectionId: profile.id, path: 'jobs/b', subtree: true }),
    ])
    const lastOf = (jobId: string) =>
      client.events
        .filter((e): e is EventFrame<'tree.deleteProgress'> => e.name === 'tree.deleteProgress')
        .filter((e) => e.payload.jobId === jobId)
        .at(-1)?.payload
    const finals = await until('a final event of each job', () => {
      const [la, lb] = [lastOf(a.jobId), lastOf(b.jobId)]
      return la && lb && la.state !== 'running' && lb.state !== 'running' ? [la, lb] : undefined
    })
    expect(finals.map((p) => [p.path, p.state, p.done])).toEqual([['jobs/a', 'done', 40], ['jobs/b', 'done', 40]])
    await client.result('connections.disconnect', { connectionId: profile.id })
    client.ws.close()
  }, 60_000)
})
