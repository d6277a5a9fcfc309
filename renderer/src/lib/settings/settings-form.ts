/**
 * The Settings screen's fields: how each setting is typed in (sizes as a number and a unit), and
 * the check that turns what was typed into the value to save or the reason it cannot be saved.
 * The final word is the contract's own field schema (electron/api/settings.ts), so the screen and
 * the main side agree; the sentences here say the same rule in a user's words.
 */
import { SETTING_FIELDS, SETTING_RANGES, type AppSettings, type SettingsPatch, type SubscriptionSpec, type LanguageChoice, type ThemeChoice, type TimeFormat } from '@api'
import { formatBytes } from '../format'
import { filterProblem } from '../editor/decoder-rules'
import { currentLocale, t } from '../i18n'

export const BYTE_UNITS = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 } as const
export type ByteUnit = keyof typeof BYTE_UNITS

/** A size as typed: `amount` is what a number input's v-model holds ('' when blank or unparsable). */
export interface SizeDraft {
  amount: number | ''
  unit: ByteUnit
}

/** What each field of the screen holds while it is edited. */
export interface SettingsDraft {
  'tree.payloadCapBytes': SizeDraft
  'tree.historyMessagesPerTopic': number | ''
  'tree.historyBytesPerTopic': SizeDraft
  'tree.historyBudgetBytes': SizeDraft
  'tree.highlightChanges': boolean
  'appearance.theme': ThemeChoice
  'appearance.timeFormat': TimeFormat
  'appearance.language': LanguageChoice
  'profiles.defaultSubscriptions': SubscriptionSpec[]
  'tls.keyLogFolder': string
}
export type SettingKey = keyof SettingsDraft

export const SETTING_KEYS = [
  'tree.payloadCapBytes',
  'tree.historyMessagesPerTopic',
  'tree.historyBytesPerTopic',
  'tree.historyBudgetBytes',
  'tree.highlightChanges',
  'appearance.theme',
  'appearance.timeFormat',
  'appearance.language',
  'profiles.defaultSubscriptions',
  'tls.keyLogFolder',
] as const satisfies readonly SettingKey[]

/** A checked field: the value to save, or the sentence shown next to the field. */
export type Checked = { ok: true; value: unknown } | { ok: false; problem: string }

/** Bytes in the largest unit that holds them whole: 16777216 → 16 MB, 1536 → 1536 B. */
export function sizeDraft(bytes: number): SizeDraft {
  for (const unit of ['GB', 'MB', 'KB'] as const) {
    if (bytes >= BYTE_UNITS[unit] && bytes % BYTE_UNITS[unit] === 0) return { amount: bytes / BYTE_UNITS[unit], unit }
  }
  return { amount: bytes, unit: 'B' }
}

/** The screen's fields for the settings in force (subscriptions copied, so editing them changes nothing yet). */
export function draftFromSettings(s: AppSettings): SettingsDraft {
  return {
    'tree.payloadCapBytes': sizeDraft(s.tree.payloadCapBytes),
    'tree.historyMessagesPerTopic': s.tree.historyMessagesPerTopic,
    'tree.historyBytesPerTopic': sizeDraft(s.tree.historyBytesPerTopic),
    'tree.historyBudgetBytes': sizeDraft(s.tree.historyBudgetBytes),
    'tree.highlightChanges': s.tree.highlightChanges,
    'appearance.theme': s.appearance.theme,
    'appearance.timeFormat': s.appearance.timeFormat,
    'appearance.language': s.appearance.language,
    'profiles.defaultSubscriptions': s.profiles.defaultSubscriptions.map((sub) => ({ ...sub })),
    'tls.keyLogFolder': s.tls.keyLogFolder,
  }
}

/**
 * Puts the settings in force (`fresh`) into the screen's fields after a save, this window's or
 * another's, except fields being fixed (a problem is shown) or edited and not saved yet (they
 * differ from `shown`, what the settings last gave them): those keep what was typed. Without the
 * second rule, a save landing while the next field was being typed in (the previous field's,
 * a moment late) put that field back to its old value, and the next save stored the old one.
 */
