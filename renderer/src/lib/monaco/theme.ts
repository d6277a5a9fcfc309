/**
 * Monaco's colours follow the app's: two themes built from the CSS variables in styles.css, and
 * the one matching `prefers-color-scheme` is applied, live when the OS switches.
 */
import type * as Monaco from 'monaco-editor/editor'

export const DARK_THEME = 'mqtts-dark'
export const LIGHT_THEME = 'mqtts-light'

type MonacoApi = typeof Monaco

/** `#rgb`/`#rrggbb` from a CSS variable, or the fallback when it is unset or not hex. */
function cssColor(name: string, fallback: string): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim()
  return /^#[0-9a-f]{6}$/i.test(value) ? value : fallback
}

/** The variables hold the current scheme's colours, so each theme is defined while it is active. */
function defineCurrent(monaco: MonacoApi, dark: boolean): string {
  const name = dark ? DARK_THEME : LIGHT_THEME
  monaco.editor.defineTheme(name, {
    base: dark ? 'vs-dark' : 'vs',
    inherit: true,
    rules: [],
    colors: {
      'editor.background': cssColor('--bg-input', dark ? '#15171a' : '#ffffff'),
      'editor.foreground': cssColor('--text', dark ? '#d9dde3' : '#1d2127'),
      'editorLineNumber.foreground': cssColor('--text-dim', dark ? '#8d96a3' : '#5d6673'),
      'editorWidget.background': cssColor('--bg-raised', dark ? '#2a2e34' : '#ffffff'),
      'editorWidget.border': cssColor('--border', dark ? '#363b43' : '#cfd4dc'),
      'focusBorder': cssColor('--focus', dark ? '#7fb8ff' : '#1f6fd1'),
    },
  })
  return name
}

const query = (): MediaQueryList => window.matchMedia('(prefers-color-scheme: dark)')

/** True when the app shows its dark colours (the OS preference, as styles.css reads it). */
export function prefersDark(): boolean {
  return query().matches
}

/** The theme name for the current scheme. */
export function currentTheme(): string {
  return prefersDark() ? DARK_THEME : LIGHT_THEME
}

/** Defines both themes, applies the current one, and follows the OS preference from now on. */
export function defineThemes(monaco: MonacoApi): void {
  monaco.editor.setTheme(defineCurrent(monaco, prefersDark()))
  query().addEventListener('change', (event) => {
    // styles.css has switched its variables by now: read them again for the new scheme.
    monaco.editor.setTheme(defineCurrent(monaco, event.matches))
  })
}
