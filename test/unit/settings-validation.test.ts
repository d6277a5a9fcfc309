/**
 * The Settings screen's checks (each field as typed → the value saved, or the reason shown) and
 * the settings file they end up in: the new groups are validated, merged and read back field by
 * field like the tree limits.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { AppSettings, DEFAULT_SETTINGS, SettingsPatch } from '../../electron/api/settings'
import { SettingsStore } from '../../electron/core/storage/settings-store'
import { checkSetting, currentValue, draftFromSettings, patchFor, refreshDraft, sizeDraft } from '../../renderer/src/lib/settings/settings-form'
import { resolveScheme } from '../../renderer/src/lib/theme'

const MB = 1024 * 1024

function problem(result: ReturnType<typeof checkSetting>): string {
  if (result.ok) throw new Error(`expected a problem, got ${JSON.stringify(result.value)}`)
  return result.problem
}

describe('sizes on the Settings screen', () => {
  it('shows bytes in the largest unit that holds them whole', () => {
    expect(sizeDraft(16 * MB)).toEqual({ amount: 16, unit: 'MB' })
    expect(sizeDraft(256 * MB)).toEqual({ amount: 256, unit: 'MB' })
    expect(sizeDraft(1024 ** 3)).toEqual({ amount: 1, unit: 'GB' })
    expect(sizeDraft(1536)).toEqual({ amount: 1536, unit: 'B' })
  })

  it('turns a typed size into bytes, and names the allowed range when it is outside', () => {
    expect(checkSetting('tree.payloadCapBytes', { amount: 1.5, unit: 'MB' })).toEqual({ ok: true, value: 1.5 * MB })
    expect(problem(checkSetting('tree.payloadCapBytes', { amount: 512, unit: 'MB' }))).toBe('512 MB is outside the allowed range: pick between 1.0 KB and 256 MB.')
    expect(problem(checkSetting('tree.payloadCapBytes', { amount: 10, unit: 'B' }))).toMatch(/between 1\.0 KB and 256 MB/)
    expect(problem(checkSetting('tree.historyBudgetBytes', { amount: '', unit: 'MB' }))).toBe('Enter a size, e.g. 16 MB.')
    expect(problem(checkSetting('tree.historyBytesPerTopic', { amount: -1, unit: 'KB' }))).toMatch(/above zero/)
    expect(problem(checkSetting('tree.historyBudgetBytes', { amount: 17, unit: 'GB' }))).toMatch(/between 1\.0 MB and 16 GB/)
  })
})

describe('the other fields', () => {
  it('wants a whole number of history messages in range', () => {
    expect(checkSetting('tree.historyMessagesPerTopic', 250)).toEqual({ ok: true, value: 250 })
    expect(problem(checkSetting('tree.historyMessagesPerTopic', 0))).toBe('Pick between 1 (the latest only) and 100,000 messages.')
    expect(problem(checkSetting('tree.historyMessagesPerTopic', 2.5))).toBe('Enter a whole number of messages.')
    expect(problem(checkSetting('tree.historyMessagesPerTopic', ''))).toMatch(/Enter a number/)
  })

  it('takes a full key log folder or none, and refuses a relative one with the contract’s reason', () => {
    expect(checkSetting('tls.keyLogFolder', '  /var/tmp/keys  ')).toEqual({ ok: true, value: '/var/tmp/keys' })
    expect(checkSetting('tls.keyLogFolder', 'C:\\keys')).toEqual({ ok: true, value: 'C:\\keys' })
    expect(checkSetting('tls.keyLogFolder', '')).toEqual({ ok: true, value: '' })
    expect(problem(checkSetting('tls.keyLogFolder', 'keys/here'))).toMatch(/^Enter a full path/)
  })

  it('checks default subscriptions row by row', () => {
    const sub = { filter: 'plant/#', qos: 1 as const, noLocal: false, retainAsPublished: true, retainHandling: 0 as const }
    expect(checkSetting('profiles.defaultSubscriptions', [sub])).toEqual({ ok: true, value: [sub] })
    expect(checkSetting('profiles.defaultSubscriptions', [])).toEqual({ ok: true, value: [] })
    expect(problem(checkSetting('profiles.defaultSubscriptions', [sub, { ...sub, filter: '' }]))).toBe('Subscription 2 needs a topic filter, e.g. # or sensors/#.')
    expect(problem(checkSetting('profiles.defaultSubscriptions', [{ ...sub, filter: 'a/#/b' }]))).toMatch(/^Subscription 1: # must be the last level/)
    expect(problem(checkSetting('profiles.defaultSubscriptions', [sub, sub]))).toBe('The filter plant/# is listed twice: keep one.')
  })

  it('accepts only the listed themes and time formats', () => {
    expect(checkSetting('appearance.theme', 'dark')).toEqual({ ok: true, value: 'dark' })
    expect(checkSetting('appearance.timeFormat', 'utc')).toEqual({ ok: true, value: 'utc' })
    expect(checkSetting('appearance.theme', 'neon' as never).ok).toBe(false)
  })

  it('builds a patch the contract accepts, for every field of the defaults', () => {
    const draft = draftFromSettings(DEFAULT_SETTINGS)
    for (const key of Object.keys(draft) as (keyof typeof draft)[]) {
      const checked = checkSetting(key, draft[key])
      expect(checked, key).toMatchObject({ ok: true })
      if (!checked.ok) continue
      expect(checked.value, key).toEqual(currentValue(DEFAULT_SETTINGS, key))
      expect(SettingsPatch.safeParse(patchFor(key, checked.value)).success, key).toBe(true)
    }
  })
})

describe('theme', () => {
  it('follows the system only when asked to', () => {
    expect(resolveScheme('system', true)).toBe('dark')
    expect(resolveScheme('system', false)).toBe('light')
    expect(resolveScheme('light', true)).toBe('light')
    expect(resolveScheme('dark', false)).toBe('dark')
  })
})

describe('settings.json with the new groups', () => {
  let dir: string | undefined
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  it('has defaults for a file from before: system theme, local time, # and $SYS/#, the app’s key log folder', () => {
    const old = AppSettings.parse({ tree: { historyMessagesPerTopic: 3 } })
    expect(old.tree.historyMessagesPerTopic).toBe(3)
    expect(old.appearance).toEqual({ theme: 'system', timeFormat: 'local', language: 'system' })
    expect(old.profiles.defaultSubscriptions.map((s) => s.filter)).toEqual(['#', '$SYS/#'])
    expect(old.tls.keyLogFolder).toBe('')
  })

  it('saves one group’s field and keeps the others, atomically, and reads it back', async () => {
    dir = await mkdtemp(join(tmpdir(), 'mqtts-settings-ui-'))
    const store = await SettingsStore.open(dir)
    await store.update({ tree: { historyMessagesPerTopic: 9 } })
    const next = await store.update({ appearance: { theme: 'light' } })
    expect(next.appearance).toEqual({ theme: 'light', timeFormat: 'local', language: 'system' })
    expect(next.tree.historyMessagesPerTopic).toBe(9)
    await store.update({ appearance: { timeFormat: 'utc' }, tls: { keyLogFolder: dir } })
    const reopened = await SettingsStore.open(dir)
    expect(reopened.get().appearance).toEqual({ theme: 'light', timeFormat: 'utc', language: 'system' })
    expect(reopened.get().tls.keyLogFolder).toBe(dir)
    expect(JSON.parse(await readFile(join(dir, 'settings.json'), 'utf8')).appearance.theme).toBe('light')
  })

  it('refuses a key log folder that does not exist, naming the field', async () => {
    dir = await mkdtemp(join(tmpdir(), 'mqtts-settings-ui-'))
    const store = await SettingsStore.open(dir)
    const missing = join(dir, 'no-such-folder')
    await expect(store.update({ tls: { keyLogFolder: missing } })).rejects.toMatchObject({ code: 'BAD_REQUEST', detail: { field: 'tls.keyLogFolder' }, message: expect.stringContaining(`The folder ${missing} does not exist`) })
    await expect(store.update({ appearance: { theme: 'neon' as never } })).rejects.toMatchObject({ code: 'BAD_REQUEST', detail: { field: 'appearance.theme' } })
    expect(store.get()).toEqual(DEFAULT_SETTINGS)
  })

  it('keeps the good values of a hand-edited file and puts each bad one back, with a warning', async () => {
    dir = await mkdtemp(join(tmpdir(), 'mqtts-settings-ui-'))
    await writeFile(
      join(dir, 'settings.json'),
      JSON.stringify({ tree: { highlightChanges: false }, appearance: { theme: 'neon', timeFormat: 'utc' }, profiles: { defaultSubscriptions: 'all' }, tls: 5 }),
    )
    const store = await SettingsStore.open(dir)
    expect(store.get().tree.highlightChanges).toBe(false)
    expect(store.get().appearance).toEqual({ theme: 'system', timeFormat: 'utc', language: 'system' })
    expect(store.get().profiles).toEqual(DEFAULT_SETTINGS.profiles)
    expect(store.get().tls).toEqual(DEFAULT_SETTINGS.tls)
    expect(store.warnings.join(' ')).toMatch(/appearance\.theme/)
    expect(store.warnings.join(' ')).toMatch(/profiles\.defaultSubscriptions/)
  })
})

describe('the Settings screen after a save lands', () => {
  const withHistory = (n: number): AppSettings => ({ ...DEFAULT_SETTINGS, tree: { ...DEFAULT_SETTINGS.tree, historyMessagesPerTopic: n } })

  it('shows what is in force in untouched fields, keeps a field typed in and not saved yet, and one being fixed', () => {
    const before = withHistory(5)
    const shown = draftFromSettings(before)
    const draft = draftFromSettings(before)
    // The user typed a filter (not saved yet) and a bad payload cap; meanwhile the history
    // field's save (or another window's) lands.
    draft['profiles.defaultSubscriptions'] = [{ ...draft['profiles.defaultSubscriptions'][0], filter: 'plant/#' }]
    draft['tree.payloadCapBytes'] = { amount: 0, unit: 'MB' }
    const after = { ...withHistory(7), appearance: { ...before.appearance, theme: 'dark' as const } }
    refreshDraft(draft, shown, draftFromSettings(after), { 'tree.payloadCapBytes': 'too small' })
    expect(draft['tree.historyMessagesPerTopic']).toBe(7)
    expect(draft['appearance.theme']).toBe('dark')
    expect(draft['profiles.defaultSubscriptions'].map((s) => s.filter)).toEqual(['plant/#'])
    expect(draft['tree.payloadCapBytes']).toEqual({ amount: 0, unit: 'MB' })
    // Once the filter is saved it is what is in force, and later saves show it as such.
    const saved = { ...after, profiles: { ...after.profiles, defaultSubscriptions: draft['profiles.defaultSubscriptions'] } }
    const shownNow = draftFromSettings(after)
    refreshDraft(draft, shownNow, draftFromSettings(saved), {})
    expect(draft['profiles.defaultSubscriptions'].map((s) => s.filter)).toEqual(['plant/#'])
  })
})