export function refreshDraft(draft: SettingsDraft, shown: SettingsDraft, fresh: SettingsDraft, problems: Partial<Record<SettingKey, string>>): void {
  for (const key of SETTING_KEYS) {
    if (problems[key] || JSON.stringify(draft[key]) !== JSON.stringify(shown[key])) continue
    ;(draft as Record<SettingKey, unknown>)[key] = fresh[key]
  }
}

const count = (n: number): string => n.toLocaleString(currentLocale())

function checkSize(key: 'payloadCapBytes' | 'historyBytesPerTopic' | 'historyBudgetBytes', draft: SizeDraft): Checked {
  const { min, max } = SETTING_RANGES[key]
  if (draft.amount === '' || !Number.isFinite(draft.amount)) return { ok: false, problem: t('settings.problem.sizeMissing') }
  if (draft.amount <= 0) return { ok: false, problem: t('settings.problem.sizeZero', { min: formatBytes(min), max: formatBytes(max) }) }
  const bytes = Math.round(draft.amount * BYTE_UNITS[draft.unit])
  if (bytes < min || bytes > max) return { ok: false, problem: t('settings.problem.sizeRange', { size: formatBytes(bytes), min: formatBytes(min), max: formatBytes(max) }) }
  return { ok: true, value: bytes }
}

function checkSubscriptions(subs: SubscriptionSpec[]): Checked {
  for (const [i, sub] of subs.entries()) {
    if (sub.filter === '') return { ok: false, problem: t('settings.problem.subscriptionEmpty', { n: i + 1 }) }
    const problem = filterProblem(sub.filter)
    if (problem) return { ok: false, problem: t('settings.problem.subscriptionBad', { n: i + 1, problem }) }
  }
  const filters = subs.map((s) => s.filter)
  const twice = filters.find((f, i) => filters.indexOf(f) !== i)
  if (twice !== undefined) return { ok: false, problem: t('settings.problem.filterTwice', { filter: twice }) }
  return { ok: true, value: subs.map((s) => ({ ...s })) }
}

/** Checks one field as typed. */
export function checkSetting<K extends SettingKey>(key: K, draft: SettingsDraft[K]): Checked {
  let checked: Checked
  switch (key) {
    case 'tree.payloadCapBytes':
    case 'tree.historyBytesPerTopic':
    case 'tree.historyBudgetBytes':
      checked = checkSize(key.slice('tree.'.length) as 'payloadCapBytes', draft as SizeDraft)
      break
    case 'tree.historyMessagesPerTopic': {
      const n = draft as number | ''
      const { min, max } = SETTING_RANGES.historyMessagesPerTopic
      if (n === '' || !Number.isFinite(n)) checked = { ok: false, problem: t('settings.problem.countMissing') }
      else if (!Number.isInteger(n)) checked = { ok: false, problem: t('settings.problem.countWhole') }
      else if (n < min || n > max) checked = { ok: false, problem: t('settings.problem.countRange', { min: count(min), max: count(max) }) }
      else checked = { ok: true, value: n }
      break
    }
    case 'tls.keyLogFolder': {
      const folder = (draft as string).trim()
      checked = { ok: true, value: folder }
      break
    }
    case 'profiles.defaultSubscriptions':
      checked = checkSubscriptions(draft as SubscriptionSpec[])
      break
    default:
      checked = { ok: true, value: draft }
  }
  if (!checked.ok) return checked
  // The contract's schema has the last word: a rule written only here cannot drift from it.
  const [group, field] = key.split('.') as [keyof typeof SETTING_FIELDS, string]
  const schema = (SETTING_FIELDS[group] as Record<string, { safeParse(v: unknown): { success: boolean; error?: { issues: { message: string }[] } } }>)[field]
  const parsed = schema.safeParse(checked.value)
  if (!parsed.success) return { ok: false, problem: parsed.error?.issues[0]?.message ?? t('settings.problem.notAllowed') }
  return checked
}

/** The patch that saves one checked value. */
export function patchFor(key: SettingKey, value: unknown): SettingsPatch {
  const [group, field] = key.split('.') as [keyof SettingsPatch, string]
  return { [group]: { [field]: value } } as SettingsPatch
}

/** The value a setting has now, to tell whether a checked value changes anything. */
export function currentValue(settings: AppSettings, key: SettingKey): unknown {
  const [group, field] = key.split('.') as [keyof AppSettings, string]
  return (settings[group] as Record<string, unknown>)[field]
}
