/**
 * The MQTT 5 properties section as a form holds it (text fields, a hex/text toggle) and the
 * contract's `OutgoingProperties` it stands for. Empty fields are properties not sent. Problems
 * are sentences in the UI's language.
 */
import type { CorrelationData, OutgoingProperties, UserProperty } from '@api'
import { formatCount } from '../format'
import { t } from '../i18n'
import { topicProblem } from './payload-check'

export interface PropertiesForm {
  payloadFormatIndicator: boolean
  contentType: string
  /** Seconds, as typed. */
  messageExpiry: string
  topicAlias: string
  responseTopic: string
  correlation: CorrelationData
  userProperties: UserProperty[]
}

/** The form showing `properties` (the draft's). */
export function propertiesForm(properties: OutgoingProperties): PropertiesForm {
  return {
    payloadFormatIndicator: properties.payloadFormatIndicator === true,
    contentType: properties.contentType ?? '',
    messageExpiry: properties.messageExpiryInterval === undefined ? '' : String(properties.messageExpiryInterval),
    topicAlias: properties.topicAlias === undefined ? '' : String(properties.topicAlias),
    responseTopic: properties.responseTopic ?? '',
    correlation: properties.correlationData ? { ...properties.correlationData } : { encoding: 'utf8', value: '' },
    userProperties: properties.userProperties.map((p) => ({ ...p })),
  }
}

function integer(text: string, min: number, max: number, what: string): { value?: number; problem?: string } {
  const typed = text.trim()
  if (typed === '') return {}
  if (!/^\d+$/.test(typed)) return { problem: t('publish.propsCheck.whole', { what }) }
  const n = Number(typed)
  if (n < min || n > max) return { problem: t('publish.propsCheck.range', { what, min: formatCount(min), max: formatCount(max) }) }
  return { value: n }
}

/** Number of counted properties set (for the collapsed section's summary). */
export function countSet(p: OutgoingProperties): number {
  return [p.payloadFormatIndicator, p.contentType, p.messageExpiryInterval, p.topicAlias, p.responseTopic, p.correlationData].filter((v) => v !== undefined && v !== false).length + p.userProperties.length
}

/** The form as properties, or the first field that is wrong, as a sentence. */
export function readPropertiesForm(form: PropertiesForm): { properties: OutgoingProperties; problem: string | null } {
  const properties: OutgoingProperties = { userProperties: form.userProperties.map((p) => ({ name: p.name, value: p.value })) }
  let problem: string | null = null
  const note = (p: string | undefined) => {
    if (p && problem === null) problem = p
  }
  if (form.payloadFormatIndicator) properties.payloadFormatIndicator = true
  if (form.contentType !== '') properties.contentType = form.contentType
  const expiry = integer(form.messageExpiry, 0, 0xffffffff, t('publish.propsCheck.expiry'))
  note(expiry.problem)
  if (expiry.value !== undefined) properties.messageExpiryInterval = expiry.value
  const alias = integer(form.topicAlias, 1, 0xffff, t('publish.propsCheck.alias'))
  note(alias.problem)
  if (alias.value !== undefined) properties.topicAlias = alias.value
  if (form.responseTopic !== '') {
    const bad = topicProblem(form.responseTopic)
    note(bad ? t('publish.propsCheck.responseTopic', { problem: bad }) : undefined)
    properties.responseTopic = form.responseTopic
  }
  if (form.correlation.value !== '') {
    if (form.correlation.encoding === 'hex') {
      const digits = form.correlation.value.replace(/\s+/g, '')
      if (!/^[0-9a-fA-F]*$/.test(digits)) note(t('publish.propsCheck.hexDigits'))
      else if (digits.length % 2 === 1) note(t('publish.propsCheck.hexPairs'))
    }
    properties.correlationData = { ...form.correlation }
  }
  if (form.userProperties.some((p) => p.name === '')) note(t('publish.propsCheck.userPropName'))
  return { properties, problem }
}
