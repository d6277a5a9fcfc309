/**
 * The publish workbench's pure logic: placeholders a message uses, templates per profile and by
 * name, the repeat form's plan and its state in words, request/response helpers and ack text.
 */
import { describe, expect, it } from 'vitest'
import type { OutgoingMessage, PublishTemplate, RepeatJob, RequestState } from '@api'
import { isTopicPattern, placeholdersIn, placeholdersInText } from '../../renderer/src/lib/publish/jobs-placeholders'
import { templateNamed, templatesFor } from '../../renderer/src/lib/publish/jobs-templates'
import { DEFAULT_REPEAT_FORM, paceText, repeatPlan, repeatProgress, repeatStateText, sortJobs, untilText } from '../../renderer/src/lib/publish/jobs-repeat'
import { correlationProblem, correlationToSend, requestStateText, suggestResponseTopic } from '../../renderer/src/lib/publish/jobs-request'
import { ackText } from '../../renderer/src/lib/publish/jobs-ack'

function message(topic: string, body: string, extra: Partial<OutgoingMessage['payload']> = {}): OutgoingMessage {
  return { topic, payload: { format: 'json', body, gzip: false, placeholders: true, ...extra }, qos: 0, retain: false, properties: { userProperties: [] } }
}

function template(name: string, profileId: string | null, topic = 't'): PublishTemplate {
  return { id: `${name}-${profileId}`, name, profileId, message: message(topic, '{}'), counter: 0, createdAt: 0, updatedAt: 0 }
}

function job(extra: Partial<RepeatJob>): RepeatJob {
  return {
    jobId: 'j', connectionId: 'c', topic: 't', qos: 1, pace: { kind: 'max' }, until: { kind: 'count', count: 200 },
    state: 'running', sent: 0, acknowledged: 0, failed: 0, ratePerSecond: 0, startedAt: 1000, ...extra,
  }
}

describe('placeholders', () => {
  it('finds each placeholder once, in order, normalising spaces in {{random a b}}', () => {
    expect(placeholdersInText('{{ counter }} at {{iso}} {{random  0 100}} {{counter}} {{nope}} {{random 1}}')).toEqual(['{{counter}}', '{{iso}}', '{{random 0 100}}'])
  })

  it('reads the topic always, the body only when it is rendered', () => {
    expect(placeholdersIn(message('dev/{{counter}}/cmd', '{"at":{{now}},"id":"{{uuid}}"}'))).toEqual(['{{counter}}', '{{now}}', '{{uuid}}'])
    expect(placeholdersIn(message('dev/x', '{{now}}', { placeholders: false }))).toEqual([])
    expect(placeholdersIn(message('dev/{{iso}}', 'e3tub3d9fQ==', { format: 'file' }))).toEqual(['{{iso}}'])
  })

  it('calls a topic with a placeholder a pattern', () => {
    expect(isTopicPattern('dev/{{counter}}/cmd')).toBe(true)
    expect(isTopicPattern('dev/1/cmd')).toBe(false)
  })
})

describe('templates', () => {
  const list = [template('Reboot', 'p1', 'dev/1/cmd'), template('alpha', null, 'x'), template('Other', 'p2'), template('reboot', null, 'all/cmd')]

  it('lists global and this profile’s templates by name, searching name and topic', () => {
    expect(templatesFor(list, 'p1').map((t) => `${t.name}:${t.profileId}`)).toEqual(['alpha:null', 'Reboot:p1', 'reboot:null'])
    expect(templatesFor(list, 'p1', 'DEV/1').map((t) => t.name)).toEqual(['Reboot'])
    expect(templatesFor(list, 'p2', 'reb').map((t) => `${t.name}:${t.profileId}`)).toEqual(['reboot:null'])
  })

  it('finds the template a save would overwrite only in the same scope', () => {
    expect(templateNamed(list, ' REBOOT ', 'p1')?.profileId).toBe('p1')
    expect(templateNamed(list, 'reboot', null)?.profileId).toBe(null)
    expect(templateNamed(list, 'alpha', 'p1')).toBeUndefined()
  })
})

describe('repeat plan', () => {
  it('turns the form into the contract’s pace and end', () => {
    expect(repeatPlan(DEFAULT_REPEAT_FORM)).toEqual({ ok: true, pace: { kind: 'interval', ms: 1000 }, until: { kind: 'count', count: 10 } })
    expect(repeatPlan({ ...DEFAULT_REPEAT_FORM, paceKind: 'rate', perSecond: '2.5', untilKind: 'duration', durationSeconds: '1.5' })).toEqual({
      ok: true, pace: { kind: 'rate', perSecond: 2.5 }, until: { kind: 'duration', ms: 1500 },
    })
    expect(repeatPlan({ ...DEFAULT_REPEAT_FORM, paceKind: 'max', untilKind: 'stopped', count: '' })).toEqual({ ok: true, pace: { kind: 'max' }, until: { kind: 'stopped' } })
  })

  it('says what to fix for numbers out of range', () => {
    expect(repeatPlan({ ...DEFAULT_REPEAT_FORM, intervalMs: '0' })).toMatchObject({ ok: false, problem: expect.stringContaining('interval') })
    expect(repeatPlan({ ...DEFAULT_REPEAT_FORM, intervalMs: '' })).toMatchObject({ ok: false })
    expect(repeatPlan({ ...DEFAULT_REPEAT_FORM, count: 2.5 })).toMatchObject({ ok: false, problem: expect.stringContaining('how many') })
    expect(repeatPlan({ ...DEFAULT_REPEAT_FORM, paceKind: 'rate', perSecond: 'x' })).toMatchObject({ ok: false, problem: expect.stringContaining('rate') })
    expect(repeatPlan({ ...DEFAULT_REPEAT_FORM, untilKind: 'duration', durationSeconds: 700_000 })).toMatchObject({ ok: false, problem: expect.stringContaining('week') })
  })

  it('describes pace and end in words', () => {
    expect(paceText({ kind: 'interval', ms: 1500 })).toBe('every 1,500 ms')
    expect(paceText({ kind: 'rate', perSecond: 20 })).toBe('20 per second')
    expect(paceText({ kind: 'max' })).toBe('as fast as possible')
    expect(untilText({ kind: 'count', count: 1 })).toBe('1 message')
    expect(untilText({ kind: 'duration', ms: 30_000 })).toBe('for 30 s')
    expect(untilText({ kind: 'stopped' })).toBe('until stopped')
  })
})

