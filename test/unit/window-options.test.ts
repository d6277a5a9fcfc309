import { describe, expect, it } from 'vitest'
import { createWindowOptions } from '../../electron/main/window-options'

describe('main window options', () => {
  const prod = createWindowOptions({ preloadPath: '/app/out/preload/index.cjs', dev: false })
  const web = prod.webPreferences ?? {}

  it('isolates and sandboxes the renderer with no Node access', () => {
    expect(web.contextIsolation).toBe(true)
    expect(web.sandbox).toBe(true)
    expect(web.nodeIntegration).toBe(false)
    expect(web.nodeIntegrationInWorker).toBe(false)
    expect(web.nodeIntegrationInSubFrames).toBe(false)
  })

  it('keeps web security on and refuses insecure content, webviews and experimental features', () => {
    expect(web.webSecurity).toBe(true)
    expect(web.allowRunningInsecureContent).toBe(false)
    expect(web.webviewTag).toBe(false)
    expect(web.experimentalFeatures).toBe(false)
    expect(web.navigateOnDragDrop).toBe(false)
  })

  it('loads the bundled CommonJS preload and turns spellcheck off (payloads are not prose)', () => {
    expect(web.preload).toBe('/app/out/preload/index.cjs')
    expect(web.spellcheck).toBe(false)
  })

  it('allows DevTools only in development builds', () => {
    expect(web.devTools).toBe(false)
    expect(createWindowOptions({ preloadPath: '/p.cjs', dev: true }).webPreferences?.devTools).toBe(true)
  })

  it('starts hidden so the window appears only once painted', () => {
    expect(prod.show).toBe(false)
    expect(prod.icon).toBeUndefined()
    expect(createWindowOptions({ preloadPath: '/p.cjs', dev: true, iconPath: '/i.png' }).icon).toBe('/i.png')
  })
})
