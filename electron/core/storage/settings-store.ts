/**
 * App settings as `settings.json` in the data folder, written atomically. A file that is not
 * JSON is set aside; values that are out of range or unknown fall back to their defaults one by
 * one, so a hand-edited file with one typo keeps every other setting.
 */
import { join } from 'node:path'
import { AppSettings, DEFAULT_SETTINGS, SettingsPatch, TreeSettings } from '../../api/settings'
import { ApiError } from '../../api/errors'
import { readJsonOrSetAside, removeStaleTemps, writeJsonAtomic } from './atomic-json'
import { SerialQueue } from './serial-queue'

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
    const raw = await readJsonOrSetAside(path)
    const warnings: string[] = []
    const settings = raw === undefined ? structuredClone(DEFAULT_SETTINGS) : salvage(raw, warnings)
    return new SettingsStore(path, settings, warnings)
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

/** The settings a file holds, each bad or missing value replaced by its default. */
function salvage(raw: unknown, warnings: string[]): AppSettings {
  const whole = AppSettings.safeParse(raw)
  if (whole.success) return whole.data
  const tree: Record<string, unknown> = { ...DEFAULT_SETTINGS.tree }
  const rawTree = typeof raw === 'object' && raw !== null ? (raw as { tree?: unknown }).tree : undefined
  if (typeof rawTree === 'object' && rawTree !== null) {
    for (const [key, value] of Object.entries(rawTree)) {
      if (!(key in tree)) continue
      const one = TreeSettings.safeParse({ ...DEFAULT_SETTINGS.tree, [key]: value })
      if (one.success) tree[key] = value
      else warnings.push(`The setting tree.${key} in ${SETTINGS_FILE} was not valid and is back at its default.`)
    }
  }
  return { tree: TreeSettings.parse(tree) }
}