describe('repeat jobs in words', () => {
  it('measures progress by count or by time, none until stopped', () => {
    expect(repeatProgress(job({ sent: 50 }), 0)).toBe(0.25)
    expect(repeatProgress(job({ until: { kind: 'duration', ms: 4000 } }), 2000)).toBe(0.25)
    expect(repeatProgress(job({ until: { kind: 'duration', ms: 4000 }, state: 'stopped', endedAt: 3000 }), 99_000)).toBe(0.5)
    expect(repeatProgress(job({ until: { kind: 'stopped' } }), 5000)).toBeNull()
    expect(repeatProgress(job({ state: 'done', sent: 3 }), 0)).toBe(1)
  })

  it('gives the final state with the exact acknowledged count', () => {
    expect(repeatStateText(job({ state: 'done', sent: 200, acknowledged: 200 }))).toBe('Done: 200 sent, 200 acknowledged.')
    expect(repeatStateText(job({ state: 'stopped', sent: 57, acknowledged: 56 }))).toBe('Stopped by you: 57 sent, 56 acknowledged.')
    expect(repeatStateText(job({ state: 'failed', sent: 1300, acknowledged: 1234, failed: 66, error: { code: 'MQTT_CONNECTION_LOST' as never, message: 'The connection to the broker was lost.' } }))).toBe(
      'Failed: The connection to the broker was lost. Exactly 1,234 of 1,300 sent were acknowledged.',
    )
  })

  it('lists running jobs first, then the most recently ended', () => {
    const jobs = [job({ jobId: 'old', state: 'done', endedAt: 5 }), job({ jobId: 'run', startedAt: 1 }), job({ jobId: 'new', state: 'stopped', endedAt: 9 })]
    expect(sortJobs(jobs).map((j) => j.jobId)).toEqual(['run', 'new', 'old'])
  })
})

describe('request/response', () => {
  it('suggests <topic>/reply, or a unique topic for a pattern, an empty topic or on request', () => {
    expect(suggestResponseTopic('dev/1/cmd/', false)).toBe('dev/1/cmd/reply')
    expect(suggestResponseTopic('dev/{{counter}}', false, () => 'abc')).toBe('reply/abc')
    expect(suggestResponseTopic('dev/1', true, () => 'abc')).toBe('reply/abc')
    expect(suggestResponseTopic('', false, () => 'abc')).toBe('reply/abc')
  })

  it('refuses hex correlation data that is not bytes and leaves empty data to be generated', () => {
    expect(correlationProblem({ encoding: 'hex', value: 'ab cd' })).toBeNull()
    expect(correlationProblem({ encoding: 'hex', value: 'abc' })).toContain('even number')
    expect(correlationProblem({ encoding: 'hex', value: 'zz' })).toContain('0-9')
    expect(correlationProblem({ encoding: 'utf8', value: 'zz' })).toBeNull()
    expect(correlationToSend({ encoding: 'hex', value: ' ' })).toBeUndefined()
    expect(correlationToSend({ encoding: 'hex', value: 'AB cd' })).toEqual({ encoding: 'hex', value: 'abcd' })
  })

  it('says how a request ended', () => {
    const base: RequestState = { requestId: 'r', connectionId: 'c', topic: 't', responseTopic: 't/reply', correlationData: 'ab', sentAt: 0, timeoutMs: 5000, state: 'waiting', replies: [] }
    expect(requestStateText(base, 1200)).toBe('Waiting for a reply (4 s left)')
    expect(requestStateText({ ...base, state: 'timedOut' }, 9000)).toBe('Timed out after 5 s: no reply')
    expect(requestStateText({ ...base, state: 'closed', replies: [{} as never, {} as never] }, 9000)).toBe('2 replies')
  })
})

describe('acknowledgements', () => {
  it('names the reason, its code and the broker’s reason string', () => {
    expect(ackText({ qos: 0, ack: null })).toBe('QoS 0: not acknowledged')
    expect(ackText({ qos: 1, ack: { reasonCode: 0, reasonName: 'Success', accepted: true } })).toBe('Success')
    expect(ackText({ qos: 1, ack: { reasonCode: 0x10, reasonName: 'No matching subscribers', accepted: true } })).toBe('No matching subscribers (0x10)')
    expect(ackText({ qos: 2, ack: { reasonCode: 0x87, reasonName: 'Not authorized', reasonString: 'ACL', accepted: false } })).toBe('Refused: Not authorized (0x87) — ACL')
  })
})
