/**
 * What each command does, written against a narrow view of the app's state (`AppCommandDeps`)
 * so the rules (which tab is next, what "the selected profile" is, when recording can start)
 * are unit-tested without stores or a page. stores/commands.ts supplies the real deps.
 */
import type { CommandId } from '@api'
import type { CommandAction } from './registry'

export interface ActiveConnection {
  connectionId: string
  profileId: string
  status: string
  /** Set for a recording opened offline: nothing to disconnect, publish or record. */
  offline: boolean
}

export interface AppCommandDeps {
  openPalette(): void
  showShortcuts(): void
  /** Focuses the active connection's topic filter; false when none is on screen. */
  focusTreeFilter(): boolean
  tabIds(): readonly string[]
  activeId(): string | null
  focusTab(connectionId: string): void
  active(): ActiveConnection | null
  /** The profile whose card holds focus, if any. */
  focusedProfileId(): string | null
  /** Whether the profile has a live (not ended) connection. */
  isLive(profileId: string): boolean
  connectProfile(profileId: string): Promise<void>
  disconnect(connectionId: string): Promise<void>
  requestPublish(connectionId: string): void
  /** The connection's recorder while it records. */
  recordingId(connectionId: string): string | null
  startRecording(connectionId: string): Promise<void>
  stopRecording(recorderId: string): Promise<void>
  openSettings(): void
  openRecordings(): void
  openCertificates(): void
  newProfile(): void
  toggleTheme(): void
}

const ENDED = new Set(['disconnected', 'error'])
const LIVE = new Set(['connected'])

/** The tab `step` places after the active one, wrapping around; null with no tabs. */
export function tabAfter(ids: readonly string[], activeId: string | null, step: number): string | null {
  if (ids.length === 0) return null
  const at = activeId ? ids.indexOf(activeId) : -1
  const from = at < 0 ? (step > 0 ? -1 : 0) : at
  return ids[(((from + step) % ids.length) + ids.length) % ids.length]!
}

/**
 * The profile "Connect" means: the one whose card holds focus, else the active tab's profile
 * when that connection has ended (connect it again).
 */
export function profileToConnect(deps: Pick<AppCommandDeps, 'focusedProfileId' | 'active' | 'isLive'>): string | null {
  const focused = deps.focusedProfileId()
  if (focused) return deps.isLive(focused) ? null : focused
  const active = deps.active()
  if (active && !active.offline && ENDED.has(active.status)) return active.profileId
  return null
}

/** Every command's `when` and `run`. */
export function appCommandActions(deps: AppCommandDeps): Record<CommandId, CommandAction> {
  const online = () => {
    const a = deps.active()
    return a && !a.offline ? a : null
  }
  const tab = (n: number): CommandAction => ({
    when: () => deps.tabIds().length >= n,
    run: () => deps.focusTab(deps.tabIds()[n - 1]!),
  })
  const step = (by: number): CommandAction => ({
    when: () => deps.tabIds().length > 1,
    run: () => {
      const next = tabAfter(deps.tabIds(), deps.activeId(), by)
      if (next) deps.focusTab(next)
    },
  })
  return {
    'palette.open': { run: deps.openPalette },
    'shortcuts.show': { run: deps.showShortcuts },
    'tree.focusFilter': { when: () => deps.active() !== null, run: () => void deps.focusTreeFilter() },
    'tabs.next': step(1),
    'tabs.previous': step(-1),
    'tabs.go1': tab(1),
    'tabs.go2': tab(2),
    'tabs.go3': tab(3),
    'tabs.go4': tab(4),
    'tabs.go5': tab(5),
    'tabs.go6': tab(6),
    'tabs.go7': tab(7),
    'tabs.go8': tab(8),
    'tabs.go9': tab(9),
    'connection.connect': {
      when: () => profileToConnect(deps) !== null,
      run: () => {
        const id = profileToConnect(deps)
        if (id) return deps.connectProfile(id)
      },
    },
    'connection.disconnect': {
      when: () => {
        const a = online()
        return !!a && !ENDED.has(a.status)
      },
      run: () => deps.disconnect(online()!.connectionId),
    },
    'publish.send': {
      when: () => LIVE.has(online()?.status ?? ''),
      run: () => deps.requestPublish(online()!.connectionId),
    },
    'recording.toggle': {
      when: () => {
        const a = online()
        return !!a && (LIVE.has(a.status) || deps.recordingId(a.connectionId) !== null)
      },
      run: () => {
        const a = online()!
        const recorder = deps.recordingId(a.connectionId)
        return recorder ? deps.stopRecording(recorder) : deps.startRecording(a.connectionId)
      },
    },
    'settings.open': { run: deps.openSettings },
    'recordings.open': { run: deps.openRecordings },
    'certificates.open': { run: deps.openCertificates },
    'profile.new': { run: deps.newProfile },
    'theme.toggle': { run: deps.toggleTheme },
  }
}
