/**
 * Every error code of the contract has a sentence in every language (errors.<CODE>), each
 * translation is reached through localizedError with the values it names, and the variants
 * (_plain without a reason code, the TLS chain's breaks, the diagnoses added for the failure
 * model's other kinds) fall back to main's English exactly when a value is missing.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { ERROR_CODES, type ChainReport, type Diagnosis, type ErrorCode } from '@api'
import { i18n } from '../../renderer/src/lib/i18n'
import { en } from '../../renderer/src/lib/i18n/en'
import { de } from '../../renderer/src/lib/i18n/de'
import { zhCN } from '../../renderer/src/lib/i18n/zh-CN'
import { chainBreakText, diagnosisText, localizedError } from '../../renderer/src/lib/i18n/errors'

afterEach(() => {
  i18n.global.locale.value = 'en'
})

/** The codes of the contract that have no sentence under `errors` in these messages. */
function untranslatedCodes(errors: Record<string, string>): ErrorCode[] {
  return ERROR_CODES.filter((code) => typeof errors[code] !== 'string' || errors[code].trim() === '')
}

/** A value for each placeholder a sentence names; the connection's address comes as context. */
function sampleError(code: ErrorCode): { err: { code: ErrorCode; message: string; detail: Record<string, unknown> }; context: { host: string; port: number } } {
  const detail: Record<string, unknown> = {}
  for (const [, name] of (en.errors as Record<string, string>)[code]!.matchAll(/\{(\w+)\}/g)) {
    if (name === 'host' || name === 'port' || name === 'where') continue
    detail[name!] = name === 'reasonCode' ? undefined : name === 'validNames' ? ['mqtt.example.com'] : `<${name}>`
  }
  // The reason code is worked out from the packet's own code, as main sends it.
  if ('reasonCode' in detail) {
    delete detail.reasonCode
    detail.pubackCode = 0x87
  }
  return { err: { code, message: `English sentence of ${code}.`, detail }, context: { host: 'broker.local', port: 8883 } }
}

describe('error codes', () => {
  it('every code of the contract has a sentence in English, German and Simplified Chinese', () => {
    expect(untranslatedCodes(en.errors as Record<string, string>)).toEqual([])
    expect(untranslatedCodes(de.errors)).toEqual([])
    expect(untranslatedCodes(zhCN.errors)).toEqual([])
  })

  it('the check names a code that has lost its sentence', () => {
    const { NOT_FOUND: _dropped, ...cut } = de.errors
    expect(untranslatedCodes(cut)).toEqual(['NOT_FOUND'])
  })

  it('every key under errors belongs to a code of the contract', () => {
    const stray = Object.keys(en.errors).filter((key) => !ERROR_CODES.some((code) => key === code || key.startsWith(`${code}_`)))
    expect(stray).toEqual([])
  })

  it('each code reads in German and Chinese with its values filled in, and stays main’s English in English', () => {
    const wrong: string[] = []
    for (const code of ERROR_CODES) {
      const { err, context } = sampleError(code)
      i18n.global.locale.value = 'en'
      if (localizedError(err, context) !== err.message) wrong.push(`${code}: English is not main's sentence`)
      for (const locale of ['de', 'zh-CN'] as const) {
        i18n.global.locale.value = locale
        const text = localizedError(err, context)
        if (text === err.message || /[{}]/.test(text)) wrong.push(`${code} in ${locale}: ${text}`)
      }
    }
    expect(wrong).toEqual([])
  })

  it('names the reason code when the broker sent one, and says it plainly when not', () => {
    i18n.global.locale.value = 'de'
    const refused = { code: 'MQTT_PUBLISH_FAILED' as const, message: 'The broker refused the message on a/b: Not authorized.', detail: { pubackCode: 0x87 } }
    expect(localizedError(refused)).toBe('Der Broker hat die Nachricht abgelehnt (Reason Code 0x87): prüfen Sie die Zugriffsregeln des Brokers für dieses Topic.')
    expect(localizedError({ ...refused, detail: {} })).toBe('Die Nachricht wurde nicht gesendet: veröffentlichen Sie sie erneut, sobald die Verbindung steht.')
    i18n.global.locale.value = 'zh-CN'
    expect(localizedError({ code: 'MQTT_SUBSCRIBE_FAILED', message: 'x', detail: { subackCode: 0x8f } })).toContain('0x8f')
  })

  it('uses the values the error carries in its detail (a schema’s name and compile error, the new backend address, the two brokers of a replay)', () => {
    i18n.global.locale.value = 'de'
    expect(localizedError({ code: 'SCHEMA_BAD_FILE', message: 'x', detail: { name: 'plant.proto', error: "illegal token 'x' (line 3)" } })).toBe("plant.proto lässt sich nicht kompilieren: illegal token 'x' (line 3). Korrigieren Sie die Datei und importieren Sie sie erneut.")
    expect(localizedError({ code: 'SCHEMA_BAD_FILE', message: 'x' })).toMatch(/^Das ist keine Schemadatei/)
    expect(localizedError({ code: 'TRANSPORT_CLOSED', message: 'x', detail: { cause: 'ACCESS_EXPIRED', address: 'http://127.0.0.1:8848/?token=…' } })).toBe('Das Backend wurde mit einer neuen Adresse neu gestartet: öffnen Sie die Adresse, die es ausgegeben hat (http://127.0.0.1:8848/?token=…). Der Zugang dieses Tabs ist abgelaufen.')
    expect(localizedError({ code: 'REPLAY_OTHER_BROKER', message: 'x', detail: { recording: 'a.local:8883', target: 'b.local:8883' } })).toBe('Diese Aufnahme entstand auf a.local:8883, und die Wiedergabe würde in b.local:8883 veröffentlichen: bestätigen Sie, um in diesen Broker wiederzugeben.')
  })
})

