/**
 * The editor's working copy of a profile, and the conversions to and from the contract's
 * ProfileSpec. Validation runs the contract's own schema, so the form and the main side agree
 * on what is valid; the few checks the schema cannot express are added here. Problems are
 * written in the UI's language.
 */
import { isTlsScheme, ProfileSpec, type Profile, type ProfileSpecInput, type SessionSecrets, type SubscriptionSpec, type UserProperties } from '@api'
import type { z } from 'zod'
import { cleanRule, ruleProblems } from './decoder-rules'
import { t } from '../i18n'

type UserProps = z.infer<typeof UserProperties>

export interface KeyValue {
  key: string
  value: string
}

/** 'vault' picks an identity already in the vault; 'pem'/'pkcs12' upload files (imported into the vault on save). */
export type ClientIdentity = 'none' | 'vault' | 'pem' | 'pkcs12'

export interface ProfileForm {
  spec: ProfileSpec
  willEnabled: boolean
  willTopic: string
  willPayload: string
  willQos: 0 | 1 | 2
  willRetain: boolean
  willDelay: number | ''
  willExpiry: number | ''
  willContentType: string
  willResponseTopic: string
  willUserProps: KeyValue[]
  alpnText: string
  identity: ClientIdentity
  /** Typed or chosen in this editor; merged into the session secret store on save. */
  secrets: SessionSecrets
}

/** A client id that is unique enough for a broker and recognisable in its logs. */
export function generateClientId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(4))
  return `mqtts-explorer-${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')}`
}

function toPairs(props: UserProps | undefined): KeyValue[] {
  const out: KeyValue[] = []
  for (const [key, v] of Object.entries(props ?? {})) {
    for (const value of Array.isArray(v) ? v : [v]) out.push({ key, value })
  }
  return out
}

/** Repeated keys become arrays: MQTT 5 user properties may repeat a name. */
export function fromPairs(pairs: KeyValue[]): UserProps | undefined {
  const out: UserProps = {}
  for (const { key, value } of pairs) {
    if (!key) continue
    const prev = out[key]
    out[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value]
  }
  return Object.keys(out).length ? out : undefined
}

/** What a fresh profile starts with beyond the contract's defaults (from Settings). */
export interface NewProfileDefaults {
  subscriptions?: readonly SubscriptionSpec[]
}

/** Builds the form for an existing profile, or a fresh one with defaults (the Settings' subscriptions when given). */
export function formFromProfile(profile: Profile | null, defaults: NewProfileDefaults = {}): ProfileForm {
  const spec: ProfileSpec = profile
    ? // JSON clone: the profile may be a reactive proxy, which structuredClone refuses.
      ProfileSpec.parse(JSON.parse(JSON.stringify(profile)))
    : ProfileSpec.parse({
        // A starting name in the UI's language; it is the user's to change and is saved as typed.
        name: t('profileEditor.defaultName'),
        host: 'localhost',
        port: 8883,
        clientId: generateClientId(),
        ...(defaults.subscriptions ? { subscriptions: JSON.parse(JSON.stringify(defaults.subscriptions)) } : {}),
      })
  const will = spec.will
  return {
    spec,
    willEnabled: !!will,
    willTopic: will?.topic ?? '',
    willPayload: will?.payload ?? '',
    willQos: will?.qos ?? 0,
    willRetain: will?.retain ?? false,
    willDelay: will?.properties?.willDelayInterval ?? '',
    willExpiry: will?.properties?.messageExpiryInterval ?? '',
    willContentType: will?.properties?.contentType ?? '',
    willResponseTopic: will?.properties?.responseTopic ?? '',
    willUserProps: toPairs(will?.properties?.userProperties),
    alpnText: spec.tls.alpn.join(', '),
    identity: spec.tls.identityItemId ? 'vault' : spec.tls.pkcs12Name ? 'pkcs12' : spec.tls.clientCert || spec.tls.clientKeyName ? 'pem' : 'none',
    secrets: {},
  }
}

