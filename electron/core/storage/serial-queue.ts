/**
 * Runs async jobs one after another, in call order. Stores put every read-modify-write through
 * one queue so two saves never interleave and none is lost to a race.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve()

  /** Runs `job` after every job queued before it has settled; a failed job does not block later ones. */
  run<T>(job: () => Promise<T>): Promise<T> {
    const result = this.tail.then(job, job)
    this.tail = result.catch(() => undefined)
    return result
  }

  /** Resolves once everything queued so far has settled. */
  async idle(): Promise<void> {
    await this.tail
  }
}
