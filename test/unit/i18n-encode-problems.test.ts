/**
 * The encoders' and the JSON parser's problems in the UI's language: each is said by its code,
 * its words (which field, what value, what the parser expected) and inner sentences (the
 * base64's own problem) in the same language, so no English is left inside a German or Chinese
 * sentence. The English keys fill to main's sentence byte for byte; English shows main's
 * sentence as it came, and a code, word or inner sentence the renderer does not know shows main's
 * English whole.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { Notice, NoticeCode, PayloadProblem } from '@api'
import { i18n } from '../../renderer/src/lib/i18n'
import { en } from '../../renderer/src/lib/i18n/en'
import { noticeSentence, noticeText, problemText } from '../../renderer/src/lib/i18n/notices'
import type { DecodeOutcome } from '../../electron/core/decode/types'
import { draftFromDecoded } from '../../electron/core/encode'
import { ENCODE_CASES, problemOf, schemas } from '../fixtures/encode-problems'

afterEach(() => {
  i18n.global.locale.value = 'en'
})

const problems: Array<[string, PayloadProblem]> = ENCODE_CASES.map((c) => [`${c.code} ${c.body.slice(0, 60)}`, problemOf(c)])
const say = (format: 'msgpack' | 'cbor' | 'protobuf' | 'sparkplug', body: string) => problemText(problemOf({ format, body, code: '', ...(format === 'protobuf' ? { protobufType: 't.Probe' } : {}) }))

describe('English keys say what main says', () => {
  it.each(problems)('%s', (_name, problem) => {
    expect(noticeSentence(problem.notice!)).toBe(problem.message)
    expect(problemText(problem)).toBe(problem.message)
  })
})

describe('in German and Simplified Chinese', () => {
  /** English words the encoders put into their sentences; none may remain in a translation. */
  const englishWords = [...Object.values(en.payloadWords.labels), ...Object.values(en.payloadWords.values), ...Object.values(en.payloadWords.subjects), ...Object.values(en.payloadWords.hints)]
    .map((w) => w.replace(/\{\w+\}.*$/, '').trim())
    .filter((w) => w.length > 5) // not the JSON literals true, false and null

  it.each(['de', 'zh-CN'] as const)('every problem is said in %s, with no English words and no placeholder left', (locale) => {
    i18n.global.locale.value = locale
    for (const [name, problem] of problems) {
      const text = problemText(problem)
      expect(text, name).not.toBe(problem.message)
      expect(text, name).not.toMatch(/\{\w+\}/)
      for (const w of englishWords) expect(text, `${name}: ${w}`).not.toContain(w)
    }
  })

  it('says a field, its type and the value it got', () => {
    i18n.global.locale.value = 'de'
    expect(say('protobuf', '{"floor": "x"}')).toBe('Das Feld „floor“ ist int32: erwartet wird eine ganze Zahl (oder ihr Dezimaltext), gegeben ist der Text "x".')
    expect(say('protobuf', '{"by_id": {"1": 2}}')).toBe('Der Wert von „1“ in by_id ist string: setzen Sie den Wert in doppelte Anführungszeichen (gegeben ist die Zahl 2).')
    expect(say('protobuf', '{"floor": 2147483648}')).toBe('Das Feld „floor“ ist int32: 2147483648 liegt außerhalb des Bereichs (-2147483648 bis 2147483647).')
    i18n.global.locale.value = 'zh-CN'
    expect(say('protobuf', '{"on": 1}')).toBe('字段“on”的类型是 bool：需要 true 或 false，而不是数字 1。')
  })

  it('says what the parser expected, in the same sentence', () => {
    i18n.global.locale.value = 'de'
    expect(say('cbor', '{"a" 1}')).toBe("Unerwartetes Zeichen '1': erwartet wird ':' nach dem Schlüssel „a“.")
    expect(say('cbor', '[1,')).toBe('Das JSON endet zu früh: erwartet wird ein Wert (ein Objekt, Array, String, eine Zahl, true, false oder null).')
    expect(say('cbor', '['.repeat(600))).toBe('Das JSON ist tiefer als 500 Ebenen verschachtelt.')
    i18n.global.locale.value = 'zh-CN'
    expect(say('cbor', '[1,]')).toBe("意外的字符 ']'：JSON 不允许末尾的逗号。")
  })

  it('says a sentence inside a sentence in the same language', () => {
    i18n.global.locale.value = 'de'
    expect(say('cbor', '{"$base64": "a!"}')).toBe("$base64: '!' ist kein Base64-Zeichen: verwenden Sie A–Z, a–z, 0–9, + und / (oder - und _), wahlweise mit '=' am Ende.")
    expect(say('sparkplug', '{"metrics": [{"name": "m", "datatype": "Int32", "value": 1, "properties": {"p": {"value": 1}}}]}')).toMatch(/^Die Eigenschaft „p“ braucht einen Datentyp: Int8, /)
  })

  it('says why received bytes could not be made editable', () => {
    i18n.global.locale.value = 'de'
    const note: Notice = { code: 'DRAFT_UNEDITABLE', message: 'It could not be turned into an editable form (truncated)', params: { error: 'truncated', errorCode: 'READ_TRUNCATED' } }
    expect(noticeText(note)).toBe('Die Payload ließ sich nicht in eine bearbeitbare Form bringen (abgeschnitten).')
    // A library's own words (no code) stay as they came, inside the translated sentence.
    expect(noticeText({ ...note, params: { error: 'index out of range' } })).toBe('Die Payload ließ sich nicht in eine bearbeitbare Form bringen (index out of range).')
  })
})

