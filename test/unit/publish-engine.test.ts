/**
 * The publish engine's pure parts: which topics one may publish to, MQTT 5 properties as mqtt.js
 * takes them (order and repeated names), the 3.1.1 request envelope and the Sandbox's answers,
 * reply previews, topic completion, and a repeat job's pacing and counts over a fake connection.
 */
import { describe, expect, it } from 'vitest'
import type { IClientPublishOptions } from 'mqtt'
import { ApiError, type PublishAck, type RepeatJob } from '../../electron/api'
import type { PublishChannel } from '../../electron/core/connections/connection-manager'
import type { AckCallback } from '../../electron/core/connections/publish-ack'
import { ackReasonName } from '../../electron/core/connections/publish-ack'
import { filterMatches } from '../../electron/core/connections/topic-filter'
import { correlationBytes, mqttPublishProperties, userPropertiesObject } from '../../electron/core/publish/outgoing-properties'
import { replyPreview } from '../../electron/core/publish/reply-preview'
import { RepeatJobRun } from '../../electron/core/publish/repeat-job'
import { readRequest, replyCorrelation, wrapRequest } from '../../electron/core/publish/request-envelope'
import { publishTopicProblem } from '../../electron/core/publish/topic-rules'
import { answerRequest } from '../../electron/core/sandbox/demo-responder'
import { completeTopics } from '../../electron/core/tree/topic-completion'
import { TopicTree } from '../../electron/core/tree/topic-tree'

describe('publish topics', () => {
  it('refuses wildcards, NUL and empty topics, and keeps empty levels', () => {
    expect(publishTopicProblem('a/+/b')).toMatch(/wildcards/)
    expect(publishTopicProblem('a/#')).toMatch(/wildcards/)
    expect(publishTopicProblem('')).toMatch(/empty/)
    expect(publishTopicProblem('a\u0000b')).toMatch(/NUL/)
    expect(publishTopicProblem('x'.repeat(65_536))).toMatch(/65,535/)
    expect(publishTopicProblem('a//b')).toBeNull()
    expect(publishTopicProblem('/leading')).toBeNull()
  })

  it('matches filters as MQTT does', () => {
    expect(filterMatches('a/#', 'a')).toBe(true)
    expect(filterMatches('a/+/c', 'a/b/c')).toBe(true)
    expect(filterMatches('a/+', 'a/b/c')).toBe(false)
    expect(filterMatches('#', '$SYS/x')).toBe(false)
    expect(filterMatches('$share/g/a/#', 'a/b')).toBe(true)
  })
})

describe('MQTT 5 properties for mqtt.js', () => {
  it('keeps every value of a repeated name, grouped under its first appearance', () => {
    const object = userPropertiesObject([{ name: 'a', value: '1' }, { name: 'b', value: '2' }, { name: 'a', value: '3' }, { name: 'a', value: '4' }])
    expect(Object.entries(object)).toEqual([['a', ['1', '3', '4']], ['b', '2']])
  })

  it('writes only the properties that are set, correlation data as bytes', () => {
    expect(mqttPublishProperties({ userProperties: [] })).toEqual({})
    const p = mqttPublishProperties({ contentType: 'x', correlationData: { encoding: 'hex', value: '0A ff' }, userProperties: [] })
    expect(p).toEqual({ contentType: 'x', correlationData: Buffer.from([0x0a, 0xff]) })
    expect(correlationBytes({ encoding: 'utf8', value: 'é' })).toEqual(Buffer.from('é'))
    expect(() => correlationBytes({ encoding: 'hex', value: 'abc' })).toThrow(ApiError)
  })

  it('names acknowledgements as the specification does', () => {
    expect(ackReasonName(0)).toBe('Success')
    expect(ackReasonName(0x10)).toBe('No matching subscribers')
    expect(ackReasonName(0x87)).toBe('Not authorized')
    expect(ackReasonName(0x97)).toBe('Quota exceeded')
  })
})

