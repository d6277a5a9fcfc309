/**
 * App settings as `settings.json` in the data folder, written atomically. A file that is not
 * JSON is set aside and reported; values that are out of range or unknown fall back to their
 * defaults one by one (the file's schema catches each field), so a hand-edited file with one
 * typo keeps every other setting.
 */
import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { DEFAULT_SETTINGS, SETTINGS_GROUPS, SettingsPatch, type AppSettings, type SettingsGroup } from '../../api/settings'
import { ApiError } from '../../api/errors'
import { notice, type Notice } from '../../api/notices'
import { removeStaleTemps, writeJsonAtomic } from './atomic-json'
import { SerialQueue } from './serial-queue'
import { readStoredFile, warningNotice } from './stored-file'

export const SETTINGS_FILE = 'settings.json'

export class SettingsStore {
  private readonly queue = new SerialQueue()

  private constructor(
    private readonly path: string,
    private current: AppSettings,
    /** Problems found while reading the file (shown like other storage warnings). */
    readonly warnings: string[],
    /** The same problems with their codes, for translation (same order). */
    readonly warningNotices: Notice[],
  ) {}

  static async open(dataDir: string): Promise<SettingsStore> {
    const path = join(dataDir, SETTINGS_FILE)
    await removeStaleTemps(path)
    const notices: Notice[] = []
    const read = await readStoredFile(path, settingsFile(notices), {
      fallback: () => structuredClone(DEFAULT_SETTINGS),
      what: 'settings',
      shape: 'a settings file',
      startsWith: 'with the default settings',
      term: 'settings',
    })
    if (read.problem) notices.push(warningNotice(read.problem))
    return new SettingsStore(path, read.value, notices.map((n) => n.message), notices)
  }

  /** The settings in force (a copy). */
  get(): AppSettings {
    return structuredClone(this.current)
  }

  /** Applies a validated partial change, saves it and returns the settings now in force. */
  update(patch: SettingsPatch): Promise<AppSettings> {
    return this.queue.run(async () => {
      const parsed = SettingsPatch.safeParse(patch)
      if (!parsed.success) {
        const issue = parsed.error.issues[0]
        const field = issue?.path.join('.') || 'value'
        throw new ApiError('BAD_REQUEST', `The setting ${field} is not valid (${issue?.message ?? 'out of range'}); pick a value in the allowed range.`, { field })
      }
      const folder = parsed.data.tls?.keyLogFolder
      if (folder) await mustBeFolder(folder)
      const next = structuredClone(this.current)
      for (const group of Object.keys(SETTINGS_GROUPS) as SettingsGroup[]) {
        const change = parsed.data[group]
        if (change) Object.assign(next[group], change)
      }
      await writeJsonAtomic(this.path, next)
      this.current = next
      return this.get()
    })
  }
}

/** A key log folder must exist now: the key log is written there without asking again. */
async function mustBeFolder(folder: string): Promise<void> {
  const info = await stat(folder).catch(() => null)
  if (!info?.isDirectory()) {
    throw new ApiError('BAD_REQUEST', `The folder ${folder} does not exist — create it first, or leave the field empty for the app’s own keylogs folder.`, { field: 'tls.keyLogFolder' })
  }
}

/**
 * The settings a file holds, each bad or missing value replaced by its default: a field that
 * does not validate is caught on its own (and named in `warnings`); a group that is not an
 * object, or a file that is not one, means the defaults, quietly. Unknown fields are dropped.
 * So the schema never fails: only a file that is not JSON at all is set aside.
 */
function settingsFile(warnings: Notice[]): z.ZodType<AppSettings> {
  const groups = Object.fromEntries(
    (Object.entries(SETTINGS_GROUPS) as [SettingsGroup, z.ZodObject][]).map(([group, schema]) => {
      const defaults = DEFAULT_SETTINGS[group] as Record<string, unknown>
      const fields = Object.fromEntries(
        Object.entries(schema.shape as Record<string, z.ZodType>).map(([key, field]) => [
          key,
          field.catch(() => {
            warnings.push(notice('SETTING_RESET', `The setting ${group}.${key} in ${SETTINGS_FILE} was not valid and is back at its default.`, { setting: `${group}.${key}`, fileName: SETTINGS_FILE }))
            return structuredClone(defaults[key])
          }),
        ]),
      )
      return [group, z.object(fields).catch(() => structuredClone(defaults))]
    }),
  )
  return z.object(groups).catch(() => structuredClone(DEFAULT_SETTINGS)) as unknown as z.ZodType<AppSettings>
}
