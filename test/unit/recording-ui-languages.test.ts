/**
 * The recording helpers in lib/ write their words in the UI's language at the moment they are
 * called: flags, gap marks, the timeline position, job states and the forms' problems in German
 * and Simplified Chinese, with each language's digit grouping, and English again after.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { RecordingInfo, ReplayJob } from '../../electron/api'
import { i18n } from '../../renderer/src/lib/i18n'
import { gapMarks, positionText, recordingFlags, replayStateText } from '../../renderer/src/lib/recording/library'
import { DEFAULT_RECORD_FORM, recordPlan } from '../../renderer/src/lib/recording/record-form'
import { DEFAULT_REPLAY_FORM, replayPlan } from '../../renderer/src/lib/recording/replay-form'
import { formatSeconds, remapRules } from '../../renderer/src/lib/recording/format'

const info = { recording: true, truncated: false, badLines: 1, gaps: 1200, source: 'mosquitto_sub' } as RecordingInfo
const job = (over: Partial<ReplayJob>) => ({ state: 'running', sent: 1200, etaMs: 65_000, ...over }) as ReplayJob

afterEach(() => {
  i18n.global.locale.value = 'en'
})

describe('recording helpers in other languages', () => {
  it('speak German', () => {
    i18n.global.locale.value = 'de'
    expect(recordingFlags(info)).toEqual(['wird gerade aufgenommen', '1 fehlerhafte Zeile übersprungen', '1.200 Lücken', 'importiert aus mosquitto_sub'])
    expect(gapMarks({ durationMs: 10_000, gaps: [{ atUs: 2_000_000, durationUs: 1_000_000 }] })[0].label).toBe('Lücke bei 0:02: 0:01 ohne Verbindung')
    expect(positionText({ position: 1200, messageCount: 3400 })).toBe('Nachricht 1.200 von 3.400')
    expect(replayStateText(job({}))).toBe('Wiedergabe läuft, noch etwa 1:05')
    expect(replayStateText(job({ state: 'done' }))).toBe('Fertig: 1.200 gesendet')
    expect(recordPlan('c', { ...DEFAULT_RECORD_FORM, maxMb: 0.01 })).toEqual({ ok: false, problem: 'Die Größengrenze (MB) muss eine Zahl von mindestens 0,063 sein.' })
    expect(replayPlan('r', { ...structuredClone(DEFAULT_REPLAY_FORM), connectionId: '' })).toEqual({ ok: false, problem: 'Wählen Sie eine verbundene Verbindung als Ziel der Wiedergabe.' })
    expect(remapRules([{ kind: 'regex', from: '', to: 'x' }]).error).toBe('Regel 1: Das Muster ist leer')
    expect(formatSeconds(1234)).toBe('1,234')
  })

  it('speak Simplified Chinese', () => {
    i18n.global.locale.value = 'zh-CN'
    expect(recordingFlags(info)).toEqual(['正在录制', '跳过了 1 行错误内容', '1,200 处中断', '从 mosquitto_sub 导入'])
    expect(positionText({ position: 1200, messageCount: 3400 })).toBe('第 1,200 条消息，共 3,400 条')
    expect(replayStateText(job({ state: 'stopped' }))).toBe('已发送 1,200 条后停止')
    expect(replayPlan('r', { ...structuredClone(DEFAULT_REPLAY_FORM), connectionId: 'c', fromSeconds: '5', toSeconds: '1' })).toEqual({ ok: false, problem: '“到”早于“从”：不会回放任何内容。' })
  })

  it('speak English again after the switch back', () => {
    i18n.global.locale.value = 'de'
    i18n.global.locale.value = 'en'
    expect(recordingFlags(info)).toEqual(['recording now', '1 bad line skipped', '1,200 gaps', 'imported from mosquitto_sub'])
    expect(replayStateText(job({ state: 'paused' }))).toBe('Paused')
    expect([formatSeconds(0), formatSeconds(1_234_567.8)]).toEqual(['0.000', '1234.568'])
  })
})
