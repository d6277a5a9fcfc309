/**
 * Main's notices (warnings, notes, reasons, progress) follow the UI's language by their code:
 * every code of the contract has a sentence in all three languages, filled with the notice's
 * values; English, an unknown code or a missing value show main's English as it came. The
 * renderer's own CONNACK words and the command failures go through t() too.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { NOTICE_CODES, type ConnackDetails, type Notice, type NoticeCode } from '@api'
import { i18n } from '../../renderer/src/lib/i18n'
import { en } from '../../renderer/src/lib/i18n/en'
import { de } from '../../renderer/src/lib/i18n/de'
import { zhCN } from '../../renderer/src/lib/i18n/zh-CN'
import { localizedError } from '../../renderer/src/lib/i18n/errors'
import { noticeList, noticeSentences, noticeText, problemText } from '../../renderer/src/lib/i18n/notices'
import { connackReason, connackRows } from '../../renderer/src/lib/tls/tls-format'
import { validateFilter } from '../../electron/core/connections/topic-filter'
import { draftFromStored } from '../../electron/core/publish/draft-from-message'

afterEach(() => {
  i18n.global.locale.value = 'en'
})

/** The codes that have no sentence under `notices.codes` in these messages. */
function untranslated(codes: Record<string, string>): NoticeCode[] {
  return NOTICE_CODES.filter((code) => typeof codes[code] !== 'string' || codes[code].trim() === '')
}

/** A notice with a value for each placeholder its English names. */
function sample(code: NoticeCode): Notice {
  const params: Record<string, string | number> = {}
  for (const [, name] of (en.notices.codes as Record<string, string>)[code]!.matchAll(/\{(\w+)\}/g)) params[name!] = `<${name}>`
  return { code, params, message: `English sentence of ${code}.` }
}

describe('notice codes', () => {
  it('every notice code of the contract has a sentence in English, German and Simplified Chinese', () => {
    expect(untranslated(en.notices.codes)).toEqual([])
    expect(untranslated(de.notices.codes)).toEqual([])
    expect(untranslated(zhCN.notices.codes)).toEqual([])
  })

  it('has no sentence for a code the contract does not define', () => {
    expect(Object.keys(en.notices.codes).filter((k) => !(NOTICE_CODES as readonly string[]).includes(k))).toEqual([])
  })

  it('the check above fails when a language lacks a code', () => {
    const { PROBE_DONE: _, ...rest } = de.notices.codes
    expect(untranslated(rest)).toEqual(['PROBE_DONE'])
  })

  it.each(['de', 'zh-CN'] as const)('every code reaches its %s sentence with the values it names', (locale) => {
    i18n.global.locale.value = locale
    for (const code of NOTICE_CODES) {
      const n = sample(code)
      const text = noticeText(n)
      expect(text, code).not.toBe(n.message)
      for (const value of Object.values(n.params ?? {})) expect(text, code).toContain(String(value))
    }
  })
})

describe('translated notices', () => {
  const truncated: Notice = { code: 'DRAFT_TRUNCATED', params: { stored: 1024, size: 123456 }, message: 'Only the first 1,024 of 123,456 bytes were stored, so only those are in the editor.' }

  it('keeps main’s English sentence when the UI is in English', () => {
    expect(noticeText(truncated)).toBe(truncated.message)
  })

  it('translates by code, numbers in the language’s own formatting', () => {
    i18n.global.locale.value = 'de'
    expect(noticeText(truncated)).toBe('Nur die ersten 1.024 von 123.456 Bytes wurden gespeichert, daher steht nur dieser Teil im Editor.')
    i18n.global.locale.value = 'zh-CN'
    expect(noticeText(truncated)).toBe('只保存了 123,456 字节中的前 1,024 字节，因此编辑器中只有这部分。')
  })

  it('shows main’s English for a code it does not know, or when a value is missing', () => {
    i18n.global.locale.value = 'de'
    expect(noticeText({ code: 'SOMETHING_NEWER' as NoticeCode, message: 'A newer backend said this.' })).toBe('A newer backend said this.')
    expect(noticeText({ code: 'DRAFT_TRUNCATED', params: { stored: 1 }, message: 'English.' })).toBe('English.')
  })

  it('takes the English list or text when no notices came (an older backend, a sentence without a code)', () => {
    i18n.global.locale.value = 'de'
    expect(noticeList(undefined, ['as sent'])).toEqual(['as sent'])
    expect(noticeSentences(undefined, 'as sent')).toBe('as sent')
    expect(noticeSentences([], 'as sent')).toBe('as sent')
    expect(problemText({ message: 'the editor’s own' })).toBe('the editor’s own')
  })

  it('joins the vault’s reason sentence by sentence', () => {
    i18n.global.locale.value = 'de'
    const reason: Notice[] = [
      { code: 'KEYCHAIN_NO_BUS', message: 'x' },
      { code: 'VAULT_CHOOSE_PASSPHRASE_INSTEAD', message: 'y' },
    ]
    expect(noticeSentences(reason, 'x y')).toBe('Es läuft kein Sitzungsbus des Desktops, daher ist kein Schlüsselbund des Systems (Secret Service) erreichbar. Wählen Sie stattdessen eine Master-Passphrase, die gespeicherte Zertifikate und Passwörter schützt.')
  })

  it('translates a draft’s note made on the main side', () => {
    const data = Buffer.from([0xff, 0x01])
    const draft = draftFromStored('t', { data, offset: 0, length: 2, qos: 0, retain: false, time: 0, size: 2, truncated: false, properties: undefined, evicted: false })
    expect(noticeSentences(draft.noteNotices, draft.note!)).toBe(draft.note)
    i18n.global.locale.value = 'zh-CN'
    expect(noticeSentences(draft.noteNotices, draft.note!)).toBe('载荷是二进制数据，因此以十六进制显示；发布时按这些字节原样发送。')
  })
})

