/**
 * Finishes a deferred JSON check off the hot path: a slice of the bytes per event-loop turn
 * (setImmediate), so other connections' messages and the renderer's requests keep flowing while
 * a 16 MB document is checked (~2 ms a slice of 1 MiB, against ~60 ms for the whole in one task).
 * The main thread rather than a worker: the bytes are already here, a slice costs less than
 * copying them to a worker, and there is no second bundle to ship.
 */
import type { JsonCheck } from '../decode/json-check'

/** Bytes checked per event-loop turn. */
export const CHECK_SLICE_BYTES = 1024 * 1024

/**
 * Runs `check` to its verdict in slices; resolves true when it is done, false when `wanted()`
 * said no before a slice (the document was released or evicted: nobody waits for it any more).
 */
export async function finishInSlices(check: JsonCheck, wanted: () => boolean, sliceBytes = CHECK_SLICE_BYTES): Promise<boolean> {
  while (!check.done) {
    await new Promise<void>((resolve) => setImmediate(resolve))
    if (check.done) break
    if (!wanted()) return false
    check.run(check.position + sliceBytes)
  }
  return true
}
