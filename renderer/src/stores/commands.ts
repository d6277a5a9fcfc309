/**
 * The command registry wired to the app's stores, plus the state of what commands open: the
 * palette, the shortcut sheet and the Certificates dialog. App.vue's keydown hook and the
 * desktop menu's `app.command` event both run commands here.
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { appCommandActions } from '../lib/commands/app-commands'
import { createCommandRegistry, detectMac } from '../lib/commands/registry'
import { recordPlan, DEFAULT_RECORD_FORM } from '../lib/recording/record-form'
import { currentScheme } from '../lib/theme'
import { errorText } from '../lib/format'
import { commandTitle } from '../lib/commands/command-title'
import { t } from '../lib/i18n'
import { useApi } from '../api/use-api'
import { useConnectionsStore } from './connections'
import { usePublishDraftStore } from './publish-draft'
import { useRecordingsStore } from './recordings'
import { useSettingsStore } from './settings'
import { useUiStore } from './ui'

/** Marks the element a command focuses or reads, so no command depends on a translated label. */
export const TREE_FILTER_ATTR = 'data-tree-filter'
export const PROFILE_ID_ATTR = 'data-profile-id'

export const useCommandsStore = defineStore('commands', () => {
  const api = useApi()
  const connections = useConnectionsStore()
  const drafts = usePublishDraftStore()
  const recordings = useRecordingsStore()
  const settings = useSettingsStore()
  const ui = useUiStore()

  const paletteOpen = ref(false)
  const sheetOpen = ref(false)
  const certificatesOpen = ref(false)
  /** The last command that failed, in a sentence; cleared by the next command. */
  const error = ref<string | null>(null)

  const registry = createCommandRegistry(
    appCommandActions({
      openPalette: () => {
        sheetOpen.value = false
        paletteOpen.value = true
      },
      showShortcuts: () => {
        paletteOpen.value = false
        sheetOpen.value = true
      },
      focusTreeFilter: () => {
        const input = document.querySelector<HTMLInputElement>(`[${TREE_FILTER_ATTR}]`)
        input?.focus()
        input?.select()
        return !!input
      },
      tabIds: () => connections.tabs.map((t) => t.connectionId),
      activeId: () => connections.activeId,
      focusTab: (id) => connections.focus(id),
      active: () => {
        const a = connections.active
        return a ? { connectionId: a.connectionId, profileId: a.profileId, status: a.status, offline: !!a.offline } : null
      },
      focusedProfileId: () => document.activeElement?.closest(`[${PROFILE_ID_ATTR}]`)?.getAttribute(PROFILE_ID_ATTR) ?? null,
      isLive: (profileId) => {
        const s = connections.forProfile(profileId)
        return !!s && s.status !== 'disconnected' && s.status !== 'error'
      },
      connectProfile: (id) => ui.connectProfile(id),
      disconnect: (id) => connections.disconnect(id),
      requestPublish: (id) => drafts.requestPublish(id),
      recordingId: (id) => {
        const r = recordings.recorderOf(id)
        return r && r.state === 'recording' ? r.recorderId : null
      },
      startRecording: async (id) => {
        const plan = recordPlan(id, DEFAULT_RECORD_FORM)
        if (!plan.ok) throw new Error(plan.problem)
        await recordings.start(plan.options)
      },
      stopRecording: async (recorderId) => {
        await recordings.stop(recorderId)
      },
      openSettings: () => {
        settings.open = true
      },
      openRecordings: () => {
        recordings.libraryOpen = true
      },
      openCertificates: () => {
        certificatesOpen.value = true
      },
      newProfile: () => ui.openEditor(null),
      toggleTheme: () => {
        void settings.update({ appearance: { theme: currentScheme() === 'dark' ? 'light' : 'dark' } }).catch((err: unknown) => {
          error.value = t('notices.commands.themeFailed', { error: errorText(err) })
        })
      },
    }),
    {
      isMac: detectMac(),
      onError: (id, err) => {
        error.value = t('notices.commands.failed', { title: commandTitle(id, t), error: errorText(err) })
      },
    },
  )

  function run(id: unknown): boolean {
    error.value = null
    return registry.run(id)
  }

  function onKeydown(ev: KeyboardEvent): void {
    if (registry.handleKeydown(ev)) error.value = null
  }

  // The desktop menu: an item was chosen while this window had focus.
  api.on('app.command', (event) => {
    run(event.id)
  })

  return { registry, paletteOpen, sheetOpen, certificatesOpen, error, run, onKeydown }
})
