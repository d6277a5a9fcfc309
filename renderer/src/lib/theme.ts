/**
 * The page's colour scheme: light, dark, or the OS preference (prefers-color-scheme), followed
 * live. The choice lands as `data-theme="light|dark"` on <html>, which styles.css reads, and
 * everything drawn from the CSS variables outside CSS (Monaco, charts) listens with
 * {@link onThemeChange}. The last choice is also kept in localStorage so the first paint after a
 * reload has the right colours before the settings arrive from the backend.
 */
import type { ThemeChoice } from '@api'

export type Scheme = 'light' | 'dark'

const STORAGE_KEY = 'mqtts-explorer.theme'
const listeners = new Set<(scheme: Scheme) => void>()
let choice: ThemeChoice = 'system'
let media: MediaQueryList | null = null

/** The scheme a choice means when the OS prefers dark (`prefersDark`) or not. */
export function resolveScheme(theme: ThemeChoice, prefersDark: boolean): Scheme {
  if (theme === 'system') return prefersDark ? 'dark' : 'light'
  return theme
}

/** The scheme on screen now. */
export function currentScheme(): Scheme {
  return document.documentElement.dataset.theme === 'light' ? 'light' : 'dark'
}

function prefersDark(): boolean {
  return media?.matches ?? window.matchMedia('(prefers-color-scheme: dark)').matches
}

function paint(): void {
  const scheme = resolveScheme(choice, prefersDark())
  if (document.documentElement.dataset.theme === scheme) return
  document.documentElement.dataset.theme = scheme
  for (const listener of listeners) listener(scheme)
}

/** Shows `theme` at once (and follows the OS from now on when it is 'system'). */
export function applyTheme(theme: ThemeChoice): void {
  choice = theme
  try {
    localStorage.setItem(STORAGE_KEY, theme)
  } catch {
    // Storage may be off (a private window): the setting itself is kept by the backend.
  }
  paint()
}

/** Paints the last known choice before anything else, and starts listening to the OS. */
export function startTheme(): void {
  media = window.matchMedia('(prefers-color-scheme: dark)')
  media.addEventListener('change', paint)
  let saved: string | null = null
  try {
    saved = localStorage.getItem(STORAGE_KEY)
  } catch {
    saved = null
  }
  choice = saved === 'light' || saved === 'dark' ? saved : 'system'
  paint()
}

/** Calls `listener` after the scheme on screen changed (a setting or the OS); returns a function that stops it. */
export function onThemeChange(listener: (scheme: Scheme) => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}
