/**
 * Lines waiting for the disk, kept as UTF-8 bytes in large chunks rather than as strings. A line
 * is encoded the moment it is made, so the string dies young (V8's cheap collection), and a batch
 * is handed to the file as a few big buffers: no join of thousands of strings, no second pass to
 * count bytes. At firehose rates this is most of what recording costs the main thread.
 */

/** Bytes of one chunk; a line longer than this gets a buffer of its own. */
const CHUNK_BYTES = 256 * 1024

export interface TakenLines {
  chunks: Buffer[]
  lines: number
  bytes: number
}

export class LineBatch {
  lines = 0
  bytes = 0
  private sealed: Buffer[] = []
  private chunk: Buffer | null = null
  private used = 0

  /** Appends `line` and a newline; returns the bytes it took. */
  push(line: string): number {
    // UTF-8 takes at most 3 bytes per UTF-16 unit (a surrogate pair: 4 for 2).
    const chunk = this.room(line.length * 3 + 1)
    if (chunk === null) return this.pushOwn(line)
    return this.commit(this.used + chunk.write(line, this.used, 'utf8'))
  }

  /**
   * The open chunk with room for a line of at most `worst` bytes (its newline included), for a
   * writer that puts the bytes there itself from `at` and then calls commit(); null when such a
   * line may not fit any chunk (push() it as a string instead).
   */
  room(worst: number): Buffer | null {
    if (worst > CHUNK_BYTES) return null
    if (this.chunk === null || this.used + worst > this.chunk.length) {
      this.seal()
      this.chunk = Buffer.allocUnsafe(CHUNK_BYTES)
    }
    return this.chunk
  }

  /** Where the next line starts in the chunk room() returned. */
  get at(): number {
    return this.used
  }

  /** Ends the line written into room()'s chunk up to `end` with its newline; returns the bytes it took. */
  commit(end: number): number {
    const chunk = this.chunk as Buffer
    chunk[end] = 0x0a
    const bytes = end + 1 - this.used
    this.used = end + 1
    this.lines++
    this.bytes += bytes
    return bytes
  }

  /**
   * Takes back the line just pushed (`bytes` is what its push returned): a part that line would
   * take past its size limit ends before it, and the line is made again for the next part.
   */
  undo(bytes: number): void {
    // A line of its own was sealed as its own buffer; any other line is the end of the open chunk.
    if (this.chunk !== null && this.used >= bytes) this.used -= bytes
    else this.sealed.pop()
    this.lines--
    this.bytes -= bytes
  }

  /** Appends lines already encoded elsewhere (the encoder thread's), after those batched so far. */
  append(chunks: Buffer[], lines: number, bytes: number): void {
    this.seal()
    for (const c of chunks) this.sealed.push(c)
    this.lines += lines
    this.bytes += bytes
  }

  /** Everything batched so far, in order; the batch is empty afterwards. */
  take(): TakenLines {
    this.seal()
    const taken = { chunks: this.sealed, lines: this.lines, bytes: this.bytes }
    this.sealed = []
    this.lines = 0
    this.bytes = 0
    return taken
  }

  static of(line: string): TakenLines {
    const batch = new LineBatch()
    batch.push(line)
    return batch.take()
  }

  private pushOwn(line: string): number {
    this.seal()
    const own = Buffer.from(`${line}\n`, 'utf8')
    this.sealed.push(own)
    this.lines++
    this.bytes += own.length
    return own.length
  }

  private seal(): void {
    if (this.chunk !== null && this.used > 0) this.sealed.push(this.chunk.subarray(0, this.used))
    // The rest of a sealed chunk is not reused: a new line starts a new chunk.
    this.chunk = null
    this.used = 0
  }
}
