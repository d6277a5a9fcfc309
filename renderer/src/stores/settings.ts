/**
 * The app's settings, as the backend keeps them (`settings.get`, `settings.changed`), and what
 * the page does with them at once: the theme, the time format and the language. The tree's limits
 * are applied main-side; new profiles and the key log form read their defaults from here. Pane
 * sizes change many times a second during a drag: they are shown at once and saved once the drag rests.
 */
import { defineStore } from 'pinia'
import { computed, ref, watch } from 'vue'
import { DEFAULT_SETTINGS, PANE_SIZE_RANGES, type AppSettings, type LayoutSettings, type SettingsPatch } from '@api'
import { useApi } from '../api/use-api'
import { applyTheme } from '../lib/theme'
import { applyLanguage } from '../lib/i18n'
import { setTimeFormat } from '../lib/time/time-format'
import type { PaneOptions } from '../lib/layout/use-pane'

/** The panes whose width and collapsed flag the layout group keeps (`<name>Width`, `<name>Collapsed`). */
export type StoredPaneName = 'profiles' | 'sidePanel' | 'detail'

/** How long a pane size must rest before it is saved. */
const LAYOUT_SAVE_MS = 300

export const useSettingsStore = defineStore('settings', () => {
  const api = useApi()
  const settings = ref<AppSettings>(structuredClone(DEFAULT_SETTINGS))
  /** False until the backend answered once: the theme keeps its remembered value until then. */
  const loaded = ref(false)
  /** The Settings screen is open. */
  const open = ref(false)

  api.on('settings.changed', (next) => put(next))

  function put(next: AppSettings): void {
    settings.value = next
    loaded.value = true
  }

  watch(
    () => [loaded.value, settings.value.appearance.theme, settings.value.appearance.timeFormat, settings.value.appearance.language] as const,
    ([isLoaded, theme, timeFormat, language]) => {
      if (!isLoaded) return
      applyTheme(theme)
      setTimeFormat(timeFormat)
      applyLanguage(language)
    },
  )

  async function load(): Promise<void> {
    put(await api.call('settings.get'))
  }

  /** Saves a change; the settings in force come back (and go to every other window as `settings.changed`). */
  async function update(patch: SettingsPatch): Promise<AppSettings> {
    const next = await api.call('settings.update', { patch })
    put(next)
    return next
  }

  /** Layout changes shown already but not yet saved (they win over what the backend last sent). */
  const pendingLayout = ref<Partial<LayoutSettings>>({})
  const layout = computed<LayoutSettings>(() => ({ ...settings.value.layout, ...pendingLayout.value }))
  let layoutTimer: ReturnType<typeof setTimeout> | null = null

  /** Shows a layout change now and saves it after `LAYOUT_SAVE_MS` without another change. */
  function updateLayout(patch: Partial<LayoutSettings>): void {
    pendingLayout.value = { ...pendingLayout.value, ...patch }
    if (layoutTimer) clearTimeout(layoutTimer)
    layoutTimer = setTimeout(() => void flushLayout(), LAYOUT_SAVE_MS)
  }

  /** Saves the layout changes waiting (also when the page goes away, so a quick reload keeps them). */
  async function flushLayout(): Promise<void> {
    if (layoutTimer) clearTimeout(layoutTimer)
    layoutTimer = null
    const patch = pendingLayout.value
    if (Object.keys(patch).length === 0) return
    try {
      put(await api.call('settings.update', { patch: { layout: patch } }))
    } catch {
      // Not saved (the backend is away): the page keeps showing it, and the next change retries.
    }
    // Keep only what changed again while the save was under way.
    const rest: Record<string, unknown> = { ...pendingLayout.value }
    for (const [key, value] of Object.entries(patch)) if (rest[key] === value) delete rest[key]
    pendingLayout.value = rest as Partial<LayoutSettings>
  }
  window.addEventListener('pagehide', () => void flushLayout())

  /** A pane's allowed widths, stored state and saving, in the shape `usePane` takes. */
  function storedPane(name: StoredPaneName): Pick<PaneOptions, 'range' | 'read' | 'write'> {
    const width = `${name}Width` as const
    const collapsed = `${name}Collapsed` as const
    return {
      range: PANE_SIZE_RANGES[width],
      read: () => ({ size: layout.value[width], collapsed: layout.value[collapsed] }),
      write: (s) => updateLayout({ [width]: s.size, [collapsed]: s.collapsed }),
    }
  }

  return { settings, loaded, open, load, update, layout, updateLayout, flushLayout, storedPane }
})
