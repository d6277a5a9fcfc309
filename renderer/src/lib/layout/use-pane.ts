/**
 * A resizable pane inside a container element: its bounds follow the container's width (the other
 * panes keep `reservePx`), and the size shown is the stored one held inside them.
 */
import { computed, onBeforeUnmount, ref, watch, type ComputedRef, type Ref } from 'vue'
import { boundsWithin, clampSize, type PaneBounds, type PaneState } from './pane-size'

/**
 * The element's content width, kept current by a ResizeObserver (0 while there is no element).
 * The element may appear after mounting (behind a v-if), so the ref is watched, not read once.
 */
export function useElementWidth(el: Ref<HTMLElement | null>): Ref<number> {
  const width = ref(0)
  let observer: ResizeObserver | null = null
  watch(
    el,
    (target) => {
      observer?.disconnect()
      observer = null
      if (!target) return
      width.value = target.clientWidth
      observer = new ResizeObserver(() => (width.value = target.clientWidth))
      observer.observe(target)
    },
    { immediate: true, flush: 'post' },
  )
  onBeforeUnmount(() => observer?.disconnect())
  return width
}

export interface PaneOptions {
  /** The widths the setting allows. */
  range: PaneBounds
  /** What the container's other panes need beside this one, this pane's splitter included. */
  reservePx: number
  container: Ref<HTMLElement | null>
  read: () => PaneState
  write: (state: PaneState) => void
}

export interface Pane {
  bounds: ComputedRef<PaneBounds>
  /** The state to show: the stored size, held inside today's bounds. */
  state: ComputedRef<PaneState>
  set: (state: PaneState) => void
}

export function usePane(options: PaneOptions): Pane {
  const width = useElementWidth(options.container)
  const bounds = computed(() => boundsWithin(options.range, width.value, options.reservePx))
  const state = computed(() => {
    const stored = options.read()
    return { size: clampSize(stored.size, bounds.value), collapsed: stored.collapsed }
  })
  return { bounds, state, set: options.write }
}
