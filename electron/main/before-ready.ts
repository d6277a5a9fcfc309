/**
 * What the shell must do before Electron is ready, as one function a test can run with fakes:
 * Chromium's sandbox for every renderer (app.enableSandbox also covers contents created without
 * our window options, e.g. DevTools extensions or a future window) and the app:// scheme's privileges.
 */
import type { App, CustomScheme, Protocol } from 'electron'
import { APP_SCHEME } from './app-protocol'

/**
 * A real origin, fetch and secure-context status for app://; deliberately not bypassCSP,
 * corsEnabled, allowServiceWorkers or stream: the page needs none of them.
 */
export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
}

/** Must run at module load of the main process, before 'ready'; throws if it is too late (the sandbox would silently not apply). */
export function hardenBeforeReady(app: Pick<App, 'enableSandbox' | 'isReady'>, protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  if (app.isReady()) throw new Error('hardenBeforeReady must run before the app is ready')
  app.enableSandbox()
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES])
}
