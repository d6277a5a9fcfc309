/**
 * One recording opened offline: its index, its timeline position and the tree that follows it.
 *
 * Opening reads the file once, streamed, to index it, and feeds the tree from that same read:
 * the timeline starts at the end (the broker's final state, the view a user opening a recording
 * most often wants), and the tree fills while the file is read, so the first rows show at once.
 * Any seek, step or play takes the tree off that read; indexing goes on without applying.
 *
 * The tree holds every message up to `positionUs`. Forward moves apply the next messages from
 * the cursor that stays open; backward moves empty the tree and apply from the start again.
 * Moves run one at a time; a newer seek or step aborts the one running (the last one wins).
 * Play runs on an absolute schedule (message at offset o is due at t0 + (o − base) / speed), so
 * slow ticks catch up instead of drifting.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises'
import { ApiError, type ApiErrorData, type OfflineState, type RecordingInfo } from '../../api'
import type { RecordedMessage } from '../recording/format'
import { readRecordingBatches } from '../recording/recording-source'
import { RecordingIndex } from './recording-index'
import type { UndoneMessage } from '../tree/undo-log'
import { TimelineCursor, type ApplyWhile } from './timeline-cursor'

/** Longest stretch of indexing before other requests get a turn. */
const SLICE_MS = 20

export interface OfflineRecordingHooks {
  /** A message enters the tree (and whatever else taps a connection's messages). */
  apply(message: RecordedMessage): void
  /** The tree is emptied before a backward move that undo could not make. */
  clear(): void
  /** Takes the tree's last `count` messages back, newest first; fewer when it had to stop. */
  undo(count: number): UndoneMessage[]
  /** Puts a message undo took back into the tree again. */
  redo(message: UndoneMessage): void
  /** Something in the state changed; `final` when a move, play or the indexing ended. */
  changed(final: boolean): void
}

export class OfflineRecording {
  readonly index = new RecordingIndex()
  private following = true
  private indexing = true
  private truncated = false
  private error: ApiErrorData | undefined
  private cursor: TimelineCursor | null = null
  /**
   * Messages a backward move took out of the tree by undo, the next one to apply last: forward
   * moves apply them again before the cursor (which has read past them) goes on.
   */
  private redoStack: { offsetUs: number; message: UndoneMessage }[] = []
  private followPosition = 0
  private followLastUs = 0
  private positionUs = 0
  private playing = false
  private speed = 1
  private playTimer: ReturnType<typeof setTimeout> | null = null
  private playBase = { atMs: 0, us: 0 }
  private running: AbortController | null = null
  private chain: Promise<void> = Promise.resolve()
  private readonly closed = new AbortController()
  /** Resolves once the indexing read ended (whole file, an error, or close). */
  readonly indexed: Promise<void>
  messageCount = 0
  byteCount = 0

  constructor(
    readonly connectionId: string,
    readonly info: RecordingInfo,
    private readonly path: string,
    private readonly hooks: OfflineRecordingHooks,
  ) {
    this.indexed = this.readIndex()
  }

  get position(): number {
    return (this.cursor?.position ?? this.followPosition) - this.redoStack.length
  }

  state(): OfflineState {
    const info = this.info
    return {
      connectionId: this.connectionId,
      recordingId: info.id,
      name: info.name,
      brokerUrl: info.brokerUrl,
      durationMs: this.indexing ? info.durationMs : Math.max(info.durationMs, Math.round(this.index.lastOffsetUs / 1000)),
      messageCount: this.indexing ? Math.max(info.messageCount, this.index.count) : this.index.count,
      indexed: this.index.count,
      indexing: this.indexing,
      positionUs: this.positionUs,
      position: this.position,
      playing: this.playing,
      speed: this.speed,
      gaps: this.index.gaps.slice(),
      truncated: this.truncated || info.truncated,
      ...(this.error && { error: this.error }),
    }
  }

  /** Moves the timeline to `us` (clamped to the recording): the tree then holds every message at or before it. */
  seek(us: number): Promise<OfflineState> {
    return this.userMove(async (signal) => {
      const end = this.indexing ? Infinity : this.index.lastOffsetUs
      const target = Math.min(us, end)
      const known = !this.indexing || target <= this.index.lastOffsetUs
      const count = known ? this.index.countUpTo(target) : undefined
      const backward = count !== undefined ? count < this.position : false
      await this.move(backward, (offsetUs) => offsetUs <= target, signal, count)
      // Past the file's end (a seek while indexing may aim there) the timeline stops at its last message.
      if (!signal.aborted) this.positionUs = this.cursor?.ended ? Math.min(target, this.cursorLastUs()) : target
    })
  }

