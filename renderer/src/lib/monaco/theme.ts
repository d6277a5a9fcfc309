/**
 * Monaco's colours follow the app's: two themes built from the CSS variables in styles.css, and
 * the one matching the page's scheme (lib/theme.ts: the Settings choice, or the OS) is applied,
 * live when either switches.
 */
import type * as Monaco from 'monaco-editor/editor'
import { currentScheme, onThemeChange } from '../theme'

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

/** True when the app shows its dark colours. */
export function prefersDark(): boolean {
  return currentScheme() === 'dark'
}

/** The theme name for the current scheme. */
export function currentTheme(): string {
  return prefersDark() ? DARK_THEME : LIGHT_THEME
}

/** Defines the current theme, applies it, and follows the page's scheme from now on. */
export function defineThemes(monaco: MonacoApi): void {
  monaco.editor.setTheme(defineCurrent(monaco, prefersDark()))
  onThemeChange((scheme) => {
    // The variables have switched by now (data-theme is set first): read them again.
    monaco.editor.setTheme(defineCurrent(monaco, scheme === 'dark'))
  })
}
