/**
 * The app's commands as data: a stable id, a title and an optional shortcut. Both sides read
 * this one table: the renderer's command registry (renderer/src/lib/commands/) adds when each
 * command is available and what it does; the Electron application menu shows the same titles
 * and shortcuts and, when an item is clicked, asks the focused window to run the command with
 * the `app.command` event. A renamed command fails to compile on both sides.
 */

/**
 * A key combination. `mod` is the platform's command key: Ctrl on Linux and Windows, Cmd on
 * macOS; `ctrl` is the Control key on every platform (Ctrl+Tab is Ctrl+Tab on a Mac too).
 * `key` is a KeyboardEvent.key value: a lower-case letter, a digit, a symbol or a named key.
 */
export interface Shortcut {
  key: string
  mod?: boolean
  ctrl?: boolean
  shift?: boolean
  alt?: boolean
}

export interface CommandSpec {
  id: string
  title: string
  shortcut?: Shortcut
}

const tabN = (n: number) => ({ id: `tabs.go${n}`, title: `Go to connection tab ${n}`, shortcut: { key: String(n), mod: true } }) as const

/*
 * No shortcut uses Ctrl+Alt: on Windows AltGr arrives as Ctrl+Alt and types characters
 * (AltGr+N is ń on a Polish keyboard), and none takes a key Monaco binds (keys.ts MONACO_KEYS).
 */

/** Every command, in the order the palette, the shortcut sheet and the README list them. */
export const COMMAND_SPECS = [
  { id: 'palette.open', title: 'Show all commands', shortcut: { key: 'p', mod: true, shift: true } },
  { id: 'shortcuts.show', title: 'Show keyboard shortcuts', shortcut: { key: '?' } },
  { id: 'tree.focusFilter', title: 'Focus the topic filter', shortcut: { key: 'f', mod: true, shift: true } },
  { id: 'tabs.next', title: 'Next connection tab', shortcut: { key: 'Tab', ctrl: true } },
  { id: 'tabs.previous', title: 'Previous connection tab', shortcut: { key: 'Tab', ctrl: true, shift: true } },
  tabN(1),
  tabN(2),
  tabN(3),
  tabN(4),
  tabN(5),
  tabN(6),
  tabN(7),
  tabN(8),
  tabN(9),
  { id: 'connection.connect', title: 'Connect the selected profile', shortcut: { key: 'e', mod: true, shift: true } },
  { id: 'connection.disconnect', title: 'Disconnect the active connection', shortcut: { key: 'd', mod: true, shift: true } },
  { id: 'publish.send', title: 'Publish the current draft', shortcut: { key: 'Enter', mod: true } },
  { id: 'recording.toggle', title: 'Start or stop recording the active connection', shortcut: { key: 's', mod: true, shift: true } },
  { id: 'settings.open', title: 'Open settings', shortcut: { key: ',', mod: true } },
  { id: 'recordings.open', title: 'Open recordings' },
  { id: 'certificates.open', title: 'Open certificates' },
  { id: 'profile.new', title: 'New profile', shortcut: { key: 'n', mod: true, shift: true } },
  { id: 'theme.toggle', title: 'Switch between light and dark theme' },
] as const satisfies readonly CommandSpec[]

export type CommandId = (typeof COMMAND_SPECS)[number]['id']

/** Every command id, in table order. */
export const COMMAND_IDS: readonly CommandId[] = COMMAND_SPECS.map((c) => c.id)

const specs = new Map<string, CommandSpec>(COMMAND_SPECS.map((c) => [c.id, c]))

/** Whether a string names one of our commands (an event from an older or newer side may not). */
export function isCommandId(id: unknown): id is CommandId {
  return typeof id === 'string' && specs.has(id)
}

/** The title and shortcut of a command. */
export function commandSpec(id: CommandId): CommandSpec {
  return specs.get(id)!
}

/** The payload of `app.command`: the desktop menu asks the window to run a command. */
export interface AppCommandEvent {
  id: CommandId
}

const NAMED_KEYS: Record<string, { text: string; mac: string; accelerator: string; aria: string }> = {
  Tab: { text: 'Tab', mac: '⇥', accelerator: 'Tab', aria: 'Tab' },
  Enter: { text: 'Enter', mac: '↩', accelerator: 'Enter', aria: 'Enter' },
  ',': { text: ',', mac: ',', accelerator: ',', aria: 'Comma' },
  '?': { text: '?', mac: '?', accelerator: '?', aria: '?' },
}

function keyName(key: string, kind: 'text' | 'mac' | 'accelerator' | 'aria'): string {
  const named = NAMED_KEYS[key]
  if (named) return named[kind]
  return key.length === 1 ? key.toUpperCase() : key
}

/** The shortcut as people read it: "Ctrl+Shift+P" on Linux and Windows, "⇧⌘P" on macOS. */
export function formatShortcut(s: Shortcut, isMac: boolean): string {
  if (isMac) {
    // macOS's order: Control, Option, Shift, Command.
    return `${s.ctrl ? '⌃' : ''}${s.alt ? '⌥' : ''}${s.shift ? '⇧' : ''}${s.mod ? '⌘' : ''}${keyName(s.key, 'mac')}`
  }
  const parts = [s.mod || s.ctrl ? 'Ctrl' : '', s.alt ? 'Alt' : '', s.shift ? 'Shift' : '', keyName(s.key, 'text')]
  return parts.filter(Boolean).join('+')
}

/** The shortcut as an Electron accelerator ("CmdOrCtrl+Shift+P"). */
export function shortcutAccelerator(s: Shortcut): string {
  const parts = [s.mod ? 'CmdOrCtrl' : '', s.ctrl ? 'Ctrl' : '', s.alt ? 'Alt' : '', s.shift ? 'Shift' : '', keyName(s.key, 'accelerator')]
  return parts.filter(Boolean).join('+')
}

/** The shortcut for aria-keyshortcuts ("Control+Shift+P" or "Meta+Shift+P"). */
export function ariaKeyShortcut(s: Shortcut, isMac: boolean): string {
  const parts = [s.mod ? (isMac ? 'Meta' : 'Control') : '', s.ctrl && !(s.mod && !isMac) ? 'Control' : '', s.alt ? 'Alt' : '', s.shift ? 'Shift' : '', keyName(s.key, 'aria')]
  return parts.filter(Boolean).join('+')
}
