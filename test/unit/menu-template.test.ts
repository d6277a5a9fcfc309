/**
 * The application menu's template: every command of the table is in it with its shortcut shown
 * (not registered, so the renderer's registry alone takes the keys), and a click hands the
 * command's id and the window it was chosen in to `onCommand`, which sends `app.command`.
 */
import type { BaseWindow, MenuItem, MenuItemConstructorOptions } from 'electron'
import { describe, expect, it } from 'vitest'
import { COMMAND_IDS, type CommandId } from '../../electron/api/commands'
import { buildMenuTemplate } from '../../electron/main/menu-template'

function items(template: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return template.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? items(item.submenu) : [])])
}

function build(isMac: boolean) {
  const sent: Array<{ id: CommandId; window: BaseWindow | undefined }> = []
  let abouts = 0
  const template = buildMenuTemplate({ isMac, dev: false, appName: 'MQTTS Explorer', onAbout: () => abouts++, onCommand: (id, window) => sent.push({ id, window }) })
  const byCommand = new Map(items(template).flatMap((item) => (item.id?.startsWith('command:') ? [[item.id.slice('command:'.length), item] as const] : [])))
  return { template, byCommand, sent, abouts: () => abouts }
}

describe('application menu', () => {
  for (const isMac of [false, true]) {
    it(`offers every command once (${isMac ? 'macOS' : 'Linux and Windows'})`, () => {
      const { template, byCommand } = build(isMac)
      expect([...byCommand.keys()].sort()).toEqual([...COMMAND_IDS].sort())
      const ids = items(template).flatMap((item) => (item.id ? [item.id] : []))
      expect(new Set(ids).size).toBe(ids.length)
    })
  }

  it('shows each shortcut as an accelerator without registering it', () => {
    const { byCommand } = build(false)
    expect(byCommand.get('palette.open')).toMatchObject({ label: 'Show all commands', accelerator: 'CmdOrCtrl+Shift+P', registerAccelerator: false })
    expect(byCommand.get('settings.open')).toMatchObject({ accelerator: 'CmdOrCtrl+,', registerAccelerator: false })
    expect(byCommand.get('tabs.next')).toMatchObject({ accelerator: 'Ctrl+Tab' })
    expect(byCommand.get('tabs.go3')).toMatchObject({ accelerator: 'CmdOrCtrl+3' })
    expect(byCommand.get('shortcuts.show')).toMatchObject({ accelerator: '?', registerAccelerator: false })
    expect(byCommand.get('recordings.open')?.accelerator).toBeUndefined()
  })

  it('sends the chosen command to the window it was chosen in', () => {
    const { byCommand, sent } = build(false)
    const window = { id: 7 } as unknown as BaseWindow
    const click = (id: CommandId, win: BaseWindow | undefined) => byCommand.get(id)!.click!({} as MenuItem, win, {} as Electron.KeyboardEvent)
    click('connection.disconnect', window)
    click('theme.toggle', undefined)
    expect(sent).toEqual([
      { id: 'connection.disconnect', window },
      { id: 'theme.toggle', window: undefined },
    ])
  })

  it('keeps Settings in the app menu on macOS and in File elsewhere, About in Help outside macOS', () => {
    const mac = build(true)
    const appMenu = mac.template[0]!.submenu as MenuItemConstructorOptions[]
    expect(appMenu.some((item) => item.id === 'command:settings.open')).toBe(true)
    const linux = build(false)
    const file = linux.template.find((m) => m.label === 'File')!.submenu as MenuItemConstructorOptions[]
    expect(file.some((item) => item.id === 'command:settings.open')).toBe(true)
    const help = linux.template.find((m) => m.role === 'help')!.submenu as MenuItemConstructorOptions[]
    const about = help.find((item) => item.label === 'About MQTTS Explorer')!
    about.click!({} as MenuItem, undefined, {} as Electron.KeyboardEvent)
    expect(linux.abouts()).toBe(1)
    expect(mac.template.find((m) => m.role === 'help')!.submenu).not.toContainEqual(expect.objectContaining({ label: 'About MQTTS Explorer' }))
  })

  it('has developer items only in development builds', () => {
    const roles = (dev: boolean) => items(buildMenuTemplate({ isMac: false, dev, appName: 'x', onAbout: () => {}, onCommand: () => {} })).map((i) => i.role)
    expect(roles(true)).toContain('toggleDevTools')
    expect(roles(false)).not.toContain('toggleDevTools')
  })
})
