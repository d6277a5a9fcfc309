/**
 * The application menu as data. Standard roles do the work (so shortcuts and platform behaviour
 * come from Electron); developer items appear only in development builds.
 */
import type { MenuItemConstructorOptions } from 'electron'

export interface MenuInput {
  isMac: boolean
  dev: boolean
  appName: string
  onAbout: () => void
}

/** Builds the menu template for Menu.buildFromTemplate. */
export function buildMenuTemplate(input: MenuInput): MenuItemConstructorOptions[] {
  const { isMac, dev, appName, onAbout } = input
  const about: MenuItemConstructorOptions = { label: `About ${appName}`, click: onAbout }
  const template: MenuItemConstructorOptions[] = []

  if (isMac) {
    template.push({
      label: appName,
      submenu: [about, { type: 'separator' }, { role: 'services' }, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' }, { role: 'quit' }],
    })
  }
  template.push({ label: 'File', submenu: [isMac ? { role: 'close' } : { role: 'quit' }] })
  template.push({
    label: 'Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      ...(isMac ? [{ role: 'pasteAndMatchStyle' } as const] : []),
      { role: 'delete' },
      { type: 'separator' },
      { role: 'selectAll' },
    ],
  })
  template.push({
    label: 'View',
    submenu: [
      ...(dev ? [{ role: 'reload' } as const, { role: 'forceReload' } as const, { role: 'toggleDevTools' } as const, { type: 'separator' } as const] : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  })
  if (isMac) template.push({ role: 'windowMenu' })
  // On macOS, About lives in the app menu; elsewhere Help is where people look for it.
  if (!isMac) template.push({ role: 'help', submenu: [about] })
  return template
}
