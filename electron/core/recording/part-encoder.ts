/**
 * The encoder thread's work, without the thread (so tests can drive it directly): arena records
 * in, v1 lines out as UTF-8 chunks, through format.ts's own encoders. It also decides where a
 * part ends, since only here is a line's encoded size known: a part ends at the message (or gap)
 * that would take it past `maxBytes`, header included, or when it is `maxDurationMs` old; that
 * line opens the next part, its offset measured from the next part's start, behind that part's
 * header. Per-part counts (messages, topics, gaps) are kept here too, off the main thread.
 */
import type { Qos } from '../../api'
import { readArena, type ArenaVisitor } from './arena'
import { gapLine, headerLine, type RecordedMessage, type RecordedProperties, type RecordingHeader } from './format'
import { pushMessageLine } from './message-line-bytes'
import { LineBatch } from './line-batch'

const NO_BYTES = Buffer.alloc(0)

export interface FileStats {
  messageCount: number
  topicCount: number
  durationMs: number
  gaps: number
}

export interface EncoderInit {
  header: Omit<RecordingHeader, 'part' | 'firstFile' | 'startedAt' | 'startedAtIso' | 'monotonicStartNs'>
  /** The recorder's start: wall clock (ms) and process.hrtime.bigint(). */
  startedAt: number
  startNs: bigint
  maxBytes?: number
  maxDurationMs?: number
}

/** Lines of one part, in order; `end` set: the part ends after them and the next piece opens part `end.part + 1`. */
export interface Piece {
  chunks: Buffer[]
  lines: number
  bytes: number
  end?: { part: number; stats: FileStats }
}

/** What one arena (or the start, or the stop) produced. */
export interface EncodedOutput {
  pieces: Piece[]
  /** Messages and gaps encoded (headers are not counted). */
  records: number
  /** The current part's counts so far. */
  stats: FileStats
}

export class PartEncoder implements ArenaVisitor {
  /** The first part's file name, for the later parts' headers (`firstFile`). */
  firstFile: string | undefined
  private part = 0
  private partStartUs = 0
  private partBytes = 0
  /** Message and gap lines in the part (its header aside). */
  private partLines = 0
  private messages = 0
  private gaps = 0
  private lastOffsetUs = 0
  private topics = new Set<string>()
  private batch = new LineBatch()
  /** The message being written, reused: one object for every line. */
  private readonly scratch: RecordedMessage = { offsetUs: 0, wallMs: 0, topic: '', qos: 0, retain: false, dup: false, onSubscribe: false, payload: NO_BYTES, properties: undefined }
  private pieces: Piece[] = []
  private records = 0

  constructor(private readonly init: EncoderInit) {
    this.openPart(0)
  }

  /** Encodes an arena's records; their lines wait for `output`. */
  encode(buffer: ArrayBuffer, used: number): void {
    readArena(buffer, used, this)
  }

  /** Everything encoded since the last call, part by part. */
  output(): EncodedOutput {
    const taken = this.batch.take()
    const pieces = this.pieces
    if (taken.lines > 0) pieces.push(taken)
    this.pieces = []
    const records = this.records
    this.records = 0
    return { pieces, records, stats: this.stats() }
  }

  message(offsetUs: number, wallMs: number, topic: string, qos: Qos, retain: boolean, dup: boolean, onSubscribe: boolean, payload: Buffer, properties: RecordedProperties | undefined): void {
    if (this.durationDue(offsetUs)) this.cut(offsetUs)
    const m = this.scratch
    m.wallMs = wallMs
    m.topic = topic
    m.qos = qos
    m.retain = retain
    m.dup = dup
    m.onSubscribe = onSubscribe
    m.payload = payload
    m.properties = properties
    // Written as bytes in place (message-line-bytes.ts); its offset is from the part it lands in.
    this.push(() => {
      m.offsetUs = offsetUs - this.partStartUs
      return pushMessageLine(this.batch, m)
    }, offsetUs)
    // The payload is a view into the arena, which goes back to the recorder: hold on to nothing.
    m.payload = NO_BYTES
    m.properties = undefined
    this.messages++
    this.topics.add(topic)
    this.lastOffsetUs = offsetUs
  }

  gap(offsetUs: number, wallMs: number, durationUs: number, reason: string): void {
    this.push(() => this.batch.push(gapLine({ offsetUs: offsetUs - this.partStartUs, wallMs, durationUs, reason })), offsetUs)
    this.gaps++
  }

  /** The clock while the connection is quiet: a part old enough ends now. */
  tick(offsetUs: number): void {
    if (this.durationDue(offsetUs)) this.cut(offsetUs)
  }

  /**
   * Adds a line (`write` puts it in the batch and returns its bytes); when it would overfill a
   * part that has lines, the part ends before it and the line is made again.
   */
  private push(write: () => number, offsetUs: number): void {
    let bytes = write()
    const { maxBytes } = this.init
    if (maxBytes !== undefined && this.partLines > 0 && this.partBytes + bytes > maxBytes) {
      this.batch.undo(bytes)
      this.cut(offsetUs)
      bytes = write()
    }
    this.partBytes += bytes
    this.partLines++
    this.records++
  }

  private durationDue(offsetUs: number): boolean {
    const { maxDurationMs } = this.init
    return maxDurationMs !== undefined && this.messages > 0 && (offsetUs - this.partStartUs) / 1000 >= maxDurationMs
  }

  private cut(atUs: number): void {
    const taken = this.batch.take()
    this.pieces.push({ ...taken, end: { part: this.part, stats: this.stats() } })
    this.openPart(atUs)
  }

  /** The next part starts at `startUs` (µs from the recorder's start) with its header line. */
  private openPart(startUs: number): void {
    this.part++
    this.partStartUs = startUs
    this.messages = 0
    this.gaps = 0
    this.partLines = 0
    this.lastOffsetUs = startUs
    this.topics = new Set()
    const { init, part } = this
    const startedAt = init.startedAt + Math.round(startUs / 1000)
    const header: RecordingHeader = {
      ...init.header,
      startedAt,
      startedAtIso: new Date(startedAt).toISOString(),
      monotonicStartNs: (init.startNs + BigInt(Math.round(startUs)) * 1000n).toString(),
      part,
      ...(part > 1 ? { firstFile: this.firstFile } : {}),
    }
    this.partBytes = this.batch.push(headerLine(header))
  }

  private stats(): FileStats {
    return { messageCount: this.messages, topicCount: this.topics.size, durationMs: Math.round((this.lastOffsetUs - this.partStartUs) / 1000), gaps: this.gaps }
  }
}
