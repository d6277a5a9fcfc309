/**
 * The publish workbench's sentences built outside components follow the UI's language: the
 * repeat job's state with its exact counts in the locale's digits, a request's replies with the
 * language's plural, the broker's answer to a publish, and the editor's own payload checks.
 * English stays word for word what the e2e tests and the docs quote.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { PublishOutcome, RepeatJob, RequestState } from '@api'
import { i18n } from '../../renderer/src/lib/i18n'
import { paceText, repeatPlan, repeatStateText, untilText, DEFAULT_REPEAT_FORM } from '../../renderer/src/lib/publish/jobs-repeat'
import { requestStateText } from '../../renderer/src/lib/publish/jobs-request'
import { ackText } from '../../renderer/src/lib/publish/jobs-ack'
import { outcomeLine } from '../../renderer/src/lib/publish/outcome-text'
import { checkPayload, topicProblem } from '../../renderer/src/lib/publish/payload-check'
import { readPropertiesForm, propertiesForm } from '../../renderer/src/lib/publish/properties-form'
import { checkJson } from '../../renderer/src/lib/publish/json-text'
import { FORMATS } from '../../renderer/src/lib/publish/formats'
import { formatTime } from '../../renderer/src/lib/time/time-format'

afterEach(() => {
  i18n.global.locale.value = 'en'
})

function job(extra: Partial<RepeatJob>): RepeatJob {
  return {
    jobId: 'j', connectionId: 'c', topic: 't', qos: 1, pace: { kind: 'max' }, until: { kind: 'count', count: 200 },
    state: 'running', sent: 0, acknowledged: 0, failed: 0, ratePerSecond: 0, startedAt: 1000, ...extra,
  }
}

function request(extra: Partial<RequestState>): RequestState {
  return { requestId: 'r', connectionId: 'c', topic: 'dev/1/get', responseTopic: 'dev/1/get/reply', correlationData: 'ab', sentAt: 0, timeoutMs: 10_000, state: 'waiting', replies: [], ...extra }
}

const reply = { at: 1, topic: 'dev/1/get/reply', bytes: 2, preview: '{}' } as unknown as RequestState['replies'][number]

describe('repeat jobs in German and Chinese', () => {
  it('says the state with the exact counts in the locale’s digits', () => {
    i18n.global.locale.value = 'de'
    expect(repeatStateText(job({ state: 'done', sent: 12_345, acknowledged: 12_340, failed: 5 }))).toBe('Fertig: 12.345 gesendet, 12.340 bestätigt, 5 fehlgeschlagen.')
    expect(repeatStateText(job({ state: 'failed', sent: 3, acknowledged: 2, error: { code: 'CONNECTION_LOST', message: 'The connection dropped, so the repeat job stopped.' } })))
      .toBe('Fehlgeschlagen: Die Verbindung ist abgebrochen: die App verbindet sich neu, wenn das Profil es erlaubt; passiert es öfter, sehen Sie ins Log des Brokers. Von 3 gesendeten Nachrichten wurden genau 2 bestätigt.')
    expect(paceText({ kind: 'interval', ms: 1500 })).toBe('alle 1.500 ms')
    expect(untilText({ kind: 'count', count: 1 })).toBe('1 Nachricht')
    expect(untilText({ kind: 'count', count: 2000 })).toBe('2.000 Nachrichten')
    const bad = repeatPlan({ ...DEFAULT_REPEAT_FORM, intervalMs: 0 })
    expect(bad.ok ? '' : bad.problem).toBe('Geben Sie das Intervall in ganzen Millisekunden an, von 1 bis 86.400.000 (ein Tag).')
    i18n.global.locale.value = 'zh-CN'
    expect(repeatStateText(job({ state: 'stopped', sent: 10, acknowledged: 10 }))).toBe('已由你停止：已发送 10，已确认 10。')
  })

  it('keeps the English sentences as they were', () => {
    expect(repeatStateText(job({ state: 'done', sent: 12_345, acknowledged: 12_340, failed: 5 }))).toBe('Done: 12,345 sent, 12,340 acknowledged, 5 failed.')
    expect(repeatStateText(job({ state: 'failed', sent: 3, acknowledged: 2 }))).toBe('Failed: the job ended without a reason Exactly 2 of 3 sent were acknowledged.')
    expect(paceText({ kind: 'rate', perSecond: 2.5 })).toBe('2.5 per second')
    expect(untilText({ kind: 'count', count: 1 })).toBe('1 message')
    expect(untilText({ kind: 'duration', ms: 1500 })).toBe('for 1.5 s')
  })
})

describe('requests in German', () => {
  it('counts replies with the language’s plural and says how long is left', () => {
    i18n.global.locale.value = 'de'
    expect(requestStateText(request({}), 2500)).toBe('Wartet auf eine Antwort (noch 8 s)')
    expect(requestStateText(request({ state: 'answered', replies: [reply] }), 0)).toBe('1 Antwort, wartet auf weitere (noch 10 s)')
    expect(requestStateText(request({ state: 'closed', replies: [reply, reply] }), 0)).toBe('2 Antworten')
    expect(requestStateText(request({ state: 'timedOut', timeoutMs: 2500 }), 0)).toBe('Nach 2,5 s abgelaufen: keine Antwort')
    i18n.global.locale.value = 'en'
    expect(requestStateText(request({ state: 'cancelled', replies: [reply] }), 0)).toBe('Cancelled after 1 reply')
    expect(requestStateText(request({ state: 'timedOut', timeoutMs: 2500 }), 0)).toBe('Timed out after 2.5 s: no reply')
  })
})

describe('publish outcomes in German', () => {
  const outcome: PublishOutcome = { topic: 'dev/1/cmd', bytes: 1, qos: 1, retain: false, publishedAt: 1_700_000_000_000, ack: { accepted: false, reasonCode: 0x87, reasonName: 'Not authorized', reasonString: 'no ACL' }, warnings: [] }

  it('words the broker’s answer, keeping the specification’s reason name and code', () => {
    i18n.global.locale.value = 'de'
    expect(ackText(outcome)).toBe('Abgelehnt: Not authorized (0x87) — no ACL')
    expect(outcomeLine(outcome)).toEqual({ text: 'Vom Broker abgelehnt: Not authorized: „no ACL“. An dev/1/cmd wurde nichts veröffentlicht.', tone: 'refused', code: '0x87' })
    const sent = outcomeLine({ ...outcome, qos: 0, ack: null, bytes: 1024 })
    expect(sent.text).toBe(`Gesendet. Um ${formatTime(outcome.publishedAt)} an dev/1/cmd veröffentlicht (1.024 Bytes, QoS 0: Nichts wird bestätigt).`)
    i18n.global.locale.value = 'en'
    expect(outcomeLine({ ...outcome, ack: { accepted: true, reasonCode: 0, reasonName: 'Success' } }).text).toBe(`Published to dev/1/cmd at ${formatTime(outcome.publishedAt)} (1 byte, QoS 1), acknowledged: Success.`)
  })
})

describe('the editor’s own checks in German and Chinese', () => {
  it('explains a wrong payload, topic or property in the UI’s language', () => {
    i18n.global.locale.value = 'de'
    expect(checkPayload({ format: 'hex', body: '0a zz', gzip: false, placeholders: false })).toEqual({ message: '„z“ ist keine Hex-Ziffer: Schreiben Sie Bytes als Paare aus 0-9 und a-f (Leerzeichen und Zeilenumbrüche sind erlaubt)', line: 1, column: 4 })
    expect(topicProblem('a/#')).toBe('„+“ und „#“ sind Wildcards zum Abonnieren: Eine Nachricht wird an genau ein Topic veröffentlicht')
    expect(checkJson('{"a": 1,}')?.message).toBe('Ein abschließendes Komma ist vor „}“ nicht erlaubt')
    const form = { ...propertiesForm({ userProperties: [] }), topicAlias: '70000' }
    expect(readPropertiesForm(form).problem).toBe('Topic-Alias liegt zwischen 1 und 65.535')
    i18n.global.locale.value = 'zh-CN'
    expect(checkJson('[1 2]')?.message).toBe('应为“,”或“]”，但发现“2”')
    expect(FORMATS.find((f) => f.format === 'file')?.label).toBe('文件')
  })

  it('keeps English word for word', () => {
    expect(checkJson('{"a": 1,}')?.message).toBe('A trailing comma is not allowed before “}”')
    expect(checkJson('"\\x"')?.message).toBe('\\x is not a JSON escape (use \\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX)')
    expect(checkJson('')?.message).toBe('The payload is empty: write a JSON value (e.g. {} or "text")')
    expect(FORMATS.find((f) => f.format === 'sparkplug')?.hint).toBe('Written as JSON ({"timestamp", "seq", "metrics": [{"name", "type", "value"}]}), encoded as a Sparkplug B payload.')
    expect(readPropertiesForm({ ...propertiesForm({ userProperties: [] }), messageExpiry: '1.5' }).problem).toBe('Message expiry (seconds) is a whole number')
  })
})
