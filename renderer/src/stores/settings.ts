/**
 * The app's settings, as the backend keeps them (`settings.get`, `settings.changed`), and what
 * the page does with them at once: the theme, the time format and the language. The tree's limits are applied
 * main-side; new profiles and the key log form read their defaults from here.
 */
import { defineStore } from 'pinia'
import { ref, watch } from 'vue'
import { DEFAULT_SETTINGS, type AppSettings, type SettingsPatch } from '@api'
import { useApi } from '../api/use-api'
import { applyTheme } from '../lib/theme'
import { applyLanguage } from '../lib/i18n'
import { setTimeFormat } from '../lib/time/time-format'

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

  return { settings, loaded, open, load, update }
})
