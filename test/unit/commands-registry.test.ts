/**
 * The command registry: shortcuts are platform-aware, stay out of text fields and Monaco unless
 * they carry Ctrl/Cmd, leave keys someone handled alone, and run the same command the palette
 * and the menu run; the palette's search ranks titles; the app's commands follow the app state.
 */
import { describe, expect, it, vi } from 'vitest'
import { COMMAND_IDS, COMMAND_SPECS, ariaKeyShortcut, formatShortcut, shortcutAccelerator, type CommandId } from '../../electron/api/commands'
import { createCommandRegistry, type CommandAction, type KeydownLike } from '../../renderer/src/lib/commands/registry'
import { isMonacoKey, isTypingTarget, matchesShortcut } from '../../renderer/src/lib/commands/keys'
import { filterByTitle, matchScore } from '../../renderer/src/lib/commands/match'
import { appCommandActions, profileToConnect, tabAfter, type ActiveConnection, type AppCommandDeps } from '../../renderer/src/lib/commands/app-commands'

/** A stand-in for a DOM element: what the key rules read of one. */
function el(tagName: string, opts: { type?: string; inside?: string[]; editable?: boolean } = {}): Element {
  const inside = new Set(opts.inside ?? [])
  return { tagName, type: opts.type ?? 'text', isContentEditable: !!opts.editable, closest: (sel: string) => (inside.has(sel) ? ({} as Element) : null) } as unknown as Element
}

function keydown(key: string, mods: Partial<Pick<KeyboardEvent, 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey' | 'code'>> = {}, target: Element | null = el('BUTTON')): KeydownLike & { prevented: boolean } {
  const ev = {
    key,
    code: mods.code ?? '',
    ctrlKey: !!mods.ctrlKey,
    metaKey: !!mods.metaKey,
    altKey: !!mods.altKey,
    shiftKey: !!mods.shiftKey,
    target,
    defaultPrevented: false,
    prevented: false,
    preventDefault() {
      ev.prevented = true
    },
  }
  return ev
}

function registryWith(overrides: Partial<Record<CommandId, CommandAction>> = {}, isMac = false) {
  const ran: CommandId[] = []
  const actions = Object.fromEntries(COMMAND_IDS.map((id) => [id, overrides[id] ?? { run: () => void ran.push(id) }])) as Record<CommandId, CommandAction>
  return { ran, registry: createCommandRegistry(actions, { isMac }) }
}

describe('command table', () => {
  it('has unique ids and no two commands on one shortcut', () => {
    expect(new Set(COMMAND_IDS).size).toBe(COMMAND_IDS.length)
    const keys = COMMAND_SPECS.flatMap((c) => ('shortcut' in c ? [shortcutAccelerator(c.shortcut)] : []))
    expect(new Set(keys).size).toBe(keys.length)
  })

  it('takes none of the keys Monaco binds for itself', () => {
    const taken = COMMAND_SPECS.filter((c) => 'shortcut' in c && isMonacoKey(c.shortcut)).map((c) => c.id)
    // Ctrl+Enter is Monaco's too: the publish editor's Monaco runs it as its own publish command.
    expect(taken).toEqual(['publish.send'])
  })

  it('uses no Ctrl+Alt, which AltGr layouts type characters with', () => {
    const altGr = COMMAND_SPECS.filter((c) => 'shortcut' in c && 'alt' in c.shortcut && (('mod' in c.shortcut && c.shortcut.mod) || ('ctrl' in c.shortcut && c.shortcut.ctrl)))
    expect(altGr.map((c) => c.id)).toEqual([])
  })

  it('writes shortcuts the way each platform does', () => {
    const palette = { key: 'p', mod: true, shift: true }
    expect(formatShortcut(palette, false)).toBe('Ctrl+Shift+P')
    expect(formatShortcut(palette, true)).toBe('⇧⌘P')
    expect(shortcutAccelerator(palette)).toBe('CmdOrCtrl+Shift+P')
    expect(ariaKeyShortcut(palette, false)).toBe('Control+Shift+P')
    expect(ariaKeyShortcut(palette, true)).toBe('Meta+Shift+P')
    expect(formatShortcut({ key: 'Tab', ctrl: true }, true)).toBe('⌃⇥')
    expect(shortcutAccelerator({ key: 'Tab', ctrl: true, shift: true })).toBe('Ctrl+Shift+Tab')
  })
})

