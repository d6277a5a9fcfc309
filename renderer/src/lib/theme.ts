/**
 * The page's colour scheme: light, dark, or the OS preference (prefers-color-scheme), followed
 * live. The choice lands as `data-theme="light|dark"` on <html>, which styles.css reads, and
 * everything drawn from the CSS variables outside CSS (Monaco, charts) listens with
 * {@link onThemeChange}. Until the settings arrive from the backend the page follows the OS: the
 * app keeps nothing in the browser's storage, not even this.
 */
import type { ThemeChoice } from '@api'

export type Scheme = 'light' | 'dark'

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
  paint()
}

/** Paints the OS's scheme before anything else, and starts listening to the OS. */
export function startTheme(): void {
  media = window.matchMedia('(prefers-color-scheme: dark)')
  media.addEventListener('change', paint)
  paint()
}

/** Calls `listener` after the scheme on screen changed (a setting or the OS); returns a function that stops it. */
export function onThemeChange(listener: (scheme: Scheme) => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}
