import { describe, expect, it } from 'vitest'
import { ApiError, type RecordingInfo, type ReplayJob } from '../../electron/api'
import { formatStart, gapMarks, otherBrokerOf, positionText, recordingFlags, replayOutcome, replayStateText } from '../../renderer/src/lib/recording/library'
import { latestOnly } from '../../renderer/src/lib/recording/latest-only'
import { downloadName } from '../../renderer/src/lib/recording/download'
import { DEFAULT_RECORD_FORM, recordPlan } from '../../renderer/src/lib/recording/record-form'
import { secondsToUs } from '../../renderer/src/lib/recording/format'
import { DEFAULT_REPLAY_FORM, replayPlan, type ReplayForm } from '../../renderer/src/lib/recording/replay-form'

const info = (over: Partial<RecordingInfo> = {}): RecordingInfo => ({
  id: 'r1',
  name: 'Plant',
  fileName: 'r1.mqtt.jsonl',
  gzip: false,
  size: 100,
  brokerUrl: 'mqtt://127.0.0.1:1883',
  mqttVersion: 5,
  startedAt: 0,
  durationMs: 1000,
  messageCount: 3,
  topicCount: 2,
  gaps: 0,
  source: 'recorded',
  recording: false,
  truncated: false,
  badLines: 0,
  ...over,
})

// Cast: the replay engine's branch adds counters this file does not need to spell out.
const job = (over: Partial<ReplayJob> = {}): ReplayJob =>
  ({
  jobId: 'j',
  recordingId: 'r1',
  connectionId: 'c',
  state: 'running',
  sent: 2,
  total: 10,
  passes: 0,
  positionUs: 0,
  etaMs: 65_000,
  speed: 1,
  lateness: null,
  startedAt: 0,
  ...over,
  }) as ReplayJob

const form = (over: Partial<ReplayForm> = {}): ReplayForm => ({ ...structuredClone(DEFAULT_REPLAY_FORM), connectionId: 'c', ...over })

describe('recordings library helpers', () => {
  it('gives an ordinary recording no flags and names each unusual fact', () => {
    expect(recordingFlags(info())).toEqual([])
    expect(recordingFlags(info({ recording: true, truncated: true, badLines: 1, gaps: 2, source: 'mosquitto_sub' }))).toEqual([
      'recording now',
      'last line cut',
      '1 bad line skipped',
      '2 gaps',
      'imported from mosquitto_sub',
    ])
  })

  it('places gaps on the track as percent of the duration, clamped to it', () => {
    const marks = gapMarks({ durationMs: 10_000, gaps: [{ atUs: 2_500_000, durationUs: 1_000_000 }, { atUs: 9_500_000, durationUs: 5_000_000 }] })
    expect(marks.map((m) => [m.leftPercent, m.widthPercent])).toEqual([
      [25, 10],
      [95, 5],
    ])
    expect(marks[0].label).toBe('Gap at 0:02, 0:01 without a connection')
    expect(gapMarks({ durationMs: 0, gaps: [{ atUs: 0, durationUs: 1 }] })).toEqual([])
  })

  it('says where the timeline is and when a recording started', () => {
    expect(positionText({ position: 1200, messageCount: 3400 })).toBe('message 1,200 of 3,400')
    expect(formatStart(new Date(2026, 11, 3, 9, 5, 7).getTime())).toBe('2026-12-03 09:05:07.000')
  })

  it('puts a replay job in a sentence', () => {
    expect(replayStateText(job())).toBe('Replaying, about 1:05 left')
    expect(replayStateText(job({ etaMs: null }))).toBe('Replaying…')
    expect(replayStateText(job({ state: 'stopped', sent: 4 }))).toBe('Stopped after 4 sent')
    expect(replayStateText(job({ state: 'failed', error: { code: 'MQTT_NOT_CONNECTED' as never, message: 'The connection went away.' } }))).toBe('Failed: The connection went away.')
  })

  it('reads the engine’s counters of a job when it sends them', () => {
    expect(replayOutcome(job())).toEqual({ acknowledged: null, failed: 0, skipped: 0, warnings: [] })
    const full = { ...job(), acknowledged: 5, failed: 1, skipped: 2, warnings: ['Topic "" skipped'] } as ReplayJob
    expect(replayOutcome(full)).toEqual({ acknowledged: 5, failed: 1, skipped: 2, warnings: ['Topic "" skipped'] })
  })

  it('reads both brokers from a REPLAY_OTHER_BROKER refusal, and nothing from other errors', () => {
    const err = new ApiError('REPLAY_OTHER_BROKER', 'other', { recording: 'mqtt://a', target: 'mqtt://b' })
    expect(otherBrokerOf(err)).toEqual({ recording: 'mqtt://a', target: 'mqtt://b' })
    expect(otherBrokerOf(new ApiError('RECORDING_BUSY', 'busy'))).toBeNull()
    expect(otherBrokerOf(new Error('x'))).toBeNull()
  })
})

