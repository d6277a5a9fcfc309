/**
 * When a keydown is one of our shortcuts. Three rules keep shortcuts out of people's way:
 * keys without Ctrl/Cmd never fire while typing (in an input, a textarea, a select, an editable
 * element or Monaco), a key someone already handled (`defaultPrevented`) is left alone, and
 * keys Monaco binds for itself never fire while Monaco has focus.
 */
import type { Shortcut } from '@api'

export type KeyInput = Pick<KeyboardEvent, 'key' | 'code' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>

/** KeyboardEvent.code of a key, for keys whose `key` changes with Alt/Option or Shift. */
function codeOf(key: string): string | null {
  if (/^[a-z]$/.test(key)) return `Key${key.toUpperCase()}`
  if (/^[0-9]$/.test(key)) return `Digit${key}`
  if (key === ',') return 'Comma'
  return null
}

/**
 * Whether `ev` presses `s`. Modifiers must match exactly; `?` is matched by its character alone
 * (it needs Shift on most layouts and none on others).
 */
export function matchesShortcut(ev: KeyInput, s: Shortcut, isMac: boolean): boolean {
  const wantCtrl = !!s.ctrl || (!!s.mod && !isMac)
  const wantMeta = !!s.mod && isMac
  if (ev.ctrlKey !== wantCtrl || ev.metaKey !== wantMeta || ev.altKey !== !!s.alt) return false
  const symbolOnly = s.key === '?'
  if (!symbolOnly && ev.shiftKey !== !!s.shift) return false
  if (ev.key === s.key || ev.key.toLowerCase() === s.key) return true
  const code = codeOf(s.key)
  return code !== null && ev.code === code
}

/** Whether the shortcut carries Ctrl or Cmd, which typing never does. */
export function hasCommandKey(s: Shortcut): boolean {
  return !!s.mod || !!s.ctrl
}

/** Whether keys pressed in `el` are typing: text fields, selects, editable content, Monaco. */
export function isTypingTarget(el: Element | null): boolean {
  if (!el) return false
  if (el.closest('.monaco-editor')) return true
  const tag = el.tagName
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true
  if (tag === 'INPUT') {
    const type = (el as HTMLInputElement).type
    return !['button', 'checkbox', 'radio', 'submit', 'reset', 'range', 'color', 'file', 'image'].includes(type)
  }
  return (el as HTMLElement).isContentEditable === true
}

/** Whether `el` is inside a Monaco editor. */
export function isInMonaco(el: Element | null): boolean {
  return !!el?.closest('.monaco-editor')
}

/**
 * Keys Monaco's default keybindings use (standalone editor, JSON and plain text) that may reach
 * the window without `defaultPrevented`. With Monaco focused none of ours may take them.
 */
export const MONACO_KEYS: readonly Shortcut[] = [
  { key: 'f', mod: true },
  { key: 'h', mod: true },
  { key: 'z', mod: true },
  { key: 'z', mod: true, shift: true },
  { key: 'y', mod: true },
  { key: 'a', mod: true },
  { key: 'c', mod: true },
  { key: 'v', mod: true },
  { key: 'x', mod: true },
  { key: 'd', mod: true },
  { key: 'l', mod: true },
  { key: 'g', mod: true },
  { key: 'k', mod: true, shift: true },
  { key: 'l', mod: true, shift: true },
  { key: 'o', mod: true, shift: true },
  { key: '[', mod: true },
  { key: ']', mod: true },
  { key: '[', mod: true, shift: true },
  { key: ']', mod: true, shift: true },
  { key: '/', mod: true },
  { key: 'Enter', mod: true },
  { key: 'Enter', mod: true, shift: true },
  { key: 'i', mod: true },
  { key: ' ', ctrl: true },
  { key: 'F1' },
  { key: 'F2' },
  { key: 'F8' },
  { key: 'F12' },
]

function sameShortcut(a: Shortcut, b: Shortcut): boolean {
  return a.key === b.key && !!a.mod === !!b.mod && !!a.ctrl === !!b.ctrl && !!a.shift === !!b.shift && !!a.alt === !!b.alt
}

/** Whether Monaco binds `s` itself. */
export function isMonacoKey(s: Shortcut): boolean {
  return MONACO_KEYS.some((m) => sameShortcut(m, s))
}

/** Whether a shortcut may fire for a keydown whose target is `target` (it already matched). */
export function mayFireIn(s: Shortcut, target: Element | null): boolean {
  if (isInMonaco(target) && isMonacoKey(s)) return false
  if (isTypingTarget(target) && !hasCommandKey(s)) return false
  return true
}
