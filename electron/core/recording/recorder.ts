/**
 * One recorder: appends one connection's messages to a recording file. Lines are batched in
 * memory and written at least once a second (a kill -9 loses at most about a second); a disk
 * slower than the broker only grows the queue (`pending`), never drops a message; a write error
 * stops the recorder as `failed` and leaves what was written readable.
 *
 * The hot path (`message`) only copies what a line needs into an arena (no base64, no JSON, no
 * I/O, no promise). Arenas go to the recorder's encoder thread every few ms, which makes the v1
 * lines and decides where parts end; its lines come back in order and are written here.
 */
import { createWriteStream } from 'node:fs'
import type { Writable } from 'node:stream'
import { constants as zlibConstants, createGzip } from 'node:zlib'
import type { IPublishPacket } from 'mqtt'
import { ApiError, type ApiErrorData, type Qos } from '../../api'
import { filterMatches } from '../connections/topic-filter'
import { Arena, ARENA_BYTES, propsText } from './arena'
import { EncoderThread } from './encoder-thread'
import { propertiesFromPacket, type RecordingHeader } from './format'
import { LineBatch, type TakenLines } from './line-batch'
import type { EncodedOutput, FileStats } from './part-encoder'
import { recordingWorkerFile } from './worker-file'

export type { FileStats } from './part-encoder'

export const FLUSH_INTERVAL_MS = 1000
/**
 * Batched bytes that get written without waiting for the timer: a burst reaches the disk within
 * a few ms instead of piling up in memory for a second.
 */
const EAGER_WRITE_BYTES = 256 * 1024
/** How long records may wait in the arena before they go to the encoder thread. */
const ARENA_SEND_MS = 5
/** Spare arenas kept for reuse (each comes back from the thread once encoded). */
const SPARE_ARENAS = 4

/** Where a file's bytes go: a seam so a test can inject a full disk. */
export type OpenFileStream = (path: string) => Writable

export interface RecorderFile {
  id: string
  path: string
}

export interface RecorderCallbacks {
  /** A new library entry for rotation part `part`. */
  nextFile(part: number): Promise<RecorderFile>
  /** A file is complete (rotation, stop or failure): its sidecar can be written. */
  fileDone(file: RecorderFile, stats: FileStats): Promise<void>
  failed(error: ApiErrorData): void
}

export interface RecorderOptions {
  header: Omit<RecordingHeader, 'part' | 'firstFile' | 'startedAt' | 'startedAtIso' | 'monotonicStartNs'>
  filters: string[]
  gzip: boolean
  maxBytes?: number
  maxDurationMs?: number
  /** Filters subscribed with retain-as-published (MQTT 5): their retained messages may be live. */
  retainAsPublished: (topic: string) => boolean
  openStream?: OpenFileStream
  /** The encoder thread's entry (a seam for tests); by default found by `recordingWorkerFile`. */
  workerFile?: URL
}

export class Recorder {
  messages = 0
  bytes = 0
  fileBytes = 0
  gaps = 0
  state: 'recording' | 'stopped' | 'failed' = 'recording'
  error?: ApiErrorData
  readonly startedAt = Date.now()
  readonly startNs = process.hrtime.bigint()
  /** The same instant on performance.now()'s clock: offsets come from it (a double, no BigInt per message). */
  private readonly startPerfMs = performance.now()
  readonly files: RecorderFile[] = []

  private encoder: EncoderThread | null = null
  private arena = new Arena(new ArrayBuffer(ARENA_BYTES))
  private readonly spares: ArrayBuffer[] = []
  private arenaTimer: NodeJS.Timeout | null = null
  /** Messages and gaps put in arenas, and those the thread has encoded: the difference is still with it. */
  private recorded = 0
  private encoded = 0
  private stream: Writable | null = null
  /** Encoded lines of the current part waiting for the disk. */
  private batch = new LineBatch()
  /** Lines handed to the stream whose write has not completed. */
  private inFlight = 0
  private queuedBehindDrain = false
  private timer: NodeJS.Timeout | null = null
  /** The current part's counts, as the thread last reported them. */
  private partStats: FileStats = { messageCount: 0, topicCount: 0, durationMs: 0, gaps: 0 }
  /** Closing a part and opening the next, in order (see `cut`). */
  private rotating: Promise<void> | null = null
  /** Cuts so far: a rotation knows whether a later one is waiting behind it. */
  private cuts = 0
  private downSinceNs: bigint | null = null

