/**
 * One recorder: appends one connection's messages to a recording file. Lines are batched in
 * memory and written at least once a second (a kill -9 loses at most about a second); a disk
 * slower than the broker only grows the queue (`pending`), never drops a message; a write error
 * stops the recorder as `failed` and leaves what was written readable.
 *
 * The hot path (`message`) only encodes one line and pushes it: no I/O, no promise.
 */
import { createWriteStream } from 'node:fs'
import type { Writable } from 'node:stream'
import { constants as zlibConstants, createGzip } from 'node:zlib'
import type { IPublishPacket } from 'mqtt'
import type { ApiErrorData, Qos } from '../../api'
import { filterMatches } from '../connections/topic-filter'
import { gapLine, headerLine, messageLine, propertiesFromPacket, type RecordingHeader } from './format'
import { LineBatch, type TakenLines } from './line-batch'

export const FLUSH_INTERVAL_MS = 1000
/**
 * Batched bytes that get written without waiting for the timer: a burst reaches the disk within
 * a few ms instead of piling up in memory for a second.
 */
const EAGER_WRITE_BYTES = 256 * 1024

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

export interface FileStats {
  messageCount: number
  topicCount: number
  durationMs: number
  gaps: number
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

  private stream: Writable | null = null
  private batch = new LineBatch()
  /** Lines handed to the stream whose write has not completed. */
  private inFlight = 0
  private queuedBehindDrain = false
  private timer: NodeJS.Timeout | null = null
  private fileStartUs = 0
  private fileUncompressed = 0
  private fileStats: FileStats & { topics: Set<string> } = newStats()
  /** Closing a part and opening the next, in order (see `cut`). */
  private rotating: Promise<void> | null = null
  /** The write a large batch scheduled (see EAGER_WRITE_BYTES). */
  private eager: NodeJS.Immediate | null = null
  /** Cuts so far: a rotation knows whether a later one is waiting behind it. */
  private cuts = 0
  private downSinceNs: bigint | null = null

  constructor(
    private readonly options: RecorderOptions,
    private readonly callbacks: RecorderCallbacks,
  ) {}

  async start(): Promise<void> {
    await this.openPart(1, 0)
    this.timer = setInterval(() => this.flush(), FLUSH_INTERVAL_MS)
    this.timer.unref?.()
  }

  get current(): RecorderFile {
    return this.files[this.files.length - 1]
  }

  get pending(): number {
    return this.batch.lines + this.inFlight
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
    const nowUs = this.offsetUs()
    const properties = propertiesFromPacket(packet)
    // No copy of the payload: the line (base64) is made now, before this call returns.
    const line = (): string =>
      messageLine({ offsetUs: nowUs - this.fileStartUs, wallMs: time, topic, qos: packet.qos as Qos, retain: packet.retain, dup: packet.dup, onSubscribe, payload, properties })
    let text = line()
    const { maxBytes } = this.options
    if (this.durationDue(nowUs) || (maxBytes !== undefined && this.fileStats.messageCount > 0 && this.partBytes() + Buffer.byteLength(text) + 1 > maxBytes)) {
      // The part is full (or old enough): this message opens the next part instead, its offset
      // measured from that part's start. A single line larger than the limit still gets a part.
      this.cut(nowUs)
      text = line()
    }
    this.push(text)
    this.messages++
    this.bytes += payload.length
    this.fileStats.messageCount++
    this.fileStats.topics.add(topic)
    this.fileStats.durationMs = Math.round((nowUs - this.fileStartUs) / 1000)
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
    this.push(gapLine({ offsetUs: this.offsetUs() - this.fileStartUs, wallMs: Date.now(), durationUs, reason }))
    this.gaps++
    this.fileStats.gaps++
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    if (this.eager) clearImmediate(this.eager)
    this.eager = null
    if (this.rotating) await this.rotating
    if (this.state === 'recording') {
      // Close first: the lines still batched are written while the state says recording.
      await this.closeStream()
      if (this.state === 'recording') this.state = 'stopped'
    }
  }

  /** µs since the start, monotonic, with sub-µs resolution (rounded when written). */
  private offsetUs(): number {
    return (performance.now() - this.startPerfMs) * 1000
  }

  private push(line: string): void {
    this.batch.push(line)
    // Not while the disk lags (its 'drain' writes) or a part is being opened (it writes the batch).
    if (this.batch.bytes >= EAGER_WRITE_BYTES && this.eager === null && !this.queuedBehindDrain && !this.rotating) this.eager = setImmediate(this.writeEagerly)
  }

  private readonly writeEagerly = (): void => {
    this.eager = null
    this.flush()
  }

  /** Bytes of the current part: written, plus batched and not yet written. */
  private partBytes(): number {
    return this.fileUncompressed + this.batch.bytes
  }

  private durationDue(nowUs: number): boolean {
    const { maxDurationMs } = this.options
    return maxDurationMs !== undefined && this.fileStats.messageCount > 0 && (nowUs - this.fileStartUs) / 1000 >= maxDurationMs
  }

