/**
 * The main window's options as a pure function, so the security flags are pinned by a unit test
 * that runs without Electron. The renderer gets no Node, runs sandboxed and isolated, and talks to
 * the main side only through the preload's contract-checked bridge.
 */
import type { BrowserWindowConstructorOptions } from 'electron'

/** The first run's size, and the smallest the window may be made. */
export const WINDOW_DEFAULT_SIZE = { width: 1360, height: 860 }
export const WINDOW_MIN_SIZE = { width: 880, height: 560 }

export interface WindowOptionsInput {
  /** Absolute path of the bundled preload (out/preload/index.cjs). */
  preloadPath: string
  /** Development build: allows DevTools. */
  dev: boolean
  /** Window icon (Linux/Windows); macOS takes it from the bundle. */
  iconPath?: string
  /** Where the window was last time (window-state.ts has fitted it to today's displays). */
  bounds?: { x?: number; y?: number; width: number; height: number }
}

/** Options for the one main window. */
export function createWindowOptions(input: WindowOptionsInput): BrowserWindowConstructorOptions {
  return {
    width: input.bounds?.width ?? WINDOW_DEFAULT_SIZE.width,
    height: input.bounds?.height ?? WINDOW_DEFAULT_SIZE.height,
    ...(input.bounds?.x !== undefined && input.bounds.y !== undefined ? { x: input.bounds.x, y: input.bounds.y } : {}),
    minWidth: WINDOW_MIN_SIZE.width,
    minHeight: WINDOW_MIN_SIZE.height,
    title: 'MQTTS Explorer',
    // Shown on ready-to-show so the user never sees an empty white frame.
    show: false,
    backgroundColor: '#1e1f22',
    ...(input.iconPath ? { icon: input.iconPath } : {}),
    webPreferences: {
      preload: input.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
      devTools: input.dev,
    },
  }
}