  constructor(
    private readonly options: RecorderOptions,
    private readonly callbacks: RecorderCallbacks,
  ) {}

  async start(): Promise<void> {
    const { header, maxBytes, maxDurationMs } = this.options
    try {
      this.encoder = await EncoderThread.start(this.options.workerFile ?? recordingWorkerFile(), { header, startedAt: this.startedAt, startNs: this.startNs, maxBytes, maxDurationMs }, {
        output: (out) => this.received(out),
        arena: (buffer) => {
          if (this.spares.length < SPARE_ARENAS && buffer.byteLength === ARENA_BYTES) this.spares.push(buffer)
        },
        failed: (err) => this.fail(err, 'encoder'),
      })
    } catch (err) {
      throw new ApiError('RECORDING_WRITE_FAILED', `The recording could not start: its encoder thread did not start (${(err as Error).message}).`)
    }
    try {
      await this.openPart()
    } catch (err) {
      this.encoder.close()
      throw err
    }
    this.encoder.firstFile(this.files[0].path.split(/[\\/]/).pop() ?? '')
    this.timer = setInterval(() => this.flush(), FLUSH_INTERVAL_MS)
    this.timer.unref?.()
  }

  get current(): RecorderFile {
    return this.files[this.files.length - 1]
  }

  get pending(): number {
    return this.recorded - this.encoded + this.batch.lines + this.inFlight
  }

  get durationMs(): number {
    return Number((process.hrtime.bigint() - this.startNs) / 1_000_000n)
  }

  /** Synchronous, from the connection's message hook. */
  message(topic: string, payload: Buffer, packet: IPublishPacket, time: number, protocolVersion: number | undefined): void {
    if (this.state !== 'recording') return
    if (this.options.filters.length > 0 && !this.options.filters.some((f) => filterMatches(f, topic))) return
    // Retained-on-subscribe: MQTT 3.1.1 brokers set retain only on messages sent because of a
    // subscribe. MQTT 5 does the same unless the subscription asked for retain-as-published, where
    // a live retained publish also carries the flag and the two cannot be told apart.
    const onSubscribe = packet.retain && (protocolVersion !== 5 || !this.options.retainAsPublished(topic))
    const props = packet.properties === undefined ? undefined : propsText(propertiesFromPacket(packet))
    // The payload is copied into the arena now (a memcpy): nothing here holds on to it after this call.
    this.room(Arena.messageBytes(topic, payload, props))
    this.arena.message(this.offsetUs(), time, topic, packet.qos as Qos, packet.retain, packet.dup, onSubscribe, payload, props)
    this.recorded++
    this.messages++
    this.bytes += payload.length
  }

  /** The connection went down: remember when, so the gap line says how long. */
  connectionDown(): void {
    if (this.downSinceNs === null) this.downSinceNs = process.hrtime.bigint()
  }

  /** The connection is back: one gap line (a reconnect the file would otherwise hide). */
  connectionUp(reason: string): void {
    if (this.state !== 'recording' || this.downSinceNs === null) return
    const durationUs = Number((process.hrtime.bigint() - this.downSinceNs) / 1000n)
    this.downSinceNs = null
    this.room(Arena.gapBytes(reason))
    this.arena.gap(this.offsetUs(), Date.now(), durationUs, reason)
    this.recorded++
    this.gaps++
  }

  /** Everything recorded so far is encoded and written, and the file closed, before this resolves. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    if (this.state === 'recording' && this.encoder) {
      this.sendArena()
      await this.encoder.drain().catch(() => undefined)
    }
    while (this.rotating) await this.rotating
    if (this.state === 'recording') {
      // Close first: the lines still batched are written while the state says recording.
      await this.closeStream(this.partStats, true)
      if (this.state === 'recording') this.state = 'stopped'
    }
    this.encoder?.close()
    this.clearArenaTimer()
  }

  /** µs since the start, monotonic, with sub-µs resolution (rounded when written). */
  private offsetUs(): number {
    return (performance.now() - this.startPerfMs) * 1000
  }

