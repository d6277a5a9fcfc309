/**
 * Saved messages (templates), global or per profile, as the main side keeps them; live through
 * `templates.changed`, so a save in one window shows in every other. Searching happens here over
 * the full list: it is small (names and authored messages) and the list must answer as you type.
 */
import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { MethodParams, PublishOutcome, PublishTemplate } from '@api'
import { useApiContext } from '../api/use-api'
import { loadErrorText } from '../lib/format'

export const useTemplatesStore = defineStore('templates', () => {
  const { client: api, channel } = useApiContext()
  const templates = shallowRef<readonly PublishTemplate[]>([])
  const loaded = ref(false)
  /** The last load's failure as a sentence (e.g. the publish service is not there). */
  const loadError = ref<string | null>(null)

  api.on('templates.changed', (list) => {
    templates.value = list
    loaded.value = true
  })
  // A new backend link may be a restarted backend: what we hold may be stale.
  channel.onStatus((_status, reconnected) => {
    if (reconnected) void load()
  })

  async function load(): Promise<void> {
    try {
      templates.value = await api.call('templates.list')
      loaded.value = true
      loadError.value = null
    } catch (err) {
      loadError.value = loadErrorText(err)
    }
  }

  function upsert(template: PublishTemplate): void {
    templates.value = [...templates.value.filter((t) => t.id !== template.id), template]
  }

  /** Saves (a new one without `id`, else replaces that template) and returns what the main side kept. */
  async function save(params: MethodParams<'templates.save'>): Promise<PublishTemplate> {
    const saved = await api.call('templates.save', params)
    upsert(saved)
    return saved
  }

  async function remove(id: string): Promise<void> {
    await api.call('templates.delete', { id })
    templates.value = templates.value.filter((t) => t.id !== id)
  }

  /**
   * Publishes a template as it is, on a connection. The main side renders its placeholders and
   * advances its `{{counter}}`; the new counter arrives with `templates.changed` (in every window).
   */
  async function publish(connectionId: string, template: PublishTemplate): Promise<PublishOutcome> {
    return api.call('publish.send', { connectionId, message: template.message, templateId: template.id })
  }

  void load()

  return { templates, loaded, loadError, load, save, remove, publish }
})