/** The spec to save. Fields that do not apply (MQTT 5 only, TLS only) are dropped, not kept stale. */
export function specFromForm(form: ProfileForm): ProfileSpecInput {
  const s = form.spec
  const v5 = s.protocolVersion === 5
  const tls = isTlsScheme(s.scheme)
  const willProps = v5
    ? {
        willDelayInterval: form.willDelay === '' ? undefined : form.willDelay,
        messageExpiryInterval: form.willExpiry === '' ? undefined : form.willExpiry,
        contentType: form.willContentType || undefined,
        responseTopic: form.willResponseTopic || undefined,
        userProperties: fromPairs(form.willUserProps),
      }
    : undefined
  const hasWillProps = !!willProps && Object.values(willProps).some((x) => x !== undefined)
  return {
    ...s,
    group: s.group?.trim() || undefined,
    username: s.username || undefined,
    sessionExpiryInterval: v5 ? s.sessionExpiryInterval : 0,
    will: form.willEnabled
      ? { topic: form.willTopic, payload: form.willPayload, qos: form.willQos, retain: form.willRetain, properties: hasWillProps ? willProps : undefined }
      : null,
    subscriptions: s.subscriptions.map((sub) => (v5 ? sub : { ...sub, noLocal: false, retainAsPublished: false, retainHandling: 0 })),
    decoderRules: s.decoderRules.map(cleanRule),
    tls: tls
      ? {
          ...s.tls,
          alpn: form.alpnText.split(',').map((x) => x.trim()).filter(Boolean),
          identityItemId: form.identity === 'vault' ? s.tls.identityItemId : undefined,
          clientCert: form.identity === 'pem' ? s.tls.clientCert : null,
          clientKeyName: form.identity === 'pem' ? s.tls.clientKeyName : undefined,
          pkcs12Name: form.identity === 'pkcs12' ? s.tls.pkcs12Name : undefined,
          minVersion: s.tls.minVersion || undefined,
          maxVersion: s.tls.maxVersion || undefined,
        }
      : { ...s.tls, ca: [], caItemIds: [], identityItemId: undefined, clientCert: null, clientKeyName: undefined, pkcs12Name: undefined },
  }
}

/** Plain sentences (their keys) for the fields people most often get wrong; the schema's wording covers the rest. */
const FRIENDLY: Record<string, string> = {
  name: 'profileEditor.problems.name',
  host: 'profileEditor.problems.host',
  port: 'profileEditor.problems.port',
  keepalive: 'profileEditor.problems.keepalive',
  connectTimeoutMs: 'profileEditor.problems.connectTimeout',
  sessionExpiryInterval: 'profileEditor.problems.sessionExpiry',
  'reconnect.maxDelayMs': 'profileEditor.problems.maxDelay',
}

/** Problems by field path ('host', 'will.topic', 'tls.clientCert', …); empty means valid. */
export function validateForm(form: ProfileForm): Record<string, string> {
  const errors: Record<string, string> = {}
  const spec = specFromForm(form)
  const result = ProfileSpec.safeParse(spec)
  if (!result.success) {
    for (const issue of result.error.issues) {
      const path = issue.path.join('.') || 'profile'
      errors[path] ??= path in FRIENDLY ? t(FRIENDLY[path]) : issue.message
    }
  }
  if (form.willEnabled && !form.willTopic) errors['will.topic'] = t('profileEditor.problems.willTopic')
  if (form.spec.subscriptions.some((s) => !s.filter)) errors['subscriptions'] = t('profileEditor.problems.subscriptionFilter')
  Object.assign(errors, ruleProblems(form.spec.decoderRules.map(cleanRule)))
  if (isTlsScheme(form.spec.scheme) && form.identity === 'pem') {
    if (!form.spec.tls.clientCert) errors['tls.clientCert'] = t('profileEditor.problems.clientCert')
    if (!form.spec.tls.clientKeyName) errors['tls.clientKeyName'] = t('profileEditor.problems.clientKey')
  }
  if (isTlsScheme(form.spec.scheme) && form.identity === 'vault' && !form.spec.tls.identityItemId) {
    errors['tls.identityItemId'] = t('profileEditor.problems.identityItem')
  }
  if (isTlsScheme(form.spec.scheme) && form.identity === 'pkcs12' && !form.spec.tls.pkcs12Name) {
    errors['tls.pkcs12Name'] = t('profileEditor.problems.pkcs12')
  }
  return errors
}
