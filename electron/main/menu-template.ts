/**
 * The application menu as data. Standard roles do the editing and window work (so their
 * shortcuts and platform behaviour come from Electron); the app's own actions are the command
 * table's (electron/api/commands.ts): each item shows the command's title and shortcut, and a
 * click asks the window it was chosen in to run the command (`onCommand` sends `app.command`).
 * The renderer's registry alone listens to the keys: its accelerators are shown, not registered,
 * so a key runs a command once and keys typed into a field or Monaco stay theirs.
 * Developer items appear only in development builds.
 */
import type { BaseWindow, MenuItemConstructorOptions } from 'electron'
import { commandSpec, shortcutAccelerator, type CommandId } from '../api/commands'

export interface MenuInput {
  isMac: boolean
  dev: boolean
  appName: string
  onAbout: () => void
  /** Runs a command in the window the item was chosen in (undefined when no window has focus). */
  onCommand: (id: CommandId, window: BaseWindow | undefined) => void
}

/** Builds the menu template for Menu.buildFromTemplate. */
export function buildMenuTemplate(input: MenuInput): MenuItemConstructorOptions[] {
  const { isMac, dev, appName, onAbout, onCommand } = input
  const about: MenuItemConstructorOptions = { label: `About ${appName}`, click: onAbout }
  const command = (id: CommandId): MenuItemConstructorOptions => {
    const spec = commandSpec(id)
    return {
      id: `command:${id}`,
      label: spec.title,
      ...(spec.shortcut ? { accelerator: shortcutAccelerator(spec.shortcut), registerAccelerator: false } : {}),
      click: (_item, window) => onCommand(id, window),
    }
  }
  const separator: MenuItemConstructorOptions = { type: 'separator' }
  const template: MenuItemConstructorOptions[] = []

  if (isMac) {
    template.push({
      label: appName,
      submenu: [about, separator, command('settings.open'), separator, { role: 'services' }, separator, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, separator, { role: 'quit' }],
    })
  }
  template.push({
    label: 'File',
    submenu: [
      command('profile.new'),
      separator,
      command('recordings.open'),
      command('certificates.open'),
      ...(isMac ? [] : [separator, command('settings.open')]),
      separator,
      isMac ? { role: 'close' } : { role: 'quit' },
    ],
  })
  template.push({
    label: 'Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      separator,
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      ...(isMac ? [{ role: 'pasteAndMatchStyle' } as const] : []),
      { role: 'delete' },
      separator,
      { role: 'selectAll' },
    ],
  })
  template.push({
    label: 'View',
    submenu: [
      command('palette.open'),
      command('tree.focusFilter'),
      command('theme.toggle'),
      separator,
      ...(dev ? [{ role: 'reload' } as const, { role: 'forceReload' } as const, { role: 'toggleDevTools' } as const, separator] : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      separator,
      { role: 'togglefullscreen' },
    ],
  })
  template.push({
    label: 'Connection',
    submenu: [
      command('connection.connect'),
      command('connection.disconnect'),
      separator,
      command('publish.send'),
      command('recording.toggle'),
      separator,
      command('tabs.next'),
      command('tabs.previous'),
      { label: 'Go to Tab', submenu: ([1, 2, 3, 4, 5, 6, 7, 8, 9] as const).map((n) => command(`tabs.go${n}`)) },
    ],
  })
  if (isMac) template.push({ role: 'windowMenu' })
  // On macOS, About lives in the app menu; elsewhere Help is where people look for it.
  template.push({ role: 'help', submenu: [command('shortcuts.show'), ...(isMac ? [] : [separator, about])] })
  return template
}
