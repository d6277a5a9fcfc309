/**
 * Asks the main side whether a draft encodes (`publish.encode`), a moment after it stops
 * changing, for the formats only it can encode. Answers to superseded drafts are dropped. A
 * failed call is not a problem of the payload: it is reported apart, and does not block.
 */
import { onBeforeUnmount, ref, shallowRef, watch, type Ref } from 'vue'
import type { PayloadDraft, PayloadEncodeResult } from '@api'
import { useApi } from '../../api/use-api'
import { errorText } from '../format'
import { t } from '../i18n'
import { needsMainSideCheck } from './formats'

const DELAY_MS = 300

export function useEncodeCheck(draft: Ref<PayloadDraft>, skip: Ref<boolean>) {
  const api = useApi()
  const result = shallowRef<PayloadEncodeResult | null>(null)
  const unavailable = ref<string | null>(null)
  const pending = ref(false)
  let timer: ReturnType<typeof setTimeout> | null = null
  let generation = 0

  async function run(payload: PayloadDraft): Promise<void> {
    const mine = ++generation
    try {
      const answer = await api.call('publish.encode', { payload })
      if (mine !== generation) return
      result.value = answer
      unavailable.value = null
    } catch (err) {
      if (mine !== generation) return
      result.value = null
      unavailable.value = t('publish.check.couldNotCheck', { error: errorText(err) })
    } finally {
      if (mine === generation) pending.value = false
    }
  }

  watch([draft, skip], () => {
    if (timer) clearTimeout(timer)
    generation++
    result.value = null
    unavailable.value = null
    pending.value = false
    if (skip.value || !needsMainSideCheck(draft.value)) return
    pending.value = true
    const payload = { ...draft.value }
    timer = setTimeout(() => void run(payload), DELAY_MS)
  }, { deep: true, immediate: true })

  onBeforeUnmount(() => {
    if (timer) clearTimeout(timer)
    generation++
  })

  return { result, unavailable, pending }
}
