/**
 * App settings as `settings.json` in the data folder, written atomically. A file that is not
 * JSON is set aside and reported; values that are out of range or unknown fall back to their
 * defaults one by one (the file's schema catches each field), so a hand-edited file with one
 * typo keeps every other setting.
 */
import { join } from 'node:path'
import { z } from 'zod'
import { DEFAULT_SETTINGS, SettingsPatch, TreeSettings, type AppSettings } from '../../api/settings'
import { ApiError } from '../../api/errors'
import { removeStaleTemps, writeJsonAtomic } from './atomic-json'
import { SerialQueue } from './serial-queue'
import { readStoredFile } from './stored-file'

export const SETTINGS_FILE = 'settings.json'

export class SettingsStore {
  private readonly queue = new SerialQueue()

  private constructor(
    private readonly path: string,
    private current: AppSettings,
    /** Problems found while reading the file (shown like other storage warnings). */
    readonly warnings: string[],
  ) {}

  static async open(dataDir: string): Promise<SettingsStore> {
    const path = join(dataDir, SETTINGS_FILE)
    await removeStaleTemps(path)
    const warnings: string[] = []
    const read = await readStoredFile(path, settingsFile(warnings), {
      fallback: () => structuredClone(DEFAULT_SETTINGS),
      what: 'settings',
      shape: 'a settings file',
      startsWith: 'with the default settings',
    })
    if (read.problem) warnings.push(read.problem.warning)
    return new SettingsStore(path, read.value, warnings)
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
        throw new ApiError('BAD_REQUEST', `The setting ${issue?.path.join('.') || 'value'} is not valid (${issue?.message ?? 'out of range'}); pick a value in the allowed range.`)
      }
      const next: AppSettings = { ...this.current, tree: { ...this.current.tree, ...parsed.data.tree } }
      await writeJsonAtomic(this.path, next)
      this.current = next
      return this.get()
    })
  }
}

/**
 * The settings a file holds, each bad or missing value replaced by its default: a field that
 * does not validate is caught on its own (and named in `warnings`); a `tree` that is not an
 * object, or a file that is not one, means the defaults, quietly. Unknown fields are dropped.
 * So the schema never fails: only a file that is not JSON at all is set aside.
 */
function settingsFile(warnings: string[]): z.ZodType<AppSettings> {
  const tree = Object.fromEntries(
    Object.entries(TreeSettings.shape as Record<string, z.ZodType>).map(([key, field]) => [
      key,
      field.catch(() => {
        warnings.push(`The setting tree.${key} in ${SETTINGS_FILE} was not valid and is back at its default.`)
        return DEFAULT_SETTINGS.tree[key as keyof TreeSettings]
      }),
    ]),
  )
  return z
    .object({ tree: z.object(tree).catch(() => structuredClone(DEFAULT_SETTINGS.tree)) })
    .catch(() => structuredClone(DEFAULT_SETTINGS)) as unknown as z.ZodType<AppSettings>
}
