/**
 * The privileged `app://` scheme that serves the built renderer inside Electron. Pages get a real,
 * stable origin (app://mqtts) instead of file://, so the CSP's 'self' means just our files and
 * the IPC sender check has one exact origin to compare against.
 */
import { resolveStaticPath, type StaticTarget } from '../host/static-files'

export const APP_SCHEME = 'app'
export const APP_HOST = 'mqtts'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`
/** What the window loads. */
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`

/**
 * Maps an app:// request URL to a file under `rendererDir`, or null when the URL is for another
 * host, malformed, or tries to leave the folder. Extension-less paths are app routes: the caller
 * serves index.html for them when no such file exists.
 */
export function resolveAppUrl(url: string, rendererDir: string): StaticTarget | null {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return null
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return null
  return resolveStaticPath(rendererDir, parsed.pathname)
}

/**
 * True when a URL belongs to our renderer. IPC requests are honoured only from frames at this
 * origin; anything else (a navigated-away page, an injected frame) is refused.
 */
export function isTrustedSender(url: string | undefined | null): boolean {
  if (!url) return false
  try {
    const parsed = new URL(url)
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST && parsed.username === '' && parsed.password === ''
  } catch {
    return false
  }
}