describe('the MQTT 3.1.1 request envelope and the Sandbox responder', () => {
  it('wraps text and binary payloads and reads them back', () => {
    const text = readRequest(wrapRequest(Buffer.from('hi'), 'r/t', 'abcd'))
    expect(text).toEqual({ responseTopic: 'r/t', correlationData: 'abcd', body: 'hi' })
    const binary = readRequest(wrapRequest(Buffer.from([0xff, 0x00]), 'r/t', '01'))
    expect(binary?.bodyBase64).toBe(Buffer.from([0xff, 0x00]).toString('base64'))
    expect(readRequest(Buffer.from('{"responseTopic":"a/#","correlationData":"00"}'))).toBeNull()
    expect(readRequest(Buffer.from('not json'))).toBeNull()
    expect(replyCorrelation(Buffer.from('{"correlationData":"ABCD"}'))).toBe('abcd')
    expect(replyCorrelation(Buffer.from([0x7b, 0xff]))).toBeNull()
  })

  it('answers echo, add, time and unknown methods, and never into its own request topics', () => {
    const ask = (method: string, body: string, responseTopic = 'replies/x') => answerRequest(`sandbox/rpc/${method}`, wrapRequest(Buffer.from(body), responseTopic, 'c0ffee'), 1_700_000_000_000)
    expect(JSON.parse(ask('echo', 'ping')!.payload.toString())).toMatchObject({ correlationData: 'c0ffee', result: 'ping' })
    expect(ask('echo', 'ping')!.topic).toBe('replies/x')
    expect(JSON.parse(ask('add', '{"a":1.5,"b":2}')!.payload.toString()).result).toBe(3.5)
    expect(JSON.parse(ask('add', 'x')!.payload.toString()).error).toMatch(/add wants/)
    expect(JSON.parse(ask('time', '')!.payload.toString()).result.epochMs).toBe(1_700_000_000_000)
    expect(JSON.parse(ask('what', '')!.payload.toString()).error).toMatch(/unknown method/)
    expect(ask('echo', 'loop', 'sandbox/rpc/echo')).toBeNull()
    expect(answerRequest('other/topic', wrapRequest(Buffer.from('x'), 'r', '00'), 0)).toBeNull()
  })

  it('previews replies as text, or hex when binary', () => {
    expect(replyPreview(Buffer.from('re:ping'))).toBe('re:ping')
    expect(replyPreview(Buffer.from([0xde, 0xad, 0x00]))).toBe('de ad 00')
    expect(replyPreview(Buffer.alloc(300, 0x61))).toMatch(/…$/)
  })
})

describe('topic completion', () => {
  it('lists the next level under the typed prefix first, then deeper topics', () => {
    const tree = new TopicTree()
    const meta = { qos: 0 as const, retain: false, properties: undefined }
    for (const t of ['home/kitchen/temp', 'home/hall/light', 'home/hall', 'home/garage/door/state', 'office/x', '/empty/first']) tree.insert(t, Buffer.from('1'), meta)
    expect(completeTopics(tree, 'home/', 10).map((t) => t.path)).toEqual(['home/garage', 'home/hall', 'home/kitchen', 'home/garage/door', 'home/hall/light', 'home/kitchen/temp', 'home/garage/door/state'])
    expect(completeTopics(tree, 'home/h', 10)[0]).toEqual({ path: 'home/hall', hasChildren: true, hasMessage: true })
    expect(completeTopics(tree, '', 2).map((t) => t.path)).toEqual(['', 'home'])
    expect(completeTopics(tree, '/e', 5).map((t) => t.path)).toEqual(['/empty', '/empty/first'])
    expect(completeTopics(tree, 'nope/', 5)).toEqual([])
  })
})

/** A connection that answers every publish after `delayMs`, counting what it was given. */
function fakeChannel(options: { delayMs?: number; receiveMaximum?: number; refuse?: (n: number) => boolean } = {}) {
  let published = 0
  let inFlight = 0
  let maxInFlight = 0
  let connected = true
  const pending: AckCallback[] = []
  const channel: PublishChannel = {
    isV5: true,
    get isConnected() {
      return connected
    },
    receiveMaximum: options.receiveMaximum ?? 65_535,
    publishAcked: () => Promise.reject(new Error('not used')),
    publishNow(_topic: string, _payload: Buffer, opts: IClientPublishOptions, done: AckCallback) {
      const n = ++published
      inFlight++
      maxInFlight = Math.max(maxInFlight, inFlight)
      pending.push(done)
      setTimeout(() => {
        const i = pending.indexOf(done)
        if (i < 0) return
        pending.splice(i, 1)
        inFlight--
        const ack: PublishAck | null = opts.qos === 0 ? null : options.refuse?.(n) ? { reasonCode: 0x87, reasonName: 'Not authorized', accepted: false } : { reasonCode: 0, reasonName: 'Success', accepted: true }
        done(null, ack)
      }, options.delayMs ?? 0)
    },
    subscribedTo: () => false,
    subscribeTransient: async () => {},
    unsubscribeTransient: async () => {},
  }
  return {
    channel,
    published: () => published,
    maxInFlight: () => maxInFlight,
    drop() {
      connected = false
      for (const done of pending.splice(0)) {
        inFlight--
        done(new ApiError('MQTT_PUBLISH_FAILED', 'lost'), null)
      }
    },
  }
}

