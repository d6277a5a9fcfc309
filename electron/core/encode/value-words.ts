/**
 * The words a refusal names a value with ("The field "floor"", "the text "abc"", "a list"),
 * each as English for main's sentence and as a code-valued param (`labelKind`, `valueKind`) with
 * the names it holds, so the renderer says the whole sentence in the UI's language instead of
 * putting English words into it. Built only on the error path.
 */
import type { NoticeParams } from '../../api'
import { AuthoredFloat, isAuthoredObject, type AuthoredValue } from './authored-json'

/** Words and the params that stand for them in a notice. */
export interface Words {
  text: string
  params: NoticeParams
}

/**
 * What a value is called at the start of a sentence: a Protobuf field, a map's key or value, a
 * Sparkplug value of a datatype, an array's element, a metric's alias, the payload's seq.
 */
export type LabelKind = 'field' | 'mapKey' | 'mapValue' | 'typedValue' | 'arrayElement' | 'alias' | 'seq'

/** `name` is the field, key or datatype; `of` the map field a map value is in. */
export function labelOf(kind: LabelKind, name = '', of = ''): Words {
  const params: NoticeParams = kind === 'mapValue' ? { labelKind: kind, labelName: name, labelOf: of } : kind === 'alias' || kind === 'seq' ? { labelKind: kind } : { labelKind: kind, labelName: name }
  return { text: LABEL_TEXT[kind](name, of), params }
}

const LABEL_TEXT: Readonly<Record<LabelKind, (name: string, of: string) => string>> = {
  field: (name) => `The field "${name}"`,
  // Lower-cased as a whole, field name included, as main has always written it.
  mapKey: (name) => `A key of ${`The field "${name}"`.toLowerCase()}`,
  mapValue: (name, of) => `The value of "${name}" in ${of}`,
  typedValue: (name) => `A ${name} value`,
  arrayElement: (name) => `${name.startsWith('Int') ? 'An' : 'A'} ${name} element`,
  alias: () => 'An alias',
  seq: () => 'seq',
}

/** What a value is, said after "not …": null, true, false, a list, an object, the text "…", the number 3.7. */
export function valueOf(v: AuthoredValue): Words {
  if (v === null) return { text: 'null', params: { valueKind: 'null' } }
  if (Array.isArray(v)) return { text: 'a list', params: { valueKind: 'list' } }
  if (isAuthoredObject(v)) return { text: 'an object', params: { valueKind: 'object' } }
  if (typeof v === 'string') {
    const valueText = JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)
    return { text: `the text ${valueText}`, params: { valueKind: 'text', valueText } }
  }
  if (typeof v === 'boolean') return { text: String(v), params: { valueKind: String(v) } }
  // As written in the JSON, not in the UI's digits: it is the value to find and change.
  const valueNumber = v instanceof AuthoredFloat ? String(v.value) : String(v)
  return { text: `the number ${valueNumber}`, params: { valueKind: 'number', valueNumber } }
}

/** What a Sparkplug B refusal is about: the payload, a metric, its properties, one property. */
export type SubjectKind = 'payload' | 'metric' | 'properties' | 'property'

/** `property` is the property's key. */
export function subjectOf(kind: SubjectKind, property = ''): Words {
  const text = kind === 'payload' ? 'A Sparkplug B payload' : kind === 'metric' ? 'A metric' : kind === 'properties' ? 'Properties' : `The property "${property}"`
  return { text, params: kind === 'property' ? { subjectKind: kind, property } : { subjectKind: kind } }
}