  /**
   * Ends the current part here, synchronously: the lines batched so far belong to it, and every
   * line from now on is measured from the next part's start. Closing the old file and opening the
   * new one happen after, in order; lines keep batching meanwhile and reach the new file.
   */
  private cut(atUs: number): void {
    const lines = this.batch.take()
    const stats = this.fileStats
    this.fileStats = newStats()
    this.fileStartUs = atUs
    this.fileUncompressed = 0
    const cutNumber = ++this.cuts
    const previous = this.rotating ?? Promise.resolve()
    const next = previous.then(() => this.rotate(lines, stats, atUs, cutNumber))
    this.rotating = next
    void next.finally(() => {
      if (this.rotating === next) this.rotating = null
    })
  }

  private flush(): void {
    if (this.state !== 'recording' || !this.stream || this.rotating) return
    // A quiet connection still rotates on time.
    const nowUs = this.offsetUs()
    if (this.durationDue(nowUs)) return this.cut(nowUs)
    if (this.batch.lines === 0) return
    // Backpressure: while the stream is over its high-water mark, lines wait here (counted).
    if (this.queuedBehindDrain) return
    this.writeBatch()
  }

  private writeBatch(): void {
    const stream = this.stream
    if (!stream) return
    this.writeLines(stream, this.batch.take())
  }

  /** `ofCurrentPart` false: lines of a part that a cut already ended (they do not count towards the new one's size). */
  private writeLines(stream: Writable, taken: TakenLines, ofCurrentPart = true): void {
    if (taken.lines === 0) return
    if (ofCurrentPart) this.fileUncompressed += taken.bytes
    this.inFlight += taken.lines
    // One write per batch (a copy of a few MB costs less than a write call per chunk on a slow disk).
    const bytes = taken.chunks.length === 1 ? taken.chunks[0] : Buffer.concat(taken.chunks, taken.bytes)
    const ok = stream.write(bytes, (err?: Error | null) => {
      this.inFlight -= taken.lines
      if (err) this.fail(err)
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
  private async rotate(lines: TakenLines, stats: FileStats & { topics: Set<string> }, startUs: number, cutNumber: number): Promise<void> {
    if (this.stream && this.state === 'recording') this.writeLines(this.stream, lines, false)
    await this.closeStream(stats)
    if (this.state !== 'recording') return
    // A later cut already took the lines batched meanwhile for this part: it writes them itself.
    await this.openPart(this.files.length + 1, startUs, cutNumber === this.cuts)
  }

  /** Opens part `part`, whose offsets are measured from `startUs` (every file stands alone). */
  private async openPart(part: number, startUs: number, current = true): Promise<void> {
    const file = await this.callbacks.nextFile(part)
    this.files.push(file)
    const open = this.options.openStream ?? ((path: string) => createWriteStream(path, { flags: 'wx', mode: 0o600 }))
    const fileStream = open(file.path)
    fileStream.on('error', (err: Error) => this.fail(err))
    let sink: Writable = fileStream
    if (this.options.gzip) {
      const gzip = createGzip()
      gzip.on('error', (err) => this.fail(err))
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
    const startedAt = this.startedAt + Math.round(startUs / 1000)
    const header: RecordingHeader = {
      ...this.options.header,
      startedAt,
      startedAtIso: new Date(startedAt).toISOString(),
      monotonicStartNs: (this.startNs + BigInt(Math.round(startUs)) * 1000n).toString(),
      part,
      ...(part > 1 ? { firstFile: this.files[0].path.split(/[\\/]/).pop() } : {}),
    }
    this.writeLines(sink, LineBatch.of(headerLine(header)), current)
    if (current) this.writeBatch()
  }

  /** Closes the current file; `stats` are its part's (the live ones unless a cut already started the next part). */
  private async closeStream(stats = this.fileStats): Promise<void> {
    const stream = this.stream
    if (!stream) return
    if (stats === this.fileStats && this.batch.lines > 0 && this.state === 'recording') this.writeBatch()
    this.stream = null
    const fileStream = (stream as Writable & { fileStream?: Writable }).fileStream ?? stream
    await new Promise<void>((resolve) => {
      if (fileStream.destroyed) return resolve()
      fileStream.once('close', () => resolve())
      fileStream.once('error', () => resolve())
      stream.end()
    })
    const { topics, ...counts } = stats
    await this.callbacks.fileDone(this.current, { ...counts, topicCount: topics.size }).catch(() => {})
  }

  private fail(err: unknown): void {
    if (this.state !== 'recording') return
    this.state = 'failed'
    const code = (err as NodeJS.ErrnoException).code
    this.error = {
      code: 'RECORDING_WRITE_FAILED',
      message: `The recording could not be written (${code ?? String((err as Error).message)}): it stopped, and everything written before stays readable.`,
    } as ApiErrorData
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    if (this.eager) clearImmediate(this.eager)
    this.eager = null
    const stream = this.stream
    this.stream = null
    stream?.destroy()
    const { topics, ...stats } = this.fileStats
    void this.callbacks.fileDone(this.current, { ...stats, topicCount: topics.size }).catch(() => {})
    this.callbacks.failed(this.error)
  }
}

function newStats(): FileStats & { topics: Set<string> } {
  return { messageCount: 0, topicCount: 0, durationMs: 0, gaps: 0, topics: new Set() }
}