describe('a received message’s draft note', () => {
  /** The note for CBOR bytes as received, decoded as CBOR. */
  const noteOf = (bytes: number[]): Notice => {
    const payload = Buffer.from(bytes)
    const outcome = { detected: 'cbor', layers: [{ decoder: 'cbor' }], error: null, bytes: payload } as unknown as DecodeOutcome
    return draftFromDecoded(payload, outcome, { schemas }).notes![0]!
  }

  it('counts bytes in the language’s plural', () => {
    // 1 written in two bytes: encoded again it is one.
    const note = noteOf([0x18, 0x01])
    expect(note.code).toBe('DRAFT_DECODED_DIFFERENT')
    expect(noticeSentence(note)).toBe(note.message)
    i18n.global.locale.value = 'de'
    expect(noticeText(note)).toContain('(1 Byte statt 2 Bytes:')
    i18n.global.locale.value = 'zh-CN'
    expect(noticeText(note)).toContain('（1 字节，而非 2 字节：')
  })

  it('says the encoder’s problem inside it in the same language', () => {
    // Simple value 24: decoded, but the encoder takes no simple value from 20 to 31.
    const note = noteOf([0xf8, 0x18])
    expect(note.code).toBe('DRAFT_DECODED_NOT_AGAIN')
    expect(noticeSentence(note)).toBe(note.message)
    i18n.global.locale.value = 'de'
    expect(noticeText(note)).toBe('Als CBOR dekodiert, lässt sich aber so, wie sie dasteht, nicht wieder kodieren ($simple nimmt 0–19 oder 32–255 (20–31 sind false, true, null, undefined und reserviert).).')
  })
})

describe('falling back to main’s English', () => {
  const base = problemOf({ format: 'protobuf', body: '{"floor": "x"}', protobufType: 't.Probe', code: '' })
  const withParams = (params: Record<string, string>): PayloadProblem => ({ ...base, notice: { ...base.notice!, params: { ...base.notice!.params, ...params } } })

  it('for a word this renderer does not know', () => {
    i18n.global.locale.value = 'de'
    expect(problemText(withParams({ valueKind: 'somethingNewer' }))).toBe(base.message)
    expect(problemText(withParams({ labelKind: 'somethingNewer' }))).toBe(base.message)
  })

  it('for an inner sentence whose code it does not know', () => {
    i18n.global.locale.value = 'de'
    const inner = problemOf({ format: 'cbor', body: '{"$base64": "a!"}', code: '' })
    expect(problemText({ ...inner, notice: { ...inner.notice!, params: { ...inner.notice!.params, problemCode: 'BASE64_NEWER' } } })).toBe(inner.message)
  })

  it('for a code it does not know', () => {
    i18n.global.locale.value = 'zh-CN'
    expect(problemText({ ...base, notice: { ...base.notice!, code: 'PROTOBUF_NEWER' as NoticeCode } })).toBe(base.message)
  })
})
