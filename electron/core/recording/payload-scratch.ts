/**
 * Where a reader that uses each message at once and keeps nothing of it (an offline tree, which
 * copies every payload into its own slabs) lets small payloads be decoded: one buffer, filled
 * again for every batch of lines. Decoding each payload into a Buffer of its own made ~2 million
 * 8 KB pool chunks of garbage for a 1 GB recording, freed only as fast as the GC runs.
 *
 * A payload handed out here is valid only until `reset()`, which the reader calls before the
 * next batch; so only readers that finish with a batch's messages before asking for the next
 * may use it (recording-source.ts's `transientPayloads`).
 */

/** Payloads up to this size are decoded here (the tree copies up to 4 KB into its slabs, and keeps bigger ones as they are). */
export const SCRATCH_PAYLOAD_MAX_BYTES = 4096
/** A batch of 128 lines of 4 KB payloads fits. */
const SCRATCH_BYTES = 128 * SCRATCH_PAYLOAD_MAX_BYTES

export class PayloadScratch {
  private readonly buffer = Buffer.allocUnsafeSlow(SCRATCH_BYTES)
  private used = 0

  /** `size` bytes to decode into, or null when the payload is too big or the batch's room is used up. */
  take(size: number): Buffer | null {
    if (size > SCRATCH_PAYLOAD_MAX_BYTES || this.used + size > SCRATCH_BYTES) return null
    const out = this.buffer.subarray(this.used, this.used + size)
    this.used += size
    return out
  }

  /** Every payload handed out so far may be overwritten from now on. */
  reset(): void {
    this.used = 0
  }
}
