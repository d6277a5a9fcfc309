/**
 * Error sentences and TLS diagnoses follow the UI's language by their stable code (or kind):
 * translated with the values they carry where a translation exists and every value is known,
 * main's English otherwise, and always main's English when the UI is in English.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { Diagnosis } from '@api'
import { i18n } from '../../renderer/src/lib/i18n'
import { diagnosisText, localizedError } from '../../renderer/src/lib/i18n/errors'
import { errorText } from '../../renderer/src/lib/format'

const refused = { code: 'BROKER_UNREACHABLE' as const, message: 'Nothing is listening on broker.local:8883: check the port number and that the broker is running.', detail: { cause: 'ECONNREFUSED', phase: 'tcp' } }

afterEach(() => {
  i18n.global.locale.value = 'en'
})

describe('translated errors', () => {
  it('keeps main’s English sentence when the UI is in English', () => {
    expect(localizedError(refused, { host: 'broker.local', port: 8883 })).toBe(refused.message)
  })

  it('translates by code and cause with the connection’s address filled in', () => {
    i18n.global.locale.value = 'de'
    expect(localizedError(refused, { host: 'broker.local', port: 8883 })).toBe('Auf broker.local:8883 lauscht nichts: prüfen Sie die Portnummer und ob der Broker läuft.')
    i18n.global.locale.value = 'zh-CN'
    expect(localizedError(refused, { host: 'broker.local', port: 8883 })).toContain('broker.local:8883')
  })

  it('falls back to the code’s general sentence, then to English, when a value the sentence needs is unknown', () => {
    i18n.global.locale.value = 'de'
    expect(localizedError(refused)).toBe('Der Broker ist nicht erreichbar: prüfen Sie Adresse und Port, Ihr Netzwerk und ob der Broker läuft.')
    const other = { code: 'CONNECT_TIMEOUT' as const, message: 'broker.local:8883 did not answer within 30 s.' }
    expect(localizedError(other)).toBe(other.message)
  })

  it('keeps the broker’s own words when it explained a refusal', () => {
    i18n.global.locale.value = 'de'
    const said = { code: 'MQTT_BAD_CREDENTIALS' as const, message: 'x', detail: { reasonString: 'account disabled', connackCode: 134 } }
    expect(localizedError(said)).toContain('„account disabled“')
    expect(localizedError({ ...said, detail: { connackCode: 134 } })).toBe('Der Broker hat Benutzername oder Passwort abgelehnt: prüfen Sie beides und verbinden Sie erneut.')
  })

  it('format.errorText translates a thrown ApiError by its code too', () => {
    i18n.global.locale.value = 'de'
    expect(errorText({ code: 'MQTT_CLIENT_ID_REJECTED', message: 'The broker rejected the client ID.' })).toMatch(/^Der Broker hat die Client-ID abgelehnt/)
    expect(errorText(new Error('plain'))).toBe('plain')
  })
})

describe('translated diagnoses', () => {
  const mismatch: Diagnosis = {
    kind: 'hostname-mismatch',
    code: 'TLS_HOSTNAME_MISMATCH',
    phase: 'tls',
    title: 'The certificate is for another name',
    explanation: "The broker's certificate is for mqtt.example.com, not 10.0.0.5.",
    fix: 'Connect by that name or set the TLS server name (SNI) to it.',
    facts: { validNames: ['mqtt.example.com'], checkedName: '10.0.0.5' },
  }

  it('translates the parts it has, with the facts filled in, and keeps main’s English for the rest', () => {
    i18n.global.locale.value = 'de'
    const text = diagnosisText(mismatch)
    expect(text.title).toBe('Das Zertifikat gilt für einen anderen Namen')
    expect(text.explanation).toBe('Das Zertifikat des Brokers gilt für mqtt.example.com, nicht für 10.0.0.5.')
    expect(text.fix).toBe(mismatch.fix)
    i18n.global.locale.value = 'en'
    expect(diagnosisText(mismatch)).toEqual({ title: mismatch.title, explanation: mismatch.explanation, fix: mismatch.fix })
  })
})