const chain: ChainReport = {
  complete: false,
  entries: [
    {
      position: 0,
      subject: 'CN=mqtt.example.com',
      issuer: 'CN=Example Intermediate',
      sans: ['mqtt.example.com'],
      validFrom: '2026-01-01T00:00:00.000Z',
      validTo: '2025-12-31T00:00:00.000Z',
    } as ChainReport['entries'][number],
  ],
  breaks: [
    { kind: 'missing-intermediate', position: 0, message: 'Nobody supplied the issuer "CN=Example Intermediate" of "CN=mqtt.example.com": the broker did not send it and it is not among the trusted CAs.' },
    { kind: 'name-mismatch', position: 0, message: 'The certificate is for mqtt.example.com, not 10.0.0.5.' },
    { kind: 'expired', position: 0, message: '"CN=mqtt.example.com" expired on 2025-12-31.' },
  ],
}

describe('chain breaks', () => {
  it('say where the chain breaks in the UI’s language, from the certificate they point at', () => {
    i18n.global.locale.value = 'de'
    expect(chainBreakText(chain.breaks[0]!, chain)).toBe('Niemand hat den Aussteller „CN=Example Intermediate“ von „CN=mqtt.example.com“ geliefert: Der Broker hat ihn nicht gesendet, und er gehört nicht zu den vertrauenswürdigen CAs.')
    expect(chainBreakText(chain.breaks[2]!, chain)).toBe('„CN=mqtt.example.com“ ist am 2025-12-31 abgelaufen.')
    expect(chainBreakText(chain.breaks[1]!, chain, '10.0.0.5')).toBe('Das Zertifikat gilt für mqtt.example.com, nicht für 10.0.0.5.')
    i18n.global.locale.value = 'zh-CN'
    expect(chainBreakText(chain.breaks[1]!, chain, '10.0.0.5')).toBe('该证书签发给 mqtt.example.com，而不是 10.0.0.5。')
  })

  it('keep main’s English without the name that was checked, and always in English', () => {
    i18n.global.locale.value = 'de'
    expect(chainBreakText(chain.breaks[1]!, chain)).toBe(chain.breaks[1]!.message)
    i18n.global.locale.value = 'en'
    for (const b of chain.breaks) expect(chainBreakText(b, chain, '10.0.0.5')).toBe(b.message)
  })
})

describe('diagnoses of the failure model’s other kinds', () => {
  const failed: Diagnosis = {
    kind: 'handshake-failed',
    code: 'TLS_HANDSHAKE_FAILED',
    phase: 'tls',
    title: 'The TLS handshake failed',
    explanation: 'The TLS handshake with broker.local:8883 failed (ERR_SSL_DECRYPTION_FAILED).',
    fix: "Run a probe on this broker to see which TLS versions, ALPN protocols and certificates it accepts, and check the broker's log.",
    facts: { code: 'ERR_SSL_DECRYPTION_FAILED' },
  }

  it('translate title, explanation and fix with the connection’s address', () => {
    i18n.global.locale.value = 'de'
    expect(diagnosisText(failed, { host: 'broker.local', port: 8883 })).toEqual({
      title: 'Der TLS-Handshake ist fehlgeschlagen',
      explanation: 'Der TLS-Handshake mit broker.local:8883 ist fehlgeschlagen (ERR_SSL_DECRYPTION_FAILED).',
      fix: 'Führen Sie eine Probe auf diesem Broker aus, um zu sehen, welche TLS-Versionen, ALPN-Protokolle und Zertifikate er akzeptiert, und sehen Sie ins Log des Brokers.',
    })
  })

  it('keep main’s English for a part whose wording depends on more than the kind', () => {
    i18n.global.locale.value = 'zh-CN'
    const lost: Diagnosis = { ...failed, kind: 'connection-lost', code: 'CONNECTION_LOST', phase: 'session', title: 'The broker stopped answering', explanation: 'The broker at broker.local:8883 stopped answering keep-alive pings.', fix: 'Check the broker.', facts: {} }
    const text = diagnosisText(lost, { host: 'broker.local', port: 8883 })
    expect(text.title).toBe('连接已断开')
    expect(text.explanation).toBe(lost.explanation)
    expect(text.fix).toBe(lost.fix)
  })
})
