/**
 * The command registry: every command's title and shortcut (from the contract's table, so the
 * desktop menu shows the same) with when it is available and what it does. The palette, the
 * shortcut sheet, the window's keydown hook and the menu's `app.command` event all run commands
 * through here, so a shortcut and a palette entry can never do two different things.
 */
import { COMMAND_SPECS, commandSpec, formatShortcut, isCommandId, type CommandId, type Shortcut } from '@api'
import { matchesShortcut, mayFireIn, type KeyInput } from './keys'

/** What a command does and when it can; titles and shortcuts come from COMMAND_SPECS. */
export interface CommandAction {
  /** Whether the command can run now (a connection is active, …); always when left out. */
  when?: () => boolean
  run: () => void | Promise<void>
}

export interface Command extends CommandAction {
  id: CommandId
  title: string
  shortcut?: Shortcut
}

export interface KeydownLike extends KeyInput {
  target: EventTarget | null
  defaultPrevented: boolean
  preventDefault(): void
}

export interface CommandRegistry {
  /** Every command, in table order, available or not. */
  readonly all: readonly Command[]
  /** The commands that can run now. */
  available(): Command[]
  get(id: CommandId): Command
  /** Runs a command if it can run now; says whether it ran. */
  run(id: unknown): boolean
  /** The window's keydown hook: runs the shortcut's command and claims the key; says whether it did. */
  handleKeydown(ev: KeydownLike): boolean
  /** The shortcut as shown on this platform, or '' when the command has none. */
  shortcutText(id: CommandId): string
}

/** Builds the registry; `actions` must give every command of the table its behaviour. */
export function createCommandRegistry(actions: Record<CommandId, CommandAction>, options: { isMac: boolean; onError?: (id: CommandId, err: unknown) => void }): CommandRegistry {
  const all: Command[] = COMMAND_SPECS.map((spec) => {
    const action = actions[spec.id]
    const own = commandSpec(spec.id)
    return { id: spec.id, title: own.title, ...(own.shortcut ? { shortcut: own.shortcut } : {}), ...action }
  })
  const byId = new Map(all.map((c) => [c.id, c]))
  const can = (c: Command) => !c.when || c.when()

  function start(c: Command): void {
    try {
      const result = c.run()
      if (result instanceof Promise) result.catch((err: unknown) => options.onError?.(c.id, err))
    } catch (err) {
      options.onError?.(c.id, err)
    }
  }

  return {
    all,
    available: () => all.filter(can),
    get: (id) => byId.get(id)!,
    run(id) {
      if (!isCommandId(id)) return false
      const c = byId.get(id)!
      if (!can(c)) return false
      start(c)
      return true
    },
    handleKeydown(ev) {
      if (ev.defaultPrevented) return false
      // Duck-typed, not `instanceof Element`: the window, the document or a test's stand-in may be the target.
      const target = ev.target && typeof (ev.target as Element).closest === 'function' ? (ev.target as Element) : null
      const c = all.find((cmd) => cmd.shortcut && matchesShortcut(ev, cmd.shortcut, options.isMac) && mayFireIn(cmd.shortcut, target))
      // A command that cannot run now leaves the key to the page (Ctrl+Enter still types in a field).
      if (!c || !can(c)) return false
      ev.preventDefault()
      start(c)
      return true
    },
    shortcutText(id) {
      const s = byId.get(id)?.shortcut
      return s ? formatShortcut(s, options.isMac) : ''
    },
  }
}

/** Whether this page runs on macOS (Cmd instead of Ctrl). */
export function detectMac(nav: { platform?: string; userAgent?: string } = globalThis.navigator ?? {}): boolean {
  return /Mac|iPhone|iPad/.test(nav.platform ?? '') || /Mac OS X/.test(nav.userAgent ?? '')
}
