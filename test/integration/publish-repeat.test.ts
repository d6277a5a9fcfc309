/**
 * Repeat jobs against a real mosquitto over TLS: 10,000 at QoS 1 all acknowledged and all
 * received by a subscriber; a topic pattern rendered per message; Stop stops at once with exact
 * counts; the broker killed mid-run ends the job `failed` with a clear error and an exact count
 * of what was acknowledged; progress events are coalesced and the terminal state comes last;
 * too many jobs at once are refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RepeatJob } from '../../electron/api'
import { rejectsWith } from './connections-helpers'
import { countingSubscriber, eventsOf, message, startPublishWorld, waitUntil, type PublishWorld } from './publish-helpers'

let world: PublishWorld
let id: string

beforeAll(async () => {
  world = await startPublishWorld()
  id = await world.connect('repeat v5')
}, 60_000)

afterAll(async () => {
  await world?.close()
})

function finished(jobId: string, timeoutMs = 60_000): Promise<RepeatJob> {
  return waitUntil(`job ${jobId} to end`, () => eventsOf(world, 'repeat.progress').find((j) => j.jobId === jobId && j.state !== 'running'), timeoutMs)
}

describe('repeat jobs', () => {
  it('publishes 10,000 at QoS 1 as fast as allowed: all acknowledged, all received', async () => {
    const sub = await countingSubscriber(world, 'lab/rep/many')
    try {
      const job = await world.call('repeat.start', { connectionId: id, message: message({ topic: 'lab/rep/many', payload: { format: 'text', body: 'm' }, qos: 1 }), pace: { kind: 'max' }, until: { kind: 'count', count: 10_000 } })
      expect(job.state).toBe('running')
      const end = await finished(job.jobId)
      expect(end).toMatchObject({ state: 'done', sent: 10_000, acknowledged: 10_000, failed: 0 })
      await waitUntil('the subscriber to receive all 10,000', () => sub.count('lab/rep/many') >= 10_000, 30_000)
      expect(sub.count('lab/rep/many')).toBe(10_000)
      const progress = eventsOf(world, 'repeat.progress').filter((j) => j.jobId === job.jobId)
      expect(progress.at(-1)!.state).toBe('done')
      // Coalesced: a handful of reports, not one per message.
      expect(progress.length).toBeLessThan(1000)
      expect(progress.filter((j) => j.state !== 'running')).toHaveLength(1)
    } finally {
      await sub.end()
    }
  }, 90_000)

  it('renders a topic pattern per message with the job\'s counter, at an interval', async () => {
    const sub = await countingSubscriber(world, 'dev/+/cmd')
    try {
      const job = await world.call('repeat.start', { connectionId: id, message: message({ topic: 'dev/{{counter}}/cmd', payload: { format: 'json', body: '{"n":{{counter}}}' }, qos: 1 }), pace: { kind: 'interval', ms: 20 }, until: { kind: 'count', count: 5 } })
      const end = await finished(job.jobId)
      expect(end).toMatchObject({ state: 'done', sent: 5, acknowledged: 5 })
      expect(end.endedAt! - end.startedAt).toBeGreaterThanOrEqual(4 * 20 - 5)
      await waitUntil('five topics', () => sub.topics.length >= 5)
      expect(sub.topics).toEqual(['dev/1/cmd', 'dev/2/cmd', 'dev/3/cmd', 'dev/4/cmd', 'dev/5/cmd'])
    } finally {
      await sub.end()
    }
  })

  it('stops at once on Stop, with exact counts', async () => {
    const sub = await countingSubscriber(world, 'lab/rep/stop')
    try {
      const job = await world.call('repeat.start', { connectionId: id, message: message({ topic: 'lab/rep/stop', payload: { format: 'text', body: 's' }, qos: 1 }), pace: { kind: 'rate', perSecond: 500 }, until: { kind: 'stopped' } })
      await waitUntil('some messages sent', async () => ((await world.call('repeat.list')).find((j) => j.jobId === job.jobId)?.sent ?? 0) >= 50)
      const stopped = await world.call('repeat.stop', { jobId: job.jobId })
      expect(stopped.state).toBe('stopped')
      expect(stopped.acknowledged + stopped.failed).toBe(stopped.sent)
      await new Promise((r) => setTimeout(r, 300))
      const later = (await world.call('repeat.list')).find((j) => j.jobId === job.jobId)!
      expect(later.sent).toBe(stopped.sent)
      await waitUntil('the subscriber to receive what was sent', () => sub.count() >= stopped.acknowledged)
      expect(sub.count()).toBe(stopped.sent)
      const terminal = eventsOf(world, 'repeat.progress').filter((j) => j.jobId === job.jobId).at(-1)!
      expect(terminal).toMatchObject({ state: 'stopped', sent: stopped.sent })
    } finally {
      await sub.end()
    }
  })

  it('ends `failed` with a clear error and exact counts when the broker dies mid-run', async () => {
    const job = await world.call('repeat.start', { connectionId: id, message: message({ topic: 'lab/rep/kill', payload: { format: 'text', body: 'k' }, qos: 1 }), pace: { kind: 'max' }, until: { kind: 'count', count: 10_000_000 } })
    await waitUntil('a few thousand acknowledged', async () => ((await world.call('repeat.list')).find((j) => j.jobId === job.jobId)?.acknowledged ?? 0) >= 3000)
    await world.broker.kill()
    try {
      const end = await finished(job.jobId, 20_000)
      expect(end.state).toBe('failed')
      expect(end.error?.code).toBe('CONNECTION_LOST')
      expect(end.error?.message).toMatch(/connection dropped/i)
      expect(end.error?.message).toContain(`${end.acknowledged.toLocaleString('en-US')} of ${end.sent.toLocaleString('en-US')} sent messages were acknowledged`)
      expect(end.acknowledged).toBeGreaterThanOrEqual(3000)
      expect(end.acknowledged + end.failed).toBe(end.sent)
      await new Promise((r) => setTimeout(r, 200))
      expect((await world.call('repeat.list')).find((j) => j.jobId === job.jobId)).toMatchObject({ state: 'failed', sent: end.sent, acknowledged: end.acknowledged })
    } finally {
      await world.broker.start()
      await world.call('connections.connect', { profileId: id })
    }
  }, 60_000)

  it('refuses bad input before anything runs, and too many jobs at once', async () => {
    await rejectsWith(world.call('repeat.start', { connectionId: id, message: message({ topic: 'lab/+', payload: { format: 'text', body: 'x' } }), pace: { kind: 'max' }, until: { kind: 'count', count: 1 } }), 'PUBLISH_BAD_TOPIC')
    const started: string[] = []
    try {
      for (let i = 0; i < 8; i++) {
        started.push((await world.call('repeat.start', { connectionId: id, message: message({ topic: `lab/rep/slow/${i}`, payload: { format: 'text', body: 'x' } }), pace: { kind: 'interval', ms: 1000 }, until: { kind: 'stopped' } })).jobId)
      }
      await rejectsWith(world.call('repeat.start', { connectionId: id, message: message({ topic: 'lab/rep/slow/9', payload: { format: 'text', body: 'x' } }), pace: { kind: 'max' }, until: { kind: 'count', count: 1 } }), 'PUBLISH_LIMIT')
    } finally {
      for (const jobId of started) await world.call('repeat.stop', { jobId })
    }
    await rejectsWith(world.call('repeat.stop', { jobId: 'no-such-job' }), 'PUBLISH_NOT_FOUND')
  })
})