  /** Makes room for `bytes` in the arena: a full one goes to the thread first. */
  private room(bytes: number): void {
    if (!this.arena.fits(bytes)) {
      this.sendArena()
      if (!this.arena.fits(bytes)) this.arena = new Arena(new ArrayBuffer(bytes + 64))
    }
    if (this.arenaTimer === null) this.arenaTimer = setTimeout(this.sendLater, ARENA_SEND_MS)
  }

  private readonly sendLater = (): void => {
    this.arenaTimer = null
    this.sendArena()
  }

  /** Hands the arena's records to the thread and takes a fresh arena. */
  private sendArena(): void {
    this.clearArenaTimer()
    const arena = this.arena
    if (arena.used === 0 || !this.encoder || this.state !== 'recording') return
    this.encoder.records(arena.buffer, arena.used)
    this.arena = new Arena(this.spares.pop() ?? new ArrayBuffer(ARENA_BYTES))
  }

  private clearArenaTimer(): void {
    if (this.arenaTimer) clearTimeout(this.arenaTimer)
    this.arenaTimer = null
  }

  /** The thread's lines, in order: batched for the current part, and a part's end rotates. */
  private received(out: EncodedOutput): void {
    if (this.state !== 'recording') return
    this.encoded += out.records
    this.partStats = out.stats
    for (const piece of out.pieces) {
      this.batch.append(piece.chunks, piece.lines, piece.bytes)
      if (piece.end) this.cut(piece.end.stats)
    }
    // A burst reaches the disk within a few ms instead of piling up for a second; not while the
    // disk lags (its 'drain' writes) or a part is being opened (it writes the batch).
    if (this.batch.bytes >= EAGER_WRITE_BYTES && !this.queuedBehindDrain && !this.rotating) this.writeBatch()
  }

  /**
   * The thread ended a part: the lines batched so far belong to it, and the lines from now on
   * (starting with the next part's header) to the next. Closing the old file and opening the new
   * one happen after, in order; lines keep batching meanwhile and reach the new file.
   */
  private cut(stats: FileStats): void {
    const lines = this.batch.take()
    const cutNumber = ++this.cuts
    const previous = this.rotating ?? Promise.resolve()
    const next = previous.then(() => this.rotate(lines, stats, cutNumber))
    this.rotating = next
    void next.finally(() => {
      if (this.rotating === next) this.rotating = null
    })
  }

  private flush(): void {
    if (this.state !== 'recording') return
    // A quiet connection still rotates on time: the thread reads the clock from a tick record.
    if (this.options.maxDurationMs !== undefined) {
      if (!this.arena.fits(0)) this.sendArena()
      this.arena.tick(this.offsetUs())
      this.sendArena()
    }
    if (!this.stream || this.rotating || this.batch.lines === 0) return
    // Backpressure: while the stream is over its high-water mark, lines wait here (counted).
    if (this.queuedBehindDrain) return
    this.writeBatch()
  }

  private writeBatch(): void {
    const stream = this.stream
    if (!stream) return
    this.writeLines(stream, this.batch.take())
  }

  private writeLines(stream: Writable, taken: TakenLines): void {
    if (taken.lines === 0) return
    this.inFlight += taken.lines
    // One write per batch (a copy of a few MB costs less than a write call per chunk on a slow disk).
    const bytes = taken.chunks.length === 1 ? taken.chunks[0] : Buffer.concat(taken.chunks, taken.bytes)
    const ok = stream.write(bytes, (err?: Error | null) => {
      this.inFlight -= taken.lines
      if (err) this.fail(err, 'write')
    })
    if (this.options.gzip) (stream as ReturnType<typeof createGzip>).flush(zlibConstants.Z_SYNC_FLUSH)
    if (!ok) {
      this.queuedBehindDrain = true
      stream.once('drain', () => {
        this.queuedBehindDrain = false
        if (this.batch.bytes >= EAGER_WRITE_BYTES) this.flush()
      })
    }
  }