describe('shortcut keys', () => {
  it('opens Settings on Ctrl+, on Linux and Windows and Cmd+, on macOS, and nothing else', () => {
    const settings = { key: ',', mod: true }
    expect(matchesShortcut(keydown(',', { ctrlKey: true }), settings, false)).toBe(true)
    expect(matchesShortcut(keydown(',', { metaKey: true }), settings, false)).toBe(false)
    expect(matchesShortcut(keydown(',', { metaKey: true }), settings, true)).toBe(true)
    expect(matchesShortcut(keydown(',', { ctrlKey: true }), settings, true)).toBe(false)
    expect(matchesShortcut(keydown(','), settings, false)).toBe(false)
    expect(matchesShortcut(keydown(',', { ctrlKey: true, shiftKey: true }), settings, false)).toBe(false)
    expect(matchesShortcut(keydown('.', { ctrlKey: true }), settings, false)).toBe(false)
  })

  it('matches letters by their key code when Option or Shift change the character', () => {
    expect(matchesShortcut(keydown('P', { ctrlKey: true, shiftKey: true }), { key: 'p', mod: true, shift: true }, false)).toBe(true)
    expect(matchesShortcut(keydown('®', { metaKey: true, altKey: true, code: 'KeyR' }), { key: 'r', mod: true, alt: true }, true)).toBe(true)
  })

  it('matches ? with or without Shift, since layouts differ', () => {
    expect(matchesShortcut(keydown('?', { shiftKey: true }), { key: '?' }, false)).toBe(true)
    expect(matchesShortcut(keydown('?'), { key: '?' }, false)).toBe(true)
    expect(matchesShortcut(keydown('?', { ctrlKey: true }), { key: '?' }, false)).toBe(false)
  })

  it('knows which targets are typing', () => {
    expect(isTypingTarget(el('INPUT'))).toBe(true)
    expect(isTypingTarget(el('INPUT', { type: 'search' }))).toBe(true)
    expect(isTypingTarget(el('INPUT', { type: 'checkbox' }))).toBe(false)
    expect(isTypingTarget(el('TEXTAREA'))).toBe(true)
    expect(isTypingTarget(el('SELECT'))).toBe(true)
    expect(isTypingTarget(el('DIV', { editable: true }))).toBe(true)
    expect(isTypingTarget(el('DIV', { inside: ['.monaco-editor'] }))).toBe(true)
    expect(isTypingTarget(el('BUTTON'))).toBe(false)
    expect(isTypingTarget(null)).toBe(false)
  })
})

describe('the registry', () => {
  it('runs a shortcut once and claims the key', () => {
    const { ran, registry } = registryWith()
    const ev = keydown('P', { ctrlKey: true, shiftKey: true })
    expect(registry.handleKeydown(ev)).toBe(true)
    expect(ran).toEqual(['palette.open'])
    expect(ev.prevented).toBe(true)
  })

  it('uses Cmd on macOS, where Ctrl+Shift+P is not the palette', () => {
    const { ran, registry } = registryWith({}, true)
    expect(registry.handleKeydown(keydown('p', { ctrlKey: true, shiftKey: true }))).toBe(false)
    expect(registry.handleKeydown(keydown('p', { metaKey: true, shiftKey: true }))).toBe(true)
    expect(ran).toEqual(['palette.open'])
    expect(registry.shortcutText('palette.open')).toBe('⇧⌘P')
  })

  it('lets ? be typed in a text field, and shows the sheet elsewhere', () => {
    const { ran, registry } = registryWith()
    const typing = keydown('?', { shiftKey: true }, el('INPUT'))
    expect(registry.handleKeydown(typing)).toBe(false)
    expect(typing.prevented).toBe(false)
    expect(registry.handleKeydown(keydown('?', { shiftKey: true }, el('DIV', { inside: ['.monaco-editor'] })))).toBe(false)
    expect(ran).toEqual([])
    expect(registry.handleKeydown(keydown('?', { shiftKey: true }, el('BUTTON')))).toBe(true)
    expect(ran).toEqual(['shortcuts.show'])
  })

  it('runs Ctrl/Cmd shortcuts from a text field, but not keys Monaco binds while Monaco has focus', () => {
    const { ran, registry } = registryWith()
    expect(registry.handleKeydown(keydown(',', { ctrlKey: true }, el('INPUT')))).toBe(true)
    expect(registry.handleKeydown(keydown('p', { ctrlKey: true, shiftKey: true }, el('TEXTAREA', { inside: ['.monaco-editor'] })))).toBe(true)
    // Monaco's own Ctrl+Enter (the publish editor runs it) is left to Monaco.
    expect(registry.handleKeydown(keydown('Enter', { ctrlKey: true }, el('TEXTAREA', { inside: ['.monaco-editor'] })))).toBe(false)
    expect(registry.handleKeydown(keydown('Enter', { ctrlKey: true }, el('BUTTON')))).toBe(true)
    expect(ran).toEqual(['settings.open', 'palette.open', 'publish.send'])
  })

  it('leaves a key someone already handled alone', () => {
    const { ran, registry } = registryWith()
    const ev = keydown('Enter', { ctrlKey: true }, el('INPUT'))
    ev.defaultPrevented = true
    expect(registry.handleKeydown(ev)).toBe(false)
    expect(ran).toEqual([])
  })

  it('does not claim the key of a command that cannot run now', () => {
    const { registry } = registryWith({ 'tabs.go2': { when: () => false, run: () => {} } })
    const ev = keydown('2', { ctrlKey: true })
    expect(registry.handleKeydown(ev)).toBe(false)
    expect(ev.prevented).toBe(false)
    expect(registry.available().map((c) => c.id)).not.toContain('tabs.go2')
    expect(registry.all.map((c) => c.id)).toContain('tabs.go2')
  })

  it('runs commands by id from the palette or the menu, refusing unknown ids', () => {
    const { ran, registry } = registryWith()
    expect(registry.run('settings.open')).toBe(true)
    expect(registry.run('no.such.command')).toBe(false)
    expect(registry.run(42)).toBe(false)
    expect(ran).toEqual(['settings.open'])
  })

  it('reports a command that fails instead of throwing into the key handler', async () => {
    const onError = vi.fn()
    const actions = Object.fromEntries(COMMAND_IDS.map((id) => [id, { run: () => Promise.reject(new Error('broker said no')) }])) as Record<CommandId, CommandAction>
    const registry = createCommandRegistry(actions, { isMac: false, onError })
    expect(registry.run('connection.disconnect')).toBe(true)
    await vi.waitFor(() => expect(onError).toHaveBeenCalledWith('connection.disconnect', expect.objectContaining({ message: 'broker said no' })))
  })
})

