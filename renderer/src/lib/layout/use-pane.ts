/**
 * A resizable pane inside a container element: its bounds follow the container's width (the other
 * panes keep `reservePx`), and the size shown is the stored one held inside them.
 */
import { computed, onBeforeUnmount, onMounted, ref, type ComputedRef, type Ref } from 'vue'
import { boundsWithin, clampSize, type PaneBounds, type PaneState } from './pane-size'

/** The element's content width, kept current by a ResizeObserver (0 until mounted). */
export function useElementWidth(el: Ref<HTMLElement | null>): Ref<number> {
  const width = ref(0)
  let observer: ResizeObserver | null = null
  onMounted(() => {
    const target = el.value
    if (!target) return
    width.value = target.clientWidth
    observer = new ResizeObserver(() => (width.value = target.clientWidth))
    observer.observe(target)
  })
  onBeforeUnmount(() => observer?.disconnect())
  return width
}

export interface PaneOptions {
  /** The widths the setting allows. */
  range: PaneBounds
  /** What the container's other panes need beside this one. */
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
