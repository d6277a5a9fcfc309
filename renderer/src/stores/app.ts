/** App-level facts: what the backend says about itself, and whether we can reach it. */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { AppInfo } from '@api'
import { useApiContext } from '../api/use-api'
import type { ChannelStatus } from '../api/ws-channel'
import { errorText } from '../lib/format'

export const useAppStore = defineStore('app', () => {
  const { client, channel } = useApiContext()
  const info = ref<AppInfo | null>(null)
  const transport = ref<ChannelStatus>(channel.status)
  /** Storage warnings are shown once per run; dismissing hides them until the next start. */
  const storageWarningsDismissed = ref(false)
  const loadError = ref<string | null>(null)

  channel.onStatus((status) => (transport.value = status))

  async function load(): Promise<void> {
    try {
      info.value = await client.call('app.info')
      loadError.value = null
    } catch (err) {
      loadError.value = errorText(err)
    }
  }

  return { info, transport, storageWarningsDismissed, loadError, load }
})
