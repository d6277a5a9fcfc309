/** The Settings shortcut: Ctrl+, (Cmd+, on macOS), the key desktop apps use for their preferences. */

/** Whether a keydown is the Settings shortcut. */
export function isSettingsShortcut(ev: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>): boolean {
  return ev.key === ',' && (ev.ctrlKey || ev.metaKey) && !ev.altKey && !ev.shiftKey
}