function runJob(channel: PublishChannel, job: Partial<ConstructorParameters<typeof RepeatJobRun>[0]>) {
  const events: RepeatJob[] = []
  let resolveEnd: (job: RepeatJob) => void = () => {}
  const ended = new Promise<RepeatJob>((r) => (resolveEnd = r))
  const run = new RepeatJobRun({
    jobId: 'j',
    connectionId: 'c',
    topic: 't',
    qos: 1,
    pace: { kind: 'max' },
    until: { kind: 'count', count: 10 },
    channel,
    prepare: (n) => ({ topic: `t/${n}`, payload: Buffer.from('x'), options: { qos: job.qos ?? 1 }, warnings: [] }),
    onProgress: (j) => {
      events.push(j)
      if (j.state !== 'running') resolveEnd(j)
    },
    ...job,
  })
  run.start()
  return { run, events, ended }
}

describe('repeat job', () => {
  it('sends a count as fast as allowed, never more in flight than the broker takes', async () => {
    const fake = fakeChannel({ delayMs: 1, receiveMaximum: 20 })
    const { ended, events } = runJob(fake.channel, { until: { kind: 'count', count: 500 } })
    expect(await ended).toMatchObject({ state: 'done', sent: 500, acknowledged: 500, failed: 0 })
    expect(fake.maxInFlight()).toBeLessThanOrEqual(20)
    expect(events.filter((e) => e.state !== 'running')).toHaveLength(1)
    expect(events.at(-1)!.state).toBe('done')
  })

  it('paces by rate and ends after a duration', async () => {
    const fake = fakeChannel()
    const { ended } = runJob(fake.channel, { pace: { kind: 'rate', perSecond: 100 }, until: { kind: 'duration', ms: 300 } })
    const end = await ended
    expect(end.state).toBe('done')
    // 100/s for 300 ms: about 30 (the first at once), give or take a loaded machine's timers.
    expect(end.sent).toBeGreaterThanOrEqual(20)
    expect(end.sent).toBeLessThanOrEqual(32)
  })

  it('counts refusals as failed and keeps the first one as the error', async () => {
    const fake = fakeChannel({ refuse: (n) => n % 2 === 0 })
    const { ended } = runJob(fake.channel, { until: { kind: 'count', count: 10 } })
    const end = await ended
    expect(end).toMatchObject({ state: 'done', sent: 10, acknowledged: 5, failed: 5 })
    expect(end.error?.message).toMatch(/Not authorized/)
  })

  it('stops at once, and fails with exact counts when the connection drops', async () => {
    const slow = fakeChannel({ delayMs: 5 })
    const stopping = runJob(slow.channel, { pace: { kind: 'interval', ms: 10 }, until: { kind: 'stopped' } })
    await new Promise((r) => setTimeout(r, 60))
    const stopped = await stopping.run.stop()
    const sentAtStop = slow.published()
    await new Promise((r) => setTimeout(r, 50))
    expect(stopped.state).toBe('stopped')
    expect(slow.published()).toBe(sentAtStop)
    expect(stopped.acknowledged + stopped.failed).toBe(stopped.sent)

    const dropping = fakeChannel({ delayMs: 20 })
    const job = runJob(dropping.channel, { until: { kind: 'count', count: 1_000_000 } })
    await new Promise((r) => setTimeout(r, 50))
    dropping.drop()
    const end = await job.ended
    expect(end.state).toBe('failed')
    expect(end.error?.code).toBe('CONNECTION_LOST')
    expect(end.acknowledged + end.failed).toBe(end.sent)
    expect(end.error?.message).toContain(`${end.acknowledged.toLocaleString('en-US')} of ${end.sent.toLocaleString('en-US')}`)
  })
})
