/**
 * The data folder both shells share: where browser mode keeps profiles and secrets by default is
 * the very folder Electron's app.getPath('userData') uses for this product, so both shells see
 * one set of profiles; and either shell makes sure only its owner can enter it.
 */
import { chmod, mkdir, stat } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join } from 'node:path'

/** The product name Electron derives the folder from (package.json `productName`). */
const PRODUCT_NAME = 'MQTTS Explorer'

/** Electron's `appData` for a platform: the per-user configuration root. */
function appDataDir(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, home: string): string {
  if (platform === 'win32') return env.APPDATA || join(home, 'AppData', 'Roaming')
  if (platform === 'darwin') return join(home, 'Library', 'Application Support')
  return env.XDG_CONFIG_HOME || join(home, '.config')
}

/** Electron's `userData` for this product on the current (or given) platform. */
export function defaultDataDir(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  return join(appDataDir(platform, env, home), PRODUCT_NAME)
}

/** What preparing the data folder did, for the log. */
export interface PreparedDataDir {
  created: boolean
  /** A sentence for the log when the folder is open to other users and was left that way. */
  warning?: string
  /** True when an existing, looser folder of ours was tightened to 0700. */
  tightened: boolean
}

/**
 * Makes sure the data folder exists and only its owner can enter it: it holds profiles, the
 * vault's encrypted items and key logs. A new folder (and any missing parent) is created 0700.
 * An existing one that others can read is tightened only when it is ours (the default folder,
 * named after this product, owned by this user); a folder the user chose with --data-dir may be
 * shared on purpose, so it is left alone and the log says how to close it. On Windows fs.stat
 * reports made-up mode bits (ACLs decide access), so there is nothing to check or tighten.
 */
export async function prepareDataDir(dir: string, options: { ours: boolean; platform?: NodeJS.Platform }): Promise<PreparedDataDir> {
  const created = (await mkdir(dir, { recursive: true, mode: 0o700 })) !== undefined
  if (created) return { created, tightened: false }
  if ((options.platform ?? process.platform) === 'win32') return { created, tightened: false }
  const info = await stat(dir)
  const loose = info.mode & 0o077
  if (!loose) return { created, tightened: false }
  const mode = (info.mode & 0o777).toString(8).padStart(4, '0')
  const mine = typeof process.getuid !== 'function' || info.uid === process.getuid()
  if (options.ours && mine) {
    await chmod(dir, 0o700)
    return { created, tightened: true, warning: `data folder ${dir} was open to other users (mode ${mode}); it is now 0700.` }
  }
  return { created, tightened: false, warning: `data folder ${dir} is open to other users (mode ${mode}); run \`chmod 700 "${dir}"\` so only you can read its profiles and vault.` }
}