  /** The old part gets its last lines and is closed; then the next part opens with what batched meanwhile. */
  private async rotate(lines: TakenLines, stats: FileStats, cutNumber: number): Promise<void> {
    if (this.stream && this.state === 'recording') this.writeLines(this.stream, lines)
    await this.closeStream(stats, false)
    if (this.state !== 'recording') return
    // A later cut already took the lines batched meanwhile for this part: it writes them itself.
    await this.openPart(cutNumber === this.cuts)
  }

  /** Opens the next part's file; its lines (header first) come from the thread. */
  private async openPart(current = true): Promise<void> {
    const file = await this.callbacks.nextFile(this.files.length + 1)
    this.files.push(file)
    const open = this.options.openStream ?? ((path: string) => createWriteStream(path, { flags: 'wx', mode: 0o600 }))
    const fileStream = open(file.path)
    fileStream.on('error', (err: Error) => this.fail(err, 'write'))
    let sink: Writable = fileStream
    if (this.options.gzip) {
      const gzip = createGzip()
      gzip.on('error', (err) => this.fail(err, 'write'))
      gzip.pipe(fileStream)
      sink = gzip
    }
    // The on-disk size, compressed or not, for the progress events.
    const write = fileStream.write.bind(fileStream) as (chunk: Buffer | string, ...rest: unknown[]) => boolean
    fileStream.write = ((chunk: Buffer | string, ...rest: unknown[]) => {
      this.fileBytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length
      return write(chunk, ...rest)
    }) as Writable['write']
    this.stream = sink
    ;(this.stream as Writable & { fileStream?: Writable }).fileStream = fileStream
    if (current) this.writeBatch()
  }

  /** Closes the current file; `current`: it is the live part (its batched lines go first), not one a cut already ended. */
  private async closeStream(stats: FileStats, current: boolean): Promise<void> {
    const stream = this.stream
    if (!stream) return
    if (current && this.batch.lines > 0 && this.state === 'recording') this.writeBatch()
    this.stream = null
    await ended(stream)
    await this.callbacks.fileDone(this.current, stats).catch(() => {})
  }

  /**
   * Stops as `failed`. A write error leaves the file as the disk took it; when the encoder thread
   * fails, the lines it already made are still written and the file is closed whole.
   */
  private fail(err: unknown, cause: 'write' | 'encoder'): void {
    if (this.state !== 'recording') return
    this.state = 'failed'
    const code = (err as NodeJS.ErrnoException).code
    const why = code ?? String((err as Error).message)
    this.error = {
      code: 'RECORDING_WRITE_FAILED',
      message:
        cause === 'write'
          ? `The recording could not be written (${why}): it stopped, and everything written before stays readable.`
          : `The recording stopped: its encoder thread failed (${why}). Everything written before stays readable; start a new recording to go on.`,
    } as ApiErrorData
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    this.clearArenaTimer()
    this.encoder?.close()
    const stream = this.stream
    this.stream = null
    const file = this.current
    const stats = this.partStats
    if (cause === 'encoder' && stream && !this.rotating) {
      const taken = this.batch.take()
      if (taken.lines > 0) stream.write(Buffer.concat(taken.chunks, taken.bytes))
      void ended(stream).then(() => this.callbacks.fileDone(file, stats).catch(() => {}))
    } else {
      stream?.destroy()
      void this.callbacks.fileDone(file, stats).catch(() => {})
    }
    this.callbacks.failed(this.error)
  }
}

/** Ends a sink (gzip or file) and resolves once its file is closed, or failed. */
function ended(stream: Writable): Promise<void> {
  const fileStream = (stream as Writable & { fileStream?: Writable }).fileStream ?? stream
  return new Promise<void>((resolve) => {
    if (fileStream.destroyed) return resolve()
    fileStream.once('close', () => resolve())
    fileStream.once('error', () => resolve())
    stream.end()
  })
}
