/**
 * One shared clock for countdowns and rates. A single interval serves every component that
 * needs "now", and it stops when nobody is looking.
 */
import { onScopeDispose, ref, type Ref } from 'vue'

const now = ref(Date.now())
let users = 0
let timer: ReturnType<typeof setInterval> | null = null

/** Reactive epoch ms, updated every 250 ms while at least one component uses it. */
export function useNow(): Readonly<Ref<number>> {
  users++
  if (!timer) {
    now.value = Date.now()
    timer = setInterval(() => (now.value = Date.now()), 250)
  }
  onScopeDispose(() => {
    users--
    if (users === 0 && timer) {
      clearInterval(timer)
      timer = null
    }
  })
  return now
}