describe('a note of two parts', () => {
  const parts: Notice[] = [
    { code: 'DRAFT_LAYERS', params: { layers: 'zlib → json' }, message: 'Received as zlib → json, which the editor cannot write back' },
    { code: 'DRAFT_AS_HEX', message: 'the editor holds the payload as received, as hex.' },
  ]
  const english = 'Received as zlib → json, which the editor cannot write back; the editor holds the payload as received, as hex.'

  it('is main’s English as main joined it, and two sentences in German and Chinese', () => {
    expect(noticeSentences(parts, english)).toBe(english)
    i18n.global.locale.value = 'de'
    expect(noticeSentences(parts, english)).toBe('Empfangen als zlib → json, was der Editor nicht zurückschreiben kann. Der Editor enthält die Payload wie empfangen, als Hex.')
    i18n.global.locale.value = 'zh-CN'
    expect(noticeSentences(parts, english)).toBe('接收时为 zlib → json，编辑器无法按此写回。编辑器按接收到的原样以十六进制形式保存载荷。')
  })
})

describe('English keys say what main says', () => {
  /** The English key filled with the notice's values, as main writes numbers. */
  const filled = (n: Notice) => (en.notices.codes as Record<string, string>)[n.code]!.replace(/\{(\w+)\}/g, (_, k: string) => {
    const v = n.params?.[k]
    return typeof v === 'number' ? v.toLocaleString('en-US') : String(v)
  })

  it('for the topic filter rules', () => {
    for (const filter of ['', 'a/\u0000', '$share/group', '$share/g+/a', 'a/#/b', 'a/b#', 'a/b+/c']) {
      const n = validateFilter(filter)!.detail!.notice as Notice
      expect(filled(n)).toBe(n.message)
    }
  })

  it('for a draft’s notes', () => {
    const data = Buffer.from([0xff, 0x01])
    const draft = draftFromStored('t', { data, offset: 0, length: 2, qos: 0, retain: false, time: 0, size: 4000, truncated: true, properties: undefined, evicted: false })
    for (const n of draft.noteNotices!) expect(filled(n)).toBe(n.message)
  })
})

describe('a refused topic filter', () => {
  it('says the rule it breaks in the UI’s language, and main’s English in English', () => {
    const err = validateFilter('a/b+/c')!
    expect(localizedError(err)).toBe(err.message)
    i18n.global.locale.value = 'de'
    expect(localizedError(err)).toBe('+ muss für eine ganze Ebene stehen (wie in sensors/+/temp), nicht innerhalb einer Ebene wie „b+“.')
  })

  it('falls back to the code’s general sentence when the rule’s code is unknown', () => {
    i18n.global.locale.value = 'de'
    const err = { code: 'MQTT_FILTER_INVALID' as const, message: 'English.', detail: { filter: 'a/b', notice: { code: 'FILTER_NEWER', message: 'English.' } } }
    expect(localizedError(err)).toBe(`Der Topic-Filter a/b ist ungültig: trennen Sie Ebenen mit /, verwenden Sie + für eine ganze Ebene und # nur allein als letzte Ebene.`)
  })
})

describe('CONNACK words', () => {
  const connack: ConnackDetails = { reasonCode: 0, protocolVersion: 4, sessionPresent: false, properties: { retainAvailable: true } }

  it('are unchanged in English', () => {
    const rows = connackRows(connack)
    expect(rows.find((r) => r.label === 'Retain available')?.value).toBe('yes')
    expect(rows.find((r) => r.label === 'Receive maximum')?.value).toBe('not sent (default applies)')
    expect(connackReason(connack)).toBe('0x00 Connection accepted')
  })

  it('follow the UI’s language, reason names as the specification writes them', () => {
    i18n.global.locale.value = 'de'
    const rows = connackRows(connack)
    expect(rows.find((r) => r.label === 'Retain verfügbar')?.value).toBe('ja')
    expect(rows.find((r) => r.label === 'Receive Maximum')?.value).toBe('nicht gesendet (Standardwert gilt)')
    expect(connackReason(connack)).toBe('0x00 Verbindung angenommen')
    expect(connackReason({ ...connack, protocolVersion: 5 })).toBe('0x00 Success')
  })
})