  /** Applies the next `count` messages, or (negative) takes the last ones back out. */
  step(count: number): Promise<OfflineState> {
    return this.userMove(async (signal) => {
      const target = Math.max(0, this.position + count)
      await this.move(count < 0, (_offsetUs, index) => index < target, signal, target)
      if (!signal.aborted) this.positionUs = this.heldLastUs()
    })
  }

  /** Plays from the position at `speed` × the recorded pace; at the end it starts over from 0. */
  async play(speed: number): Promise<OfflineState> {
    this.speed = speed
    if (this.atEnd()) await this.seek(0)
    this.playing = true
    this.rebase()
    this.schedulePlay()
    this.hooks.changed(true)
    return this.state()
  }

  pause(): OfflineState {
    this.stopPlaying()
    this.hooks.changed(true)
    return this.state()
  }

  async close(): Promise<void> {
    this.stopPlaying()
    this.closed.abort()
    this.running?.abort()
    await this.chain
    await this.cursor?.close()
    await this.indexed
  }

  private async readIndex(): Promise<void> {
    let sliceStart = performance.now()
    let sinceCheck = 0
    try {
      // The tree copies what it keeps, so payloads may be decoded into a reused buffer.
      // In batches: one promise per batch of lines, not per message.
      const batches = readRecordingBatches(this.path, undefined, { signal: this.closed.signal, onStats: (s) => (this.truncated = s.truncated), transientPayloads: true })
      for await (const batch of batches) {
        for (const item of batch) {
          if (item.kind === 'gap') this.index.addGap(item.gap.offsetUs, item.gap.durationUs)
          if (item.kind !== 'message') continue
          this.index.push(item.message.offsetUs)
          if (this.following) this.follow(item.message)
        }
        // Every batch is up to 128 lines: check the slice's time once per 256 lines or so.
        if ((sinceCheck += batch.length) >= 256) {
          sinceCheck = 0
          if (performance.now() - sliceStart > SLICE_MS) {
            this.hooks.changed(false)
            await yieldToEventLoop()
            sliceStart = performance.now()
          }
        }
      }
    } catch (err) {
      this.error = readError(err)
    } finally {
      this.indexing = false
      if (this.following) this.positionUs = this.followLastUs
      this.hooks.changed(true)
    }
  }

  private follow(message: RecordedMessage): void {
    this.hooks.apply(message)
    this.count(message)
    this.followPosition++
    this.followLastUs = this.positionUs = message.offsetUs
  }

  private count(message: RecordedMessage): void {
    this.messageCount++
    this.byteCount += message.payload.length
  }

  /** A user's seek or step: aborts the move running, pauses play's timer while it runs. */
  private async userMove(run: (signal: AbortSignal) => Promise<void>): Promise<OfflineState> {
    this.running?.abort()
    const controller = new AbortController()
    this.running = controller
    if (this.playTimer) clearTimeout(this.playTimer)
    this.playTimer = null
    await this.queue(() => (controller.signal.aborted ? Promise.resolve() : run(controller.signal)))
    if (this.running === controller) {
      this.running = null
      if (this.playing) {
        this.rebase()
        this.schedulePlay()
      }
      this.hooks.changed(true)
    }
    return this.state()
  }

  /** Runs moves one after another; a failed read becomes the state's error, never a crash. */
  private queue(run: () => Promise<void>): Promise<void> {
    const next = this.chain.then(run).catch((err: unknown) => {
      this.error = readError(err)
      this.stopPlaying()
    })
    this.chain = next
    return next
  }

  /** `targetCount`, when known, is how many messages the tree holds after a backward move. */
  private async move(backward: boolean, applyWhile: ApplyWhile, signal: AbortSignal, targetCount?: number): Promise<void> {
    if (this.closed.signal.aborted) return
    if (backward && targetCount !== undefined && this.undoTo(targetCount)) return
    if (backward || this.cursor === null) {
      // From here on the tree follows the cursor, not the indexing read.
      this.following = false
      await this.cursor?.close()
      if (backward) {
        this.hooks.clear()
        this.redoStack = []
        this.messageCount = 0
        this.byteCount = 0
        this.cursor = new TimelineCursor(this.path, (m) => this.applyFromCursor(m))
      } else {
        this.cursor = new TimelineCursor(this.path, (m) => this.applyFromCursor(m), this.followPosition, this.followLastUs)
      }
    }
    if (!this.redoForward(applyWhile, signal)) {
      this.positionUs = this.heldLastUs()
      return
    }
    await this.cursor.advance(applyWhile, signal)
    this.positionUs = this.cursorLastUs()
  }