describe('palette search', () => {
  const titles = COMMAND_SPECS.map((c) => ({ title: c.title }))

  it('puts titles that start with the query first, then words, then scattered letters', () => {
    expect(filterByTitle(titles, 'open')[0]!.title).toBe('Open settings')
    expect(filterByTitle(titles, 'settings').map((t) => t.title)).toEqual(['Open settings'])
    expect(filterByTitle(titles, 'os')[0]!.title).toBe('Open settings')
    expect(matchScore('Open settings', 'opn sttngs')).not.toBeNull()
    expect(matchScore('Open settings', 'xyz')).toBeNull()
    expect(filterByTitle(titles, '')).toHaveLength(titles.length)
  })
})

describe('app commands', () => {
  function deps(state: { tabs?: string[]; activeId?: string | null; active?: ActiveConnection | null; focused?: string | null; live?: string[]; recording?: string | null } = {}) {
    const calls: string[] = []
    const d: AppCommandDeps = {
      openPalette: () => void calls.push('palette'),
      showShortcuts: () => void calls.push('sheet'),
      focusTreeFilter: () => (calls.push('filter'), true),
      tabIds: () => state.tabs ?? [],
      activeId: () => state.activeId ?? null,
      focusTab: (id) => void calls.push(`tab:${id}`),
      active: () => state.active ?? null,
      focusedProfileId: () => state.focused ?? null,
      isLive: (id) => (state.live ?? []).includes(id),
      connectProfile: async (id) => void calls.push(`connect:${id}`),
      disconnect: async (id) => void calls.push(`disconnect:${id}`),
      requestPublish: (id) => void calls.push(`publish:${id}`),
      recordingId: () => state.recording ?? null,
      startRecording: async (id) => void calls.push(`record:${id}`),
      stopRecording: async (id) => void calls.push(`stop:${id}`),
      openSettings: () => void calls.push('settings'),
      openRecordings: () => void calls.push('recordings'),
      openCertificates: () => void calls.push('certificates'),
      newProfile: () => void calls.push('new'),
      toggleTheme: () => void calls.push('theme'),
    }
    return { calls, actions: appCommandActions(d), d }
  }
  const connected: ActiveConnection = { connectionId: 'c1', profileId: 'p1', status: 'connected', offline: false }

  it('steps through tabs with wrap-around', () => {
    expect(tabAfter(['a', 'b', 'c'], 'c', 1)).toBe('a')
    expect(tabAfter(['a', 'b', 'c'], 'a', -1)).toBe('c')
    expect(tabAfter(['a', 'b', 'c'], null, 1)).toBe('a')
    expect(tabAfter([], null, 1)).toBeNull()
    const { calls, actions } = deps({ tabs: ['a', 'b'], activeId: 'a' })
    void actions['tabs.next'].run()
    void actions['tabs.go2'].run()
    expect(calls).toEqual(['tab:b', 'tab:b'])
    expect(actions['tabs.go3'].when!()).toBe(false)
  })

  it('connects the focused profile, or the active tab whose connection ended', () => {
    expect(profileToConnect(deps({ focused: 'p2' }).d)).toBe('p2')
    expect(profileToConnect(deps({ focused: 'p2', live: ['p2'] }).d)).toBeNull()
    expect(profileToConnect(deps({ active: { ...connected, status: 'error' } }).d)).toBe('p1')
    expect(profileToConnect(deps({ active: connected }).d)).toBeNull()
  })

  it('publishes, records and disconnects only on a live connection, never on an offline recording', () => {
    const live = deps({ active: connected })
    expect(live.actions['publish.send'].when!()).toBe(true)
    void live.actions['publish.send'].run()
    void live.actions['recording.toggle'].run()
    void live.actions['connection.disconnect'].run()
    expect(live.calls).toEqual(['publish:c1', 'record:c1', 'disconnect:c1'])
    const offline = deps({ active: { ...connected, offline: true } })
    for (const id of ['publish.send', 'recording.toggle', 'connection.disconnect'] as const) expect(offline.actions[id].when!()).toBe(false)
  })

  it('stops the recording that runs', () => {
    const { calls, actions } = deps({ active: connected, recording: 'r9' })
    void actions['recording.toggle'].run()
    expect(calls).toEqual(['stop:r9'])
  })
})
