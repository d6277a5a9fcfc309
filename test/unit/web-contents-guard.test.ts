/**
 * The shell's navigation rules, driven the way Electron drives them: will-frame-navigate for every
 * frame (main frame first), will-navigate for the main frame, will-redirect, and window.open.
 */
import { describe, expect, it } from 'vitest'
import { APP_ENTRY_URL } from '../../electron/main/app-protocol'
import { hardenBeforeReady, APP_SCHEME_PRIVILEGES } from '../../electron/main/before-ready'
import { navigationVerdict, windowOpenVerdict } from '../../electron/main/navigation-policy'
import { createWebContentsGuard, type NavigationEvent } from '../../electron/main/web-contents-guard'

function setup() {
  const opened: string[] = []
  const logged: string[] = []
  const guard = createWebContentsGuard({ openExternal: (url) => opened.push(url), log: (line) => logged.push(line) })
  return { guard, opened, logged }
}

function event(url: string, isMainFrame: boolean): NavigationEvent & { prevented: boolean } {
  const e = {
    url,
    isMainFrame,
    prevented: false,
    preventDefault() {
      e.prevented = true
    },
  }
  return e
}

describe('navigation policy', () => {
  it('lets frames move inside the app origin only', () => {
    expect(navigationVerdict({ url: APP_ENTRY_URL, isMainFrame: true })).toEqual({ action: 'stay' })
    expect(navigationVerdict({ url: 'app://mqtts/connections/2', isMainFrame: false })).toEqual({ action: 'stay' })
    for (const url of ['app://mqtts.evil/', 'app://mqtts@evil/', 'app://evil/', 'https://evil.example/', 'file:///etc/passwd', 'about:blank', 'javascript:alert(1)', 'chrome://settings']) {
      expect(navigationVerdict({ url, isMainFrame: true }).action, url).toBe('deny')
    }
  })

  it('sends an allowed documentation link from the main frame to the system browser, never from an iframe', () => {
    expect(navigationVerdict({ url: 'https://mqtt.org/', isMainFrame: true })).toEqual({ action: 'external', url: 'https://mqtt.org/' })
    expect(navigationVerdict({ url: 'https://mqtt.org/', isMainFrame: false })).toEqual({ action: 'deny' })
  })

  it('never opens a new Electron window', () => {
    expect(windowOpenVerdict('https://mqtt.org/')).toEqual({ action: 'external', url: 'https://mqtt.org/' })
    expect(windowOpenVerdict(APP_ENTRY_URL)).toEqual({ action: 'deny' })
    expect(windowOpenVerdict('https://evil.example/')).toEqual({ action: 'deny' })
  })
})

describe('the web contents guard', () => {
  it('cancels a subframe navigating away from the app, and logs it', () => {
    const { guard, opened, logged } = setup()
    for (const url of ['https://evil.example/', 'https://mqtt.org/', 'about:blank', 'file:///etc/passwd', 'app://mqtts.evil/']) {
      const e = event(url, false)
      guard.onWillFrameNavigate(e)
      expect(e.prevented, url).toBe(true)
    }
    expect(opened).toEqual([])
    expect(logged).toHaveLength(5)
    expect(logged[0]).toBe('blocked frame navigation to https://evil.example/')
  })

  it('lets a frame navigate within app://mqtts', () => {
    const { guard, logged } = setup()
    for (const e of [event('app://mqtts/index.html', true), event('app://mqtts/inner', false)]) {
      guard.onWillFrameNavigate(e)
      guard.onWillNavigate(e)
      guard.onWillRedirect(e)
      expect(e.prevented).toBe(false)
    }
    expect(logged).toEqual([])
  })

  it('opens an allowed link clicked in the main frame once, in the system browser, and keeps the app where it is', () => {
    const { guard, opened } = setup()
    const e = event('https://docs.oasis-open.org/mqtt/mqtt/v5.0/mqtt-v5.0.html', true)
    guard.onWillFrameNavigate(e)
    expect(e.prevented).toBe(true)
    // Had Electron gone on to emit will-navigate as well, it must not open a second tab.
    guard.onWillNavigate(event(e.url, true))
    expect(opened).toEqual(['https://docs.oasis-open.org/mqtt/mqtt/v5.0/mqtt-v5.0.html'])
  })

  it('cancels main-frame navigations and redirects to anything else', () => {
    const { guard, opened } = setup()
    for (const url of ['https://evil.example/', 'http://mqtt.org/', 'https://user@mqtt.org/']) {
      const a = event(url, true)
      guard.onWillFrameNavigate(a)
      const b = event(url, true)
      guard.onWillNavigate(b)
      const c = event(url, true)
      guard.onWillRedirect(c)
      expect([a.prevented, b.prevented, c.prevented], url).toEqual([true, true, true])
    }
    // A redirect is the server's doing, not a click: not even an allowed host opens from one.
    const redirect = event('https://mqtt.org/', true)
    guard.onWillRedirect(redirect)
    expect(redirect.prevented).toBe(true)
    expect(opened).toEqual([])
  })

  it('denies every new window, opening only allowed links outside', () => {
    const { guard, opened } = setup()
    expect(guard.windowOpenHandler({ url: 'https://mqtt.org/' })).toEqual({ action: 'deny' })
    expect(guard.windowOpenHandler({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' })
    expect(guard.windowOpenHandler({ url: APP_ENTRY_URL })).toEqual({ action: 'deny' })
    expect(opened).toEqual(['https://mqtt.org/'])
  })

  it('refuses any <webview>', () => {
    const { guard } = setup()
    let prevented = false
    guard.onWillAttachWebview({ preventDefault: () => (prevented = true) })
    expect(prevented).toBe(true)
  })
})

describe('before ready', () => {
  function fakes(ready: boolean) {
    const calls: string[] = []
    const schemes: unknown[] = []
    const app = { isReady: () => ready, enableSandbox: () => void calls.push('enableSandbox') }
    const protocol = {
      registerSchemesAsPrivileged: (list: unknown[]) => {
        calls.push('registerSchemesAsPrivileged')
        schemes.push(...list)
      },
    }
    return { app, protocol, calls, schemes }
  }

  it('sandboxes every renderer and registers app:// with only the privileges the page needs', () => {
    const f = fakes(false)
    hardenBeforeReady(f.app, f.protocol)
    expect(f.calls).toEqual(['enableSandbox', 'registerSchemesAsPrivileged'])
    expect(f.schemes).toEqual([APP_SCHEME_PRIVILEGES])
    expect(APP_SCHEME_PRIVILEGES).toEqual({ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } })
  })

  it('refuses to run once the app is ready, when the sandbox switch would be ignored', () => {
    const f = fakes(true)
    expect(() => hardenBeforeReady(f.app, f.protocol)).toThrow(/before the app is ready/)
    expect(f.calls).toEqual([])
  })
})
