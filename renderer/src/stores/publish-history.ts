/**
 * The last publishes (newest first, at most MAX_PUBLISH_HISTORY), persisted on the main side;
 * live through `publish.historyChanged`, which follows a publish from any window.
 */
import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { PublishHistoryEntry, PublishOutcome } from '@api'
import { useApiContext } from '../api/use-api'
import { loadErrorText } from '../lib/format'
import { t } from '../lib/i18n'

export const usePublishHistoryStore = defineStore('publishHistory', () => {
  const { client: api, channel } = useApiContext()
  const entries = shallowRef<readonly PublishHistoryEntry[]>([])
  const loaded = ref(false)
  const loadError = ref<string | null>(null)

  api.on('publish.historyChanged', (list) => {
    entries.value = list
    loaded.value = true
  })
  channel.onStatus((_status, reconnected) => {
    if (reconnected) void load()
  })

  async function load(): Promise<void> {
    try {
      entries.value = await api.call('publish.history')
      loaded.value = true
      loadError.value = null
    } catch (err) {
      loadError.value = loadErrorText(err)
    }
  }

  /**
   * Publishes an entry's message again, as authored (placeholders render anew), on a connection.
   * An entry whose body was not kept cannot be: the caller disables the button, and this refuses too.
   */
  async function republish(connectionId: string, entry: PublishHistoryEntry): Promise<PublishOutcome> {
    if (entry.bodyDropped) throw new Error(t('notices.publishHistory.bodyDropped'))
    return api.call('publish.send', { connectionId, message: entry.message })
  }

  async function clear(): Promise<void> {
    await api.call('publish.historyClear')
    entries.value = []
  }

  void load()

  return { entries, loaded, loadError, load, republish, clear }
})