  /**
   * A backward move by undo: the tree takes its last messages back (no file read). True when it
   * took all of them; else the tree holds some fewer and the move re-reads from the start.
   */
  private undoTo(target: number): boolean {
    const count = this.position - target
    // The offsets of what is taken back come from the index, which a cursor may have read past.
    if (count <= 0 || this.position > this.index.count) return false
    const undone = this.hooks.undo(count)
    if (undone.length > 0) this.following = false
    for (const message of undone) {
      this.redoStack.push({ offsetUs: this.index.offsetAt(this.position - 1)!, message })
      this.messageCount--
      this.byteCount -= message.message.size
    }
    this.positionUs = this.heldLastUs()
    return undone.length === count
  }

  /** Applies undone messages again while `applyWhile` says so; false when it stopped among them. */
  private redoForward(applyWhile: ApplyWhile, signal: AbortSignal): boolean {
    const stack = this.redoStack
    while (stack.length > 0) {
      if (signal.aborted) return false
      const next = stack[stack.length - 1]
      if (!applyWhile(next.offsetUs, this.position)) return false
      stack.pop()
      this.hooks.redo(next.message)
      this.messageCount++
      this.byteCount += next.message.message.size
    }
    return true
  }

  /** Offset of the last message the tree holds (0 with none). */
  private heldLastUs(): number {
    const held = this.position
    if (held === 0) return 0
    return this.redoStack.length > 0 ? this.index.offsetAt(held - 1)! : this.cursorLastUs()
  }

  private applyFromCursor(message: RecordedMessage): void {
    this.hooks.apply(message)
    this.count(message)
  }

  private cursorLastUs(): number {
    return this.cursor?.lastOffsetUs ?? this.followLastUs
  }

  private atEnd(): boolean {
    if (this.indexing) return false
    return this.position >= this.index.count
  }

  private rebase(): void {
    this.playBase = { atMs: performance.now(), us: this.positionUs }
  }

  private schedulePlay(): void {
    // One timer at a time: a second play (a new speed) replaces the pending tick.
    if (this.playTimer) clearTimeout(this.playTimer)
    this.playTimer = null
    if (!this.playing || this.closed.signal.aborted) return
    const redoNext = this.redoStack.at(-1)
    const nextUs = redoNext !== undefined ? redoNext.offsetUs : (this.cursor?.nextOffsetUs ?? (this.cursor === null ? this.index.offsetAt(this.position) : undefined))
    if (nextUs === undefined && (this.cursor?.ended ?? !this.indexing)) {
      this.stopPlaying()
      this.hooks.changed(true)
      return
    }
    const dueMs = nextUs === undefined ? 0 : this.playBase.atMs + (nextUs - this.playBase.us) / 1000 / this.speed
    this.playTimer = setTimeout(() => this.playTick(), Math.max(0, dueMs - performance.now()))
  }

  private playTick(): void {
    this.playTimer = null
    const controller = new AbortController()
    this.running = controller
    void this.queue(async () => {
      const dueUs = this.playBase.us + (performance.now() - this.playBase.atMs) * 1000 * this.speed
      await this.move(false, (offsetUs) => offsetUs <= dueUs, controller.signal)
      // Nothing else is due before dueUs: the tree is the state at that moment.
      if (!controller.signal.aborted) this.positionUs = this.cursor?.ended ? this.cursorLastUs() : dueUs
    }).then(() => {
      if (this.running !== controller) return
      this.running = null
      this.hooks.changed(false)
      this.schedulePlay()
    })
  }

  private stopPlaying(): void {
    this.playing = false
    if (this.playTimer) clearTimeout(this.playTimer)
    this.playTimer = null
  }
}

function readError(err: unknown): ApiErrorData {
  if (err instanceof ApiError) return err.toJSON()
  return { code: 'RECORDING_BAD_FILE', message: `The recording could not be read to its end (${(err as Error).message}); what was read before stays on the timeline.` }
}
