/**
 * The listeners every web contents gets (main window, DevTools, anything created later), built
 * from the pure navigation verdicts. They take plain event shapes, so a test drives them exactly
 * as Electron would, without Electron.
 */
import { navigationVerdict, windowOpenVerdict } from './navigation-policy'

/** What Electron's navigation events carry that the guard reads. */
export interface NavigationEvent {
  url: string
  isMainFrame: boolean
  preventDefault(): void
}

export interface GuardDeps {
  /** shell.openExternal; receives only URLs the allow-list returned. */
  openExternal: (url: string) => void
  log: (line: string) => void
}

export interface WebContentsGuard {
  /** will-frame-navigate: fires for every frame, the main frame included, before will-navigate. */
  onWillFrameNavigate(event: NavigationEvent): void
  /** will-navigate: the main frame only; Electron skips it when will-frame-navigate was cancelled. */
  onWillNavigate(event: NavigationEvent): void
  /** will-redirect: a server redirect never leaves the app, and never opens a browser. */
  onWillRedirect(event: NavigationEvent): void
  /** will-attach-webview: the app has no <webview>; one that appears was injected. */
  onWillAttachWebview(event: { preventDefault(): void }): void
  /** setWindowOpenHandler: never a new Electron window. */
  windowOpenHandler(details: { url: string }): { action: 'deny' }
}

/** Longest piece of a refused URL written to the log. */
const LOGGED_URL_CHARS = 200

export function createWebContentsGuard(deps: GuardDeps): WebContentsGuard {
  const refuse = (what: string, event: { url: string; preventDefault(): void }) => {
    event.preventDefault()
    deps.log(`blocked ${what} to ${event.url.slice(0, LOGGED_URL_CHARS)}`)
  }
  // Only one listener opens links, so a click can never open two browser tabs.
  const navigate = (what: string, event: NavigationEvent, mayOpen: boolean) => {
    const verdict = navigationVerdict({ url: event.url, isMainFrame: event.isMainFrame })
    if (verdict.action === 'stay') return
    if (verdict.action === 'external' && mayOpen) {
      event.preventDefault()
      deps.openExternal(verdict.url)
      return
    }
    refuse(what, event)
  }
  return {
    onWillFrameNavigate: (event) => navigate(event.isMainFrame ? 'navigation' : 'frame navigation', event, true),
    onWillNavigate: (event) => navigate('navigation', event, false),
    onWillRedirect: (event) => {
      if (navigationVerdict({ url: event.url, isMainFrame: false }).action !== 'stay') refuse('redirect', event)
    },
    onWillAttachWebview: (event) => {
      event.preventDefault()
      deps.log('blocked a <webview>')
    },
    windowOpenHandler: ({ url }) => {
      const verdict = windowOpenVerdict(url)
      if (verdict.action === 'external') deps.openExternal(verdict.url)
      else deps.log(`blocked a new window for ${url.slice(0, LOGGED_URL_CHARS)}`)
      return { action: 'deny' }
    },
  }
}