describe('replay form', () => {
  it('builds the contract options from the form as typed', () => {
    const plan = replayPlan(
      'r1',
      form({ speed: '2.5', maxGapSeconds: '3', loop: true, fromSeconds: '1', toSeconds: '4', filters: 'a/#', overrideQos: true, qos: 1, retain: 'keep', remap: [{ kind: 'prefix', from: 'a/', to: 'b/' }] }),
    )
    expect(plan).toEqual({
      ok: true,
      options: {
        recordingId: 'r1',
        connectionId: 'c',
        selection: { fromUs: 1_000_000, toUs: 4_000_000, filters: ['a/#'] },
        speed: 2.5,
        maxGapMs: 3000,
        loop: true,
        remap: [{ kind: 'prefix', from: 'a/', to: 'b/' }],
        qos: 1,
        retain: 'keep',
      },
    })
  })

  it('sends as fast as possible as a null speed and leaves unset overrides out', () => {
    const plan = replayPlan('r1', form({ asFastAsPossible: true, speed: 'nonsense' }))
    expect(plan.ok && plan.options).toMatchObject({ speed: null, retain: 'off', remap: [] })
    expect(plan.ok && 'qos' in plan.options).toBe(false)
    expect(plan.ok && 'maxGapMs' in plan.options).toBe(false)
  })

  it('takes the numbers a v-model on a number input gives, not only text', () => {
    const plan = replayPlan('r1', form({ speed: 10, maxGapSeconds: 0.5, fromSeconds: 2, toSeconds: '' }))
    expect(plan.ok && plan.options).toMatchObject({ speed: 10, maxGapMs: 500, selection: { fromUs: 2_000_000, toUs: undefined } })
    expect(secondsToUs(0.067883)).toBe(67_883)
  })

  it('names the field that is wrong', () => {
    expect(replayPlan('r1', form({ connectionId: '' }))).toEqual({ ok: false, problem: 'Choose a connected connection to replay into.' })
    expect(replayPlan('r1', form({ speed: '200' }))).toMatchObject({ ok: false, problem: expect.stringMatching(/^Speed is between 0\.1× and 100×/) })
    expect(replayPlan('r1', form({ maxGapSeconds: '-1' }))).toMatchObject({ ok: false, problem: expect.stringMatching(/gap cap/) })
    expect(replayPlan('r1', form({ fromSeconds: '5', toSeconds: '2' }))).toMatchObject({ ok: false, problem: expect.stringMatching(/^To comes before From/) })
    expect(replayPlan('r1', form({ remap: [{ kind: 'regex', from: '(', to: '' }] }))).toMatchObject({ ok: false, problem: expect.stringMatching(/^Rule 1:/) })
  })
})

describe('latest-only sender', () => {
  it('sends the first value at once, then only the newest of those pushed while it was on its way', async () => {
    const sent: number[] = []
    const answers: (() => void)[] = []
    const seeks = latestOnly<number>((v) => {
      sent.push(v)
      return new Promise<void>((resolve) => answers.push(resolve))
    })
    const first = seeks.push(1)
    const second = seeks.push(2)
    const third = seeks.push(3)
    expect(sent).toEqual([1])
    expect(seeks.busy()).toBe(true)
    answers.shift()!()
    await first
    await Promise.resolve()
    expect(sent).toEqual([1, 3])
    answers.shift()!()
    // Both the replaced value's caller and the sent one's are answered by the newest answer.
    await Promise.all([second, third])
    expect(seeks.busy()).toBe(false)
    seeks.push(4)
    expect(sent).toEqual([1, 3, 4])
  })

  it('keeps sending after a request fails', async () => {
    const sent: number[] = []
    const seeks = latestOnly<number>(async (v) => {
      sent.push(v)
      if (v === 1) throw new Error('refused')
    })
    await seeks.push(1)
    await seeks.push(2)
    expect(sent).toEqual([1, 2])
  })
})

describe('download names', () => {
  it('names a download after the recording and keeps the stored extension', () => {
    expect(downloadName('Plant run', '3f2a.mqtt.jsonl.gz')).toBe('Plant run.mqtt.jsonl.gz')
    expect(downloadName('a/b: c?', 'x.mqtt.jsonl')).toBe('a_b_ c_.mqtt.jsonl')
    expect(downloadName('Night', 'e1.csv')).toBe('Night.csv')
    expect(downloadName('  ', 'e1.mqtt.jsonl')).toBe('recording.mqtt.jsonl')
  })
})

describe('record form', () => {
  it('records every subscription by default, or the filters written', () => {
    expect(recordPlan('c', DEFAULT_RECORD_FORM)).toEqual({ ok: true, options: { connectionId: 'c', filters: [], gzip: false } })
    const plan = recordPlan('c', { ...DEFAULT_RECORD_FORM, scope: 'filters', filters: 'a/#, b/+', gzip: true, name: ' Night ', maxMb: 2, maxMinutes: '1.5' })
    expect(plan).toEqual({ ok: true, options: { connectionId: 'c', filters: ['a/#', 'b/+'], gzip: true, name: 'Night', maxBytes: 2 * 1024 * 1024, maxDurationMs: 90_000 } })
  })

  it('refuses what the contract would, in a sentence', () => {
    expect(recordPlan('c', { ...DEFAULT_RECORD_FORM, scope: 'filters', filters: ' , ' })).toEqual({ ok: false, problem: 'Write at least one topic filter, or record all subscriptions.' })
    expect(recordPlan('c', { ...DEFAULT_RECORD_FORM, maxMb: 0.01 })).toEqual({ ok: false, problem: 'The size limit (MB) must be a number of at least 0.063.' })
    expect(recordPlan('c', { ...DEFAULT_RECORD_FORM, maxMinutes: 'soon' })).toMatchObject({ ok: false, problem: expect.stringMatching(/^The duration limit \(minutes\)/) })
  })
})
