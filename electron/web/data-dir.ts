/**
 * Where browser mode keeps profiles and secrets by default: the very folder Electron's
 * app.getPath('userData') uses for this product, so both shells share one set of profiles.
 */
import { homedir } from 'node:os'
import { join } from 'node:path'

/** The product name Electron derives the folder from (package.json `productName`). */
export const PRODUCT_NAME = 'MQTTS Explorer'

/** Electron's `appData` for a platform: the per-user configuration root. */
export function appDataDir(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, home: string): string {
  if (platform === 'win32') return env.APPDATA || join(home, 'AppData', 'Roaming')
  if (platform === 'darwin') return join(home, 'Library', 'Application Support')
  return env.XDG_CONFIG_HOME || join(home, '.config')
}

/** Electron's `userData` for this product on the current (or given) platform. */
export function defaultDataDir(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  return join(appDataDir(platform, env, home), PRODUCT_NAME)
}
