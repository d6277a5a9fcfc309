/**
 * The main side's handle on a recorder's encoder thread: starts it (and says clearly when it
 * cannot), hands it arenas by transfer, delivers what it encodes in order, drains it on Stop, and
 * turns a crash or an early exit into one `failed` call instead of an unhandled error.
 */
import { Worker } from 'node:worker_threads'
import type { EncodedOutput, EncoderInit } from './part-encoder'

export type ToEncoder = { type: 'firstFile'; name: string } | { type: 'records'; arena: ArrayBuffer; used: number } | { type: 'drain' }
export type FromEncoder = { type: 'ready'; out: EncodedOutput } | { type: 'encoded'; out: EncodedOutput; arena: ArrayBuffer } | { type: 'drained'; out: EncodedOutput }

export interface EncoderHandlers {
  /** Lines the thread encoded, in the order of the records sent (also the start's header and the drain's rest). */
  output(out: EncodedOutput): void
  /** An arena the thread is done with. */
  arena(buffer: ArrayBuffer): void
  /** The thread crashed or exited while it still had work: the recording cannot go on. */
  failed(error: Error): void
}

/** How long a thread may take to start (bundling it from sources under Vitest included). */
const START_TIMEOUT_MS = 30_000

export class EncoderThread {
  private closing = false
  private drains: { resolve: () => void; reject: (err: Error) => void }[] = []

  private constructor(
    private readonly worker: Worker,
    private readonly handlers: EncoderHandlers,
  ) {}

  /** Starts the thread from `file` and resolves once it runs (its first output has arrived). */
  static start(file: URL, init: EncoderInit, handlers: EncoderHandlers): Promise<EncoderThread> {
    return new Promise((resolve, reject) => {
      let worker: Worker
      try {
        worker = new Worker(file, { workerData: init })
      } catch (err) {
        return reject(err as Error)
      }
      const thread = new EncoderThread(worker, handlers)
      let started = false
      const timer = setTimeout(() => {
        if (started) return
        thread.close()
        reject(new Error(`it did not start within ${START_TIMEOUT_MS / 1000} s`))
      }, START_TIMEOUT_MS)
      worker.on('message', (m: FromEncoder) => {
        if (m.type === 'ready') {
          started = true
          clearTimeout(timer)
          handlers.output(thaw(m.out))
          resolve(thread)
        } else if (m.type === 'encoded') {
          handlers.output(thaw(m.out))
          handlers.arena(m.arena)
        } else {
          handlers.output(thaw(m.out))
          thread.drains.shift()?.resolve()
          if (thread.drains.length === 0) worker.unref()
        }
      })
      const failed = (err: Error): void => {
        clearTimeout(timer)
        if (!started) return reject(err)
        if (thread.closing) return
        thread.closing = true
        for (const d of thread.drains.splice(0)) d.reject(err)
        handlers.failed(err)
      }
      worker.on('error', failed)
      worker.on('messageerror', failed)
      worker.on('exit', (code) => failed(new Error(`the thread exited (code ${code})`)))
      // A recorder nobody stopped must not keep the process alive; a drain holds it (see `drain`).
      worker.unref()
    })
  }

  firstFile(name: string): void {
    this.post({ type: 'firstFile', name })
  }

  /** Hands the arena over: `buffer` is detached here afterwards. */
  records(buffer: ArrayBuffer, used: number): void {
    this.worker.postMessage({ type: 'records', arena: buffer, used } satisfies ToEncoder, [buffer])
  }

  /** Resolves once everything sent before has been encoded and delivered. */
  drain(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.closing) return reject(new Error('the thread has stopped'))
      // Stop's answer waits on the thread: the process must not end while it does.
      this.worker.ref()
      this.drains.push({ resolve, reject })
      this.post({ type: 'drain' })
    })
  }

  close(): void {
    if (this.closing) return
    this.closing = true
    for (const d of this.drains.splice(0)) d.reject(new Error('the recorder stopped'))
    void this.worker.terminate()
  }

  private post(m: ToEncoder): void {
    if (!this.closing) this.worker.postMessage(m)
  }
}

/** Chunks arrive as plain Uint8Arrays (a clone keeps no Buffer prototype): view them as Buffers again, without a copy. */
function thaw(out: EncodedOutput): EncodedOutput {
  for (const piece of out.pieces) piece.chunks = piece.chunks.map((c) => Buffer.from(c.buffer, c.byteOffset, c.byteLength))
  return out
}
